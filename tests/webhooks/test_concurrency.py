"""Two workers at once never send one delivery twice, nor out of order, nor hand out one event
twice: on PostgreSQL the endpoint's row is claimed under a lock (skip_locked), on SQLite the
writers queue (BEGIN IMMEDIATE). Run on both databases (DATABASE_URL for PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection

from webhooks.delivering import deliver_endpoint
from webhooks.models import Delivery, Endpoint, Event, EventType
from webhooks.outbox import dispatch_due


def in_threads(work, count=3, seconds=30.0) -> list[BaseException]:
    """Run `work()` in `count` threads, each with its own connection; the errors they raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def run():
        try:
            barrier.wait()
            work(time.monotonic() + seconds)
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 10)
    return errors


@pytest.fixture
def hooked(shared_database, receiver):
    endpoint = Endpoint.objects.create(url=receiver.url, secret=receiver.secret, events=list(EventType.values))
    return endpoint


def test_two_workers_do_not_send_one_delivery_twice(hooked, receiver):
    receiver.delay = 0.05
    events = [
        Event.objects.create(type="article.updated", article_id=n, status=Event.Status.SENT, body=f'{{"n":{n}}}')
        for n in range(8)
    ]
    Delivery.objects.bulk_create([Delivery(endpoint=hooked, event=event) for event in events])

    def work(deadline):
        while time.monotonic() < deadline and Delivery.objects.filter(status__in=Delivery.OPEN).exists():
            deliver_endpoint(hooked.pk)
            time.sleep(0.01)

    assert in_threads(work) == []
    assert receiver.tried == [event.message_id for event in events]  # each once, in order
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
    assert receiver.bad_signatures == 0


def test_two_dispatchers_hand_each_event_out_once_in_order(hooked, receiver):
    from django.utils import timezone

    from tests.factories import ArticleFactory

    story = ArticleFactory()
    events = [
        Event.objects.create(type="article.updated", article_id=story.pk, due_at=timezone.now()) for _ in range(10)
    ]

    def work(deadline):
        while time.monotonic() < deadline and Event.objects.filter(status=Event.Status.WAITING).exists():
            dispatch_due()

    assert in_threads(work) == []
    assert set(Event.objects.values_list("status", flat=True)) == {Event.Status.SENT}
    # One delivery per event (a second would break the unique constraint), made in event order.
    assert list(Delivery.objects.order_by("pk").values_list("event_id", flat=True)) == [e.pk for e in events]
