"""The worker as it really runs: `make serve` (scripts/serve) starts `manage.py db_worker`
beside gunicorn, the worker makes a video's poster in a process of its own, and it stops when
the server stops; scripts/with-worker restarts a worker that died; `make run` uses it too."""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.servers import BASE_DIR, manage, shell, site_environment
from tests.tasks.clips import clip

STARTED = re.compile(r"task worker `manage\.py db_worker` started, pid (\d+)")


class Printing:
    """A process writing to a file (never a pipe nobody reads), and what it has printed."""

    def __init__(self, command, env):
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115  (closed in stop)
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def printed(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def wait_for(self, pattern, seconds=120) -> re.Match:
        deadline = time.monotonic() + seconds
        while not (found := re.search(pattern, self.printed())):
            assert self.process.poll() is None, self.printed()
            assert time.monotonic() < deadline, f"no {pattern!r} within {seconds} s:\n{self.printed()}"
            time.sleep(0.3)
        return found

    def stop(self, signum=signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        returncode = self.process.wait(timeout=90)
        self.log.close()
        return returncode


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("worker-site")
    env = site_environment(
        tmp_path,
        DEBUG="0",
        SECRET_KEY="worker-test-" + "k" * 50,
        STATIC_ROOT=str(tmp_path / "static"),
        NEWSROOM_PYTHON=sys.executable,
        WEB_CONCURRENCY="1",
        HOST="127.0.0.1",
        PORT="0",
    )
    manage(env, "migrate", "--noinput")
    env["CLIP"] = str(tmp_path / "clip.mp4")
    Path(env["CLIP"]).write_bytes(clip(seed=51))
    return env


UPLOAD = (
    "import os; from django.core.files import File; from media.actions import create_media; "
    "item, _ = create_media(actor=None, upload=File(open(os.environ['CLIP'], 'r+b'), name='clip.mp4'), "
    "filename='clip.mp4', title='Pier'); print(item.pk, item.processing)"
)


def facts(env, pk) -> str:
    code = "from media.models import MediaItem as M; v = M.objects.get(pk={})\n"
    code += "print(v.processing or 'done', v.poster_id, v.width)"
    return shell(env, code.format(pk))


def test_make_serve_starts_a_worker_that_makes_the_poster_and_stops_with_the_server(site):
    server = Printing([str(BASE_DIR / "scripts" / "serve")], site)
    try:
        server.wait_for(r"Listening at: http://127\.0\.0\.1:\d+")
        worker_pid = int(server.wait_for(STARTED).group(1))
        assert not gone(worker_pid)
        pk, state = shell(site, UPLOAD).split()
        assert state == "pending"  # stored; the poster is the worker's job
        deadline = time.monotonic() + 60
        while (now := facts(site, pk)).startswith("pending") and time.monotonic() < deadline:
            time.sleep(0.5)
        state, poster, width = now.split()
        assert (state, width) == ("done", "160") and poster != "None", server.printed()
    finally:
        returncode = server.stop()
    assert returncode == 0
    assert gone(worker_pid)  # stopped with the server


def test_the_worker_is_restarted_if_it_dies_and_stopped_when_the_server_ends(site):
    pair = Printing(
        [sys.executable, "scripts/with-worker", sys.executable, "-c", "import time; time.sleep(25)"],
        {**site, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
    )
    try:
        first = int(pair.wait_for(STARTED).group(1))
        os.kill(first, signal.SIGKILL)
        pair.wait_for("the task worker stopped")
        second = int(pair.wait_for(STARTED.pattern + r"[\s\S]*" + STARTED.pattern).group(2))
        assert second != first
        assert pair.process.wait(timeout=60) == 0  # the "server" ended by itself
        assert gone(second)
    finally:
        pair.stop()


def test_make_run_starts_the_development_server_with_a_worker():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", "PORT=8129"], cwd=BASE_DIR, capture_output=True, text=True
    )
    assert 'scripts/with-worker .venv/bin/python manage.py runserver "127.0.0.1:8129"' in done.stdout, done.stdout
