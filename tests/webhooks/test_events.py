"""Every event reaches a local receiver, signed, with the whole JSON body the contract names:
`{"type", "timestamp", "data"}`, `data` being what an anonymous reader of the API gets."""

import re

import pytest

import changes
from articles import actions
from articles.models import Article
from media import actions as media_actions
from tests.factories import ArticleFactory, ImageFactory
from tests.roles import draft_by
from webhooks.models import Event

pytestmark = pytest.mark.django_db

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def expected_body(event_type: str, data: dict) -> dict:
    """The body of the one event of `event_type`, its timestamp read back from the outbox."""
    event = Event.objects.get(type=event_type, status=Event.Status.SENT)
    stamp = max(event.occurred_at, event.due_at).isoformat().replace("+00:00", "Z")
    assert ISO_UTC.match(stamp)
    return {"type": event_type, "timestamp": stamp, "data": data}


def public_article(client, article) -> dict:
    response = client.get(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 200
    return response.json()


def test_publishing_sends_the_story_as_the_public_api_shows_it(endpoint, receiver, people, commit, worker, client):
    story = draft_by(people["author"], title="Bridge reopens to traffic")
    with commit():
        actions.publish(actor=people["chief"], article=story)
    worker()
    assert receiver.types == ["article.published"]
    assert receiver.accepted[0]["body"] == expected_body("article.published", public_article(client, story))
    headers = receiver.accepted[0]["headers"]
    assert headers["webhook-id"].startswith("msg_")
    assert headers["webhook-signature"].startswith("v1,")
    assert headers["content-type"] == "application/json"
    assert receiver.accepted[0]["path"] == "/hooks/newsroom?src=test"
    assert receiver.bad_signatures == 0


def test_a_change_to_a_live_story_is_an_update(endpoint, receiver, people, commit, worker, client):
    story = ArticleFactory(title="Bridge reopens")
    story.title = "Bridge reopens after two years"
    with commit():
        actions.save_article(actor=people["chief"], article=story)
    worker()
    assert receiver.types == ["article.updated"]
    body = receiver.accepted[0]["body"]
    assert body == expected_body("article.updated", public_article(client, story))
    assert body["data"]["title"] == "Bridge reopens after two years"


def test_a_working_draft_is_sent_only_once_published(endpoint, receiver, people, commit, worker, client):
    story = ArticleFactory(title="Bridge reopens")
    with commit():
        actions.save_draft(actor=people["chief"], article=story, changes={"title": "Secret draft headline"})
    worker()
    assert receiver.accepted == []
    with commit():
        actions.publish_draft(actor=people["chief"], article=story, any_version=True)
    worker()
    assert receiver.types == ["article.updated"]
    body = receiver.accepted[0]["body"]
    assert body == expected_body("article.updated", public_article(client, story))
    assert body["data"]["title"] == "Secret draft headline"


def test_unpublishing_names_the_story_only(endpoint, receiver, people, commit, worker):
    story = draft_by(people["author"])
    with commit():
        actions.publish(actor=people["chief"], article=story)
    worker()
    with commit():
        actions.unpublish(actor=people["chief"], article=story)
    worker()
    assert receiver.types == ["article.published", "article.unpublished"]
    assert receiver.accepted[1]["body"] == expected_body("article.unpublished", {"id": story.pk})


def test_deleting_a_live_story_unpublishes_it(endpoint, receiver, people, commit, worker):
    story = draft_by(people["author"])
    with commit():
        actions.publish(actor=people["chief"], article=story)
    worker()
    with commit():
        actions.delete_article(actor=people["chief"], article=story)
    worker()
    assert receiver.types == ["article.published", "article.unpublished"]
    assert receiver.accepted[1]["body"]["data"] == {"id": story.pk}


def test_a_story_receivers_never_heard_of_is_not_unpublished_to_them(endpoint, receiver, people, commit, worker):
    story = ArticleFactory()  # live before the endpoint existed
    with commit():
        actions.unpublish(actor=people["chief"], article=story)
    worker()
    assert receiver.accepted == []
    assert Event.objects.get().note == "Receivers were never told the story was published."


def test_a_correction_sends_the_story_with_its_corrections(endpoint, receiver, people, commit, worker, client):
    story = ArticleFactory()
    with commit():
        actions.add_correction(actor=people["editor"], article=story, kind="correction", text="It is 120 metres.")
    worker()
    assert receiver.types == ["article.corrected"]
    data = public_article(client, story)
    assert [c["text"] for c in data["corrections"]] == ["It is 120 metres."]
    assert receiver.accepted[0]["body"] == expected_body("article.corrected", data)


def test_a_public_media_item_change_sends_the_media_document(endpoint, receiver, editor, commit, worker, client):
    item = ImageFactory(public=True)
    with commit():
        media_actions.update_media(actor=editor, item=item, caption="Engineers at dusk")
    worker()
    assert receiver.types == ["media.updated"]
    data = client.get(f"/api/v1/media/{item.pk}/").json()
    assert data["caption"] == "Engineers at dusk"
    assert receiver.accepted[0]["body"] == expected_body("media.updated", data)


def test_a_private_media_item_change_is_not_sent(endpoint, receiver, editor, commit, worker):
    item = ImageFactory(public=False)
    with commit():
        media_actions.update_media(actor=editor, item=item, caption="Not for readers yet")
    worker()
    assert receiver.accepted == []
    assert Event.objects.get().status == Event.Status.SKIPPED


def test_only_the_subscribed_events_are_sent(receiver, hook_admin, people, commit, worker):
    from webhooks import actions as hooks

    hooks.create_endpoint(actor=hook_admin, url=receiver.url, secret=receiver.secret, events=["article.unpublished"])
    story = draft_by(people["author"])
    with commit():
        actions.publish(actor=people["chief"], article=story)
    worker()
    assert receiver.accepted == []
    assert Article.objects.live().filter(pk=story.pk).exists()


def test_nothing_is_recorded_for_a_rolled_back_change(endpoint, people):
    from django.db import transaction

    story = draft_by(people["author"])
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.publish(actor=people["chief"], article=story)
        raise RuntimeError("the action's caller fails after it")
    assert not Event.objects.exists()


def test_an_event_that_cannot_be_read_does_not_hold_back_the_next(
    endpoint, receiver, people, commit, worker, monkeypatch
):
    from webhooks import outbox

    first, second = ArticleFactory(), ArticleFactory()
    real = outbox.public_json

    def broken_for_first(kind, pk):
        if pk == first.pk:
            raise RuntimeError("serializer bug")
        return real(kind, pk)

    monkeypatch.setattr(outbox, "public_json", broken_for_first)
    with commit():
        changes.emit("article.corrected", article=first.pk)
        changes.emit("article.corrected", article=second.pk)
    worker()
    assert [entry["body"]["data"]["id"] for entry in receiver.accepted] == [second.pk]
    assert Event.objects.get(article_id=first.pk).note == "Could not be read: RuntimeError."
