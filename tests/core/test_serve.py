"""The production server (`make serve` = scripts/serve), its start-up checks, logging, icons.

The server tests start real processes with DEBUG=0 on a throw-away SQLite file and STATIC_ROOT,
whatever database the suite itself runs on, and with none of the developer's settings.
"""

import os
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

BASE_DIR = Path(settings.BASE_DIR)
PYTHON = Path(sys.executable)
# Every variable the settings read, so that none leaks in from the shell that runs the tests.
SETTINGS_NAMES = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", (BASE_DIR / ".env.example").read_text(), re.M))
SETTINGS_NAMES |= {"DJANGO_SETTINGS_MODULE", "NEWSROOM_ENV_FILE", "WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"}
SECRET = "serve-test-" + "k" * 50


def clean_env(tmp_path, **extra):
    """A production-like environment: DEBUG=0, its own database and STATIC_ROOT, no .env."""
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS_NAMES}
    env.update(
        DEBUG="0",
        SECRET_KEY=SECRET,
        NEWSROOM_ENV_FILE="",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        NEWSROOM_PYTHON=str(PYTHON),
    )
    env.update(extra)
    return {name: value for name, value in env.items() if value is not None}


def gunicorn(env, *args):
    """Run gunicorn on the site as `make serve` does (preloaded) and wait for it to exit."""
    return subprocess.run(
        [
            str(PYTHON),
            "-m",
            "gunicorn",
            "newsroom.wsgi:application",
            "--preload",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--no-control-socket",
            *args,
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


class Server:
    """scripts/serve in the background; `url` once gunicorn says where it listens."""

    def __init__(self, env):
        self.process = subprocess.Popen(
            [str(BASE_DIR / "scripts" / "serve")],
            cwd=BASE_DIR,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.stdout, self.stderr = [], []
        self.listening = threading.Event()
        self.more_output = threading.Condition()
        self.url = None
        threading.Thread(target=self._read, args=(self.process.stdout, self.stdout), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.stderr), daemon=True).start()

    def _read(self, stream, lines):
        for line in stream:
            with self.more_output:
                lines.append(line)
                self.more_output.notify_all()
            found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line)
            if found:
                self.url = found.group(1)
                self.listening.set()
        self.listening.set()  # the stream closed: the server is gone

    def wait_until(self, condition, timeout=120):
        """Wait until `condition(output so far)` holds, or `timeout` seconds; the output.

        gunicorn's workers boot and its access log is written after the fact, each at its own
        moment, so the tests wait on what they expect to read rather than for a while.
        """
        with self.more_output:
            self.more_output.wait_for(lambda: condition(self.output()), timeout=timeout)
        return self.output()

    def wait_for_output(self, text):
        """Wait until the server has written `text` (its log lines come after the response)."""
        return self.wait_until(lambda output: text in output)

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=60) as response:
            return response.status, response.headers, response.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=120)

    def output(self):
        return "".join(self.stdout) + "".join(self.stderr)


def test_gunicorn_refuses_to_start_without_migrations_and_static_files(tmp_path):
    result = gunicorn(clean_env(tmp_path))
    assert result.returncode != 0
    assert "Listening at" not in result.stderr  # it never served a request
    assert "Traceback" not in result.stderr
    message = result.stderr
    assert "Newsroom cannot start" in message
    assert "unapplied migrations" in message and "manage.py migrate" in message
    assert "Static files are not collected" in message
    assert "manage.py collectstatic --noinput" in message and "make serve" in message


def test_gunicorn_without_secret_key_says_what_to_set(tmp_path):
    result = gunicorn(clean_env(tmp_path, SECRET_KEY=None))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert ".env" in result.stderr and "make serve" in result.stderr


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The production command, started once for this module's tests."""
    tmp_path = tmp_path_factory.mktemp("serve")
    server = Server(clean_env(tmp_path, HOST="127.0.0.1", PORT="0", WEB_CONCURRENCY="2"))
    server.tmp_path = tmp_path
    server.listening.wait(timeout=600)
    if server.url is None:
        server.stop()
        pytest.fail("scripts/serve did not start:\n" + server.output())
    yield server
    server.stop()


def test_make_serve_migrates_collects_and_answers_with_debug_off(served):
    status, headers, body = served.get("/")
    assert status == 200
    page = body.decode()
    stylesheet = re.search(r'<link rel="stylesheet" href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page names the hashed stylesheet collectstatic wrote"
    status, headers, css = served.get(stylesheet.group(1))
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert b"--accent" in css
    assert "immutable" in headers["Cache-Control"]
    assert "Server Error" not in page


def test_make_serve_runs_several_workers_and_logs_requests(served):
    served.get("/search/?q=served")
    served.wait_for_output('"GET /search/?q=served HTTP/1.1" 200')
    assert '"GET /search/?q=served HTTP/1.1" 200' in "".join(served.stdout)  # access log on stdout
    # The master logs "Listening at" before its workers boot, each printing its own line.
    output = served.wait_until(lambda output: len(re.findall(r"Booting worker with pid", output)) >= 2)
    assert len(re.findall(r"Booting worker with pid", output)) >= 2, output


def test_make_serve_answers_the_icons(served):
    status, headers, body = served.get("/favicon.ico")
    assert status == 200 and headers["Content-Type"] == "image/x-icon"
    assert "max-age=31536000" in headers["Cache-Control"]
    assert Image.open(BytesIO(body)).format == "ICO"


def test_startup_checks_pass_once_migrated_and_collected(served):
    """The WSGI and ASGI applications load on the database and files `make serve` prepared."""
    code = "import newsroom.wsgi, newsroom.asgi; print('loaded')"
    env = clean_env(served.tmp_path)
    result = subprocess.run([str(PYTHON), "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "loaded"


# -- logging -------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", ["1", "0"])
def test_a_log_record_is_printed_once(tmp_path, debug):
    """Django's "Not Found" warning and runserver's request line each print one line."""
    code = (
        "import django, logging; django.setup();"
        "logging.getLogger('django.request').warning('Not Found: %s', '/no-such-page/');"
        "logging.getLogger('django.server').info('\"GET /no-such-page/ HTTP/1.1\" 404 6419');"
        "logging.getLogger('newsroom.media').error('rendition failed');"
    )
    env = clean_env(tmp_path, DEBUG=debug, DJANGO_SETTINGS_MODULE="newsroom.settings")
    result = subprocess.run([str(PYTHON), "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Not Found: /no-such-page/") == 1, result.stderr
    assert result.stderr.count("rendition failed") == 1, result.stderr
    assert result.stderr.count('"GET /no-such-page/ HTTP/1.1" 404') == 1, result.stderr


# -- icons ---------------------------------------------------------------------------------


def test_favicon_and_touch_icon_are_served_with_long_cache_headers(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/x-icon"
    assert "max-age=31536000" in icon["Cache-Control"]
    sizes = Image.open(BytesIO(b"".join(icon.streaming_content))).info["sizes"]
    assert {(16, 16), (32, 32)} <= set(sizes)

    touch = client.get("/apple-touch-icon.png")
    assert touch.status_code == 200
    assert touch["Content-Type"] == "image/png"
    assert "max-age=31536000" in touch["Cache-Control"]
    picture = Image.open(BytesIO(b"".join(touch.streaming_content)))
    assert picture.size == (180, 180) and picture.mode == "RGB"  # iOS wants no transparency


@pytest.mark.django_db
def test_pages_link_the_icons(client):
    page = client.get("/").content.decode()
    head = page.split("</head>")[0]
    assert '<link rel="icon" href="/favicon.ico"' in head
    assert '<link rel="icon" href="/favicon.svg" type="image/svg+xml">' in head
    assert '<link rel="apple-touch-icon" href="/apple-touch-icon.png">' in head
    svg = client.get("/favicon.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert b"".join(svg.streaming_content).startswith(b"<svg")
