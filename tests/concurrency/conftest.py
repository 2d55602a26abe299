"""A database that threads can share the way the newsroom's own processes do.

On PostgreSQL the test database is that already. SQLite's test database is in memory with a
shared cache, where a second writer fails at once ("database table is locked") instead of
waiting: nothing like the file the newsroom runs on, whose writers queue (WAL, BEGIN IMMEDIATE,
busy timeout: newsroom/settings.py). So on SQLite the test's database is copied to a file and
every connection is pointed at it while the test runs, with the real settings' options.
"""

import sqlite3

import pytest
from django.db import connection, connections


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
    keeper.backup(copy)
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
