"""The outbox: events written in the transaction of the change they report, then handed out.

`record` is the `changes` recorder (registered in WebhooksConfig.ready): it runs inside the
action's transaction, so an event exists if and only if its change was committed. A story
published for a later second (dateline or embargo in the future) is not live yet: its event waits
until that second (one waiting "article.published" per story, moved when the time moves), so
receivers never hear of a story before readers can see it.

`dispatch_due` (run by the worker, webhooks.tasks) takes the due events in the order they
happened, fixes each one's body from the public API (what an anonymous reader gets) and creates
one delivery per subscribed endpoint. An event whose object is not public by then is skipped.
"""

import json
import logging
from datetime import UTC, datetime

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

import changes
from articles.models import Article
from urlkit.absolute_urls import site_origin
from webhooks.models import Delivery, Endpoint, Event, EventType

log = logging.getLogger("newsroom.webhooks")

PUBLISHED = EventType.ARTICLE_PUBLISHED.value
ANNOUNCING = {EventType.ARTICLE_PUBLISHED, EventType.ARTICLE_UPDATED, EventType.ARTICLE_CORRECTED}


def subscribed_events() -> set[str]:
    """Every event some active endpoint subscribes to (one query)."""
    wanted: set[str] = set()
    for events in Endpoint.objects.filter(active=True).values_list("events", flat=True):
        wanted.update(events or [])
    return wanted


def _goes_live_at(article: dict) -> datetime | None:
    """When a published story is (or was) first visible: its dateline or embargo end, the later."""
    if article["status"] != Article.Status.PUBLISHED or article["published_at"] is None:
        return None
    return max(filter(None, (article["published_at"], article["embargo_until"])))


def record(event: changes.Event) -> None:
    """Write `event` to the outbox (inside the emitting transaction); nothing when no endpoint wants it."""
    wanted = subscribed_events()
    if event.media is not None:
        if event.name in wanted:
            Event.objects.create(type=event.name, media_id=event.media)
            dispatch_after_commit()
        return
    if event.name not in wanted and PUBLISHED not in wanted:
        return
    article = Article.objects.filter(pk=event.article).values("status", "published_at", "embargo_until").first()
    live_from = _goes_live_at(article) if article else None
    now = timezone.now()
    if event.name in ANNOUNCING and live_from is not None and live_from > now:
        _wait_for(event.article, live_from, create=PUBLISHED in wanted)
        return
    if event.name in (EventType.ARTICLE_UPDATED, EventType.ARTICLE_CORRECTED) and live_from is None:
        return  # a change to a story readers cannot see
    if event.name in wanted:
        Event.objects.create(type=event.name, article_id=event.article)
        dispatch_after_commit()


def _wait_for(article_id: int, live_from: datetime, *, create: bool) -> None:
    """One waiting "article.published" for the story, due at the second it goes live."""
    waiting = (
        Event.objects.select_for_update()
        .filter(article_id=article_id, type=PUBLISHED, status=Event.Status.WAITING, due_at__gt=timezone.now())
        .first()
    )
    if waiting is not None:
        waiting.due_at = live_from
        waiting.save(update_fields=["due_at"])
    elif create:
        Event.objects.create(type=PUBLISHED, article_id=article_id, due_at=live_from)
    dispatch_after_commit(live_from)


def dispatch_after_commit(when: datetime | None = None) -> None:
    """Ask the worker to hand out due events once this transaction commits (at `when`, if later)."""
    from webhooks import tasks

    tasks.run_after_commit(tasks.dispatch_events, run_after=when)


# --- handing out ---------------------------------------------------------------------------------


def public_json(kind: str, pk: int) -> dict | None:
    """The public API's detail document of an article or media item, as an anonymous reader
    gets it (None when such a reader gets a 404: not live, private, gone)."""
    from articles.api.views import ArticleViewSet
    from media.api import MediaViewSet

    # The article detail's view without the page cache (articles.api.cached_reads): made afresh.
    viewset, prefix, options = (
        (ArticleViewSet, "articles", {"page_cache": False}) if kind == "article" else (MediaViewSet, "media", {})
    )
    origin = site_origin()
    scheme, _, host = origin.partition("://")
    request = RequestFactory().get(f"/api/v1/{prefix}/{pk}/", HTTP_HOST=host, secure=scheme == "https")
    request.user = AnonymousUser()
    with timezone.override(UTC):  # as the API answers (apikit.time_zones)
        response = viewset.as_view({"get": "retrieve"}, **options)(request, pk=pk)
        if response.status_code != 200:
            return None
        response.render()
    return json.loads(response.content)


def _last_sent(article_id: int) -> str | None:
    return (
        Event.objects.filter(article_id=article_id, status=Event.Status.SENT)
        .order_by("-dispatched_at", "-pk")
        .values_list("type", flat=True)
        .first()
    )


def _data_of(event: Event) -> tuple[dict | None, str]:
    """The `data` of the event's body, or None and why it is skipped."""
    if event.media_id is not None:
        data = public_json("media", event.media_id)
        return data, "" if data is not None else "The media item is not public."
    if event.type == EventType.ARTICLE_UNPUBLISHED:
        if _last_sent(event.article_id) not in ANNOUNCING:
            return None, "Receivers were never told the story was published."
        return {"id": event.article_id}, ""
    data = public_json("article", event.article_id)
    return data, "" if data is not None else "The story is not live."


def _hand_out(event: Event) -> set[int]:
    """Fix the body of `event` and create its deliveries; the endpoints that got one."""
    now = timezone.now()
    if event.article_id is not None and event.type in ANNOUNCING:
        article = Article.objects.filter(pk=event.article_id).values("status", "published_at", "embargo_until").first()
        live_from = _goes_live_at(article) if article else None
        if live_from is not None and live_from > now:  # moved later meanwhile: wait again
            event.due_at = live_from
            event.save(update_fields=["due_at"])
            dispatch_after_commit(live_from)
            return set()
    data, why = _data_of(event)
    event.dispatched_at = now
    if data is None:
        event.status, event.note = Event.Status.SKIPPED, why
        event.save(update_fields=["status", "note", "dispatched_at"])
        return set()
    moment = max(event.occurred_at, event.due_at)
    event.body = json.dumps(
        {"type": event.type, "timestamp": moment.astimezone(UTC).isoformat().replace("+00:00", "Z"), "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    event.status = Event.Status.SENT
    event.save(update_fields=["status", "body", "dispatched_at"])
    endpoints = [endpoint for endpoint in Endpoint.objects.filter(active=True) if endpoint.wants(event.type)]
    Delivery.objects.bulk_create(
        [Delivery(endpoint=endpoint, event=event, next_attempt_at=now) for endpoint in endpoints]
    )
    return {endpoint.pk for endpoint in endpoints}


def dispatch_due() -> int:
    """Hand out every due event, oldest first, each in a transaction of its own; how many.

    Two workers doing this at once take turns on each row (select_for_update), so an event is
    handed out once and deliveries are created in the order the events happened."""
    from webhooks import tasks

    handed = 0
    while True:
        with transaction.atomic():
            event = (
                Event.objects.select_for_update()
                .filter(status=Event.Status.WAITING, due_at__lte=timezone.now())
                .order_by("due_at", "pk")
                .first()
            )
            if event is None:
                return handed
            try:
                with transaction.atomic():
                    endpoints = _hand_out(event)
            except Exception as exc:
                # One event that cannot be read must not hold back every later one.
                log.exception("Webhook event %s could not be handed out; skipped", event.pk)
                endpoints = set()
                Event.objects.filter(pk=event.pk).update(
                    status=Event.Status.SKIPPED,
                    dispatched_at=timezone.now(),
                    note=f"Could not be read: {exc.__class__.__name__}."[:200],
                )
            for endpoint_id in sorted(endpoints):
                tasks.run_after_commit(tasks.deliver, endpoint_id)
            handed += 1
