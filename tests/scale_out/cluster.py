"""A whole deployment on loopback, for the scale-out test: PostgreSQL (a database of its own),
Redis, an S3-compatible server (moto), two gunicorn app servers, a task worker and Varnish in
front, each a process of its own on a free port, the way docs/deployment.md lays them out.

Nothing here needs Django set up: the site runs only in the processes started here. Each
component that is not installed makes `missing()` name it, so the test can say what it lacks;
`stop_all` ends every process started (its whole process group), whatever state it is in.
"""

import glob
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.servers import BASE_DIR, free_port, manage, site_environment, spawn_gunicorn, wait_until_serving

DATABASE_NAME = "newsroom_scaleout"
BUCKET = "newsroom-scale-out"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
SHARED_REDIS = ("127.0.0.1", 6379, 7)  # used when redis-server is not installed but one runs here
PASSWORD = "scale-out-pass-9"


def postgres_server() -> str:
    """postgres://user@host:port of the server DATABASE_URL names, else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"
    return "postgres://postgres@127.0.0.1:5432"


def reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
        return True
    except OSError:
        return False


def missing() -> list[str]:
    """What this machine lacks to run the cluster, each said with how to get it."""
    lacking = []
    server = urlsplit(postgres_server())
    if not reachable(server.hostname, server.port or 5432):
        lacking.append(f"PostgreSQL on {server.hostname}:{server.port or 5432} (both app servers share one database)")
    if not os.path.exists(REDIS_SERVER) and not reachable(*SHARED_REDIS[:2]):
        lacking.append("redis-server (apt-get install redis-server) or a Redis on 127.0.0.1:6379")
    if not os.path.exists(VARNISHD):
        lacking.append("varnishd (apt-get install varnish varnish-modules)")
    elif not glob.glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so"):
        lacking.append("vmod xkey (apt-get install varnish-modules)")
    try:
        import moto.server  # noqa: F401
    except ImportError:
        lacking.append("moto's S3 server (pip install -r requirements-dev.txt)")
    return lacking


def spawn(command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    """`command` in a process group of its own, printing to a file read by `printed`."""
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115  (closed in stop_all)
    process = subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    process.log_file = log
    return process


def printed(process: subprocess.Popen) -> str:
    if process.log_file.closed:
        return ""
    process.log_file.seek(0)
    return process.log_file.read()


def wait_for(condition, what: str, seconds: float = 30, process: subprocess.Popen | None = None):
    """Poll `condition()` until it answers something true (returned); fail naming `what` after
    `seconds`, or at once if `process` exits meanwhile."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = condition()
        except OSError:
            result = None
        if result:
            return result
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the process exited ({process.returncode}):\n{printed(process)[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.05)


def _signal(process: subprocess.Popen, signum: int) -> None:
    """`signum` to the process, and to its whole group when it leads one (spawned here)."""
    try:
        if os.getpgid(process.pid) == process.pid:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
    except ProcessLookupError:
        pass


def stop_all(processes: list[subprocess.Popen]) -> dict[int, str]:
    """Stop every process together: SIGTERM, then SIGKILL after 10 s. What each printed, by pid."""
    for process in processes:
        if process.poll() is None:
            _signal(process, signal.SIGTERM)
    outputs = {}
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _signal(process, signal.SIGKILL)
            process.wait(timeout=10)
        outputs[process.pid] = printed(process)
        process.log_file.close()
    return outputs


def _migrations_key() -> str:
    """Changes whenever a migration (the project's, or a pinned package's) may have changed."""
    files = sorted(BASE_DIR.glob("*/migrations/*.py")) + [BASE_DIR / "requirements.txt"]
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(BASE_DIR)).encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def fresh_database() -> tuple[str, bool]:
    """Drop and create the test's own database: (its URL, whether it is migrated already).

    A copy of a template kept from an earlier run with the same migrations is migrated (copying
    takes a fraction of a second, migrating ten); `keep_as_template` makes that template."""
    import psycopg

    server = postgres_server()
    template = f"{DATABASE_NAME}_t{_migrations_key()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
        kept = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
        if kept:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}" TEMPLATE "{template}"')
        else:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return f"{server}/{DATABASE_NAME}", bool(kept)


def keep_as_template() -> None:
    """Keep the just-migrated database as the template of later runs (replacing older ones)."""
    import psycopg

    template = f"{DATABASE_NAME}_t{_migrations_key()}"
    with psycopg.connect(f"{postgres_server()}/postgres", autocommit=True, connect_timeout=5) as connection:
        older = connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{DATABASE_NAME}\\_t%"]
        ).fetchall()
        for (name,) in older:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{template}" TEMPLATE "{DATABASE_NAME}"')


def start_redis() -> tuple[subprocess.Popen | None, str]:
    """A Redis of the test's own (no data kept on disk), or database 7 of the local one."""
    if not os.path.exists(REDIS_SERVER):
        import redis

        url = "redis://{}:{}/{}".format(*SHARED_REDIS)
        redis.Redis.from_url(url).flushdb()  # this test's own database number: nothing from a past run
        return None, url
    port = free_port()
    process = spawn([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
    wait_for(lambda: reachable("127.0.0.1", port), "redis-server answers", process=process)
    return process, f"redis://127.0.0.1:{port}/0"


def start_s3() -> tuple[subprocess.Popen, str]:
    """moto's S3-compatible server, with the media bucket created."""
    port = free_port()
    process = spawn([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)])
    endpoint = f"http://127.0.0.1:{port}"
    wait_for(lambda: reachable("127.0.0.1", port), "moto's S3 server answers", process=process)
    client = s3_client(endpoint)
    client.create_bucket(Bucket=BUCKET)
    return process, endpoint


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )


def site_env(tmp_path: Path, *, database_url: str, redis_url: str, s3_endpoint: str, varnish_port: int) -> dict:
    """The production settings every process of the site gets (docs/deployment.md)."""
    return site_environment(
        tmp_path,
        DEBUG="0",
        SECRET_KEY="scale-out-test-" + "k" * 40,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_S3_REGION_NAME="us-east-1",
        VARNISH_URLS=f"http://127.0.0.1:{varnish_port}",
        STATIC_ROOT=str(tmp_path / "static"),
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        # Plain HTTP on loopback: cookies that browsers would send only over HTTPS would never come back.
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        PAGE_CACHE_SECONDS="300",
    )


SEED = """
import json
from django.utils import timezone
from rest_framework.authtoken.models import Token
from articles import actions
from articles.models import Article, Section
from tests.roles import make_member

chief = make_member("Chief editor", "chief", "C/HF")
chief.set_password({password!r})
chief.save()
world = Section.objects.create(name="World", slug="world")
sport = Section.objects.create(name="Sport", slug="sport")
stories = {{}}
for key, title, section in [("edited", "Bridge reopens", world), ("other", "Harvest festival opens", sport)]:
    story = Article.objects.create(
        title=title, slug=key, section=section, summary="A summary.", body="<p>Text.</p>", status="draft"
    )
    actions.publish(actor=chief, article=story)
    stories[key] = {{"id": story.pk, "url": story.get_absolute_url(), "section": section.get_absolute_url()}}
print(json.dumps({{"token": Token.objects.create(user=chief).key, "username": "chief", **stories}}))
"""


def seed(env: dict) -> dict:
    """A Chief editor (with a password and an API token) and two live stories in two sections."""
    output = manage(env, "shell", "-c", SEED.format(password=PASSWORD)).strip()
    return json.loads(output.splitlines()[-1])


def worker_command() -> list[str]:
    """The task worker for a Redis queue (REDIS_URL set), as `make serve` starts it."""
    return [sys.executable, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "default"]


def start_app_servers(env: dict, count: int) -> list[tuple[subprocess.Popen, int]]:
    """`count` gunicorn servers (2 workers each, preloaded as `make serve` runs them)."""
    servers = [spawn_gunicorn(env, "--workers", "2", "--preload") for _ in range(count)]
    return servers


def varnish_backends(app_ports: list[int]) -> str:
    """backends.vcl for these app servers: round robin over them, purges from loopback."""
    backends = "".join(
        f'backend app{n} {{\n    .host = "127.0.0.1";\n    .port = "{port}";\n}}\n\n'
        for n, port in enumerate(app_ports, start=1)
    )
    adds = "".join(f"    app.add_backend(app{n});\n" for n in range(1, len(app_ports) + 1))
    return (
        "import directors;\n\n"
        + backends
        + "sub vcl_init {\n    new app = directors.round_robin();\n"
        + adds
        + '}\n\nacl purgers {\n    "127.0.0.1";\n}\n\n'
        + "sub newsroom_backend {\n    set req.backend_hint = app.backend();\n}\n"
    )


def start_varnish(port: int, app_ports: list[int]) -> tuple[subprocess.Popen, str]:
    """varnishd in the foreground with deploy/varnish/newsroom.vcl and backends for `app_ports`.

    Its working folder is readable by the unprivileged user its cache process runs as, so it
    is made outside pytest's private temporary folders (and removed by the caller), and the VCL
    is copied into it: the checkout itself may be in a folder only its owner can read."""
    workdir = tempfile.mkdtemp(prefix="newsroom-scale-out-varnish-")
    os.chmod(workdir, 0o755)
    (Path(workdir) / "backends.vcl").write_text(varnish_backends(app_ports))
    shutil.copy(BASE_DIR / "deploy/varnish/newsroom.vcl", Path(workdir) / "newsroom.vcl")
    for name in ("backends.vcl", "newsroom.vcl"):
        os.chmod(Path(workdir) / name, 0o644)
    process = spawn(
        [
            VARNISHD,
            "-F",
            "-n", workdir,
            "-a", f"127.0.0.1:{port}",
            "-p", f"vcl_path={workdir}:/usr/share/varnish/vcl",
            "-f", str(Path(workdir) / "newsroom.vcl"),
            "-s", "malloc,32m",
        ]
    )  # fmt: skip
    return process, workdir


def wait_for_app(server: subprocess.Popen, port: int) -> None:
    """Until the app server answers its health check with 200."""

    def healthy(port):
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        connection.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        answer = connection.recv(64)
        connection.close()
        return answer.startswith(b"HTTP/1.1 200") or answer.startswith(b"HTTP/1.0 200")

    wait_until_serving(server, port, healthy)
