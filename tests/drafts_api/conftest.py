"""A live story written and published by the desk, and API clients for its people."""

from datetime import UTC, datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from articles import actions
from tests.factories import SectionFactory, TagFactory
from tests.roles import draft_by

WRITTEN = datetime(2026, 5, 4, 9, 30, 0, tzinfo=UTC)
EDITED = datetime(2026, 5, 4, 10, 15, 0, tzinfo=UTC)


@pytest.fixture
def api():
    """api(user) -> an APIClient signed in as `user` (anonymous for None)."""

    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def story(people):
    """A live story: written by Rita (reporter), published by Carl (chief editor)."""
    with time_machine.travel(WRITTEN, tick=False):
        article = draft_by(
            people["author"],
            title="Bridge reopens after repairs",
            summary="Crews finished on Tuesday.",
            body="<p>Traffic resumed by noon.</p>",
            section=SectionFactory(name="News", slug="news"),
        )
        article.tags.set([TagFactory(name="Roads", slug="roads")])
        actions.publish(actor=people["chief"], article=article)
    article.refresh_from_db()
    return article


def url(article, tail: str = "") -> str:
    return f"/api/v1/articles/{article.pk}/{tail}"
