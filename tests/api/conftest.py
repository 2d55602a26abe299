"""Clients for the API tests: anonymous, signed in without permissions, and an editor by token;
and the report of how many generated requests each operation got in test_schema.py."""

import time
from collections import Counter
from contextlib import contextmanager

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


# Reads for signed-in staff only (issue #16): a story's working draft, revisions, presence,
# notes and autosave. The schema says they need authentication; anonymous callers get 401.
STAFF_ONLY_READS = {
    "/api/v1/articles/{id}/draft/",
    "/api/v1/articles/{id}/revisions/",
    "/api/v1/articles/{id}/presence/",
    "/api/v1/articles/{id}/notes/",
    "/api/v1/articles/{id}/autosave/",
    "/api/v1/webhooks/",
    "/api/v1/webhooks/{id}/",
}

# (operation label, caller) -> generated requests sent, and seconds spent, by test_schema.py.
EXAMPLES_SENT: Counter = Counter()
SECONDS_SPENT: Counter = Counter()


def pytest_terminal_summary(terminalreporter):
    """After the run, the schemathesis example count per operation and caller (the closing
    note of a change to the API states it), printed only when the schema test ran."""
    if not EXAMPLES_SENT:
        return
    operations = sorted({operation for operation, _ in EXAMPLES_SENT}, key=lambda label: label.split()[::-1])
    terminalreporter.section("schemathesis examples per operation")
    terminalreporter.write_line(f"{'operation':44} {'anonymous':>9} {'editor':>7} {'seconds':>8}")
    for operation in operations:
        anonymous, editor = EXAMPLES_SENT[operation, "anonymous"], EXAMPLES_SENT[operation, "editor"]
        terminalreporter.write_line(f"{operation:44} {anonymous:9} {editor:7} {SECONDS_SPENT[operation]:8.1f}")
    terminalreporter.write_line(
        f"{len(operations)} operations, {sum(EXAMPLES_SENT.values())} requests, {sum(SECONDS_SPENT.values()):.0f} s"
    )


@contextmanager
def timed(operation: str):
    """Adds the time spent inside to SECONDS_SPENT[operation] (reported, never asserted)."""
    start = time.monotonic()
    try:
        yield
    finally:
        SECONDS_SPENT[operation] += time.monotonic() - start
