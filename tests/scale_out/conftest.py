"""The cluster every scale-out test talks to, started once for the module (tests/scale_out/cluster.py).

It always runs on PostgreSQL (two app servers need one database), whichever database the suite
itself uses: a database of its own, newsroom_scaleout, copied from a migrated template kept
between runs (newsroom_scaleout_t<hash of the migrations>). A component this machine lacks
skips the tests with its name and how to install it; where CI has promised them all (`.ci/run`
sets NEWSROOM_REQUIRE_VARNISH=1 after installing Varnish), a lack fails instead.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass, field

import pytest

from tests.scale_out import cluster as parts
from tests.servers import free_port, manage


@dataclass
class Cluster:
    env: dict
    varnish: int
    app_a: int
    app_b: int
    data: dict
    s3_endpoint: str
    worker: subprocess.Popen | None = None
    processes: list = field(default_factory=list)

    def start_worker(self) -> subprocess.Popen:
        """The task worker, as `make serve` starts it beside gunicorn (tests start it when they need it)."""
        if self.worker is None:
            self.worker = parts.spawn(parts.worker_command(), self.env)
            self.processes.append(self.worker)
        return self.worker


def _skip_unless_complete() -> None:
    lacking = parts.missing()
    if lacking:
        reason = "the scale-out test needs " + "; ".join(lacking)
        if os.environ.get("NEWSROOM_REQUIRE_VARNISH"):
            pytest.fail(reason)
        pytest.skip(reason)


def _start(tmp_path, started: dict) -> Cluster:
    """Every part, in order; each process goes into `started` as soon as it runs."""
    started["redis"], redis_url = parts.start_redis()
    started["s3"], s3_endpoint = parts.start_s3()
    varnish_port = free_port()
    database_url, migrated = parts.fresh_database()
    env = parts.site_env(
        tmp_path, database_url=database_url, redis_url=redis_url, s3_endpoint=s3_endpoint, varnish_port=varnish_port
    )
    if not migrated:
        manage(env, "migrate", "--noinput")
        parts.keep_as_template()
    # Static files first (the servers check them at start), the stories while the servers start.
    manage(env, "collectstatic", "--noinput", "-v0")
    servers = parts.start_app_servers(env, 2)
    started["site"] += [server for server, _ in servers]
    data = parts.seed(env)
    varnish, started["varnish_dir"] = parts.start_varnish(varnish_port, [port for _, port in servers])
    started["site"].append(varnish)
    for server, port in servers:
        parts.wait_for_app(server, port)
    parts.wait_for(lambda: parts.reachable("127.0.0.1", varnish_port), "varnishd listens", process=varnish)
    return Cluster(
        env=env,
        varnish=varnish_port,
        app_a=servers[0][1],
        app_b=servers[1][1],
        data=data,
        s3_endpoint=s3_endpoint,
        processes=started["site"],
    )


def _stop(started: dict) -> None:
    """The site's processes first, then the Redis and storage they use until they stop."""
    outputs = parts.stop_all(started["site"])
    outputs.update(parts.stop_all([started[name] for name in ("redis", "s3") if started[name]]))
    if started["varnish_dir"]:
        shutil.rmtree(started["varnish_dir"], ignore_errors=True)
    for pid, output in outputs.items():
        if output.strip():
            print(f"--- process {pid} printed:\n{output[-3000:]}")  # shown by pytest on failure


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    _skip_unless_complete()
    started = {"redis": None, "s3": None, "site": [], "varnish_dir": None}
    try:
        yield _start(tmp_path_factory.mktemp("scale-out"), started)
    finally:
        _stop(started)
