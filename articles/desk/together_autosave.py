"""The change form's offer of autosaved text: when the person opening a story has text saved
by the form's script (articles.actions.autosave) that differs from the story as saved, the form
offers it back with the difference.

An autosave is cleared once it is no longer unsaved text: when it equals what is saved (the
form was saved with it), when its author saved the story (or its working draft) after it was
written, or, for a new story, when they created a story after it was written. Each is checked
when the form opens, so a save needs no hook of its own.
"""

from django.utils.safestring import SafeString

from articles import actions
from articles.models import Article, Revision, WorkingDraft
from articles.revisions import diff_table

# Form field name → the snapshot key it edits (the fields whose text is offered back).
FORM_FIELDS = {
    "title": "title",
    "slug": "slug",
    "kind": "kind",
    "summary": "summary",
    "body": "body",
    "section": "section_id",
    "signoff": "signoff",
    "source": "source",
    "language": "language",
    "lead_media": "lead_media_id",
}


def _text(value) -> str:
    """A value as the form would hold it: text, line ends as "\\n", outer spaces dropped."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def saved_content(article: Article | None) -> dict:
    """What the form shows as saved, by snapshot key: the working draft of a live story when
    there is one, else the story itself (nothing for a new story)."""
    if article is None:
        return {}
    draft = WorkingDraft.objects.filter(article=article).only("data").first()
    if draft is not None:
        return draft.data
    return {key: getattr(article, key) for key in FORM_FIELDS.values()}


def typed_content(data: dict) -> dict:
    """The autosaved form fields by snapshot key (the fields `FORM_FIELDS` names)."""
    return {key: data[name] for name, key in FORM_FIELDS.items() if name in data}


def differences(saved: dict, typed: dict) -> tuple[dict, dict]:
    """(saved, typed) as text, for the keys where the typed text differs from the saved one."""
    old, new = {}, {}
    for key, value in typed.items():
        if _text(value) != _text(saved.get(key)):
            old[key], new[key] = _text(saved.get(key)), _text(value)
    return old, new


def _saved_since(user, article: Article | None, moment) -> bool:
    """Whether `user` saved `article` (or its working draft; created a story, for None) after `moment`."""
    if article is None:
        return Article.objects.filter(created_by=user, created_at__gte=moment).exists()
    drafts = WorkingDraft.objects.filter(article=article, updated_by=user, updated_at__gte=moment)
    return Revision.objects.filter(article=article, created_by=user, created_at__gte=moment).exists() or drafts.exists()


def autosave_offer(user, article: Article | None) -> dict | None:
    """The offer for the form `user` opens on `article` (None: a new story), or None when there
    is nothing unsaved; an autosave that is no longer unsaved text is cleared here."""
    saved = actions.autosave_of(actor=user, article=article)
    if saved is None:
        return None
    old, new = differences(saved_content(article), typed_content(saved.data))
    if not new or _saved_since(user, article, saved.saved_at):
        actions.discard_autosave(actor=user, article=article)
        return None
    diff: SafeString = diff_table(old, new, old_label="Saved", new_label="Your unsaved text")
    return {"saved_at": saved.saved_at, "diff": diff, "data": saved.data, "base_version": saved.base_version}
