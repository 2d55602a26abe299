"""Who has a story open in the desk, and taking a story over from them.

A form open on a story calls in every few seconds (`check_in`); a person is present while their
last call is under `FRESH` old. The one holding the story is the earliest present arrival not
taken over; others see who holds it and since when, and may `take_over`: the one taken over
sees a notice on their next call in, and their next save is refused (`save_refusal`).
"""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import audit
from articles.actions.permissions import can_edit
from articles.models import Article, Presence
from articles.signoffs import person

# Long enough for a background tab, whose timers browsers slow to one call a minute.
FRESH = timedelta(seconds=90)


def present(article: Article) -> list[Presence]:
    """Everyone with `article` open now, earliest first (users read in the same query)."""
    cutoff = timezone.now() - FRESH
    return list(
        Presence.objects.filter(article=article, last_seen__gt=cutoff)
        .select_related("user", "taken_over_by")
        .order_by("since", "id")
    )


def holder(rows: list[Presence]):
    """The user holding the story among `rows` (from `present`), or None."""
    for row in rows:
        if row.taken_over_by_id is None:
            return row.user
    return None


def _require_desk(actor, article: Article) -> None:
    if not actor.has_perm("articles.view_article"):
        raise PermissionDenied("You may not open stories in the desk.")


def check_in(*, actor: AbstractBaseUser, article: Article, opening: bool = False) -> Presence:
    """Mark `actor` present on `article` now. `opening` (the form was loaded afresh) starts a new
    stay: a take-over of their earlier stay no longer applies, and they queue behind whoever is in."""
    _require_desk(actor, article)
    now = timezone.now()
    row = Presence.objects.filter(article=article, user=actor).first()
    if row is None:
        try:
            with transaction.atomic():
                return Presence.objects.create(article=article, user=actor, since=now, last_seen=now)
        except IntegrityError:  # the same person's other tab got there first
            row = Presence.objects.get(article=article, user=actor)
    restart = opening or row.last_seen <= now - FRESH
    if restart:
        Presence.objects.filter(pk=row.pk).update(since=now, last_seen=now, taken_over_by=None, taken_over_at=None)
        row.since, row.last_seen, row.taken_over_by, row.taken_over_at = now, now, None, None
    else:
        Presence.objects.filter(pk=row.pk).update(last_seen=now)
        row.last_seen = now
    return row


def leave(*, actor: AbstractBaseUser, article: Article) -> None:
    """`actor` closed the story."""
    Presence.objects.filter(article=article, user=actor).delete()


@transaction.atomic
def take_over(*, actor: AbstractBaseUser, article: Article) -> Presence:
    """`actor` takes the story from everyone else who has it open; they are told, and their
    next save is refused. Recorded in the audit log."""
    if not can_edit(actor, article):
        raise PermissionDenied("You may not edit this article.")
    mine = check_in(actor=actor, article=article)
    now = timezone.now()
    others = [row for row in present(article) if row.user_id != actor.pk and row.taken_over_by_id is None]
    Presence.objects.filter(pk__in=[row.pk for row in others]).update(taken_over_by=actor, taken_over_at=now)
    Presence.objects.filter(pk=mine.pk).update(taken_over_by=None, taken_over_at=None)
    audit.record(
        actor=actor,
        action="take_over",
        article=article,
        details={"from": [person(row.user) for row in others]},
    )
    mine.refresh_from_db()
    return mine


def save_refusal(*, actor: AbstractBaseUser, article: Article) -> str:
    """Why the desk refuses `actor`'s save of `article` now ("" when it may go ahead): someone
    took the story over from them, or someone else holds it and they did not take it over."""
    rows = present(article)
    mine = next((row for row in rows if row.user_id == actor.pk), None)
    if mine is not None and mine.taken_over_by_id is not None:
        who = person(mine.taken_over_by)["name"]
        at = timezone.localtime(mine.taken_over_at)
        return f"{who} took this story over at {at:%H:%M:%S}. Nothing was saved; your text is below."
    other = holder(rows)
    if other is not None and other.pk != actor.pk:
        return f"{person(other)['name']} has this story open. Take it over to save your changes; nothing was saved."
    return ""
