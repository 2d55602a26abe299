"""The newsroom roles as real users (as in tests/workflow), announcements heard, API clients."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

import changes
from tests.workflow.conftest import make_member


@pytest.fixture
def people(db):
    """{'author': Reporter, 'other': Reporter, 'editor': Editor, 'chief': Chief editor}."""
    return {
        "author": make_member("Reporter", "rita", "R/TA"),
        "other": make_member("Reporter", "omar", "O/MR"),
        "editor": make_member("Editor", "edith", "E/DH"),
        "chief": make_member("Chief editor", "carl", "C/HF"),
    }


@pytest.fixture
def heard(django_capture_on_commit_callbacks):
    """The changes announced (and committed) while the test runs."""
    found: list[changes.Change] = []
    changes.listen(found.append)
    yield found
    changes.unlisten(found.append)


@pytest.fixture
def token_client():
    """An API client signed in with a token as the given user."""

    def as_user(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        return client

    return as_user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the on-commit callbacks (the announcements) of what it wraps."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def plain_client(token_client, db):
    """Authenticated, but holding no permission at all."""
    from tests.factories import UserFactory

    return token_client(UserFactory(username="reader"))


@pytest.fixture
def editor_client(token_client, editor):
    return token_client(editor)
