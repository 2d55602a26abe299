"""GET|POST /api/v1/articles/<id>/notes/: the desk's threaded notes with @mentions, staff only."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import actions
from articles.models import Note
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

T = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TOO_BIG = 2**63


def url(article):
    return f"/api/v1/articles/{article.pk}/notes/"


def who(user) -> dict:
    return {"id": user.pk, "username": user.username, "name": user.get_full_name() or user.username}


def test_a_note_is_added_and_answered_with_its_whole_document(api, people):
    story = ArticleFactory()
    edith, carl = people["editor"], people["chief"]
    carl.first_name, carl.last_name = "Carl", "Hofer"
    carl.save()
    with time_machine.travel(T, tick=False):
        response = api(edith).post(url(story), {"body": "  Check the quote, @carl and @nobody.  "}, format="json")
    assert response.status_code == 201, response.content
    note = Note.objects.get()
    assert response.json() == {
        "id": note.pk,
        "author": who(edith),
        "body": "Check the quote, @carl and @nobody.",
        "created_at": "2026-03-02T09:30:00Z",
        "parent": None,
        "mentions": [{"id": carl.pk, "username": "carl", "name": "Carl Hofer"}],
    }


def test_the_list_reads_oldest_first_with_replies_naming_their_note(api, people):
    story = ArticleFactory()
    edith, carl = people["editor"], people["chief"]
    with time_machine.travel(T, tick=False):
        first = actions.add_note(actor=edith, article=story, body="Needs a second source.")
    with time_machine.travel(T + timedelta(minutes=1), tick=False):
        reply = api(carl).post(url(story), {"body": "On it, @edith.", "parent": first.pk}, format="json").json()
    with time_machine.travel(T + timedelta(minutes=2), tick=False):
        actions.add_note(actor=carl, article=ArticleFactory(), body="Another story's note.")
    response = api(people["author"]).get(url(story))
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": first.pk,
            "author": who(edith),
            "body": "Needs a second source.",
            "created_at": "2026-03-02T09:30:00Z",
            "parent": None,
            "mentions": [],
        },
        {
            "id": reply["id"],
            "author": who(carl),
            "body": "On it, @edith.",
            "created_at": "2026-03-02T09:31:00Z",
            "parent": first.pk,
            "mentions": [who(edith)],
        },
    ]


def test_a_note_whose_author_is_gone_has_a_null_author(api, people):
    story = ArticleFactory()
    leaver = UserFactory(username="leaver", is_staff=True, perms=["articles.view_article"])
    actions.add_note(actor=leaver, article=story, body="Bye.")
    leaver.delete()
    assert api(people["editor"]).get(url(story)).json()[0]["author"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": "bell\x07"}, "body"),
        ({"body": "Fine.", "parent": TOO_BIG}, "parent"),
        ({"body": "Fine.", "parent": 0}, "parent"),
        ({"body": "Fine.", "parent": 987654}, "parent"),
        ({"body": "Fine.", "colour": "red"}, "colour"),
    ],
)
def test_bad_notes_are_400s_naming_the_field(api, people, body, field):
    response = api(people["editor"]).post(url(ArticleFactory()), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json() and field in response.json()["detail"]
    assert not Note.objects.exists()


def test_a_reply_to_another_storys_note_is_refused(api, people):
    elsewhere = actions.add_note(actor=people["editor"], article=ArticleFactory(), body="Elsewhere.")
    response = api(people["editor"]).post(url(ArticleFactory()), {"body": "Hm.", "parent": elsewhere.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["parent"] == ["That note belongs to another story."]
    assert Note.objects.count() == 1


def test_nobody_outside_the_desk_reads_or_writes_notes(api, people):
    story = ArticleFactory()
    actions.add_note(actor=people["editor"], article=story, body="Desk only.")
    program = UserFactory(username="feedbot", perms=["articles.view_article"])  # not staff
    for client in (api(UserFactory(username="reader")), api(program)):
        for response in (client.get(url(story)), client.post(url(story), {"body": "Hi"}, format="json")):
            assert response.status_code == 404
            assert response.json() == {"detail": "No article at this URL."}
    for target in (url(story), "/api/v1/articles/999999/notes/"):
        for response in (api(None).get(target), api(None).post(target, {"body": "Hi"}, format="json")):
            assert response.status_code == 401  # asked to sign in, whether or not the story exists
            assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert Note.objects.count() == 1


def test_notes_of_a_missing_or_impossible_story_are_404(api, people):
    client = api(people["editor"])
    assert client.get("/api/v1/articles/999999/notes/").status_code == 404
    huge = client.post(f"/api/v1/articles/{TOO_BIG}/notes/", {"body": "Hi"}, format="json")
    assert huge.status_code == 404 and huge["Content-Type"].startswith("application/json")


def test_notes_never_reach_the_public_story_or_its_api(api, people, client):
    story = ArticleFactory()
    actions.add_note(actor=people["editor"], article=story, body="SECRET-DESK-NOTE about the source")
    for response in (
        client.get(story.get_absolute_url()),
        api(None).get(f"/api/v1/articles/{story.pk}/"),
        api(people["editor"]).get(f"/api/v1/articles/{story.pk}/"),
        api(None).get("/api/v1/articles/"),
    ):
        assert response.status_code == 200
        assert b"SECRET-DESK-NOTE" not in response.content


def test_the_list_costs_the_same_queries_for_one_note_or_twelve(api, people, django_assert_num_queries):
    story = ArticleFactory()
    client = api(people["editor"])
    actions.add_note(actor=people["chief"], article=story, body="First, @edith.")
    client.get(url(story))
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url(story)).json()) == 1
    for index in range(11):
        author = UserFactory(username=f"sub{index}", is_staff=True, perms=["articles.view_article"])
        actions.add_note(actor=author, article=story, body=f"Note {index} for @carl and @edith.")
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(url(story)).json()) == 12
