"""GET|PUT|DELETE /api/v1/articles/<id>/autosave/: each person's own unsaved text of a story,
never a revision and never public."""

from datetime import UTC, datetime

import pytest
import time_machine

from articles.models import Autosave, Revision
from tests.factories import ArticleFactory, UserFactory
from tests.roles import draft_by

pytestmark = pytest.mark.django_db

T = datetime(2026, 3, 2, 9, 30, 15, tzinfo=UTC)
TOO_BIG = 2**63


def url(article):
    return f"/api/v1/articles/{article.pk}/autosave/"


def test_typed_fields_are_kept_read_back_and_forgotten(api, people):
    story = ArticleFactory(title="Bridge reopens")
    client = api(people["editor"])
    typed = {"title": "Bridge reopens at dawn", "body": "<p>Crews worked\r\nall night.</p>", "tags": ["3", "7"]}
    with time_machine.travel(T, tick=False):
        saved = client.put(url(story), {"data": typed, "base_version": story.version}, format="json")
    assert saved.status_code == 200, saved.content
    expected = {"data": typed, "base_version": story.version, "saved_at": "2026-03-02T09:30:15Z"}
    assert saved.json() == expected
    assert client.get(url(story)).json() == expected
    assert client.delete(url(story)).status_code == 204
    missing = client.get(url(story))
    assert missing.status_code == 404 and missing.json() == {"detail": "You have no autosaved text of this story."}


def test_an_autosave_is_never_a_revision_nor_public(api, people, client):
    story = ArticleFactory(title="Bridge reopens")
    revisions = Revision.objects.count()
    api(people["editor"]).put(url(story), {"data": {"title": "UNSAVED-TITLE"}}, format="json")
    story.refresh_from_db()
    assert story.title == "Bridge reopens" and Revision.objects.count() == revisions
    assert b"UNSAVED-TITLE" not in client.get(story.get_absolute_url()).content
    assert b"UNSAVED-TITLE" not in api(people["chief"]).get(f"/api/v1/articles/{story.pk}/").content


def test_each_person_reads_only_their_own(api, people):
    story = ArticleFactory()
    api(people["editor"]).put(url(story), {"data": {"title": "Edith's"}}, format="json")
    assert api(people["chief"]).get(url(story)).status_code == 404
    api(people["chief"]).delete(url(story))
    assert Autosave.objects.get().data == {"title": "Edith's"}


def test_a_reporter_autosaves_their_own_draft_but_not_someone_elses(api, people):
    mine = draft_by(people["author"])
    theirs = draft_by(people["other"])
    rita = api(people["author"])
    assert rita.put(url(mine), {"data": {"title": "Mine"}}, format="json").status_code == 200
    refused = rita.put(url(theirs), {"data": {"title": "Theirs"}}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == "You may not edit this article."


def test_nobody_outside_the_desk_reaches_an_autosave(api, people):
    story = ArticleFactory()
    for client, answer in (
        (api(None), (401, {"detail": "Authentication credentials were not provided."})),
        (api(UserFactory(username="reader")), (404, {"detail": "No article at this URL."})),
    ):
        for response in (
            client.get(url(story)),
            client.put(url(story), {"data": {"title": "x"}}, format="json"),
            client.delete(url(story)),
        ):
            assert (response.status_code, response.json()) == answer
    assert not Autosave.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "data"),
        ({"data": "title"}, "data"),
        ({"data": {"title": 5}}, "data"),
        ({"data": {"title": {"nested": "x"}}}, "data"),
        ({"data": {"title": "nul\x00"}}, "data"),
        ({"data": {"title": "x"}, "base_version": 2**31}, "base_version"),
        ({"data": {"title": "x"}, "base_version": "one"}, "base_version"),
        ({"data": {"title": "x"}, "saved_at": "2020-01-01T00:00:00Z"}, "saved_at"),
    ],
)
def test_malformed_autosaves_are_400s_naming_the_field(api, people, body, field):
    response = api(people["editor"]).put(url(ArticleFactory()), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json() and field in response.json()["detail"]
    assert not Autosave.objects.exists()


def test_a_huge_autosave_is_refused(api, people):
    response = api(people["editor"]).put(
        url(ArticleFactory()), {"data": {"body": "x" * (3 * 1024 * 1024)}}, format="json"
    )
    assert response.status_code == 400
    assert "at most 2 MB" in response.json()["detail"]
    assert not Autosave.objects.exists()


def test_huge_ids_are_json_404s(api, people):
    response = api(people["editor"]).put(f"/api/v1/articles/{TOO_BIG}/autosave/", {"data": {}}, format="json")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
