"""The audit trail's one writer: who did what to which story or media item, never edited.

Every action function calls `record()`; the importer's fast path, which inserts rows in bulk,
builds the same rows with `entry_values()` so that an entry has one shape whoever wrote it.
"""

from django.contrib.auth.models import AbstractBaseUser

from articles.models import Article, AuditEntry


def _user(actor) -> AbstractBaseUser | None:
    """The acting account, or None for the system (commands, the importer, scheduled jobs)."""
    return actor if getattr(actor, "pk", None) else None


def entry_values(
    *,
    actor=None,
    action: str,
    article: Article | None = None,
    article_id: int | None = None,
    object_repr: str = "",
    from_status: str = "",
    to_status: str = "",
    details: dict | None = None,
) -> dict:
    """The field values of one audit entry, trimmed to the columns' sizes.

    `object_repr` defaults to the article's title, so an entry still names the story after it is
    deleted.
    """
    if article is not None:
        article_id = article.pk
        object_repr = object_repr or article.title
    user = _user(actor)
    return {
        "actor_id": user.pk if user else None,
        "action": action[:32],
        "article_id": article_id,
        "object_repr": object_repr[:300],
        "from_status": from_status,
        "to_status": to_status,
        "details": details or {},
    }


def record(**kwargs) -> AuditEntry:
    """Write one audit entry (arguments as for `entry_values`)."""
    return AuditEntry.objects.create(**entry_values(**kwargs))
