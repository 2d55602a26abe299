"""`/healthz` answers what a load balancer needs: 200 while the database and the cache work,
503 (with Retry-After, never cached) naming the part that does not."""

from unittest import mock

import pytest
from django.db import OperationalError

from tests.servers import free_port

pytestmark = pytest.mark.django_db

SELECT = "django.db.backends.utils.CursorWrapper.execute"


def test_a_working_site_answers_200_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_a_database_that_fails_gives_503(client):
    client.get("/healthz")  # anything the middleware looks up once is known before the outage
    with mock.patch(SELECT, side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json()["database"] == "unavailable (OperationalError)"
    assert response.json()["cache"] == "ok"


def test_an_unreachable_redis_gives_503_naming_the_cache(client, settings):
    port = free_port()  # nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "caching.backends.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5, "RETRY_SECONDS": 5},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": "unavailable (a value written was not read back)",
    }


def test_only_reading_is_allowed(client):
    assert client.post("/healthz").status_code == 405


def test_probes_over_plain_http_are_answered_when_the_site_redirects_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
