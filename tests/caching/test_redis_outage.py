"""Redis down is a slower site, not a broken one; it comes back by itself when Redis does.

Before caching.backends, every request touching the cache (every page, the API's
throttle, the admin's navigation) answered 500 while CACHE_URL named an unreachable Redis.
These tests use Django's RedisCache settings the way settings.py makes them from CACHE_URL, on
a port nothing listens on, and on a redis-server of their own that they stop and start again.
"""

import logging
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from articles import actions
from caching import backends as cache_backends
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
RETRY_SECONDS = 0.3  # the back-off, short here so that the test sees the recovery quickly


def redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "caching.backends.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"nr-outage-{os.getpid()}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5, "RETRY_SECONDS": RETRY_SECONDS},
        }
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _fresh_health():
    """Each test starts with every Redis location taken to be reachable."""
    cache_backends._health.clear()
    yield
    cache_backends._health.clear()


@pytest.fixture
def unreachable(settings):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there


class RedisServer:
    """A redis-server of the test's own, on a free port, that the test can stop and start."""

    def __init__(self, directory):
        self.port, self.directory, self.process = free_port(), directory, None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start within 10 s"
                time.sleep(0.05)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def pause(self):
        """Redis stops answering but keeps what it holds (a hung host, a network partition)."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def redis_server(tmp_path, settings):
    if not shutil.which("redis-server"):
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed in CI")
        pytest.skip("redis-server is not installed; the stop-and-start test needs its own Redis")
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{server.port}/0")
    yield server
    if server.process.poll() is None:
        server.resume()
        server.stop()


def outage_warnings(caplog):
    return [r for r in caplog.records if r.name == "caching.generations" and "unreachable" in r.getMessage()]


def test_pages_api_and_admin_work_while_redis_is_unreachable(client, unreachable, caplog):
    caplog.set_level(logging.WARNING, logger="caching.generations")
    article = ArticleFactory(title="Story read without a cache")
    urls = ["/", article.get_absolute_url(), reverse("article-list"), reverse("admin:login"), "/feeds/rss/"]
    for _ in range(3):
        for url in urls:
            assert client.get(url).status_code == 200, url
    assert "Story read without a cache" in client.get(article.get_absolute_url()).content.decode()
    assert len(outage_warnings(caplog)) == 1
    # Nothing is stored meanwhile, so nothing can be stale: an unpublished story is gone at once.
    actions.unpublish(actor=None, article=article)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_an_editor_can_sign_in_while_redis_is_unreachable(client, unreachable):
    """Sessions are kept in the database, never in the cache."""
    UserFactory(username="desk", is_staff=True)  # no second factor asked of this role
    response = client.post(reverse("admin:login"), {"username": "desk", "password": "pass-word-123"})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_down_redis_costs_no_connection_attempt_per_call(unreachable):
    """Within the back-off the cache answers at once, without asking Redis."""
    cache.get("anything")  # the failure that starts the back-off
    started = time.monotonic()
    for _ in range(200):
        assert cache.get("anything", "missing") == "missing"
        cache.set("anything", 1)
    assert time.monotonic() - started < 0.25 * 2  # fewer than two connect timeouts for 400 calls


def test_the_warning_repeats_at_most_once_a_minute(settings, caplog):
    caplog.set_level(logging.WARNING, logger="caching.generations")
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{free_port()}/0")
    settings.CACHES["default"]["OPTIONS"]["RETRY_SECONDS"] = 0  # ask Redis on every call
    for _ in range(20):
        cache.get("anything")
    assert len(outage_warnings(caplog)) == 1


def test_the_site_recovers_by_itself_when_redis_returns(client, redis_server, caplog):
    caplog.set_level(logging.WARNING, logger="caching.generations")
    article = ArticleFactory(title="Story that stays")
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    redis_server.stop()
    for _ in range(5):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert client.get(reverse("article-list")).status_code == 200
    assert len(outage_warnings(caplog)) == 1

    redis_server.start()
    time.sleep(RETRY_SECONDS)
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    assert any("answers again" in r.getMessage() for r in caplog.records if r.name == "caching.generations")


def test_a_change_made_while_redis_did_not_answer_is_seen_when_it_does(client, redis_server):
    """Redis kept its pages through the outage, but the change could not move the generation
    there: the first call that finds Redis back starts a new one, so the old page is not served."""
    withdrawn = ArticleFactory(title="Story withdrawn during the outage")
    client.get(withdrawn.get_absolute_url())
    assert client.get(withdrawn.get_absolute_url())["X-Page-Cache"] == "hit"

    redis_server.pause()
    actions.unpublish(actor=None, article=withdrawn)
    assert client.get(withdrawn.get_absolute_url()).status_code == 404

    redis_server.resume()
    time.sleep(RETRY_SECONDS)
    for _ in range(3):
        assert client.get(withdrawn.get_absolute_url()).status_code == 404
