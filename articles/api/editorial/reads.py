"""Reads for callers holding `articles.view_article`: every article, live or not.

The public API modules (`articles/api/*.py`) reach articles only through
`Article.objects.live()`, and tests/core/test_live.py checks that. Whatever goes beyond it
lives here, in one small module, and each function first asks `may_read_unpublished`.
"""

from django.db.models import QuerySet

from articles.models import Article, RelatedLink

# What `?status=` may ask for, and the statuses each value means.
STATUS_CHOICES = {
    "draft": [Article.Status.DRAFT],
    "review": [Article.Status.REVIEW],
    "published": [Article.Status.PUBLISHED],
    "archived": [Article.Status.ARCHIVED],
    "all": [s.value for s in Article.Status],
}


def may_read_unpublished(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("articles.view_article"))


def readable_articles(user) -> QuerySet:
    """Every article for an editor; the live ones for anybody else."""
    return Article.objects.all() if may_read_unpublished(user) else Article.objects.live()


def articles_with_status(user, status: str) -> QuerySet:
    """An editor's `?status=` list (stubs are drafts); PermissionError for anybody else."""
    if not may_read_unpublished(user):
        raise PermissionError("Listing articles by status needs the articles.view_article permission.")
    return Article.objects.filter(status__in=STATUS_CHOICES[status])


def all_related_links(user, article: Article) -> QuerySet:
    """Every link of `article`'s related list, stubs and unpublished targets included (editors)."""
    if not may_read_unpublished(user):
        raise PermissionError("The full related list needs the articles.view_article permission.")
    return RelatedLink.objects.filter(source=article)


def missing_article_ids(ids: list[int]) -> list[int]:
    """Which of `ids` name no article at all (for validating an editor's `related_ids`)."""
    found = set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True))
    return [i for i in ids if i not in found]


def locked_version(pk: int) -> int | None:
    """The stored version of article `pk`, row locked until the transaction ends (None if gone)."""
    return Article.objects.select_for_update().filter(pk=pk).values_list("version", flat=True).first()
