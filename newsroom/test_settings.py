"""Test overlay: the real settings (without .env) plus a fixed key and fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key")
# A developer's .env (`make run` writes one) must not change what the tests see; CI has none.
# Set in os.environ, so that settings loaded by subprocesses of the tests ignore it as well.
os.environ["NEWSROOM_ENV_FILE"] = ""

from newsroom.settings import *  # noqa: E402,F401,F403

# Absolute URLs name the host each test requests ("testserver"), even with SITE_URL exported.
SITE_URL = ""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Loading newsroom.wsgi (the schemathesis tests do) must not check the real database and
# STATIC_ROOT: tests make their own database. tests/core/test_serve.py runs the checks.
STARTUP_CHECKS = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# The embedded default's file cache, in a folder of this test run's own (not var/cache, which a
# developer's server may be using), removed when the run ends.
if CACHES["default"]["BACKEND"] == "caching.backends.SharedFileCache":  # noqa: F405
    import atexit
    import shutil
    import tempfile

    CACHES["default"]["LOCATION"] = tempfile.mkdtemp(prefix="newsroom-test-cache-")  # noqa: F405
    atexit.register(shutil.rmtree, CACHES["default"]["LOCATION"], ignore_errors=True)  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": "100000/minute", "user": "100000/minute"}  # noqa: F405
AXES_ENABLED = False  # client.login() passes no request; tests/security turns the lockout on
# Background tasks go to the database queue whatever REDIS_URL says, so that a suite run with a
# Redis cache still sees its tasks in its own database; tests run them with a worker
# (tests/tasks/worker.py). The Redis queue has tests of its own (tests/tasks/test_rq.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CACHE_GENERATION_TRUST_MS = 0  # in-process tests read the generation on every request (tests/purge turn it on)
