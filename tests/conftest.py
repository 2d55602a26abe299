import os
import shutil
import socket

import pytest
from django.core.cache import cache, caches
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test stores files in its own folder and starts with an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def editor(db):
    """A user with every article and media permission (the Chief editor's rights)."""
    from django.contrib.auth.models import Permission

    from tests.factories import StaffProfileFactory, UserFactory

    user = UserFactory(username="editor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["articles", "media"]))
    StaffProfileFactory(user=user, signoff_initials="S/SH")
    return user


@pytest.fixture
def chromium(transactional_db, request):
    """Path of Debian's Chromium for Playwright; see tests/browser_support.py.

    When the test is over, and before its database is emptied, waits for the live server to
    finish every request the browser started, so that none runs on into the next test.
    """
    from tests.browser_support import chromium_or_skip, wait_for_live_server_requests

    yield chromium_or_skip()
    live = request.getfixturevalue("live_server") if "live_server" in request.fixturenames else None
    wait_for_live_server_requests(url=live.url if live else None)


@pytest.fixture(autouse=True)
def _no_live_server_request_running():
    """No test starts while a live-server request (from a browser test) still runs: on SQLite's
    in-memory database it shares the test's connection, and its transaction would hold back the
    test's after-commit work."""
    from tests.browser_support import wait_for_live_server_requests

    wait_for_live_server_requests()


# --- the newsroom's roles as real users, for every feature's tests -------------------------------


@pytest.fixture
def people(db):
    """{'author': Reporter, 'other': Reporter, 'editor': Editor, 'chief': Chief editor}."""
    from tests.roles import make_member

    return {
        "author": make_member("Reporter", "rita", "R/TA"),
        "other": make_member("Reporter", "omar", "O/MR"),
        "editor": make_member("Editor", "edith", "E/DH"),
        "chief": make_member("Chief editor", "carl", "C/HF"),
    }


@pytest.fixture
def login(client):
    """login(user) -> the test client, signed in as `user`."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def heard(django_capture_on_commit_callbacks):
    """The changes announced (and committed) while the test runs."""
    import changes

    found: list = []
    changes.listen(found.append)
    yield found
    changes.unlisten(found.append)


@pytest.fixture
def api(db):
    """api(user or None) -> an API client signed in as `user` with a session, as the desk's own
    scripts are (anonymous for None)."""

    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return client_for


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture(params=["embedded", "redis"])
def cache_backend(request, settings):
    """Each test once on the embedded default and once on real Redis (database 6), every cache
    and this process's page copies and purge view starting empty."""
    if request.param == "redis":
        if not redis_reachable():
            if os.environ.get("CI"):
                pytest.fail("Redis is not reachable on 127.0.0.1:6379 in CI")
            pytest.skip("Redis is not running on 127.0.0.1:6379; the Redis case needs it")
        settings.CACHES = {
            "default": {
                "BACKEND": "caching.backends.ResilientRedisCache",
                "LOCATION": "redis://127.0.0.1:6379/6",
                "KEY_PREFIX": f"nr-test-{os.getpid()}",
            }
        }
    _empty_caches()
    yield request.param
    _empty_caches()


def _empty_caches() -> None:
    from articles import public_cache
    from caching import purges

    caches["default"].clear()
    public_cache.memory.clear()
    purges.view = purges.View()


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """worker() runs every background task waiting (and those they enqueue); how many ran."""
    from tests.tasks.worker import work_off

    return lambda: work_off(django_capture_on_commit_callbacks)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(function, **kwargs): run an action and its after-commit listeners (the purge
    and API cache tests)."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` the block's after-commit callbacks run at its end (tasks are enqueued)."""
    from tests.tasks.worker import committed

    return lambda: committed(django_capture_on_commit_callbacks)
