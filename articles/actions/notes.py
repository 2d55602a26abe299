"""Staff notes on a story: threaded, with @username mentions that show on the mentioned
person's desk. Notes are plain text, for the desk only: no public surface ever reads them."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from articles import audit
from articles.models import Article, Note
from articles.validators import validate_no_control_characters

MAX_NOTE_LENGTH = 5000
# Django's default username characters: letters, digits and @ . + - _ (a trailing dot is prose).
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]*[\w@+-])")


def may_read_notes(actor) -> bool:
    """Notes are for the desk: staff who may read unpublished stories."""
    return bool(actor and actor.is_authenticated and actor.is_staff and actor.has_perm("articles.view_article"))


def mentioned_users(body: str) -> list:
    """The active staff accounts `body` mentions as @username (unknown names stay plain text)."""
    names = set(MENTION.findall(body))
    if not names:
        return []
    return list(get_user_model().objects.filter(is_active=True, is_staff=True, username__in=names))


@transaction.atomic
def add_note(*, actor: AbstractBaseUser, article: Article, body: str, parent: Note | None = None) -> Note:
    """Add `actor`'s note to `article` (a reply when `parent` is given), mentions resolved."""
    if not may_read_notes(actor):
        raise PermissionDenied("Only the desk's staff may write notes.")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "A note needs some text."})
    if len(body) > MAX_NOTE_LENGTH:
        raise ValidationError({"body": f"A note is at most {MAX_NOTE_LENGTH} characters ({len(body)} given)."})
    try:
        validate_no_control_characters(body.replace("\n", " ").replace("\r", " ").replace("\t", " "))
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from None
    if parent is not None and parent.article_id != article.pk:
        raise ValidationError({"parent": "That note belongs to another story."})
    note = Note.objects.create(article=article, author=actor, body=body, parent=parent)
    mentioned = mentioned_users(body)
    note.mentions.set(mentioned)
    audit.record(
        actor=actor,
        action="note",
        article=article,
        details={"note": note.pk, "mentions": [user.pk for user in mentioned]},
    )
    return note
