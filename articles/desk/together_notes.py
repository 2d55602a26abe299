"""The change form's notes panel: a story's notes as threads (replies under what they answer,
each thread oldest first), with @mentions of real colleagues highlighted. Bodies are plain text:
every character is escaped, and only the highlight is markup of ours."""

from dataclasses import dataclass

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from articles.actions.notes import MENTION
from articles.models import Note

# Replies deeper than this are drawn at this depth (the thread still reads in order).
MAX_INDENT = 5


@dataclass(frozen=True)
class ShownNote:
    note: Note
    depth: int
    body_html: SafeString

    @property
    def indent(self) -> int:
        return min(self.depth, MAX_INDENT)


def highlighted(body: str, usernames: set[str]) -> SafeString:
    """`body` escaped, each @username of `usernames` (those the note mentions) highlighted."""
    parts, last = [], 0
    for match in MENTION.finditer(body):
        if match[1] not in usernames:
            continue
        parts.append(conditional_escape(body[last : match.start()]))
        parts.append(format_html('<strong class="nr-mention">{}</strong>', match[0]))
        last = match.end()
    parts.append(conditional_escape(body[last:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)


def threads(article) -> list[ShownNote]:
    """`article`'s notes in reading order: each thread oldest first, replies under their note."""
    notes = list(
        Note.objects.filter(article=article)
        .select_related("author")
        .prefetch_related("mentions")
        .order_by("created_at", "id")
    )
    replies: dict[int | None, list[Note]] = {}
    for note in notes:
        replies.setdefault(note.parent_id, []).append(note)
    shown: list[ShownNote] = []
    stack = [(note, 0) for note in reversed(replies.get(None, []))]
    while stack:
        note, depth = stack.pop()
        usernames = {user.get_username() for user in note.mentions.all()}
        shown.append(ShownNote(note, depth, highlighted(note.body, usernames)))
        stack.extend((reply, depth + 1) for reply in reversed(replies.get(note.pk, [])))
    return shown


def mentioning(user, limit: int) -> list[Note]:
    """The newest `limit` notes mentioning `user`, with their authors and stories (one query)."""
    return list(
        Note.objects.filter(mentions=user).select_related("author", "article").order_by("-created_at", "-id")[:limit]
    )
