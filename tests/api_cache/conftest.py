"""Fixtures for the API cache tests: committed changes run through the actions (`cache_backend`,
the embedded cache or real Redis, is in tests/conftest.py)."""

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(function, **kwargs): run an action and its after-commit listeners."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run
