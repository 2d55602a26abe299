"""Clients for the presence tests: the API as any of the newsroom's people, or nobody."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api(db):
    """api(user or None) -> an API client signed in as `user` (anonymous for None)."""

    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return client_for
