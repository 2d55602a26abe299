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


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    lacking = parts.missing()
    if lacking:
        reason = "the scale-out test needs " + "; ".join(lacking)
        if os.environ.get("NEWSROOM_REQUIRE_VARNISH"):
            pytest.fail(reason)
        pytest.skip(reason)
    tmp_path = tmp_path_factory.mktemp("scale-out")
    processes, varnish_dir, redis, s3 = [], None, None, None
    try:
        redis, redis_url = parts.start_redis()
        processes += [redis] if redis else []
        s3, s3_endpoint = parts.start_s3()
        processes.append(s3)
        varnish_port = free_port()
        database_url, migrated = parts.fresh_database()
        env = parts.site_env(
            tmp_path,
            database_url=database_url,
            redis_url=redis_url,
            s3_endpoint=s3_endpoint,
            varnish_port=varnish_port,
        )
        if not migrated:
            manage(env, "migrate", "--noinput")
            parts.keep_as_template()
        # Static files first (the servers check them at start), the stories while the servers start.
        manage(env, "collectstatic", "--noinput", "-v0")
        servers = parts.start_app_servers(env, 2)
        processes += [server for server, _ in servers]
        data = parts.seed(env)
        varnish, varnish_dir = parts.start_varnish(varnish_port, [port for _, port in servers])
        processes.append(varnish)
        for server, port in servers:
            parts.wait_for_app(server, port)
        parts.wait_for(
            lambda: parts.reachable("127.0.0.1", varnish_port), "varnishd listens", process=varnish, seconds=20
        )
        site = Cluster(
            env=env,
            varnish=varnish_port,
            app_a=servers[0][1],
            app_b=servers[1][1],
            data=data,
            s3_endpoint=s3_endpoint,
            processes=processes,
        )
        yield site
    finally:
        # The site's processes first, then the Redis and storage they would otherwise miss.
        services = [process for process in processes[:2] if process in (redis, s3)]
        outputs = parts.stop_all([process for process in processes if process not in services])
        outputs.update(parts.stop_all(services))
        if varnish_dir:
            shutil.rmtree(varnish_dir, ignore_errors=True)
        for pid, output in outputs.items():
            if output.strip():
                print(f"--- process {pid} printed:\n{output[-3000:]}")  # shown by pytest on failure
