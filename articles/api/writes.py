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
    tags = data.pop("tags", None)
    related_ids = data.pop("related_ids", None)
    author_ids = data.pop("author_ids", None)
    creating = article.pk is None
    if creating or data or tags is not None or related_ids is not None or author_ids is not None:
        for field, value in data.items():
            setattr(article, field, value)
        article.full_clean(validate_unique=True)
        actions.save_article(
            actor=actor,
            article=article,
            base_version=base_version,
            related_ids=related_ids,
            tags=tags,
            author_ids=author_ids,
            note="API",
        )
    elif base_version is not None:
        current = locked_version(article.pk)
        if current != base_version:
            article.version = current
            raise actions.StaleEdit(article, base_version)
    if status and status != article.status:
        TRANSITIONS[status](actor=actor, article=article)
    return article
