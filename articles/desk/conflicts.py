"""The conflict screen: a save refused as stale shows the editor's text beside the current
version, with their form rebased on the current version so that saving again applies their text
without quietly undoing the other editor's work."""

from articles.models import Article, WorkingDraft
from articles.revisions import LABELS, TIMELINE_FIELDS, diff_table, snapshot
from articles.sanitize import clean_html


class DraftStale:
    """A save of a live story's form refused because its working draft moved on: someone else
    saved, published or discarded it, or started one, since the form was opened.

    Shaped for the conflict screen like `actions.StaleEdit`: `now` is what the editor's text is
    compared with (the current draft over the live story, or the live story once the draft is
    gone); the draft keeps no earlier versions, so `then` is unknown and nothing is refilled.
    """

    then = None

    def __init__(self, article: Article, draft: WorkingDraft | None, your_version: int | None):
        self.article = article
        self.draft = draft
        self.now = {**snapshot(article), **(draft.data if draft else {})}
        if draft is None:
            self.message = (
                "This story's working draft was published or discarded since you opened it. Nothing was saved."
            )
            self.label = f"Version {article.version} (live, current)"
        elif your_version is None:
            self.message = "Someone else started a working draft of this story since you opened it. Nothing was saved."
            self.label = f"Working draft version {draft.version} (current)"
        else:
            self.message = (
                f"The working draft was changed by someone else since you opened it (your version {your_version}, "
                f"current {draft.version}). Nothing was saved."
            )
            self.label = f"Working draft version {draft.version} (current)"

    def __str__(self):
        return self.message

    def rebase(self, data) -> None:
        """Point the form `data` at the current versions, so that saving again goes through."""
        data["base_version"] = str(self.article.version)
        data["draft_version"] = str(self.draft.version) if self.draft else ""
        data["draft_id"] = str(self.draft.pk) if self.draft else ""

    def based_on(self) -> str:
        return f"the working draft's version {self.draft.version}" if self.draft else f"version {self.article.version}"

    def diff_html(self) -> str:
        return ""


def _rebase(conflict, data) -> None:
    if isinstance(conflict, DraftStale):
        conflict.rebase(data)
    else:
        data["base_version"] = str(conflict.article.version)


def _current_label(conflict) -> str:
    if isinstance(conflict, DraftStale):
        return conflict.label
    return f"Version {conflict.article.version} (current)"


def _based_on(conflict) -> str:
    return conflict.based_on() if isinstance(conflict, DraftStale) else f"version {conflict.article.version}"


# Snapshot key → form field, for the fields a conflict screen fills from the current version
# when the losing editor left them as they were (text, choices and single choices).
MERGED_FIELDS = {
    "title": "title",
    "slug": "slug",
    "kind": "kind",
    "summary": "summary",
    "body": "body",
    "section_id": "section",
    "signoff": "signoff",
    "source": "source",
    "language": "language",
    "lead_media_id": "lead_media",
}


def _snapshot_value(name: str, value):
    """A form's cleaned value as a revision snapshot stores it."""
    if name == "body":
        return clean_html(value or "")
    if name == "pinned":
        return bool(value)
    if name in TIMELINE_FIELDS:
        return value.isoformat() if value else None
    return getattr(value, "pk", value)


# Snapshot key → form field, for the fields a snapshot holds as the form gives them (converted by
# _snapshot_value); tags and the related list are filled in apart.
SNAPSHOT_FIELDS = {**MERGED_FIELDS, "pinned": "pinned", **{name: name for name in TIMELINE_FIELDS}}


def submitted_snapshot(form, related_ids: list[int] | None, current: dict) -> dict:
    """What the editor's post would have stored, as a revision snapshot: `current` with every
    field the form validated replaced by the submitted value (the body cleaned as on save)."""
    data = dict(current)
    cleaned = getattr(form, "cleaned_data", None) or {}
    data.update({key: _snapshot_value(name, cleaned[name]) for key, name in SNAPSHOT_FIELDS.items() if name in cleaned})
    if cleaned.get("tags") is not None:
        data["tag_ids"] = sorted(tag.pk for tag in cleaned["tags"])
    if related_ids is not None:
        data["related_ids"] = list(dict.fromkeys(t for t in related_ids if t != current.get("id")))
    return data


def conflict_context(form, related_ids: list[int] | None) -> dict:
    """The conflict screen for a save refused as stale: the editor's text beside the current
    version with the difference, and their form rebased on the current version.

    The bound form keeps everything they typed. Fields they left as they were when they opened
    the article, and that the other editor changed, are refilled from the current version, so
    saving again does not quietly undo the other editor's work; its version becomes the
    current one, so the next save goes through (and is checked again against later saves).
    """
    conflict = form.conflict
    current = conflict.now
    theirs = submitted_snapshot(form, related_ids, current)
    data = form.data.copy()
    _rebase(conflict, data)
    refilled = []
    if conflict.then is not None:
        for key, name in MERGED_FIELDS.items():
            then, now = conflict.then.get(key), current.get(key)
            if name in data and theirs.get(key) == then and now != then:
                data[name] = "" if now is None else str(now)
                theirs[key] = now
                refilled.append(LABELS[key])
    form.data = data
    return {
        "conflict_version": conflict.article.version,
        "conflict_based_on": _based_on(conflict),
        "conflict_refilled": refilled,
        "conflict_theirs": diff_table(
            current,
            theirs,
            old_label=_current_label(conflict),
            new_label="Your unsaved text",
        ),
    }
