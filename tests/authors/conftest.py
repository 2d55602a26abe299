"""API clients for the authors tests (roles as users and announcements heard come from tests/conftest.py)."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


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
