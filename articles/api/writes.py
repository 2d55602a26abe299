"""Article writes from the API, applied only through `articles.actions`.

Content goes through `save_article` (which checks permission and the optimistic lock and
records the revision); a requested `status` goes through the matching workflow action. Both
run in one transaction, so a refused step leaves nothing half-written.
"""

from django.db import transaction

from articles import actions
from articles.api.editorial.reads import locked_version
from articles.models import Article

TRANSITIONS = {
    Article.Status.DRAFT: actions.unpublish,
    Article.Status.REVIEW: actions.submit_for_review,
    Article.Status.PUBLISHED: actions.publish,
    Article.Status.ARCHIVED: actions.archive,
}


@transaction.atomic
def write_article(*, actor, article: Article, data: dict, base_version: int | None) -> Article:
    """Apply validated API `data` to `article` (new or stored) and return it saved.

    Raises PermissionDenied, StaleEdit or ValidationError; the transaction is then rolled back.
    """
    data = dict(data)
    status = data.pop("status", None)
    lists = {name: data.pop(name, None) for name in ("tags", "related_ids", "author_ids")}
    if article.pk is None or data or any(value is not None for value in lists.values()):
        for field, value in data.items():
            setattr(article, field, value)
        article.full_clean(validate_unique=True)
        actions.save_article(actor=actor, article=article, base_version=base_version, note="API", **lists)
    elif base_version is not None:
        _check_version(article, base_version)
    if status and status != article.status:
        TRANSITIONS[status](actor=actor, article=article)
    return article


def _check_version(article: Article, base_version: int) -> None:
    """A write that changes nothing but carries a version still fails on a stale one."""
    current = locked_version(article.pk)
    if current != base_version:
        article.version = current
        raise actions.StaleEdit(article, base_version)
