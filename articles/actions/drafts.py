"""The working draft of a live story: save it, discard it, publish it now or at a set second.

Readers keep seeing the live story (the `Article` row) until the draft is published; nothing here
touches that row except publishing, which goes through the same content save as any edit
(`editing._save_content`: a revision, one audit entry, one announcement). Publishing applies only
what the draft changed since it started (`WorkingDraft.base`) and refuses, changing nothing, when
the live story changed the same field meanwhile: neither side's words are lost.

A scheduled draft goes live at its second without any worker or cron: `publish_due_drafts()` is
called before every request is answered (articles.due_changes) once that second has come.
"""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

import changes
from articles import audit
from articles.actions.authors import checked_byline
from articles.actions.editing import _save_content, lock
from articles.actions.permissions import actor_user, can_edit, editors_only_changes, require
from articles.models import Article, Section, Tag, WorkingDraft
from articles.revisions import CONTENT_FIELDS, LABELS, snapshot
from articles.sanitize import clean_html
from articles.signoffs import desk_code

Status = Article.Status
LIST_KEYS = ["tag_ids", "related_ids", "author_ids"]
DRAFT_KEYS = CONTENT_FIELDS + LIST_KEYS


class StaleDraft(Exception):
    """A draft write based on another version of the draft (or on none, when one exists)."""

    def __init__(self, message: str, *, current_version: int | None, your_version: int | None):
        self.current_version = current_version
        self.your_version = your_version
        super().__init__(message)


class DraftConflict(ValidationError):
    """Publishing would overwrite fields changed on the live story since the draft started."""

    def __init__(self, fields: list[str]):
        self.fields = fields
        names = ", ".join(LABELS.get(field, field) for field in fields)
        super().__init__(
            f"The live story changed since this draft started ({names}); publishing the draft would "
            "overwrite that. Nothing was published: bring those fields up to date in the draft first."
        )


def content_of(article: Article) -> dict:
    """The live story's content in the draft's shape."""
    data = snapshot(article)
    return {key: data[key] for key in DRAFT_KEYS}


def _check_draft_version(
    draft: WorkingDraft | None, draft_version: int | None, any_version: bool, draft_id: int | None = None
) -> None:
    """Refuse a change naming another draft than the current one. A new draft starts again at
    version 1, so a caller that can name the draft (`draft_id`: the desk's form, the API's ETag)
    does: version 1 of a discarded draft is not version 1 of the one started since."""
    if any_version:
        return
    if draft is not None and draft_id is not None and draft.pk != draft_id:
        raise StaleDraft(
            "The working draft you opened was published or discarded, and someone has started a new "
            "one since. Nothing was saved.",
            current_version=draft.version,
            your_version=draft_version,
        )
    if draft is None and draft_version is not None:
        raise StaleDraft(
            "This story has no working draft any more (it was published or discarded).",
            current_version=None,
            your_version=draft_version,
        )
    if draft is not None and draft_version != draft.version:
        raise StaleDraft(
            f"The working draft was changed by someone else (your version {draft_version}, current "
            f"{draft.version}). Nothing was saved.",
            current_version=draft.version,
            your_version=draft_version,
        )


def _missing(model, ids) -> str:
    """The ids of `ids` naming no row of `model`, as text ("" when all exist)."""
    missing = set(ids) - set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    return ", ".join(map(str, sorted(missing)))


def _checked_lists(stored: Article, data: dict) -> dict:
    """The draft's tags, related list and byline, refused naming the field when one names a row
    that does not exist."""
    tag_ids = [int(tag) for tag in data["tag_ids"]]
    if missing := _missing(Tag, tag_ids):
        raise ValidationError({"tag_ids": f"No tag has the id {missing}."})
    related = [int(target) for target in data["related_ids"] if int(target) != stored.pk]
    if missing := _missing(Article, related):
        raise ValidationError({"related_ids": f"Related articles not found: {missing}."})
    try:
        author_ids = checked_byline(data["author_ids"])
    except ValidationError as error:  # named, like every other refused field of a draft
        raise ValidationError({"author_ids": error.messages}) from None
    return {"tag_ids": sorted(set(tag_ids)), "related_ids": list(dict.fromkeys(related)), "author_ids": author_ids}


def _checked(actor, stored: Article, data: dict) -> dict:
    """`data` (the draft's whole content) checked as a save of the story would check it."""
    unknown = sorted(set(data) - set(DRAFT_KEYS))
    if unknown:
        raise ValidationError(f"A working draft has no field {', '.join(unknown)}.")
    probe = Article(pk=stored.pk, status=stored.status, published_at=stored.published_at)
    for field in CONTENT_FIELDS:
        setattr(probe, field, data[field])
    probe.body = clean_html(probe.body or "")
    probe.full_clean(exclude=["legacy_key", "legacy_digest", "version"], validate_unique=False)
    refused = editors_only_changes(actor, stored, probe)
    if refused:
        raise ValidationError(refused)
    if not Section.objects.filter(pk=probe.section_id).exists():
        raise ValidationError({"section_id": "No such section."})
    return {**{field: getattr(probe, field) for field in CONTENT_FIELDS}, **_checked_lists(stored, data)}


@transaction.atomic
def save_draft(
    *,
    actor: AbstractBaseUser | None,
    article: Article,
    changes: dict,
    base_version: int | None = None,
    draft_version: int | None = None,
    draft_id: int | None = None,
    any_version: bool = False,
) -> WorkingDraft:
    """Save `changes` (draft keys: content fields, `tag_ids`, `related_ids`, `author_ids`) into the
    working draft of a live story, starting one if there is none.

    Starting a draft names the live story's version (`base_version`); changing one names the
    draft's (`draft_version`). Either stale raises StaleEdit / StaleDraft; `any_version` skips the
    check (If-Match: *); `draft_id`, when given, must name the current draft. Saving what the
    draft already holds changes nothing.
    """
    stored, draft = _draft_to_save(actor, article, base_version, (draft_id, draft_version), any_version)
    before = draft.data if draft else content_of(stored)
    data = _checked(actor, stored, {**before, **changes})
    changed = [key for key in DRAFT_KEYS if data[key] != before.get(key)]
    now = timezone.now()
    if draft is None:
        draft = WorkingDraft(
            article=stored,
            base=content_of(stored),
            base_version=stored.version,
            created_by=actor_user(actor),
            created_at=now,
        )
    elif not changed:
        return draft
    else:
        draft.version += 1
        draft.base = _caught_up(draft.base, data, content_of(stored))
    draft.data, draft.updated_by, draft.updated_at = data, actor_user(actor), now
    draft.save()
    _record(actor, stored, "draft_save", draft_version=draft.version, fields=changed)
    return draft


def _draft_to_save(actor, article, base_version, named: tuple, any_version) -> tuple:
    """The locked story and its draft (None: not started), once `actor` may save into it and
    the draft named (id, version) is the current one."""
    draft_id, draft_version = named
    stored = lock(article, None if any_version else base_version if draft_version is None else None)
    if not can_edit(actor, stored):
        raise PermissionDenied("You may not edit this article.")
    draft = WorkingDraft.objects.select_for_update().filter(article=stored).first()
    if draft is None and stored.status != Status.PUBLISHED:
        raise ValidationError("Only a published story has a working draft; edit this one directly.")
    if draft is not None and draft_version is None and not any_version:
        raise StaleDraft(
            "This story already has a working draft; name its ETag to change it.",
            current_version=draft.version,
            your_version=None,
        )
    _check_draft_version(draft, draft_version, any_version, draft_id)
    return stored, draft


def _caught_up(base: dict, data: dict, live: dict) -> dict:
    """The draft's base, moved to the live value of each field the draft now holds as it is live:
    the draft has caught up with the live story there (as DraftConflict asks), so a later change
    of that field in the draft is the draft's own, not a clash with the live edit."""
    return {key: live[key] if data[key] == live[key] else base.get(key) for key in DRAFT_KEYS}


def _record(actor, stored: Article, action: str, **details) -> None:
    """The audit entry of a change to a story's working draft (the story's state stays as it is)."""
    audit.record(
        actor=actor, action=action, article=stored, from_status=stored.status, to_status=stored.status, details=details
    )


def _locked_draft(actor, article: Article, draft_version, any_version, draft_id=None) -> tuple[Article, WorkingDraft]:
    stored = lock(article)
    if not can_edit(actor, stored):
        raise PermissionDenied("You may not edit this article.")
    draft = WorkingDraft.objects.select_for_update().filter(article=stored).first()
    if draft is None:
        raise WorkingDraft.DoesNotExist("This story has no working draft.")
    _check_draft_version(draft, draft_version, any_version, draft_id)
    return stored, draft


@transaction.atomic
def discard_draft(
    *,
    actor: AbstractBaseUser | None,
    article: Article,
    draft_version: int | None = None,
    draft_id: int | None = None,
    any_version: bool = False,
) -> None:
    """Throw the working draft away; the live story stays as it is."""
    stored, draft = _locked_draft(actor, article, draft_version, any_version, draft_id)
    was_scheduled = draft.publish_at is not None
    draft.delete()
    _record(actor, stored, "draft_discard", draft_version=draft.version)
    if was_scheduled:  # the moment the live set would have changed is gone
        changes.announce(articles={stored.pk})


def _merged(stored: Article, draft: WorkingDraft) -> dict:
    """The live content with the draft's changes applied; DraftConflict when a field the draft
    changed was also changed live (to something else) since the draft started."""
    live = content_of(stored)
    conflicts = []
    for key in DRAFT_KEYS:
        mine, base = draft.data.get(key), draft.base.get(key)
        if mine == base:
            continue
        if live[key] != base and live[key] != mine:
            conflicts.append(key)
        live[key] = mine
    if conflicts:
        raise DraftConflict(conflicts)
    return live


def _apply(actor, stored: Article, draft: WorkingDraft) -> Article:
    """Make the draft the live story (one content save, recorded as `publish_changes`).

    The merged content is checked again as a save would check it: a tag, section, author,
    related story or lead media deleted since the draft was saved refuses it (ValidationError),
    where storing it would break the database's references."""
    merged = _checked(actor, stored, _merged(stored, draft))
    for field in CONTENT_FIELDS:
        setattr(stored, field, merged[field])
    editor = draft.updated_by
    draft_version = draft.version
    draft.delete()
    article = _save_content(
        actor=actor,
        article=stored,
        related_ids=merged["related_ids"],
        tags=merged["tag_ids"],
        author_ids=merged["author_ids"],
        note="published the working draft",
        action="publish_changes",
        details={"draft_version": draft_version},
        editor=editor,
    )
    _record_publisher(article, actor_user(actor))
    return article


def _record_publisher(article: Article, user) -> None:
    """Whoever publishes the changes is the story's last publisher, as with `publish`."""
    if user is None:
        return
    article.published_by, article.published_signoff = user, desk_code(user)
    Article.objects.filter(pk=article.pk).update(published_by=user, published_signoff=article.published_signoff)


@transaction.atomic
def publish_draft(
    *,
    actor: AbstractBaseUser | None,
    article: Article,
    draft_version: int | None = None,
    draft_id: int | None = None,
    at: datetime | None = None,
    any_version: bool = False,
) -> WorkingDraft | Article:
    """Make the working draft live now, or at `at` (a future second: it goes live by itself then).

    Returns the article once live, or the draft once scheduled. Scheduling again moves the time.
    """
    require(actor, "articles.publish_article", "You may not publish articles.")
    stored, draft = _locked_draft(actor, article, draft_version, any_version, draft_id)
    if at is None:
        article = _apply(actor, stored, draft)
        return article
    if at <= timezone.now():
        raise ValidationError("A schedule time must be in the future.")
    draft.publish_at, draft.scheduled_by, draft.problem = at, actor_user(actor), ""
    draft.save(update_fields=["publish_at", "scheduled_by", "problem"])
    _record(actor, stored, "draft_schedule", draft_version=draft.version, publish_at=at.isoformat())
    changes.announce(articles={stored.pk})  # caches must stop at the new moment
    return draft


@transaction.atomic
def unschedule_draft(
    *,
    actor: AbstractBaseUser | None,
    article: Article,
    draft_version: int | None = None,
    draft_id: int | None = None,
    any_version: bool = False,
) -> WorkingDraft:
    """Keep the working draft but cancel its scheduled publication."""
    require(actor, "articles.publish_article", "You may not schedule articles.")
    stored, draft = _locked_draft(actor, article, draft_version, any_version, draft_id)
    draft.publish_at = None
    draft.save(update_fields=["publish_at"])
    _record(actor, stored, "draft_unschedule")
    changes.announce(articles={stored.pk})
    return draft


def publish_due_drafts(now: datetime | None = None) -> int:
    """Publish every working draft whose time has come; how many went live.

    Each is applied as the person who scheduled it (their rights at that moment), in a
    transaction of its own. A draft that cannot go live (a conflict, rights withdrawn) stays,
    unscheduled, with the reason in `problem` and in the audit log.
    """
    now = now or timezone.now()
    published = 0
    for article_id in WorkingDraft.objects.filter(publish_at__lte=now).values_list("article_id", flat=True):
        try:
            with transaction.atomic():
                stored = lock(Article(pk=article_id))
                draft = WorkingDraft.objects.select_for_update().filter(article=stored, publish_at__lte=now).first()
                if draft is None:  # another process published it first
                    continue
                # Going live is publishing: the scheduler must still hold that right, not
                # only the right to edit the story.
                require(
                    draft.scheduled_by,
                    "articles.publish_article",
                    "The person who scheduled these changes may no longer publish stories; nothing was published.",
                )
                _apply(draft.scheduled_by, stored, draft)
                published += 1
        except (ValidationError, PermissionDenied, IntegrityError) as exc:
            # IntegrityError: a reference broken between the check and the commit. Never let
            # one draft break the request that happens to publish it, nor the ones after.
            _schedule_failed(article_id, exc)
    return published


@transaction.atomic
def _schedule_failed(article_id: int, exc: Exception) -> None:
    if isinstance(exc, IntegrityError):
        reason = "Something the draft names (a tag, section, author, related story or lead media) was deleted."
    else:
        reason = " ".join(getattr(exc, "messages", [str(exc)]))[:300]
    updated = WorkingDraft.objects.filter(article_id=article_id, publish_at__isnull=False).update(
        publish_at=None, problem=reason
    )
    if updated:
        article = Article.objects.filter(pk=article_id).first()
        audit.record(action="draft_schedule_failed", article=article, details={"reason": reason})
        changes.announce(articles={article_id})
