"""Content edits: create and save an article, restore a revision, delete it.

Every edit is made on the locked row, refuses a stale base version, and is recorded once: a
revision, one audit entry (`articles.audit.record`) and one announcement of what it touched
(`changes.announce`), heard by the page cache once the transaction commits.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

import changes
from articles import audit
from articles.actions.authors import byline_ids, checked_byline, default_byline, set_byline
from articles.actions.permissions import actor_user, can_edit, can_publish, editors_only_changes, require
from articles.link_dates import copy_dateline, dateline_of
from articles.models import Article, RelatedLink, Revision, Section, Tag
from articles.revisions import CONTENT_FIELDS, TIMELINE_FIELDS, changed_fields, data_for_version, diff_table, snapshot
from articles.sanitize import clean_html
from articles.signoffs import next_chain, signoff_line
from media.models import MediaItem

Status = Article.Status

# Fields a content save never touches: they change only through the state actions (workflow).
STATE_FIELDS = ["status", "published_by_id", "published_signoff", "created_by_id"]

# Fields a save keeps up to date itself; they don't make a save an edit.
_BOOKKEEPING_FIELDS = ["version", "created_at", "updated_at"]


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


def lock(article: Article, base_version: int | None = None) -> Article:
    """The article's row, locked until the transaction ends; StaleEdit if it moved past `base_version`."""
    try:
        locked = Article.objects.select_for_update().get(pk=article.pk)
    except Article.DoesNotExist:
        raise ValidationError("This article no longer exists.") from None
    if base_version is not None and locked.version != base_version:
        raise StaleEdit(locked, base_version)
    return locked


def record_change(
    *,
    actor,
    article: Article,
    action: str,
    from_status: str,
    note: str = "",
    details=None,
    sections=(),
    authors=(),
    editor=None,
) -> Revision:
    """Store a revision and the audit entry of a change to `article`, and announce it (on commit).

    `sections`: sections touched besides the article's own (the one it left, on a move);
    `authors`: authors touched besides those of its byline (the ones taken off it); `editor`:
    the working draft's last editor, when its changes are published (the sign-off chain).
    """
    last = article.revisions.order_by("-number").values_list("number", "chain").first() or (0, [])
    chain = next_chain(last[1], user=actor_user(actor), action=action, editor=editor)
    _sign(article, chain)
    revision = Revision.objects.create(
        article=article,
        number=last[0] + 1,
        created_by=actor_user(actor),
        data=snapshot(article),
        note=(note or action)[:200],
        chain=chain,
    )
    audit.record(
        actor=actor,
        action=action,
        article=article,
        from_status=from_status,
        to_status=article.status,
        details={"revision": revision.number, **(details or {})},
    )
    changes.announce(
        articles={article.pk},
        sections={article.section_id, *sections},
        authors={*revision.data.get("author_ids", ()), *authors},
    )
    if event := article_event(from_status, article.status):
        changes.emit(event, article=article.pk)
    return revision


def article_event(from_status: str, to_status: str) -> str | None:
    """The event a move between two states is (`changes.EVENTS`): going published is
    "article.published", a change to a published story "article.updated", leaving published
    "article.unpublished"; changes to unpublished stories are nobody's business outside."""
    if to_status == Article.Status.PUBLISHED:
        return "article.updated" if from_status == Article.Status.PUBLISHED else "article.published"
    return "article.unpublished" if from_status == Article.Status.PUBLISHED else None


def _sign(article: Article, chain: list[dict]) -> None:
    """Store the sign-off line the chain makes (articles.signoffs); imported stories keep theirs."""
    if article.legacy_key or article.legacy_id:
        return
    line = signoff_line(chain, article.signoff)
    if line != article.signoff:
        Article.objects.filter(pk=article.pk).update(signoff=line)
        article.signoff = line


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


def timeline_changes(stored: Article | None, article: Article) -> dict:
    """The dateline/embargo/expiry values `article` would change, as {field: [old, new]} (ISO text)."""
    found = {}
    for field in TIMELINE_FIELDS:
        old = getattr(stored, field) if stored is not None else None
        new = getattr(article, field)
        if old != new:
            found[field] = [old.isoformat() if old else None, new.isoformat() if new else None]
    return found


def check_timeline(actor, stored: Article | None, article: Article) -> dict:
    """The timeline changes `article` makes, refused unless `actor` may publish and they fit."""
    found = timeline_changes(stored, article)
    if found and not can_publish(actor):
        raise PermissionDenied("Only editors may set the dateline, embargo or expiry.")
    if article.embargo_until and article.expires_at and article.expires_at <= article.embargo_until:
        raise ValidationError("The expiry must come after the embargo ends.")
    return found


@transaction.atomic
def save_article(
    *,
    actor: AbstractBaseUser | None,
    article: Article,
    base_version: int | None = None,
    related_ids: list[int] | None = None,
    tags=None,
    author_ids: list[int] | None = None,
    note: str = "",
) -> Article:
    """Create or update an article's content (not its state). Refuses stale edits.

    The status, publisher and author always keep their stored values here; a new article made by
    a person starts as a draft signed with their desk initials. Changing the dateline, embargo or
    expiry needs the publish permission. `author_ids` replaces the byline, in that order (None
    keeps it; a person's new story without one is credited to their own author, if linked).
    """
    return _save_content(
        actor=actor,
        article=article,
        base_version=base_version,
        related_ids=related_ids,
        tags=tags,
        author_ids=author_ids,
        note=note,
    )


# The steps of a content save -------------------------------------------------------------------


def _prepare_new(actor, article: Article) -> None:
    """A new article: a person's starts as their draft, signed with their desk initials."""
    require(actor, "articles.add_article", "You may not create articles.")
    user = actor_user(actor)
    if user is not None:
        article.status = Status.DRAFT
        article.published_by = None
        article.published_signoff = ""
        article.created_by = user
        if not article.signoff:
            profile = getattr(user, "staff_profile", None)
            article.signoff = profile.signoff_initials if profile else ""
    article.version = 1


def _prepare_existing(actor, article: Article, base_version: int | None) -> Article:
    """The stored row (locked), once `actor` may edit it; `article` keeps its state fields."""
    stored = lock(article, base_version)
    if not can_edit(actor, stored):
        raise PermissionDenied("You may not edit this article.")
    for field in STATE_FIELDS:
        setattr(article, field, getattr(stored, field))
    article.version = stored.version + 1
    return stored


def _check_content(actor, stored: Article | None, article: Article) -> dict:
    """Refuse what this save may not store; the timeline changes it makes otherwise."""
    if article.status == Status.PUBLISHED and article.published_at is None:
        raise ValidationError("A published article needs a dateline; unpublish it first to clear the dateline.")
    refused = editors_only_changes(actor, stored, article)
    if refused:
        raise ValidationError(refused)
    return check_timeline(actor, stored, article)


def _fields_unchanged(stored: Article, article: Article) -> bool:
    return all(
        getattr(article, field.attname) == getattr(stored, field.attname)
        for field in Article._meta.concrete_fields
        if field.attname not in _BOOKKEEPING_FIELDS
    )


def _tags_unchanged(stored: Article, tags) -> bool:
    wanted = {getattr(tag, "pk", tag) for tag in tags}
    return wanted == set(stored.tags.values_list("pk", flat=True))


def _related_unchanged(stored: Article, related_ids) -> bool:
    wanted = list(dict.fromkeys(target for target in related_ids if target != stored.pk))
    current = stored.related_links.order_by("position", "id").values_list("target_id", flat=True)
    return wanted == list(current)


def _unchanged(stored: Article, article: Article, *, tags, related_ids, author_ids) -> bool:
    """Whether saving `article` would store exactly what `stored` holds (body as it will be cleaned)."""
    article.body = clean_html(article.body)
    return (
        _fields_unchanged(stored, article)
        and (tags is None or _tags_unchanged(stored, tags))
        and (related_ids is None or _related_unchanged(stored, related_ids))
        and (author_ids is None or byline_ids(stored) == author_ids)
    )


def _store(article: Article, stored: Article | None, *, tags, related_ids, author_ids) -> list[int]:
    """Write the row and the lists given (new tag links and byline rows carry the dateline, and
    the others follow a dateline that moved: articles.link_dates); the authors taken off the byline."""
    article.save()
    if stored is not None and stored.published_at != article.published_at:
        copy_dateline(article)
    if tags is not None:
        article.tags.set(tags, through_defaults=dateline_of(article))
    if related_ids is not None:
        set_related(article=article, target_ids=list(related_ids))
    return set_byline(article=article, author_ids=author_ids) if author_ids is not None else []


def _record_save(
    *,
    actor,
    article: Article,
    stored: Article | None,
    action: str,
    note: str,
    details,
    timeline,
    dropped=(),
    editor=None,
):
    """The revision, audit entry and announcement of a content save (`stored`: the row before it;
    `dropped`: authors it took off the byline)."""
    details = dict(details or {})
    if stored is None:
        record_change(
            actor=actor, article=article, action=action or "create", from_status="", note=note, details=details
        )
        return
    if timeline:
        details["timeline"] = timeline
    record_change(
        actor=actor,
        article=article,
        action=action or "edit",
        from_status=stored.status,
        note=note,
        details=details,
        sections={stored.section_id},
        authors=dropped,
        editor=editor,
    )


def _save_content(
    *,
    actor,
    article,
    base_version=None,
    related_ids=None,
    tags=None,
    author_ids=None,
    note="",
    action="",
    details=None,
    editor=None,
):
    """The save shared by `save_article` and `restore_revision`: prepare, check, store, record."""
    stored = None if article.pk is None else _prepare_existing(actor, article, base_version)
    if stored is None:
        _prepare_new(actor, article)
        author_ids = default_byline(actor) if author_ids is None else author_ids
    author_ids = None if author_ids is None else checked_byline(author_ids)
    timeline = _check_content(actor, stored, article)
    if stored is not None and _unchanged(stored, article, tags=tags, related_ids=related_ids, author_ids=author_ids):
        # Saving what was read back (a form opened and saved, an API client's GET then PUT)
        # is not an edit: no new version, revision or audit entry, and no announcement.
        for field in _BOOKKEEPING_FIELDS:
            setattr(article, field, getattr(stored, field))
        return article
    dropped = _store(article, stored, tags=tags, related_ids=related_ids, author_ids=author_ids)
    _record_save(
        actor=actor,
        article=article,
        stored=stored,
        action=action,
        note=note,
        details=details,
        timeline=timeline,
        dropped=dropped,
        editor=editor,
    )
    return article


# Revisions and deletion --------------------------------------------------------------------------


def _restorable(revision: Revision, article: Article, tag_ids) -> None:
    """Refuse a revision naming a section, lead media or tags deleted since."""
    if not Section.objects.filter(pk=article.section_id).exists():
        raise ValidationError(f"Revision {revision.number} is in a section deleted since; it cannot be restored.")
    if article.lead_media_id and not MediaItem.objects.filter(pk=article.lead_media_id).exists():
        raise ValidationError(f"Revision {revision.number} uses lead media deleted since; it cannot be restored.")
    missing = set(tag_ids) - set(Tag.objects.filter(pk__in=tag_ids).values_list("pk", flat=True))
    if missing:
        raise ValidationError(f"Revision {revision.number} uses tags deleted since: {sorted(missing)}.")


def _restorable_byline(revision: Revision) -> list[int] | None:
    """The revision's byline (None: it predates bylines, so the current one stays), refused
    when it names an author deleted since."""
    author_ids = revision.data.get("author_ids")
    if author_ids is None:
        return None
    try:
        return checked_byline(author_ids)
    except ValidationError:
        raise ValidationError(
            f"Revision {revision.number} names an author deleted since; it cannot be restored."
        ) from None


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
    locked = lock(article, base_version)
    if not can_edit(actor, locked):
        raise PermissionDenied("You may not edit this article.")
    data = revision.data
    for field in CONTENT_FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    tag_ids = data.get("tag_ids", [])
    _restorable(revision, locked, tag_ids)
    return _save_content(
        actor=actor,
        article=locked,
        related_ids=data.get("related_ids", []),
        tags=tag_ids,
        author_ids=_restorable_byline(revision),
        note=f"restored revision {revision.number}",
        action="restore",
        details={"restored": revision.number},
    )


@transaction.atomic
def delete_article(*, actor: AbstractBaseUser | None, article: Article, base_version: int | None = None) -> None:
    """Delete an article for good (Chief editor). The audit entry outlives it."""
    require(actor, "articles.delete_article", "You may not delete articles.")
    locked = lock(article, base_version)
    audit.record(
        actor=actor,
        action="delete",
        object_repr=locked.title,
        from_status=locked.status,
        details={"article_id": locked.pk, "legacy_id": locked.legacy_id},
    )
    changes.announce(articles={locked.pk}, sections={locked.section_id}, authors=byline_ids(locked))
    if event := article_event(locked.status, ""):
        changes.emit(event, article=locked.pk)
    locked.delete()
