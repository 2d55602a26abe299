"""The working draft of a live story through the API, its JSON asserted whole."""

import re

import pytest
import time_machine

from articles.models import Article, WorkingDraft
from tests.drafts_api.conftest import EDITED, url

pytestmark = pytest.mark.django_db

ETAG = re.compile(r'^"a(\d+)d(\d+)v(\d+)-[0-9a-f]{32}"$')


def edith(people):
    return {"id": people["editor"].pk, "username": "edith", "name": "edith"}


def expected_draft(story, people, **changes):
    draft = {
        "title": "Bridge reopens after repairs",
        "slug": story.slug,
        "kind": "text",
        "summary": "Crews finished on Tuesday.",
        "body_html": "<p>Traffic resumed by noon.</p>",
        "section": "news",
        "tags": ["roads"],
        "signoff": story.signoff,
        "source": story.source,
        "language": "en",
        "lead_media": None,
        "pinned": False,
        "related_ids": [],
        "author_ids": [],
        "version": 1,
        "base_version": story.version,
        "publish_at": None,
        "problem": "",
        "created_by": edith(people),
        "updated_by": edith(people),
        "created_at": "2026-05-04T10:15:00Z",
        "updated_at": "2026-05-04T10:15:00Z",
        "live_changes": [],
    }
    return {**draft, **changes}


def start_draft(client, story, body):
    etag = client.get(url(story))["ETag"]
    with time_machine.travel(EDITED, tick=False):
        return client.patch(url(story, "draft/"), body, format="json", HTTP_IF_MATCH=etag)


def test_no_draft_is_a_404_and_the_first_save_starts_one(api, story, people):
    client = api(people["editor"])
    assert client.get(url(story, "draft/")).json() == {"detail": "This story has no working draft."}

    response = start_draft(client, story, {"title": "Bridge reopens <b>early</b>", "body_html": "<p>By 11.</p>"})

    assert response.status_code == 201, response.content
    expected = expected_draft(
        story,
        people,
        title="Bridge reopens <b>early</b>",
        body_html="<p>By 11.</p>",
        live_changes=["title", "body_html"],
    )
    assert response.json() == expected
    draft = WorkingDraft.objects.get(article=story)
    assert ETAG.match(response["ETag"]).groups() == (str(story.pk), str(draft.pk), "1")
    again = client.get(url(story, "draft/"))
    assert again.json() == expected and again["ETag"] == response["ETag"]
    # readers still see the live story
    assert api().get(url(story)).json()["title"] == "Bridge reopens after repairs"
    assert Article.objects.get(pk=story.pk).version == story.version


def test_later_saves_name_the_draft_etag_and_put_takes_whole_content(api, story, people):
    client = api(people["editor"])
    first = start_draft(client, story, {"summary": "Crews finished early."})
    with time_machine.travel(EDITED, tick=False):
        response = client.put(
            url(story, "draft/"),
            {"title": "Bridge open again", "section": "news", "tags": [], "related_ids": [], "author_ids": []},
            format="json",
            HTTP_IF_MATCH=first["ETag"],
        )
    assert response.status_code == 200, response.content
    assert response.json() == expected_draft(
        story,
        people,
        title="Bridge open again",
        summary="Crews finished early.",
        tags=[],
        version=2,
        live_changes=["title", "summary", "tags"],
    )
    assert ETAG.match(response["ETag"])[3] == "2"


def test_discard_leaves_the_live_story_as_it_was(api, story, people):
    client = api(people["editor"])
    draft = start_draft(client, story, {"summary": "Never mind."})
    response = client.delete(url(story, "draft/"), HTTP_IF_MATCH=draft["ETag"])
    assert response.status_code == 204
    assert not WorkingDraft.objects.filter(article=story).exists()
    assert client.get(url(story, "draft/")).status_code == 404
    assert client.get(url(story)).json()["summary"] == "Crews finished on Tuesday."


def test_publish_now_answers_the_live_article(api, story, people):
    client = api(people["editor"])
    draft = start_draft(client, story, {"summary": "Crews finished early."})
    response = client.post(url(story, "draft/publish/"), {}, format="json", HTTP_IF_MATCH=draft["ETag"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["summary"], body["has_draft"], body["draft_publish_at"]) == (
        story.pk,
        "Crews finished early.",
        False,
        None,
    )
    assert response["ETag"].startswith(f'"a{story.pk}v{story.version + 1}-')
    assert api().get(url(story)).json()["summary"] == "Crews finished early."


def test_schedule_answers_the_draft_and_unschedule_cancels_it(api, story, people):
    client = api(people["editor"])
    draft = start_draft(client, story, {"summary": "Later."})
    with time_machine.travel(EDITED, tick=False):
        scheduled = client.post(
            url(story, "draft/publish/"), {"at": "2026-05-04T18:00:00Z"}, format="json", HTTP_IF_MATCH=draft["ETag"]
        )
        assert scheduled.status_code == 202, scheduled.content
        assert scheduled.json() == expected_draft(
            story, people, summary="Later.", publish_at="2026-05-04T18:00:00Z", live_changes=["summary"]
        )
        detail = client.get(url(story)).json()
        assert (detail["has_draft"], detail["draft_publish_at"]) == (True, "2026-05-04T18:00:00Z")
        cancelled = client.delete(url(story, "draft/publish/"), HTTP_IF_MATCH=scheduled["ETag"])
        assert cancelled.status_code == 200
        assert cancelled.json()["publish_at"] is None
        past = client.post(
            url(story, "draft/publish/"), {"at": "2026-05-04T08:00:00Z"}, format="json", HTTP_IF_MATCH=cancelled["ETag"]
        )
    assert past.status_code == 400
    assert "future" in past.json()["detail"]


def test_a_scheduled_draft_goes_live_at_its_second(api, story, people, django_capture_on_commit_callbacks):
    client = api(people["editor"])
    draft = start_draft(client, story, {"summary": "At six."})
    # committed, so that what listens to the change (the page cache, the next-due moment) hears it
    with time_machine.travel(EDITED, tick=False), django_capture_on_commit_callbacks(execute=True):
        at = {"at": "2026-05-04T18:00:00Z"}
        client.post(url(story, "draft/publish/"), at, format="json", HTTP_IF_MATCH=draft["ETag"])
    with time_machine.travel("2026-05-04T17:59:59Z", tick=False):
        assert api().get(url(story)).json()["summary"] == "Crews finished on Tuesday."
    with time_machine.travel("2026-05-04T18:00:00Z", tick=False):
        assert api().get(url(story)).json()["summary"] == "At six."


def test_live_patch_beside_a_draft_then_publish_applies_only_the_draft_changes(api, story, people):
    client = api(people["editor"])
    draft = start_draft(client, story, {"summary": "Draft summary."})
    etag = client.get(url(story))["ETag"]
    live = client.patch(url(story), {"title": "Live headline"}, format="json", HTTP_IF_MATCH=etag)
    assert live.status_code == 200 and live.json()["has_draft"] is True
    published = client.post(url(story, "draft/publish/"), {}, format="json", HTTP_IF_MATCH=draft["ETag"])
    assert published.status_code == 200, published.content
    assert (published.json()["title"], published.json()["summary"]) == ("Live headline", "Draft summary.")


def test_publishing_over_a_live_change_of_the_same_field_is_a_409(api, story, people):
    client = api(people["editor"])
    draft = start_draft(client, story, {"title": "Draft headline"})
    client.patch(url(story), {"title": "Live headline"}, format="json", HTTP_IF_MATCH=client.get(url(story))["ETag"])
    response = client.post(url(story, "draft/publish/"), {}, format="json", HTTP_IF_MATCH=draft["ETag"])
    assert response.status_code == 409
    assert response.json() == {
        "detail": "The live story changed since this draft started (Title); publishing the draft would overwrite "
        "that. Nothing was published: bring those fields up to date in the draft first.",
        "fields": ["title"],
    }
    assert client.get(url(story)).json()["title"] == "Live headline"
    assert WorkingDraft.objects.filter(article=story).exists()


def test_a_story_that_is_not_published_has_no_draft_409(api, people):
    from tests.roles import draft_by

    article = draft_by(people["author"], title="Not out yet")
    client = api(people["editor"])
    etag = client.get(url(article))["ETag"]
    response = client.patch(url(article, "draft/"), {"title": "X"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Only a published story has a working draft; change this one directly with PATCH on the article."
    }
    assert client.get(url(article, "draft/")).status_code == 404


def test_a_conflict_names_fields_as_the_api_does(api, story, people):
    client = api(people["editor"])
    draft = start_draft(client, story, {"body_html": "<p>Draft body.</p>", "tags": []})
    etag = client.get(url(story))["ETag"]
    client.patch(url(story), {"body_html": "<p>Live body.</p>", "tags": []}, format="json", HTTP_IF_MATCH=etag)
    etag = client.get(url(story))["ETag"]
    client.patch(url(story), {"body_html": "<p>Live body, again.</p>"}, format="json", HTTP_IF_MATCH=etag)
    response = client.post(url(story, "draft/publish/"), {}, format="json", HTTP_IF_MATCH=draft["ETag"])
    assert response.status_code == 409
    assert response.json()["fields"] == ["body_html"]  # tags: both sides emptied them, so no conflict
