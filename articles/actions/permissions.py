"""Who may do what to an article: the rules every action (and every admin screen) asks.

`actor=None` is the system itself (the demo loader, the archive importer, commands): it may do
everything. A person needs the permission of their role.
"""

from django.core.exceptions import PermissionDenied

from articles.models import Article

Status = Article.Status

# Fields only editors (the publish permission) set: pinning puts a story at the top of the
# front page, and the legacy id is the archive's identity of a story (the importer's key).
EDITORS_ONLY_FIELDS = {"pinned": False, "legacy_id": None}


def actor_user(actor):
    """The actor as a user row for the record, or None for the system."""
    return actor if getattr(actor, "pk", None) else None


def require(actor, perm: str, message: str) -> None:
    """Refuse (PermissionDenied with `message`) a person without `perm` ("app.codename")."""
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(message)


def can_edit(actor, article: Article) -> bool:
    """Reporters edit their own drafts; editors with `edit_any_article` edit anything."""
    if actor is None:
        return True
    if not actor.has_perm("articles.change_article"):
        return False
    if actor.has_perm("articles.edit_any_article"):
        return True
    return article.created_by_id == actor.pk and article.status == Status.DRAFT


def can_publish(actor) -> bool:
    return actor is None or actor.has_perm("articles.publish_article")


def editors_only_changes(actor, stored: Article | None, article: Article) -> dict[str, str]:
    """{field: reason} for each editors-only field `article` changes (from `stored`, or from the
    field's default for a new article) that `actor` may not set; empty when all is well."""
    if can_publish(actor):
        return {}
    refused = {}
    for field, default in EDITORS_ONLY_FIELDS.items():
        old = getattr(stored, field) if stored is not None else default
        if getattr(article, field) != old:
            label = Article._meta.get_field(field).verbose_name
            refused[field] = f"Only editors may set “{label}”."
    return refused
