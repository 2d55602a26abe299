"""Real server processes for the tests that need several of them: a site on its own SQLite file
(or whatever DATABASE_URL the caller gives), migrated with manage.py and served by gunicorn;
plus what talking to them needs (requests released together, a database that never answers).

The environment starts from the test run's own, less the variables that would point the site
at the suite's database or cache, so each such test gets the embedded default unless it says
otherwise. Nothing here needs Django set up, so bench/reliability_run.py uses it too.
"""

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
_INHERITED_BUT_NOT_WANTED = {"DATABASE_URL", "CACHE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "CACHE_DIR"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """Settings for a site of its own: SQLite and media under `tmp_path`, DEBUG on, quiet logs."""
    env = {key: value for key, value in os.environ.items() if key not in _INHERITED_BUT_NOT_WANTED}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        DEBUG="1",
        SECRET_KEY="server-test",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        LOG_LEVEL="ERROR",
        NEWSROOM_ENV_FILE="",
    )
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run a manage.py command in a process of its own; its standard output (fails on an error)."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def shell(env: dict[str, str], code: str) -> str:
    """Run Python code with `manage.py shell`; the last line it printed."""
    output = manage(env, "shell", "-c", code).strip()
    return output.splitlines()[-1] if output else ""


def start_gunicorn(env: dict[str, str], *options: str, ready: Callable[[int], bool]) -> tuple[subprocess.Popen, int]:
    """gunicorn serving the site with `options`; returns once `ready(port)` holds (60 s at most)."""
    server, port = spawn_gunicorn(env, *options)
    wait_until_serving(server, port, ready)
    return server, port


def spawn_gunicorn(env: dict[str, str], *options: str, port: int | None = None) -> tuple[subprocess.Popen, int]:
    """gunicorn serving the site with `options` on `port` (default: a free one), not waited for:
    start several, then `wait_until_serving` each.

    What it prints goes to a file, not a pipe: a pipe nobody reads until `stop` fills up after a
    few thousand access-log lines, and every worker then blocks on its next line."""
    port = port or free_port()
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115  (closed with the server, in stop)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "newsroom.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "--log-level",
            "warning",
            *options,
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server.log_file = log
    return server, port


def wait_until_serving(server: subprocess.Popen, port: int, ready: Callable[[int], bool], seconds: float = 60) -> None:
    """Return once `ready(port)` holds; fail with what gunicorn printed if it exits or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if ready(port):
                return
        except OSError:
            pass
        assert server.poll() is None, _printed(server)
        assert time.monotonic() < deadline, f"gunicorn did not answer within {seconds:.0f} s"
        time.sleep(0.2)


def stop(server: subprocess.Popen) -> str:
    """Stop gunicorn; what it printed (tests print its tail, which pytest shows on failure)."""
    if server.poll() is None:
        server.terminate()
    server.wait(timeout=30)
    return _printed(server)


def _printed(server: subprocess.Popen) -> str:
    """What the server printed so far (all of it once it has stopped, when its file is closed)."""
    if server.log_file.closed:
        return server.printed
    server.log_file.seek(0)
    server.printed = server.log_file.read()
    if server.poll() is not None:
        server.log_file.close()
    return server.printed


def run_together(jobs: list[Callable]) -> list:
    """Start every job at the same moment (a barrier), each on its own thread; their results."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        barrier.wait()
        results[index] = job()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class SilentServer:
    """Accepts TCP connections on loopback and never sends a byte (an unresponsive database)."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stopping.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.held.append(connection)

    def close(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        for connection in self.held:
            connection.close()
        self.listener.close()
