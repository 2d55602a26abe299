"""Corrections as public data through the API: POST to publish one (dated by the server, no
If-Match), the article detail's `corrections`, who may, and what bad input is told."""

from datetime import UTC, datetime

import pytest
import time_machine

from articles.models import Article, AuditEntry, Correction
from tests.corrections.conftest import corrections_url
from tests.factories import ArticleFactory, UserFactory
from urlkit.converters import MAX_ID

pytestmark = pytest.mark.django_db

AT = datetime(2027, 1, 5, 9, 15, 0, tzinfo=UTC)


def test_an_editor_publishes_a_correction_dated_by_the_server(api, people, story):
    with time_machine.travel(AT, tick=False):
        response = api(people["editor"]).post(
            corrections_url(story),
            {"kind": "correction", "text": "An earlier version gave the wrong span: it is 120 metres."},
            format="json",
        )
    assert response.status_code == 201, response.content
    assert response.json() == {
        "kind": "correction",
        "text": "An earlier version gave the wrong span: it is 120 metres.",
        "published_at": "2027-01-05T09:15:00Z",
    }
    detail = api(None).get(f"/api/v1/articles/{story.pk}/").json()
    assert detail["corrections"] == [response.json()]
    assert api(None).get(corrections_url(story)).json() == [response.json()]

    [entry] = AuditEntry.objects.filter(action="correct")
    assert (entry.actor, entry.article_id) == (people["editor"], story.pk)
    assert entry.details["kind"] == "correction"


def test_corrections_run_oldest_first_and_keep_the_story_version(api, people, story):
    before = api(people["editor"]).get(f"/api/v1/articles/{story.pk}/")
    for moment, kind, text in (
        (datetime(2027, 1, 5, 9, 0, tzinfo=UTC), "clarification", "The mayor spoke for the council."),
        (datetime(2027, 1, 5, 12, 0, tzinfo=UTC), "update", "The bridge reopened at noon."),
    ):
        with time_machine.travel(moment, tick=False):
            assert api(people["editor"]).post(corrections_url(story), {"kind": kind, "text": text}).status_code == 201
    detail = api(None).get(f"/api/v1/articles/{story.pk}/").json()
    assert [(c["kind"], c["published_at"]) for c in detail["corrections"]] == [
        ("clarification", "2027-01-05T09:00:00Z"),
        ("update", "2027-01-05T12:00:00Z"),
    ]
    stored = Article.objects.get(pk=story.pk)
    assert stored.updated_at == datetime(2027, 1, 5, 12, 0, tzinfo=UTC)  # feeds and sitemaps see a change
    assert stored.version == story.version
    # An editor's open form is not made stale by a correction: the version did not move.
    edit = api(people["editor"]).patch(
        f"/api/v1/articles/{story.pk}/", {"summary": "Open again."}, format="json", HTTP_IF_MATCH=before["ETag"]
    )
    assert edit.status_code == 200, edit.content


def test_who_may_correct(api, people, story):
    body = {"kind": "correction", "text": "Fixed."}
    anonymous = api(None).post(corrections_url(story), body)
    assert anonymous.status_code == 401
    reporter = api(people["author"]).post(corrections_url(story), body)
    assert (reporter.status_code, reporter.json()) == (
        403,
        {"detail": "Only editors who may publish may add corrections."},
    )
    outsider = api(UserFactory(username="reader")).post(corrections_url(story), body)
    assert outsider.status_code == 403
    assert not Correction.objects.exists()


def test_only_a_live_story_takes_corrections(api, people):
    draft = ArticleFactory(title="Not out yet", draft=True)
    answer = api(people["chief"]).post(corrections_url(draft), {"kind": "update", "text": "Too early."})
    assert answer.status_code == 409
    assert answer.json() == {"detail": "Only a published story takes corrections; change this one directly instead."}
    hidden = api(UserFactory(username="reader")).post(corrections_url(draft), {"kind": "update", "text": "x"})
    assert hidden.status_code == 404  # a reader cannot learn the draft exists
    assert api(None).get(corrections_url(draft)).status_code == 404
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    "body,field,message",
    [
        ({"kind": "erratum", "text": "x"}, "kind", '"erratum" is not a valid choice.'),
        ({"kind": "correction", "text": "   "}, "text", "This field may not be blank."),
        ({"kind": "correction", "text": "x" * 2001}, "text", "Ensure this field has no more than 2000 characters."),
        ({"kind": "correction"}, "text", "This field is required."),
        (
            {"kind": "correction", "text": "ok", "published_at": "2001-01-01T00:00:00Z"},
            "published_at",
            "Unknown field.",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(api, people, story, body, field, message):
    answer = api(people["editor"]).post(corrections_url(story), body, format="json")
    assert answer.status_code == 400
    assert answer.json()[field] == [message]
    assert not Correction.objects.exists()


def test_control_characters_are_refused(api, people, story):
    answer = api(people["editor"]).post(
        corrections_url(story), {"kind": "update", "text": "Bad\x07bell"}, format="json"
    )
    assert answer.status_code == 400 and "text" in answer.json()
    assert not Correction.objects.exists()


def test_missing_and_huge_ids_are_json_404s(api, people):
    for pk in (MAX_ID, 10**30):
        answer = api(people["editor"]).post(f"/api/v1/articles/{pk}/corrections/", {"kind": "update", "text": "x"})
        assert answer.status_code == 404 and answer["Content-Type"].startswith("application/json")


def test_hostile_text_is_data(api, people, story):
    text = '<script>alert("c")</script> & "quotes"'
    assert api(people["editor"]).post(corrections_url(story), {"kind": "update", "text": text}).status_code == 201
    assert api(None).get(corrections_url(story)).json()[0]["text"] == text
