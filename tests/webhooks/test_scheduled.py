"""No draft and no embargoed or scheduled story leaks through a webhook: a story published for a
later second is announced at that second, once, with what readers then see."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import actions
from tests.factories import ArticleFactory
from tests.roles import draft_by
from webhooks.models import Event

pytestmark = pytest.mark.django_db


def test_a_scheduled_story_is_announced_when_it_goes_live(endpoint, receiver, people, commit, worker, client):
    story = draft_by(people["author"], title="Budget vote at noon")
    now = timezone.now().replace(microsecond=0)
    with time_machine.travel(now, tick=False) as clock:
        with commit():
            actions.schedule(actor=people["chief"], article=story, at=now + timedelta(hours=1))
        worker()
        story.title = "Budget passes"
        with commit():
            actions.save_article(actor=people["chief"], article=story)
        clock.shift(timedelta(minutes=59, seconds=59))
        worker()
        assert receiver.tried == []
        assert client.get(f"/api/v1/articles/{story.pk}/").status_code == 404
        clock.shift(timedelta(seconds=1))
        worker()
        assert receiver.types == ["article.published"]
        data = client.get(f"/api/v1/articles/{story.pk}/").json()
    body = receiver.accepted[0]["body"]
    assert body == {
        "type": "article.published",
        "timestamp": (now + timedelta(hours=1)).isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    assert body["data"]["title"] == "Budget passes"
    assert Event.objects.count() == 1


def test_a_story_rescheduled_later_is_announced_at_its_new_time(endpoint, receiver, people, commit, worker):
    story = draft_by(people["author"])
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        with commit():
            actions.schedule(actor=people["chief"], article=story, at=now + timedelta(minutes=10))
        with commit():
            actions.set_timeline(actor=people["chief"], article=story, published_at=now + timedelta(minutes=30))
        clock.shift(timedelta(minutes=20))
        worker()
        assert receiver.tried == []
        clock.shift(timedelta(minutes=10))
        worker()
    assert receiver.types == ["article.published"]


def test_a_story_unpublished_before_its_time_is_never_announced(endpoint, receiver, people, commit, worker):
    story = draft_by(people["author"])
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        with commit():
            actions.schedule(actor=people["chief"], article=story, at=now + timedelta(minutes=10))
        with commit():
            actions.unpublish(actor=people["chief"], article=story)
        clock.shift(timedelta(hours=1))
        worker()
    assert receiver.tried == []
    assert set(Event.objects.values_list("status", flat=True)) == {Event.Status.SKIPPED}


def test_an_embargoed_story_is_announced_when_the_embargo_ends(endpoint, receiver, people, commit, worker):
    story = draft_by(people["author"])
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        with commit():
            actions.embargo(actor=people["chief"], article=story, until=now + timedelta(minutes=15))
            actions.publish(actor=people["chief"], article=story)
        worker()
        assert receiver.tried == []
        clock.shift(timedelta(minutes=15))
        worker()
    assert receiver.types == ["article.published"]


def test_drafts_and_stories_in_review_are_never_sent(endpoint, receiver, people, commit, worker):
    story = draft_by(people["author"])
    story.body = "<p>Unchecked claim.</p>"
    with commit():
        actions.save_article(actor=people["author"], article=story)
        actions.submit_for_review(actor=people["author"], article=story)
    live = ArticleFactory()
    with commit():
        actions.save_draft(actor=people["chief"], article=live, changes={"body": "<p>Draft of the next version.</p>"})
    worker()
    assert receiver.tried == []


def test_a_scheduled_working_draft_is_announced_once_by_the_request_that_publishes_it(
    endpoint, receiver, people, commit, worker, client
):
    live = ArticleFactory(title="Storm nears the coast")
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        with commit():
            actions.save_draft(actor=people["chief"], article=live, changes={"title": "Storm reaches the coast"})
            actions.publish_draft(actor=people["chief"], article=live, at=now + timedelta(minutes=5), any_version=True)
        clock.shift(timedelta(minutes=5))
        with commit():
            for _ in range(3):  # the first request after its second publishes it; the others find nothing
                client.get("/")
        worker()
    assert receiver.types == ["article.updated"]
    assert receiver.accepted[0]["body"]["data"]["title"] == "Storm reaches the coast"
