"""State changes: submit for review, publish (now or scheduled), unpublish, archive, and the
timeline (dateline, embargo, expiry).

Each moves the locked row between states it allows, bumps the version and is recorded like an
edit (`editing.record_change`: a revision, one audit entry, one announcement).
"""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.actions.editing import check_timeline, lock, record_change
from articles.actions.permissions import actor_user, can_edit, require
from articles.link_dates import copy_dateline
from articles.models import Article
from articles.revisions import TIMELINE_FIELDS

Status = Article.Status


def _transition(
    *,
    actor,
    article: Article,
    action: str,
    allowed_from: set[str],
    to_status: str | None = None,
    refuse: str = "",
    details=None,
    **changes,
) -> Article:
    """Move the locked row to `to_status` (and set `changes`) when its state is in `allowed_from`."""
    with transaction.atomic():
        locked = lock(article)
        from_status = locked.status
        if from_status not in allowed_from:
            raise ValidationError(
                refuse or f"A {locked.get_status_display().lower()} article cannot be changed that way."
            )
        if locked.is_stub and (to_status or from_status) == Status.PUBLISHED:
            raise ValidationError("A stub has no page yet; import or write its page before publishing.")
        dateline = locked.published_at
        if to_status:
            locked.status = to_status
        for field, value in changes.items():
            setattr(locked, field, value)
        if locked.status == Status.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
        locked.version += 1
        locked.save()
        if locked.published_at != dateline:
            copy_dateline(locked)
        record_change(actor=actor, article=locked, action=action, from_status=from_status, details=details)
    article.refresh_from_db()
    return article


def submit_for_review(*, actor: AbstractBaseUser | None, article: Article) -> Article:
    """Draft → in review. Reporters submit their own drafts; editors any draft."""
    require(actor, "articles.submit_article", "You may not submit articles for review.")
    stored = Article.objects.filter(pk=article.pk).first() or article
    if not can_edit(actor, stored):
        raise PermissionDenied("You may only submit your own drafts.")
    return _transition(
        actor=actor,
        article=article,
        action="submit",
        to_status=Status.REVIEW,
        allowed_from={Status.DRAFT},
        refuse="Only a draft can be submitted for review.",
    )


def approve(*, actor: AbstractBaseUser | None, article: Article) -> Article:
    """Sign a story in review off for publication (the approver in its sign-off chain)."""
    require(actor, "articles.publish_article", "You may not approve articles.")
    return _transition(
        actor=actor,
        article=article,
        action="approve",
        allowed_from={Status.REVIEW},
        refuse="Only a story in review can be approved.",
    )


def publish(*, actor: AbstractBaseUser | None, article: Article, at: datetime | None = None) -> Article:
    """Publish now, or at `at` (a future time schedules it: it goes live at that second).

    Without `at` the stored dateline is kept (a future one schedules), or now when there is none.
    The publisher's desk initials are recorded in `published_signoff`; the authoring sign-off stays.
    """
    require(actor, "articles.publish_article", "You may not publish articles.")
    stored = Article.objects.filter(pk=article.pk).values_list("published_at", flat=True).first()
    when = at or stored or timezone.now().replace(microsecond=0)  # datelines are shown to the second
    user = actor_user(actor)
    profile = getattr(user, "staff_profile", None) if user else None
    scheduled = when > timezone.now()
    return _transition(
        actor=actor,
        article=article,
        action="schedule" if scheduled else "publish",
        to_status=Status.PUBLISHED,
        allowed_from={Status.DRAFT, Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED},
        details={"published_at": when.isoformat()},
        published_at=when,
        published_by=user,
        published_signoff=profile.signoff_initials if profile else "",
    )


def schedule(*, actor: AbstractBaseUser | None, article: Article, at: datetime) -> Article:
    """Publish at a future moment; the article goes live by itself then (no cron involved)."""
    require(actor, "articles.publish_article", "You may not schedule articles.")
    if at is None or at <= timezone.now():
        raise ValidationError("A schedule time must be in the future.")
    return publish(actor=actor, article=article, at=at)


def unpublish(*, actor: AbstractBaseUser | None, article: Article) -> Article:
    """Published (or scheduled) → draft; readers stop seeing it at once."""
    require(actor, "articles.publish_article", "You may not unpublish articles.")
    return _transition(
        actor=actor,
        article=article,
        action="unpublish",
        to_status=Status.DRAFT,
        allowed_from={Status.PUBLISHED},
        refuse="Only a published or scheduled article can be unpublished.",
    )


def archive(*, actor: AbstractBaseUser | None, article: Article) -> Article:
    """Any state → archived (kept, never shown to readers)."""
    require(actor, "articles.publish_article", "You may not archive articles.")
    return _transition(
        actor=actor,
        article=article,
        action="archive",
        to_status=Status.ARCHIVED,
        allowed_from={Status.DRAFT, Status.REVIEW, Status.PUBLISHED},
        refuse="This article is already archived.",
    )


_UNSET = object()


def set_timeline(
    *,
    actor: AbstractBaseUser | None,
    article: Article,
    published_at=_UNSET,
    embargo_until=_UNSET,
    expires_at=_UNSET,
) -> Article:
    """Change the dateline, embargo end or expiry (only the ones given; None clears embargo/expiry)."""
    require(actor, "articles.publish_article", "You may not change the dateline, embargo or expiry.")
    given = {
        name: value
        for name, value in {
            "published_at": published_at,
            "embargo_until": embargo_until,
            "expires_at": expires_at,
        }.items()
        if value is not _UNSET
    }
    if not given:
        raise ValidationError("Give a dateline, an embargo end or an expiry to change.")
    with transaction.atomic():
        locked = lock(article)
        probe = Article(**{f: getattr(locked, f) for f in TIMELINE_FIELDS}, status=locked.status)
        for field, value in given.items():
            setattr(probe, field, value)
        if probe.status == Status.PUBLISHED and probe.published_at is None:
            raise ValidationError("A published article needs a dateline.")
        found = check_timeline(actor, locked, probe)
        return _transition(
            actor=actor,
            article=article,
            action="set_timeline",
            allowed_from=set(Status.values),
            details={"timeline": found},
            **given,
        )


def embargo(*, actor: AbstractBaseUser | None, article: Article, until: datetime | None) -> Article:
    """Hold the article back from readers until `until` (None lifts the embargo)."""
    return set_timeline(actor=actor, article=article, embargo_until=until)
