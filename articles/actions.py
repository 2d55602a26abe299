"""Every state change of an article goes through one of these functions.

Each checks the actor's permission, changes the article inside a transaction, records a
revision and an audit entry, and schedules side effects (cache invalidation) on commit.
Admin views, API views and management commands call these and nothing else.
"""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, AuditEntry, RelatedLink, Revision
from articles.revisions import snapshot
from newsroom.cache import bump_content_generation


class StaleEdit(Exception):
    """A save based on an older version than the article's current one."""

    def __init__(self, article: Article, base_version: int):
        self.article = article
        self.base_version = base_version
        super().__init__(
            f"“{article.title}” was changed by someone else since you opened it "
            f"(your version {base_version}, current {article.version})."
        )


def _require(actor, perm: str, message: str) -> None:
    if actor is not None and not actor.has_perm(f"articles.{perm}"):
        raise PermissionDenied(message)


def can_edit(actor, article: Article) -> bool:
    """Reporters edit their own drafts; editors with `edit_any_article` edit anything."""
    if actor is None:
        return True
    if not actor.has_perm("articles.change_article"):
        return False
    if actor.has_perm("articles.edit_any_article"):
        return True
    return article.created_by_id == actor.pk and article.status == Article.Status.DRAFT


def _record(*, actor, article: Article, action: str, from_status: str, note: str = "", details=None) -> Revision:
    last = article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    revision = Revision.objects.create(
        article=article,
        number=last + 1,
        created_by=actor if getattr(actor, "pk", None) else None,
        data=snapshot(article),
        note=note or action,
    )
    AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        article=article,
        object_repr=article.title[:300],
        from_status=from_status,
        to_status=article.status,
        details=details or {},
    )
    transaction.on_commit(bump_content_generation)
    return revision


def _save(article: Article, base_version: int | None) -> None:
    """Save with an optimistic lock: the row must still hold `base_version`."""
    if article.pk is None:
        article.version = 1
        article.save()
        return
    current = Article.objects.select_for_update().filter(pk=article.pk).values_list("version", flat=True).first()
    if base_version is not None and current != base_version:
        fresh = Article.objects.get(pk=article.pk)
        raise StaleEdit(fresh, base_version)
    article.version = (current or 0) + 1
    article.save()


def set_related(*, article: Article, target_ids: list[int]) -> None:
    """Replace the related list with `target_ids`, in that order (duplicates and self dropped)."""
    seen: list[int] = []
    for target_id in target_ids:
        if target_id != article.pk and target_id not in seen:
            seen.append(target_id)
    RelatedLink.objects.filter(source=article).delete()
    RelatedLink.objects.bulk_create(
        RelatedLink(source=article, target_id=target_id, position=index) for index, target_id in enumerate(seen)
    )


@transaction.atomic
def save_article(
    *,
    actor: AbstractBaseUser | None,
    article: Article,
    base_version: int | None = None,
    related_ids: list[int] | None = None,
    tags=None,
    note: str = "",
) -> Article:
    """Create or update an article's content (not its status). Refuses stale edits."""
    creating = article.pk is None
    if creating:
        _require(actor, "add_article", "You may not create articles.")
        if actor is not None and getattr(actor, "pk", None) and not article.created_by_id:
            article.created_by = actor
            if not article.signoff:
                profile = getattr(actor, "staff_profile", None)
                article.signoff = profile.signoff_initials if profile else ""
        from_status = ""
    else:
        stored = Article.objects.filter(pk=article.pk).values_list("status", "created_by_id").first()
        probe = Article(pk=article.pk, status=stored[0], created_by_id=stored[1]) if stored else article
        if not can_edit(actor, probe):
            raise PermissionDenied("You may not edit this article.")
        from_status = stored[0] if stored else ""
    _save(article, None if creating else base_version)
    if tags is not None:
        article.tags.set(tags)
    if related_ids is not None:
        set_related(article=article, target_ids=related_ids)
    _record(actor=actor, article=article, action="create" if creating else "edit", from_status=from_status, note=note)
    return article


def _transition(*, actor, article: Article, to_status: str, action: str, perm: str, message: str, **changes) -> Article:
    _require(actor, perm, message)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        from_status = locked.status
        locked.status = to_status
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.version += 1
        locked.save()
        _record(actor=actor, article=locked, action=action, from_status=from_status)
    article.refresh_from_db()
    return article


def submit_for_review(*, actor: AbstractBaseUser | None, article: Article) -> Article:
    if actor is not None and not can_edit(actor, article) and not actor.has_perm("articles.edit_any_article"):
        raise PermissionDenied("You may only submit your own drafts.")
    return _transition(
        actor=actor, article=article, to_status=Article.Status.REVIEW, action="submit",
        perm="submit_article", message="You may not submit articles for review.",
    )


def publish(*, actor: AbstractBaseUser | None, article: Article, at: datetime | None = None) -> Article:
    """Publish now, or at `at` (a future time schedules it: it goes live at that second)."""
    if article.is_stub:
        raise ValidationError("A stub has no page yet; import or write its page before publishing.")
    when = at or article.published_at or timezone.now()
    profile = getattr(actor, "staff_profile", None) if actor is not None else None
    return _transition(
        actor=actor, article=article, to_status=Article.Status.PUBLISHED,
        action="schedule" if when > timezone.now() else "publish",
        perm="publish_article", message="You may not publish articles.",
        published_at=when,
        published_by=actor if getattr(actor, "pk", None) else None,
        published_signoff=profile.signoff_initials if profile else "",
    )


def schedule(*, actor: AbstractBaseUser | None, article: Article, at: datetime) -> Article:
    if at <= timezone.now():
        raise ValidationError("A schedule time must be in the future.")
    return publish(actor=actor, article=article, at=at)


def unpublish(*, actor: AbstractBaseUser | None, article: Article) -> Article:
    return _transition(
        actor=actor, article=article, to_status=Article.Status.DRAFT, action="unpublish",
        perm="publish_article", message="You may not unpublish articles.",
    )


def archive(*, actor: AbstractBaseUser | None, article: Article) -> Article:
    return _transition(
        actor=actor, article=article, to_status=Article.Status.ARCHIVED, action="archive",
        perm="publish_article", message="You may not archive articles.",
    )


def sync_last_revision(*, article: Article) -> None:
    """After inline rows (tags, related links) are saved, make the newest revision hold them too."""
    revision = article.revisions.order_by("-number").first()
    if revision is not None:
        revision.data = snapshot(article)
        revision.save(update_fields=["data"])


@transaction.atomic
def delete_article(*, actor: AbstractBaseUser | None, article: Article, base_version: int | None = None) -> None:
    """Delete an article for good (Chief editor). The audit entry outlives it."""
    _require(actor, "delete_article", "You may not delete articles.")
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if base_version is not None and locked.version != base_version:
        raise StaleEdit(locked, base_version)
    AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None, action="delete", article=None,
        object_repr=locked.title[:300], from_status=locked.status, to_status="",
        details={"article_id": locked.pk, "legacy_id": locked.legacy_id},
    )
    locked.delete()
    transaction.on_commit(bump_content_generation)
