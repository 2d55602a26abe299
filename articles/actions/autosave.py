"""Autosave: what a person types into a story's form, kept on the server while they type.

Private scratch, not a change to the story: never a revision, never public, not in the audit
log (it is written every few seconds). Reopening the form offers it back (the desk) when it
differs from what was saved. One per person and story, plus one per person for a story not
saved yet; saving or discarding the form clears it.
"""

import json

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.actions.permissions import can_edit, require
from articles.models import Article, Autosave

# Past this size (the JSON of the typed fields) an autosave is refused: a story is far smaller.
MAX_AUTOSAVE_BYTES = 2 * 1024 * 1024


def _check(actor, article: Article | None) -> None:
    if article is None:
        require(actor, "articles.add_article", "You may not create articles.")
    elif not can_edit(actor, article):
        raise PermissionDenied("You may not edit this article.")


def _texts(value):
    """Every string in `value` (keys included), however deeply nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


@transaction.atomic
def autosave(
    *, actor: AbstractBaseUser, article: Article | None, data: dict, base_version: int | None = None
) -> Autosave:
    """Keep `data` (form field name → typed value) as `actor`'s unsaved text of `article`."""
    _check(actor, article)
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        raise ValidationError("An autosave is an object of form field names and the text typed into them.")
    if any("\x00" in text for text in _texts(data)):
        raise ValidationError("An autosave cannot hold the NUL character (no database stores it).")
    if len(json.dumps(data)) > MAX_AUTOSAVE_BYTES:
        raise ValidationError(f"An autosave holds at most {MAX_AUTOSAVE_BYTES // 1024 // 1024} MB of text.")
    saved, _ = Autosave.objects.update_or_create(
        user=actor,
        article=article,
        defaults={"data": data, "base_version": base_version, "saved_at": timezone.now()},
    )
    return saved


def discard_autosave(*, actor: AbstractBaseUser, article: Article | None) -> int:
    """Forget `actor`'s unsaved text of `article` (after a save, or when they decline it)."""
    return Autosave.objects.filter(user=actor, article=article).delete()[0]


def autosave_of(*, actor: AbstractBaseUser, article: Article | None) -> Autosave | None:
    """`actor`'s own autosave of `article` (nobody reads another person's)."""
    return Autosave.objects.filter(user=actor, article=article).first()
