"""GET|POST|DELETE /api/v1/articles/<id>/presence/ and POST …/presence/take-over/: who has a story
open, calling in, leaving and taking over, for the desk's staff only."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import actions
from articles.models import AuditEntry
from tests.factories import ArticleFactory, UserFactory
from tests.roles import draft_by

pytestmark = pytest.mark.django_db

T = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TOO_BIG = 2**63


def url(article, tail=""):
    return f"/api/v1/articles/{article.pk}/presence/{tail}"


def who(user) -> dict:
    return {"id": user.pk, "username": user.username, "name": user.get_full_name() or user.username}


def test_the_list_names_everyone_with_the_story_open_earliest_first(api, people):
    story = ArticleFactory()
    edith, carl = people["editor"], people["chief"]
    edith.first_name, edith.last_name = "Edith", "Ward"
    edith.save()
    with time_machine.travel(T, tick=False):
        actions.check_in(actor=edith, article=story, opening=True)
    with time_machine.travel(T + timedelta(seconds=20), tick=False):
        actions.check_in(actor=carl, article=story, opening=True)
    with time_machine.travel(T + timedelta(seconds=30), tick=False):
        actions.check_in(actor=edith, article=story)
        response = api(carl).get(url(story))
    assert response.status_code == 200
    assert response.json() == [
        {
            "user": {"id": edith.pk, "username": "edith", "name": "Edith Ward"},
            "since": "2026-03-02T09:30:00Z",
            "last_seen": "2026-03-02T09:30:30Z",
        },
        {"user": who(carl), "since": "2026-03-02T09:30:20Z", "last_seen": "2026-03-02T09:30:20Z"},
    ]


def test_someone_silent_for_ninety_seconds_is_no_longer_listed(api, people):
    story = ArticleFactory()
    with time_machine.travel(T, tick=False):
        actions.check_in(actor=people["editor"], article=story, opening=True)
    with time_machine.travel(T + timedelta(seconds=91), tick=False):
        assert api(people["chief"]).get(url(story)).json() == []


def test_calling_in_answers_everyone_the_holder_and_no_take_over(api, people):
    story = ArticleFactory()
    edith, carl = people["editor"], people["chief"]
    with time_machine.travel(T, tick=False):
        actions.check_in(actor=edith, article=story, opening=True)
    with time_machine.travel(T + timedelta(seconds=5), tick=False):
        response = api(carl).post(url(story), {"opening": True}, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "present": [
            {"user": who(edith), "since": "2026-03-02T09:30:00Z", "last_seen": "2026-03-02T09:30:00Z"},
            {"user": who(carl), "since": "2026-03-02T09:30:05Z", "last_seen": "2026-03-02T09:30:05Z"},
        ],
        "holder": who(edith),
        "taken_over_by": None,
    }


def test_a_call_in_without_a_body_is_a_heartbeat(api, people):
    story = ArticleFactory()
    with time_machine.travel(T, tick=False):
        actions.check_in(actor=people["editor"], article=story, opening=True)
    with time_machine.travel(T + timedelta(seconds=5), tick=False):
        body = api(people["editor"]).post(url(story)).json()
    assert body["present"] == [
        {"user": who(people["editor"]), "since": "2026-03-02T09:30:00Z", "last_seen": "2026-03-02T09:30:05Z"}
    ]


def test_taking_over_tells_the_one_taken_over_on_their_next_call_in(api, people):
    story = ArticleFactory()
    edith, carl = people["editor"], people["chief"]
    with time_machine.travel(T, tick=False):
        api(edith).post(url(story), {"opening": True}, format="json")
    with time_machine.travel(T + timedelta(seconds=10), tick=False):
        api(carl).post(url(story), {"opening": True}, format="json")
        taken = api(carl).post(url(story, "take-over/"))
    assert taken.status_code == 200
    assert taken.json()["holder"] == who(carl)
    assert taken.json()["taken_over_by"] is None
    with time_machine.travel(T + timedelta(seconds=15), tick=False):
        heartbeat = api(edith).post(url(story)).json()
    assert heartbeat["taken_over_by"] == {"user": who(carl), "at": "2026-03-02T09:30:10Z"}
    assert heartbeat["holder"] == who(carl)
    assert AuditEntry.objects.filter(action="take_over", actor=carl).count() == 1


def test_leaving_takes_the_caller_off_the_list(api, people):
    story = ArticleFactory()
    edith = people["editor"]
    api(edith).post(url(story), {"opening": True}, format="json")
    response = api(edith).delete(url(story))
    assert response.status_code == 204
    assert api(edith).get(url(story)).json() == []


def test_a_reporter_sees_who_is_in_but_may_not_take_over_someone_elses_story(api, people):
    story = draft_by(people["author"])
    actions.check_in(actor=people["author"], article=story, opening=True)
    omar = api(people["other"])
    assert [row["user"]["username"] for row in omar.get(url(story)).json()] == ["rita"]
    refused = omar.post(url(story, "take-over/"))
    assert refused.status_code == 403 and refused.json()["detail"]


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_nobody_outside_the_desk_learns_anything_not_even_that_the_story_exists(api, method):
    story = ArticleFactory()
    outsider = UserFactory(username="reader")
    token_program = UserFactory(username="feedbot", perms=[])
    for client in (api(outsider), api(token_program)):
        for target in (url(story), "/api/v1/articles/999999/presence/"):
            response = getattr(client, method)(target)
            assert response.status_code == 404, (method, target, response.content)
            assert response.json() == {"detail": "No article at this URL."}
    for target in (url(story), "/api/v1/articles/999999/presence/", url(story, "take-over/")):
        response = getattr(api(None), method)(target)
        assert response.status_code == 401, (method, target, response.content)
        assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_huge_ids_are_json_404s(api, people):
    client = api(people["chief"])
    for target in (f"/api/v1/articles/{TOO_BIG}/presence/", f"/api/v1/articles/{10**30}/presence/take-over/"):
        response = client.post(target)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")


def test_a_malformed_call_in_is_a_400_naming_the_field(api, people):
    response = api(people["editor"]).post(url(ArticleFactory()), {"opening": "perhaps"}, format="json")
    assert response.status_code == 400
    assert "opening" in response.json() and "opening" in response.json()["detail"]


def test_the_list_costs_the_same_queries_for_one_person_or_six(api, people, django_assert_num_queries):
    story = ArticleFactory()
    client = api(people["chief"])
    actions.check_in(actor=people["editor"], article=story)
    client.get(url(story))  # sessions and permissions read once
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url(story)).json()) == 1
    for index in range(5):
        actions.check_in(
            actor=UserFactory(username=f"sub{index}", is_staff=True, perms=["articles.view_article"]), article=story
        )
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(url(story)).json()) == 6
