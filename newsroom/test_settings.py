"""Test overlay: the real settings plus a fixed key and fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key")

from newsroom.settings import *  # noqa: E402,F401,F403

# Absolute URLs name the host each test requests ("testserver"), even with SITE_URL exported.
SITE_URL = ""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": "100000/minute"}  # noqa: F405
