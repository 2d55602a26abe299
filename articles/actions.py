"""Every state change of an article goes through one of these functions.

Each checks the actor's permission, changes the article inside a transaction (the row locked),
records a revision and an audit entry, and schedules side effects (cache invalidation) on commit.
Admin views, API views and management commands call these and nothing else.

`actor=None` means the system itself (the demo loader, the archive importer): no permission
check, no name on the record. Refusals raise `PermissionDenied` (not allowed for this role),
`ValidationError` (not possible in this state) or `StaleEdit` (based on an older version); a
refused call changes nothing.
"""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, AuditEntry, RelatedLink, Revision, Section, Tag
from articles.revisions import CONTENT_FIELDS, TIMELINE_FIELDS, changed_fields, data_for_version, diff_table, snapshot
from articles.sanitize import clean_html
from caching.generations import bump_content_generation
from media.models import MediaItem

Status = Article.Status

# Fields a content save never touches: they change only through the state actions below.
STATE_FIELDS = ["status", "published_by_id", "published_signoff", "created_by_id"]


class StaleEdit(Exception):
    """A save based on an older version than the article's current one.

    `changes` lists what the other editor changed since `base_version`: (field, then, now).
    """

    def __init__(self, article: Article, base_version: int):
        self.article = article
        self.base_version = base_version
        self.then = data_for_version(article, base_version)
        self.now = snapshot(article)
        self.changes = changed_fields(self.then, self.now) if self.then is not None else []
        super().__init__(
            f"“{article.title}” was changed by someone else since you opened it "
            f"(your version {base_version}, current {article.version}). Nothing was saved."
        )

    def diff_html(self):
        """Side by side: the version the edit was based on and the current one."""
        if self.then is None:
            return ""
        return diff_table(
            self.then,
            self.now,
            old_label=f"Version {self.base_version} (yours)",
            new_label=f"Version {self.article.version} (current)",
        )


def _user(actor):
    """The actor as a user row for the record, or None for the system."""
    return actor if getattr(actor, "pk", None) else None


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
    return article.created_by_id == actor.pk and article.status == Status.DRAFT


def can_publish(actor) -> bool:
    return actor is None or actor.has_perm("articles.publish_article")


# Fields only editors (the publish permission) set: pinning puts a story at the top of the
# front page, and the legacy id is the archive's identity of a story (the importer's key).
EDITORS_ONLY_FIELDS = {"pinned": False, "legacy_id": None}


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


def _record(*, actor, article: Article, action: str, from_status: str, note: str = "", details=None) -> Revision:
    """Store a revision and an audit entry, and bump the content generation once committed."""
    last = article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    revision = Revision.objects.create(
        article=article,
        number=last + 1,
        created_by=_user(actor),
        data=snapshot(article),
        note=(note or action)[:200],
    )
    AuditEntry.objects.create(
        actor=_user(actor),
        action=action,
        article=article,
        object_repr=article.title[:300],
        from_status=from_status,
        to_status=article.status,
        details={"revision": revision.number, **(details or {})},
    )
    transaction.on_commit(bump_content_generation)
    return revision


def _lock(article: Article, base_version: int | None = None) -> Article:
    """The article's row, locked until the transaction ends; StaleEdit if it moved past `base_version`."""
    try:
        locked = Article.objects.select_for_update().get(pk=article.pk)
    except Article.DoesNotExist:
        raise ValidationError("This article no longer exists.") from None
    if base_version is not None and locked.version != base_version:
        raise StaleEdit(locked, base_version)
    return locked


def set_related(*, article: Article, target_ids: list[int]) -> None:
    """Replace the related list with `target_ids`, in that order (duplicates and self dropped).

    A low-level step of `save_article`/`restore_revision` (which record it); call those instead.
    """
    seen: list[int] = []
    for target_id in target_ids:
        if target_id != article.pk and target_id not in seen:
            seen.append(target_id)
    existing = set(Article.objects.filter(pk__in=seen).values_list("pk", flat=True))
    missing = [target_id for target_id in seen if target_id not in existing]
    if missing:
        raise ValidationError(f"Related articles not found: {', '.join(map(str, missing))}.")
    RelatedLink.objects.filter(source=article).delete()
    RelatedLink.objects.bulk_create(
        RelatedLink(source=article, target_id=target_id, position=index) for index, target_id in enumerate(seen)
    )


def _timeline_changes(stored: Article | None, article: Article) -> dict:
    """The dateline/embargo/expiry values `article` would change, as {field: [old, new]} (ISO text)."""
    changes = {}
    for field in TIMELINE_FIELDS:
        old = getattr(stored, field) if stored is not None else None
        new = getattr(article, field)
        if old != new:
            changes[field] = [old.isoformat() if old else None, new.isoformat() if new else None]
    return changes


def _check_timeline(actor, stored: Article | None, article: Article) -> dict:
    changes = _timeline_changes(stored, article)
    if changes and not can_publish(actor):
        raise PermissionDenied("Only editors may set the dateline, embargo or expiry.")
    if article.embargo_until and article.expires_at and article.expires_at <= article.embargo_until:
        raise ValidationError("The expiry must come after the embargo ends.")
    return changes


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
    """Create or update an article's content (not its state). Refuses stale edits.

    The status, publisher and author always keep their stored values here; a new article made by
    a person starts as a draft signed with their desk initials. Changing the dateline, embargo or
    expiry needs the publish permission.
    """
    return _save_content(
        actor=actor,
        article=article,
        base_version=base_version,
        related_ids=related_ids,
        tags=tags,
        note=note,
    )


# Fields a save keeps up to date itself; they don't make a save an edit.
_BOOKKEEPING_FIELDS = ["version", "created_at", "updated_at"]


def _unchanged(stored: Article, article: Article, *, tags, related_ids) -> bool:
    """Whether saving `article` would store exactly what `stored` holds (body as it will be cleaned)."""
    article.body = clean_html(article.body)
    for field in Article._meta.concrete_fields:
        if field.attname not in _BOOKKEEPING_FIELDS and getattr(article, field.attname) != getattr(
            stored, field.attname
        ):
            return False
    if tags is not None:
        wanted = {getattr(tag, "pk", tag) for tag in tags}
        if wanted != set(stored.tags.values_list("pk", flat=True)):
            return False
    if related_ids is not None:
        wanted = list(dict.fromkeys(target for target in related_ids if target != stored.pk))
        current = list(stored.related_links.order_by("position", "id").values_list("target_id", flat=True))
        if wanted != current:
            return False
    return True


def _save_content(*, actor, article, base_version=None, related_ids=None, tags=None, note="", action="", details=None):
    creating = article.pk is None
    if creating:
        _require(actor, "add_article", "You may not create articles.")
        stored = None
        from_status = ""
        if _user(actor):
            article.status = Status.DRAFT
            article.published_by = None
            article.published_signoff = ""
            article.created_by = actor
            if not article.signoff:
                profile = getattr(actor, "staff_profile", None)
                article.signoff = profile.signoff_initials if profile else ""
        article.version = 1
    else:
        stored = _lock(article, base_version)
        if not can_edit(actor, stored):
            raise PermissionDenied("You may not edit this article.")
        for field in STATE_FIELDS:
            setattr(article, field, getattr(stored, field))
        from_status = stored.status
        article.version = stored.version + 1
    if article.status == Status.PUBLISHED and article.published_at is None:
        raise ValidationError("A published article needs a dateline; unpublish it first to clear the dateline.")
    refused = editors_only_changes(actor, stored, article)
    if refused:
        raise ValidationError(refused)
    timeline = _check_timeline(actor, stored, article)
    if stored is not None and _unchanged(stored, article, tags=tags, related_ids=related_ids):
        # Saving what was read back (a form opened and saved, an API client's GET then PUT)
        # is not an edit: no new version, revision or audit entry, and no cache purge.
        for field in _BOOKKEEPING_FIELDS:
            setattr(article, field, getattr(stored, field))
        return article
    article.save()
    if tags is not None:
        article.tags.set(tags)
    if related_ids is not None:
        set_related(article=article, target_ids=list(related_ids))
    details = dict(details or {})
    if timeline and not creating:
        details["timeline"] = timeline
    _record(
        actor=actor,
        article=article,
        action=action or ("create" if creating else "edit"),
        from_status=from_status,
        note=note,
        details=details,
    )
    return article


def _transition(
    *,
    actor,
    article: Article,
    action: str,
    allowed_from: set[str],
    to_status: str | None = None,
    refuse: str = "",
    details=None,
    **changes,
) -> Article:
    """Move the locked row to `to_status` (and set `changes`) when its state is in `allowed_from`."""
    with transaction.atomic():
        locked = _lock(article)
        from_status = locked.status
        if from_status not in allowed_from:
            raise ValidationError(
                refuse or f"A {locked.get_status_display().lower()} article cannot be changed that way."
            )
        if locked.is_stub and (to_status or from_status) == Status.PUBLISHED:
            raise ValidationError("A stub has no page yet; import or write its page before publishing.")
        if to_status:
            locked.status = to_status
        for field, value in changes.items():
            setattr(locked, field, value)
        if locked.status == Status.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
        locked.version += 1
        locked.save()
        _record(actor=actor, article=locked, action=action, from_status=from_status, details=details)
    article.refresh_from_db()
    return article


def submit_for_review(*, actor: AbstractBaseUser | None, article: Article) -> Article:
    """Draft → in review. Reporters submit their own drafts; editors any draft."""
    _require(actor, "submit_article", "You may not submit articles for review.")
    stored = Article.objects.filter(pk=article.pk).first() or article
    if not can_edit(actor, stored):
        raise PermissionDenied("You may only submit your own drafts.")
    return _transition(
        actor=actor,
        article=article,
        action="submit",
        to_status=Status.REVIEW,
        allowed_from={Status.DRAFT},
        refuse="Only a draft can be submitted for review.",
    )


def publish(*, actor: AbstractBaseUser | None, article: Article, at: datetime | None = None) -> Article:
    """Publish now, or at `at` (a future time schedules it: it goes live at that second).

    Without `at` the stored dateline is kept (a future one schedules), or now when there is none.
    The publisher's desk initials are recorded in `published_signoff`; the authoring sign-off stays.
    """
    _require(actor, "publish_article", "You may not publish articles.")
    stored = Article.objects.filter(pk=article.pk).values_list("published_at", flat=True).first()
    when = at or stored or timezone.now().replace(microsecond=0)  # datelines are shown to the second
    profile = getattr(actor, "staff_profile", None) if _user(actor) else None
    scheduled = when > timezone.now()
    return _transition(
        actor=actor,
        article=article,
        action="schedule" if scheduled else "publish",
        to_status=Status.PUBLISHED,
        allowed_from={Status.DRAFT, Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED},
        details={"published_at": when.isoformat()},
        published_at=when,
        published_by=_user(actor),
        published_signoff=profile.signoff_initials if profile else "",
    )


def schedule(*, actor: AbstractBaseUser | None, article: Article, at: datetime) -> Article:
    """Publish at a future moment; the article goes live by itself then (no cron involved)."""
    _require(actor, "publish_article", "You may not schedule articles.")
    if at is None or at <= timezone.now():
        raise ValidationError("A schedule time must be in the future.")
    return publish(actor=actor, article=article, at=at)


def unpublish(*, actor: AbstractBaseUser | None, article: Article) -> Article:
    """Published (or scheduled) → draft; readers stop seeing it at once."""
    _require(actor, "publish_article", "You may not unpublish articles.")
    return _transition(
        actor=actor,
        article=article,
        action="unpublish",
        to_status=Status.DRAFT,
        allowed_from={Status.PUBLISHED},
        refuse="Only a published or scheduled article can be unpublished.",
    )


def archive(*, actor: AbstractBaseUser | None, article: Article) -> Article:
    """Any state → archived (kept, never shown to readers)."""
    _require(actor, "publish_article", "You may not archive articles.")
    return _transition(
        actor=actor,
        article=article,
        action="archive",
        to_status=Status.ARCHIVED,
        allowed_from={Status.DRAFT, Status.REVIEW, Status.PUBLISHED},
        refuse="This article is already archived.",
    )


_UNSET = object()


def set_timeline(
    *,
    actor: AbstractBaseUser | None,
    article: Article,
    published_at=_UNSET,
    embargo_until=_UNSET,
    expires_at=_UNSET,
) -> Article:
    """Change the dateline, embargo end or expiry (only the ones given; None clears embargo/expiry)."""
    _require(actor, "publish_article", "You may not change the dateline, embargo or expiry.")
    given = {
        name: value
        for name, value in {
            "published_at": published_at,
            "embargo_until": embargo_until,
            "expires_at": expires_at,
        }.items()
        if value is not _UNSET
    }
    if not given:
        raise ValidationError("Give a dateline, an embargo end or an expiry to change.")
    with transaction.atomic():
        locked = _lock(article)
        probe = Article(**{f: getattr(locked, f) for f in TIMELINE_FIELDS}, status=locked.status)
        for field, value in given.items():
            setattr(probe, field, value)
        if probe.status == Status.PUBLISHED and probe.published_at is None:
            raise ValidationError("A published article needs a dateline.")
        changes = _check_timeline(actor, locked, probe)
        return _transition(
            actor=actor,
            article=article,
            action="set_timeline",
            allowed_from=set(Status.values),
            details={"timeline": changes},
            **given,
        )


def embargo(*, actor: AbstractBaseUser | None, article: Article, until: datetime | None) -> Article:
    """Hold the article back from readers until `until` (None lifts the embargo)."""
    return set_timeline(actor=actor, article=article, embargo_until=until)


@transaction.atomic
def restore_revision(
    *,
    actor: AbstractBaseUser | None,
    article: Article,
    revision: Revision,
    base_version: int | None = None,
) -> Article:
    """Bring back an earlier revision's content, tags and related order, as a new revision.

    The state (status, dateline, embargo, expiry, publisher) stays as it is now: reverting edits
    content, not publication; those change only through the publishing actions.
    """
    if revision.article_id != article.pk:
        raise ValidationError("That revision belongs to another article.")
    locked = _lock(article, base_version)
    if not can_edit(actor, locked):
        raise PermissionDenied("You may not edit this article.")
    data = revision.data
    for field in CONTENT_FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    if not Section.objects.filter(pk=locked.section_id).exists():
        raise ValidationError(f"Revision {revision.number} is in a section deleted since; it cannot be restored.")
    if locked.lead_media_id and not MediaItem.objects.filter(pk=locked.lead_media_id).exists():
        raise ValidationError(f"Revision {revision.number} uses lead media deleted since; it cannot be restored.")
    tag_ids = data.get("tag_ids", [])
    missing = set(tag_ids) - set(Tag.objects.filter(pk__in=tag_ids).values_list("pk", flat=True))
    if missing:
        raise ValidationError(f"Revision {revision.number} uses tags deleted since: {sorted(missing)}.")
    return _save_content(
        actor=actor,
        article=locked,
        related_ids=data.get("related_ids", []),
        tags=tag_ids,
        note=f"restored revision {revision.number}",
        action="restore",
        details={"restored": revision.number},
    )


@transaction.atomic
def delete_article(*, actor: AbstractBaseUser | None, article: Article, base_version: int | None = None) -> None:
    """Delete an article for good (Chief editor). The audit entry outlives it."""
    _require(actor, "delete_article", "You may not delete articles.")
    locked = _lock(article, base_version)
    AuditEntry.objects.create(
        actor=_user(actor),
        action="delete",
        article=None,
        object_repr=locked.title[:300],
        from_status=locked.status,
        to_status="",
        details={"article_id": locked.pk, "legacy_id": locked.legacy_id},
    )
    locked.delete()
    transaction.on_commit(bump_content_generation)


# --- what the media library asks of articles (registered in ArticlesConfig.ready) ---------------


def media_live_use():
    """Q over MediaItem: lead media of a live article, or shown inline in a live article's body.

    Evaluated when the query runs, so a scheduled or embargoed story's media become public the
    moment the story does, with no worker; and stop being public when it is unpublished.
    """
    from django.db.models import CharField, Exists, OuterRef, Q, Value
    from django.db.models.functions import Cast, Concat

    live = Article.objects.live()
    marker = Concat(Value('data-media-id="'), Cast(OuterRef("pk"), CharField()), Value('"'))
    return Q(Exists(live.filter(lead_media=OuterRef("pk")))) | Q(Exists(live.filter(body__contains=marker)))


def may_edit_media(actor, articles) -> bool:
    """Media follow the rules of the stories using them: the actor must be allowed to edit each
    one, and to publish when one of them is published (changing what readers see)."""
    for article in articles:
        if not can_edit(actor, article):
            return False
        if article.status == Status.PUBLISHED and not can_publish(actor):
            return False
    return True


def record_media_change(*, actor, action: str, object_repr: str, details: dict) -> None:
    """The audit entry of a media change or deletion (no article: the item is named instead)."""
    AuditEntry.objects.create(
        actor=_user(actor),
        action=action[:32],
        article=None,
        object_repr=object_repr[:300],
        details=details,
    )
    transaction.on_commit(bump_content_generation)


def media_usage_provider():
    """The answers articles gives the media library (see media.usage.UsageProvider)."""
    from media.usage import UsageProvider

    return UsageProvider(
        live_use=media_live_use,
        may_edit=may_edit_media,
        may_publish=can_publish,
        record=record_media_change,
    )
