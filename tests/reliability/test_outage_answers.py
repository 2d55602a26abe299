"""What each kind of failure answers, in-process: outages 503 + Retry-After, bugs still 500.

tests/reliability/test_outages.py shows the real thing (gunicorn, a database that refuses or
never answers); these tests cover the other ways an outage reaches the reader: SQLite locked
past its busy timeout, the cache's connection errors, and an outage raised inside another
middleware rather than a view.
"""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from hardening.outages import OutageMiddleware

pytestmark = pytest.mark.django_db

EXECUTE = "django.db.backends.utils.CursorWrapper.execute"


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_a_locked_sqlite_database_gives_the_outage_page(client):
    with mock.patch(EXECUTE, side_effect=OperationalError("database is locked")):
        response = client.get("/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "back in a moment" in response.content.decode()


def test_a_cache_outage_in_the_api_gives_json(client):
    with mock.patch(EXECUTE, side_effect=RedisConnectionError("Error 111 connecting to 127.0.0.1:6379")):
        response = client.get("/api/v1/articles/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "unavailable" in response.json()["detail"]


def test_a_bug_is_still_a_server_error(client):
    with mock.patch(EXECUTE, side_effect=ValueError("a mistake in the code")):
        response = client.get("/")
    assert response.status_code == 500
    assert not response.has_header("Retry-After")


class FailingMiddleware:
    """Stands for a middleware (sessions, the page cache) that meets the outage itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: timeout expired")


def test_an_outage_inside_another_middleware_gives_503(client, settings):
    middleware = [
        f"{OutageMiddleware.__module__}.{OutageMiddleware.__name__}",
        f"{__name__}.{FailingMiddleware.__name__}",
    ]
    with override_settings(MIDDLEWARE=middleware + [m for m in settings.MIDDLEWARE if m not in middleware]):
        page = client.get("/")
        api = client.get("/api/v1/sections/")
    assert page.status_code == 503 and "back in a moment" in page.content.decode()
    assert api.status_code == 503 and "unavailable" in api.json()["detail"]
    assert page["Retry-After"] == api["Retry-After"]
