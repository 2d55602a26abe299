"""If-Match on the working draft: the article's ETag starts it, the draft's ETag changes it."""

import pytest

from articles.models import WorkingDraft
from tests.drafts_api.conftest import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api, people):
    return api(people["editor"])


def start(client, story, body=None):
    etag = client.get(url(story))["ETag"]
    response = client.patch(url(story, "draft/"), body or {"summary": "First."}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 201, response.content
    return etag, response["ETag"]


@pytest.mark.parametrize(
    ("method", "tail"), [("put", "draft/"), ("patch", "draft/"), ("delete", "draft/"), ("post", "draft/publish/")]
)
def test_without_if_match_is_428(client, story, method, tail):
    start(client, story)
    response = getattr(client, method)(url(story, tail), {"summary": "x"}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]


def test_the_article_etag_once_a_draft_exists_is_412(client, story):
    article_etag, _ = start(client, story)
    response = client.patch(url(story, "draft/"), {"summary": "Again."}, format="json", HTTP_IF_MATCH=article_etag)
    assert response.status_code == 412
    assert response.json() == {
        "detail": "This story already has a working draft; name its ETag to change it.",
        "current_version": 1,
        "your_version": None,
    }
    assert WorkingDraft.objects.get(article=story).data["summary"] == "First."


def test_a_stale_draft_etag_is_412_naming_both_versions(client, story):
    _, first = start(client, story)
    second = client.patch(url(story, "draft/"), {"summary": "Two."}, format="json", HTTP_IF_MATCH=first)
    assert second.status_code == 200
    response = client.patch(url(story, "draft/"), {"summary": "Lost?"}, format="json", HTTP_IF_MATCH=first)
    assert response.status_code == 412
    assert response.json() == {
        "detail": "The working draft was changed by someone else (your version 1, current 2). Nothing was saved.",
        "current_version": 2,
        "your_version": 1,
    }
    assert WorkingDraft.objects.get(article=story).data["summary"] == "Two."


def test_a_draft_etag_after_discard_is_412_even_when_a_new_draft_started(client, story):
    _, old = start(client, story)
    assert client.delete(url(story, "draft/"), HTTP_IF_MATCH=old).status_code == 204
    gone = client.patch(url(story, "draft/"), {"summary": "Into the void."}, format="json", HTTP_IF_MATCH=old)
    assert gone.status_code == 412
    assert gone.json()["current_version"] is None
    start(client, story, {"summary": "A new one."})  # version 1 again, but another draft
    for response in (
        client.patch(url(story, "draft/"), {"summary": "Over it?"}, format="json", HTTP_IF_MATCH=old),
        client.delete(url(story, "draft/"), HTTP_IF_MATCH=old),
        client.post(url(story, "draft/publish/"), {}, format="json", HTTP_IF_MATCH=old),
    ):
        assert response.status_code == 412
        assert response.json()["your_version"] == 1
    assert WorkingDraft.objects.get(article=story).data["summary"] == "A new one."


def test_a_stale_article_etag_starting_a_draft_is_412(client, story):
    etag = client.get(url(story))["ETag"]
    client.patch(url(story), {"title": "Changed live"}, format="json", HTTP_IF_MATCH=etag)
    response = client.patch(url(story, "draft/"), {"summary": "x"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert (response.json()["current_version"], response.json()["your_version"]) == (story.version + 1, story.version)
    assert not WorkingDraft.objects.filter(article=story).exists()


def test_star_matches_any_version(client, story):
    start(client, story)
    response = client.patch(url(story, "draft/"), {"summary": "Forced."}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert client.delete(url(story, "draft/"), HTTP_IF_MATCH="*").status_code == 204
    assert client.delete(url(story, "draft/"), HTTP_IF_MATCH="*").status_code == 404


def test_discard_and_publish_refuse_the_article_etag(client, story):
    article_etag, _ = start(client, story)
    for response in (
        client.delete(url(story, "draft/"), HTTP_IF_MATCH=article_etag),
        client.post(url(story, "draft/publish/"), {}, format="json", HTTP_IF_MATCH=article_etag),
    ):
        assert response.status_code == 428
        assert "working draft's ETag" in response.json()["detail"]


def test_an_etag_of_another_story_is_428(client, story, people):
    from tests.factories import ArticleFactory

    other = ArticleFactory()
    other_etag = client.get(url(other))["ETag"]
    response = client.patch(url(story, "draft/"), {"summary": "x"}, format="json", HTTP_IF_MATCH=other_etag)
    assert response.status_code == 428
