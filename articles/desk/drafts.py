"""The working draft of a live story in the change form: what a save does, what the form opens
with, and the banner above it.

A live story (published, live now or scheduled) is never changed by its form's save: the typed
text goes into its working draft (`actions.save_draft`), and readers keep the live version until
someone with the publish permission presses "Publish changes" (now) or "Schedule changes" (at a
set second). The dateline, embargo and expiry are the story's publication, not its text: they
are not part of the draft, and a change to them applies to the live story at once, as before.
Stories that are not live save directly (`actions.save_article`).
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles import actions
from articles.desk.conflicts import MERGED_FIELDS
from articles.desk.forms import opening_draft
from articles.models import Article, WorkingDraft
from articles.revisions import TIMELINE_FIELDS, diff_table
from articles.sanitize import clean_html
from articles.signoffs import person

PUBLISH_BUTTON = "_publish_changes"
SCHEDULE_BUTTON = "_schedule_changes"
SCHEDULE_FIELD = "changes_at"

# A draft's content keys → the form's fields (the lists are handed over apart).
DRAFT_FIELDS = {**MERGED_FIELDS, "pinned": "pinned"}


def is_live_story(article: Article | None) -> bool:
    """Published (live now or scheduled for later): its form saves to the working draft."""
    return article is not None and article.pk is not None and article.status == Article.Status.PUBLISHED


@dataclass
class Outcome:
    """What a save from a live story's form did, as (level, message) lines for the editor."""

    lines: list[tuple[int, str]] = field(default_factory=list)

    def say(self, level: int, text: str) -> None:
        self.lines.append((level, text))


def form_changes(form, *, related_ids, author_ids) -> dict:
    """The draft keys the form holds: the fields the editor may change here, and the lists."""
    cleaned, article = form.cleaned_data, form.instance
    found = {key: getattr(article, key) for key, name in DRAFT_FIELDS.items() if name in cleaned}
    if "body" in found:
        found["body"] = clean_html(found["body"] or "")  # as the draft will store it
    if cleaned.get("tags") is not None:
        found["tag_ids"] = sorted(tag.pk for tag in cleaned["tags"])
    if related_ids is not None:
        found["related_ids"] = related_ids
    if author_ids is not None:
        found["author_ids"] = author_ids
    return found


def _differs(changes: dict, live: dict) -> bool:
    return any(live.get(key) != value for key, value in changes.items())


def save_to_draft(request, form, *, related_ids, author_ids) -> Outcome:
    """Save a live story's form into its working draft, then do what the button asked
    (publish the draft now, or schedule it); dateline, embargo and expiry changes go live."""
    outcome = Outcome()
    stored = Article.objects.get(pk=form.instance.pk)
    changes = form_changes(form, related_ids=related_ids, author_ids=author_ids)
    draft_version = form.cleaned_data.get("draft_version")
    draft = WorkingDraft.objects.filter(article=stored).first()
    if draft is not None or _differs(changes, actions.content_of(stored)):
        draft = actions.save_draft(
            actor=request.user,
            article=stored,
            changes=changes,
            base_version=form.cleaned_data.get("base_version") if draft_version is None else None,
            draft_version=draft_version,
            draft_id=form.cleaned_data.get("draft_id") if draft_version is not None else None,
        )
    _apply_timeline(request, form, stored, outcome)
    if draft is None:
        outcome.say(messages.INFO, "Nothing in the story's text changed, so there is no working draft to save.")
    elif PUBLISH_BUTTON in request.POST:
        _publish(request, stored, draft, outcome)
    elif SCHEDULE_BUTTON in request.POST:
        _schedule(request, stored, draft, outcome)
    else:
        outcome.say(messages.SUCCESS, SAVED)
    return outcome


SAVED = "Your changes are saved in the working draft. Readers still see the live version."


def _apply_timeline(request, form, stored: Article, outcome: Outcome) -> None:
    """The dateline, embargo and expiry the form changed, applied to the live story at once."""
    given = {
        name: form.cleaned_data.get(name)
        for name in TIMELINE_FIELDS
        if name in form.cleaned_data and form.cleaned_data.get(name) != getattr(stored, name)
    }
    if given:
        actions.set_timeline(actor=request.user, article=stored, **given)
        outcome.say(messages.INFO, "The dateline, embargo or expiry you changed applies to the live story now.")


def _publish(request, stored: Article, draft: WorkingDraft, outcome: Outcome) -> None:
    try:
        actions.publish_draft(actor=request.user, article=stored, draft_version=draft.version)
    except (ValidationError, PermissionDenied, actions.StaleDraft) as exc:
        outcome.say(messages.ERROR, f"Your changes are saved in the working draft but were not published: {_text(exc)}")
    else:
        outcome.say(messages.SUCCESS, "Your changes are published: readers see them now.")


def parse_moment(text: str):
    """A datetime from an <input type=datetime-local> (site time zone) or ISO text, or None."""
    moment = parse_datetime((text or "").strip())
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _schedule(request, stored: Article, draft: WorkingDraft, outcome: Outcome) -> None:
    at = parse_moment(request.POST.get(SCHEDULE_FIELD, ""))
    try:
        if at is None:
            raise ValidationError("Give the date and time the changes go live, e.g. 2026-05-01 09:30.")
        actions.publish_draft(actor=request.user, article=stored, draft_version=draft.version, at=at)
    except (ValidationError, PermissionDenied, actions.StaleDraft) as exc:
        outcome.say(messages.ERROR, f"Your changes are saved in the working draft but not scheduled: {_text(exc)}")
    else:
        outcome.say(
            messages.SUCCESS,
            f"Your changes are saved and scheduled: they go live {timezone.localtime(at):%Y-%m-%d %H:%M:%S}. "
            "Until then readers see the live version.",
        )


def _text(exc: Exception) -> str:
    return exc.messages[0] if getattr(exc, "messages", None) else (str(exc) or "Not allowed.")


# Opening the form from the draft ---------------------------------------------------------------


def inline_rows(article: Article, prefix: str) -> list[dict] | None:
    """The inline rows a live story's form opens with from its working draft (None: no draft,
    or not a list the draft keeps): the related list and the byline, in the draft's order."""
    draft = opening_draft(article)
    if draft is None:
        return None
    if prefix == "related_links":
        return [{"target": target, "position": index} for index, target in enumerate(draft.data["related_ids"])]
    if prefix == "bylines":
        return [{"author": author, "position": index} for index, author in enumerate(draft.data["author_ids"])]
    return None


# The banner -----------------------------------------------------------------------------------


def banner_context(user, article: Article | None) -> dict:
    """What the working-draft banner and the live story's buttons show."""
    if not is_live_story(article):
        return {"live_story": False}
    draft = opening_draft(article)
    context = {
        "live_story": True,
        "working_draft": draft,
        "may_publish_changes": actions.can_publish(user),
        "may_edit_story": actions.can_edit(user, article),
    }
    if draft is not None:
        context["draft_saved_by"] = person(draft.updated_by)["name"] if draft.updated_by else "the system"
        context["draft_diff"] = diff_table(
            actions.content_of(article),
            draft.data,
            old_label="Live version (readers see this)",
            new_label="Working draft",
        )
    return context
