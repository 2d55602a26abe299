"""A database that threads can share the way the newsroom's own processes do.

On PostgreSQL the test database is that already. SQLite's test database is in memory with a
shared cache, where a second writer fails at once ("database table is locked") instead of
waiting: nothing like the file the newsroom runs on, whose writers queue (WAL, BEGIN IMMEDIATE,
busy timeout: newsroom/settings.py). So on SQLite the test's database is copied to a file and
every connection is pointed at it while the test runs, with the real settings' options.
"""

import sqlite3
import time

import pytest
from django.db import connection, connections


def _in_time(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise TimeoutError("the in-memory test database stayed locked for 60 s; it could not be copied")


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """The test's database, on a file when SQLite, so that threads' writes queue as in production."""
    if connection.vendor != "sqlite":
        yield connection.vendor
        connections.close_all()
        return
    settings_dict = connection.settings_dict
    memory_name = settings_dict["NAME"]
    keeper = sqlite3.connect(memory_name, uri=True)  # keeps the in-memory test database alive meanwhile
    path = tmp_path / "shared.sqlite3"
    copy = sqlite3.connect(path)
    # Copied through the test's own connection, which the live server's threads share: a
    # transaction a browser test's request left open on it locks the tables against any other
    # connection (shared cache), and a backup read through `keeper` would wait for ever.
    connection.ensure_connection()
    deadline = time.monotonic() + 60
    connection.connection.backup(copy, progress=lambda status, remaining, total: _in_time(deadline))
    copy.close()
    settings_dict["NAME"] = str(path)
    connection.close()  # the in-memory connection; the next query opens the file
    try:
        yield "sqlite file"
    finally:
        connection.close()
        settings_dict["NAME"] = memory_name
        connection.ensure_connection()  # back on the in-memory database before `keeper` lets go of it
        keeper.close()
