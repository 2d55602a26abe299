"""GET /articles/<id>/revisions/: newest first, each with its status and sign-off chain."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import actions
from articles.models import Article
from tests.drafts_api.conftest import url
from tests.factories import SectionFactory, UserFactory
from tests.roles import draft_by

pytestmark = pytest.mark.django_db


def at(minute: int):
    return time_machine.travel(datetime(2026, 5, 4, 9, minute, tzinfo=UTC), tick=False)


def person(user, code):
    return {"user": {"id": user.pk, "username": user.username, "name": user.username}, "signoff": code}


@pytest.fixture
def history(people):
    """Rita writes, Edith edits, Rita submits, Edith approves, Carl publishes."""
    rita, edith, carl = people["author"], people["editor"], people["chief"]
    with at(0):
        article = draft_by(rita, title="Flood warning", section=SectionFactory(slug="weather"))
    with at(5):
        edited = Article.objects.get(pk=article.pk)
        edited.summary = "Rivers rising."
        actions.save_article(actor=edith, article=edited)
    with at(10):
        actions.submit_for_review(actor=rita, article=article)
    with at(15):
        actions.approve(actor=edith, article=article)
    with at(20):
        actions.publish(actor=carl, article=article)
    return article


def test_revisions_newest_first_with_status_and_chain(api, people, history):
    rita, edith, carl = people["author"], people["editor"], people["chief"]
    writer = {"role": "writer", **person(rita, "R/TA")}
    editor = {"role": "editor", **person(edith, "E/DH")}
    approver = {"role": "approver", **person(edith, "E/DH")}
    publisher = {"role": "publisher", **person(carl, "C/HF")}

    response = api(edith).get(url(history, "revisions/"))

    assert response.status_code == 200
    assert [(r["number"], r["created_at"], r["status"]) for r in response.json()] == [
        (5, "2026-05-04T09:20:00Z", "published"),
        (4, "2026-05-04T09:15:00Z", "review"),
        (3, "2026-05-04T09:10:00Z", "review"),
        (2, "2026-05-04T09:05:00Z", "draft"),
        (1, "2026-05-04T09:00:00Z", "draft"),
    ]
    newest, *_, oldest = response.json()
    assert newest == {
        "number": 5,
        "created_at": "2026-05-04T09:20:00Z",
        "note": newest["note"],
        "status": "published",
        "chain": [writer, editor, approver, publisher],
    }
    assert oldest["chain"] == [writer]
    middle = [r["chain"] for r in response.json()][1:4]
    assert middle == [[writer, editor, approver], [writer, editor], [writer, editor]]


def test_revisions_cost_the_same_queries_for_few_and_many(api, people, history):
    client = api(people["editor"])
    few = history
    many = draft_by(people["author"], title="Busy story")
    for n in range(25):
        copy = Article.objects.get(pk=many.pk)
        copy.summary = f"Update {n}"
        actions.save_article(actor=people["author"], article=copy)

    def count(article):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(article, "revisions/")).status_code == 200
        return len(queries)

    count(few)  # the first request of a test also looks up the next scheduled change
    assert count(few) == count(many) == 2  # the article, then its revisions


def test_revisions_are_for_staff(api, people, history):
    assert api().get(url(history, "revisions/")).status_code == 401
    reader = api(UserFactory(username="reader"))
    assert reader.get(url(history, "revisions/")).status_code == 403  # live: readable, but not staff
    unpublished = draft_by(people["author"], title="Hidden")
    assert reader.get(url(unpublished, "revisions/")).status_code == 404
