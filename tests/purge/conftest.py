"""Fixtures for the purge tests: the embedded cache or real Redis (database 6), and committed
changes run through the actions."""

import os
import socket

import pytest
from django.core.cache import caches

from articles.site import page_cache
from caching import purges


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture(params=["embedded", "redis"])
def cache_backend(request, settings):
    """Each test once on the embedded default and once on Redis; each process starts afresh."""
    if request.param == "redis":
        if not redis_reachable():
            if os.environ.get("CI"):
                pytest.fail("Redis is not reachable on 127.0.0.1:6379 in CI")
            pytest.skip("Redis is not running on 127.0.0.1:6379; the Redis case needs it")
        settings.CACHES = {
            "default": {
                "BACKEND": "caching.backends.ResilientRedisCache",
                "LOCATION": "redis://127.0.0.1:6379/6",
                "KEY_PREFIX": f"nr-purge-test-{os.getpid()}",
            }
        }
    caches["default"].clear()
    page_cache.memory.clear()
    purges.view = purges.View()
    yield request.param
    caches["default"].clear()
    page_cache.memory.clear()
    purges.view = purges.View()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(function, **kwargs): run an action and its after-commit listeners."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run
