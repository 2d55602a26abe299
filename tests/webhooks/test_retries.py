"""A receiver that is down gets every event once it is back, in the order they happened; the
retry schedule (first retry within a minute, trying for over an hour) is driven with the clock,
not by waiting."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import actions
from tests.factories import ArticleFactory
from tests.roles import draft_by
from webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db


def drive(clock, worker, seconds: int, step: int = 30) -> None:
    """Let `seconds` pass in steps, the worker running what is due after each."""
    for _ in range(seconds // step):
        clock.shift(timedelta(seconds=step))
        worker()


def test_a_receiver_down_for_ten_minutes_gets_every_event_in_order(endpoint, receiver, people, commit, worker):
    first, second = draft_by(people["author"], title="First story"), ArticleFactory(title="Second story")
    with time_machine.travel(timezone.now(), tick=True) as clock:
        receiver.down = True
        with commit():
            actions.publish(actor=people["chief"], article=first)
        worker()
        second.title = "Second story, updated"
        with commit():
            actions.save_article(actor=people["chief"], article=second)
        worker()
        with commit():
            actions.unpublish(actor=people["chief"], article=first)
        worker()
        drive(clock, worker, 10 * 60)
        assert receiver.accepted == []
        first_id = Event.objects.get(type="article.published").message_id
        # While the oldest fails, the later ones wait: every try was the oldest event.
        assert set(receiver.tried) == {first_id}
        tries_while_down = len(receiver.tried)
        assert 5 <= tries_while_down <= 6  # at 0 s, 30 s, 1 min 30, 3 min 30, 8 min 30
        receiver.down = False
        drive(clock, worker, 15 * 60)
    assert receiver.types == ["article.published", "article.updated", "article.unpublished"]
    assert [entry["body"]["data"]["id"] for entry in receiver.accepted] == [first.pk, second.pk, first.pk]
    assert len(receiver.tried) == tries_while_down + 3  # each delivered once
    assert receiver.bad_signatures == 0
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.DELIVERED}
    # The same webhook-id on every try of one event, so receivers can drop duplicates.
    assert receiver.accepted[0]["id"] == first_id


def test_retries_back_off_from_under_a_minute_to_over_an_hour(endpoint, receiver, people, commit, worker):
    receiver.status = 500
    story = draft_by(people["author"])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        start = timezone.now()
        with commit():
            actions.publish(actor=people["chief"], article=story)
        worker()
        tried_at = [timezone.now()]
        delivery = Delivery.objects.get()
        while delivery.status == Delivery.Status.RETRYING:
            clock.move_to(delivery.next_attempt_at)
            worker()
            tried_at.append(timezone.now())
            delivery.refresh_from_db()
    gaps = [(later - earlier).total_seconds() for earlier, later in zip(tried_at, tried_at[1:], strict=False)]
    assert 0 < gaps[0] <= 60
    assert gaps == sorted(gaps)  # never sooner than the wait before
    assert (tried_at[-1] - start).total_seconds() >= 3600
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == len(tried_at) == len(receiver.tried)
    assert delivery.response_code == 500
    assert delivery.response_excerpt == ("thanks" * 50)[:300]  # a small excerpt, not the whole answer
    assert delivery.next_attempt_at is None


def test_a_given_up_delivery_lets_the_next_go_and_can_be_sent_again(endpoint, receiver, people, commit, worker):
    from webhooks import delivering, tasks

    first, second = draft_by(people["author"]), draft_by(people["author"])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        with commit():
            actions.publish(actor=people["chief"], article=first)
            actions.publish(actor=people["chief"], article=second)
        receiver.failing_ids = {Event.objects.get(article_id=first.pk).message_id}
        worker()
        head = Delivery.objects.get(event__article_id=first.pk)
        while head.status == Delivery.Status.RETRYING:
            assert receiver.accepted == []  # the second waits behind it
            clock.move_to(head.next_attempt_at)
            worker()
            head.refresh_from_db()
    assert head.status == Delivery.Status.FAILED
    assert [entry["body"]["data"]["id"] for entry in receiver.accepted] == [second.pk]
    receiver.failing_ids = set()
    with commit():
        for endpoint_id in delivering.retry_now([head]):
            tasks.run_after_commit(tasks.deliver, endpoint_id)
    worker()
    assert [entry["body"]["data"]["id"] for entry in receiver.accepted] == [second.pk, first.pk]
    head.refresh_from_db()
    assert head.status == Delivery.Status.DELIVERED
