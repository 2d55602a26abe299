"""has_draft and draft_publish_at on the article detail: for staff only, read with the article."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import actions
from tests.drafts_api.conftest import EDITED, url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STAFF_KEYS = ("has_draft", "draft_publish_at")


def staff_fields(client, story) -> tuple:
    body = client.get(url(story)).json()
    return tuple(body[key] for key in STAFF_KEYS)


def test_staff_see_whether_a_draft_waits_and_when_it_goes_live(api, people, story):
    client = api(people["author"])  # a reporter: staff, though not allowed to edit this live story
    assert staff_fields(client, story) == (False, None)
    with time_machine.travel(EDITED, tick=False):
        draft = actions.save_draft(
            actor=people["editor"], article=story, changes={"summary": "Soon."}, base_version=story.version
        )
        assert staff_fields(client, story) == (True, None)
        actions.publish_draft(
            actor=people["editor"], article=story, draft_version=draft.version, at=EDITED + timedelta(hours=2)
        )
        assert staff_fields(client, story) == (True, "2026-05-04T12:15:00Z")
        assert client.get(url(story)).json()["summary"] == "Crews finished on Tuesday."


def test_anybody_else_gets_no_such_keys(api, people, story):
    actions.save_draft(actor=people["editor"], article=story, changes={"summary": "Soon."}, base_version=story.version)
    for client in (api(), api(UserFactory(username="reader"))):
        body = client.get(url(story)).json()
        assert not set(STAFF_KEYS) & set(body)
        assert body["summary"] == "Crews finished on Tuesday."
        listed = client.get("/api/v1/articles/").json()["results"]
        assert not any(set(STAFF_KEYS) & set(item) for item in listed)


def test_the_draft_costs_no_query_of_its_own(api, people, story):
    from tests.factories import ArticleFactory

    plain = ArticleFactory(section=story.section)
    actions.save_draft(actor=people["editor"], article=story, changes={"summary": "Soon."}, base_version=story.version)
    client = api(people["editor"])
    client.get(url(plain))  # the first request of a test also looks up the next scheduled change

    def count(article):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(article)).status_code == 200
        return len(queries)

    assert count(plain) == count(story)


def test_a_draft_costs_the_same_queries_whatever_its_lists_hold(api, people, story):
    from tests.factories import ArticleFactory, AuthorFactory, TagFactory

    client = api(people["editor"])
    lean = ArticleFactory(section=story.section)
    for article, size in ((story, 1), (lean, 12)):
        changes = {
            "summary": "Draft.",
            "tag_ids": [TagFactory().pk for _ in range(size)],
            "related_ids": [ArticleFactory().pk for _ in range(size)],
            "author_ids": [AuthorFactory().pk for _ in range(size)],
        }
        actions.save_draft(actor=people["editor"], article=article, changes=changes, base_version=article.version)
    client.get(url(story, "draft/"))  # the first request of a test also looks up the next scheduled change

    def count(article):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(article, "draft/"))
        assert response.status_code == 200
        return len(queries), len(response.json()["tags"])

    assert count(story) == (count(lean)[0], 1)  # (an empty list costs none: Django asks nothing)
    assert count(lean)[1] == 12
