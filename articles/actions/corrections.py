"""Corrections, clarifications and updates appended to a published story (articles.corrections).

A correction is published the moment it is added: it is dated by the clock, never by the caller,
and it is never edited or removed afterwards. Adding one needs the right to publish (what it
says goes public at once), touches neither the story's text nor its version (an editor's open
form stays valid), but does move the story's `updated_at`, so that feeds, sitemaps and the
page's `dateModified` say the story changed.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

import changes
from articles import audit
from articles.actions.permissions import actor_user, can_publish
from articles.corrections import MAX_CORRECTION_LENGTH, Correction
from articles.models import Article
from articles.validators import validate_no_control_characters


class NotLive(ValidationError):
    """The story is not published: there is nothing public to correct (edit it instead)."""


def _checked_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "A correction needs its text: what was wrong and what is right."})
    if len(text) > MAX_CORRECTION_LENGTH:
        raise ValidationError(
            {"text": f"A correction is at most {MAX_CORRECTION_LENGTH} characters ({len(text)} given)."}
        )
    try:
        validate_no_control_characters(text.replace("\n", " ").replace("\r", " ").replace("\t", " "))
    except ValidationError as error:
        raise ValidationError({"text": error.messages}) from None
    return text


@transaction.atomic
def add_correction(*, actor: AbstractBaseUser | None, article: Article, kind: str, text: str) -> Correction:
    """Publish `actor`'s correction (clarification, update) of the live story `article`, now."""
    if not can_publish(actor):
        raise PermissionDenied("Only editors who may publish may add corrections.")
    if kind not in Correction.Kind.values:
        choices = ", ".join(f"“{value}”" for value in Correction.Kind.values)
        raise ValidationError({"kind": f"“{str(kind)[:40]}” is not a kind of correction; use one of {choices}."})
    text = _checked_text(text)
    stored = Article.objects.select_for_update().get(pk=article.pk)
    if not stored.is_live():
        raise NotLive("Only a published story takes corrections; change this one directly instead.")
    now = timezone.now()
    correction = Correction.objects.create(
        article=stored, kind=kind, text=text, published_at=now, author=actor_user(actor)
    )
    Article.objects.filter(pk=stored.pk).update(updated_at=now)
    audit.record(actor=actor, action="correct", article=stored, details={"correction": correction.pk, "kind": kind})
    changes.announce(articles={stored.pk}, corrections={correction.pk})
    changes.emit("article.corrected", article=stored.pk)
    return correction
