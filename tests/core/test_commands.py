"""Every command the README or `make run` prints works as typed, in a new shell.

The tests work in a copy of the project (its own .env and SQLite file under var/), whose
.venv is the virtualenv running the tests, and run commands through `sh -c` in an environment
like a new shell's: none of the settings variables, no DEBUG, no DJANGO_SETTINGS_MODULE.
"""

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SETTINGS_NAMES = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", (BASE_DIR / ".env.example").read_text(), re.M))
SETTINGS_NAMES |= {"DJANGO_SETTINGS_MODULE", "NEWSROOM_ENV_FILE", "HOST", "PORT", "MAKEFLAGS", "MAKELEVEL"}
NOT_COPIED = shutil.ignore_patterns(
    ".venv", "var", ".git", ".env", ".hypothesis", ".pytest_cache", "__pycache__", "out", "node_modules"
)
TOKEN = re.compile(r"\b[0-9a-f]{40}\b")


def new_shell_env(**extra):
    """The environment of a new shell: the user's PATH, HOME..., but no Newsroom settings."""
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS_NAMES}
    env.update(extra)
    return env


def sh(command, cwd, **extra):
    """Run `command` as typed at a shell prompt in `cwd`."""
    return subprocess.run(
        ["sh", "-c", command], cwd=cwd, env=new_shell_env(**extra), capture_output=True, text=True, timeout=600
    )


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project, without .env or database, whose .venv is this virtualenv."""
    if sys.prefix == sys.base_prefix:
        pytest.skip("the tests are not running in a virtualenv, so there is no .venv/bin/python to copy")
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = tmp_path_factory.mktemp("clone") / "newsroom"
    shutil.copytree(BASE_DIR, root, ignore=NOT_COPIED, symlinks=True)
    (root / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    return root


@pytest.fixture(scope="module")
def project_with_env(project):
    """The copy after `make run` wrote its .env (the rule `make run` runs first)."""
    result = ok(sh("make --no-print-directory .env", project))
    assert "Wrote .env" in result.stdout
    return project


def test_make_writes_a_private_env_once_and_never_overwrites_it(project_with_env):
    env_file = project_with_env / ".env"
    text = env_file.read_text()
    assert re.search(r"^DEBUG=1$", text, re.M)
    key = re.search(r"^SECRET_KEY=(\S+)$", text, re.M).group(1)
    assert len(key) >= 50 and "insecure" not in key
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600

    again = ok(sh("make --no-print-directory .env", project_with_env))
    assert "Wrote" not in again.stdout
    ok(sh(".venv/bin/python scripts/write-env .env", project_with_env))  # the script checks too
    assert env_file.read_text() == text
    assert ".env" in (BASE_DIR / ".gitignore").read_text().splitlines()


def test_printed_commands_work_verbatim_in_a_new_shell(project_with_env):
    root = project_with_env
    ok(sh(".venv/bin/python manage.py check", root))
    ok(sh(".venv/bin/python manage.py migrate --noinput", root))
    banner = ok(sh('.venv/bin/python scripts/run-banner "127.0.0.1" "8000"', root)).stdout
    assert "Newsroom is at http://127.0.0.1:8000/" in banner
    create = re.search(r"create an editor account:\s+(.+)", banner).group(1)
    assert create == ".venv/bin/python manage.py createsuperuser"  # nothing to carry over
    ok(
        sh(
            create + " --noinput --username newcomer --email newcomer@example.org",
            root,
            DJANGO_SUPERUSER_PASSWORD="a long passphrase 42",
        )
    )
    token = re.search(r"an API token for a user:\s+(.+)", banner).group(1)
    result = ok(sh(token.replace("USERNAME", "newcomer"), root))
    assert TOKEN.search(result.stdout), result.stdout
    # The database those commands used is the one `make run` serves: var/ of the project.
    assert (root / "var" / "newsroom.sqlite3").is_file()


def test_printed_commands_carry_the_settings_make_run_was_given(project_with_env, tmp_path):
    """`DATABASE_URL=... make run`: the printed commands must reach that database too."""
    root = project_with_env
    elsewhere = f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}"
    given = {"DATABASE_URL": elsewhere, "SECRET_KEY": "not-to-be-printed-" + "x" * 40}
    ok(sh(".venv/bin/python manage.py migrate --noinput", root, **given))
    ok(
        sh(
            ".venv/bin/python manage.py createsuperuser --noinput --username elsewhere --email e@example.org",
            root,
            DJANGO_SUPERUSER_PASSWORD="a long passphrase 42",
            **given,
        )
    )
    banner = ok(sh('.venv/bin/python scripts/run-banner "127.0.0.1" "8000"', root, **given)).stdout
    assert "not-to-be-printed" not in banner
    command = re.search(r"an API token for a user:\s+(.+)", banner).group(1).replace("USERNAME", "elsewhere")
    assert command.startswith(f"DATABASE_URL={elsewhere} ")
    assert TOKEN.search(ok(sh(command, root)).stdout)  # a new shell, without DATABASE_URL
    without_prefix = sh(command.split(" ", 1)[1], root)
    assert without_prefix.returncode != 0  # the default database has no such user


def test_make_run_and_make_serve_pass_host_and_port_through(project_with_env):
    root = project_with_env
    run = ok(sh("make --no-print-directory -n run", root, PORT="8123"))
    assert 'scripts/run-banner "127.0.0.1" "8123"' in run.stdout
    assert 'manage.py runserver "127.0.0.1:8123"' in run.stdout
    serve = ok(sh("make --no-print-directory -n serve HOST=0.0.0.0 PORT=8124", root))
    assert 'HOST="0.0.0.0" PORT="8124" ./scripts/serve' in serve.stdout
    banner = ok(sh('.venv/bin/python scripts/run-banner "0.0.0.0" "8123"', root)).stdout
    assert "Newsroom is at http://127.0.0.1:8123/  (admin: http://127.0.0.1:8123/admin/" in banner


def test_without_env_a_command_says_what_to_do_instead_of_a_traceback(project):
    result = sh(".venv/bin/python manage.py api_token someone", project, NEWSROOM_ENV_FILE="/nonexistent/.env")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert "`make run`" in result.stderr and ".env" in result.stderr and "`make serve`" in result.stderr


def test_env_example_copied_as_env_works(project, tmp_path):
    env_file = tmp_path / ".env"
    example = (project / ".env.example").read_text()
    env_file.write_text(example)
    refused = sh(".venv/bin/python manage.py check", project, NEWSROOM_ENV_FILE=str(env_file))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "SECRET_KEY is not set" in refused.stderr  # DEBUG=0 there, and the key is for the user to set

    env_file.write_text(example.replace("\nSECRET_KEY=\n", "\nSECRET_KEY=" + "k" * 50 + "\n"))
    show = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], s.DEBUG, s.SESSION_COOKIE_SECURE, s.CACHES['default']['BACKEND'])"
    )
    result = ok(sh(f'.venv/bin/python manage.py shell -c "{show}"', project, NEWSROOM_ENV_FILE=str(env_file)))
    engine, name, debug, secure_cookie, cache = result.stdout.strip().splitlines()[-1].split()
    assert engine == "django.db.backends.sqlite3" and name == str(project / "var" / "newsroom.sqlite3")
    assert (debug, secure_cookie) == ("False", "True")  # empty SESSION_COOKIE_SECURE= is the default
    assert cache.endswith("SharedFileCache")  # shared by every process of the site
