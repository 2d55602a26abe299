"""Clients for the API tests: anonymous, signed in without permissions, and an editor by token."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def plain_user(db):
    """Authenticated, but holding no permission at all."""
    return UserFactory(username="reader")


@pytest.fixture
def plain_client(plain_user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=plain_user).key}")
    return client


@pytest.fixture
def editor_client(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client
