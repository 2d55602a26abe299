"""PostgreSQL's statement timeout bounds web requests, not management commands."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
SHOW = (
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('SHOW statement_timeout')\n"
    "    print(cursor.fetchone()[0])\n"
)


def run(code: str, **env) -> str:
    environment = {**os.environ, "DEBUG": "1", "SECRET_KEY": "x", **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, *code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.django_db
def test_commands_run_unbounded_while_the_site_has_a_statement_timeout():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the statement timeout is a PostgreSQL setting (DATABASE_URL is SQLite)")
    db = connection.settings_dict  # the test database, which exists while the test runs
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    assert run(["manage.py", "shell", "-c", SHOW], DATABASE_URL=url) == "0"
    site = (
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'newsroom.settings')\n"
        "django.setup()\n" + SHOW
    )
    assert run(["-c", site], DATABASE_URL=url) == "8s"
