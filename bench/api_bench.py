"""API benchmark: in-process latency of the article list, detail and related lists, with SQL
counts; and, with --served, the article detail served by gunicorn from a cold start.

Run: .venv/bin/python bench/api_bench.py [N]   (a throw-away SQLite database; N articles, default 5000)
Each article has a section three deep, two tags and a lead photo; the measured article has 20
related articles. Prints the median over repeated requests in ms, and the queries per request.
Measured in-process through Django's test client (no HTTP server, anonymous throttle off).

    .venv/bin/python bench/api_bench.py N --served [--rounds 3] [--duration 15s]

builds the same database once under /tmp/newsroom-api-bench/nN (kept for the next run), then
for each round starts gunicorn as `make serve` does (2 sync workers, --preload, DEBUG=0, an
empty cache) and runs wrk -t2 -c16 on the detail as soon as /healthz answers: no warm-up, so
the first requests of every worker are in the figures (the "cold tail"). Each round does it
twice: once as served, once with newsroom.startup.prepare_workers undone in every worker
(a gunicorn post_fork hook), as before it existed. The last round measures the same server
again after a 3 s warm-up. Needs wrk. The detail is answered from the page cache after the
first request of each worker (articles.api.cached_reads); the anonymous throttle is raised to
1,000,000 a second, so it still runs on every request (a hit counts too) without refusing any.

    .venv/bin/python bench/api_bench.py N --serve [--port P]

starts the same server and keeps it up until interrupted, to be measured beside the Wagtail
anchor (/work/shared/anchors/run.sh with EXTRA_TARGETS=...:P/api/v1/articles/1/).
"""

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVED_ROOT = Path("/tmp/newsroom-api-bench")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from scratch import setup_scratch_django  # noqa: E402

if "--build-into" in sys.argv:  # the served mode's builder, in a process of its own
    workdir = Path(sys.argv[sys.argv.index("--build-into") + 1])
    os.environ.update(
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        SECRET_KEY="api-bench-only",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        NEWSROOM_ENV_FILE="",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
else:  # the served mode only needs the imports below to succeed
    setup_scratch_django("api-bench-", API_ANON_RATE="1000000/minute")

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, RelatedLink, Section, Tag  # noqa: E402
from media.models import MediaItem  # noqa: E402

REPEAT = 30


def build(n: int) -> Article:
    top = Section.objects.create(name="World", slug="world")
    leaf = Section.objects.create(
        name="Harbours", slug="harbours", parent=Section.objects.create(name="Coast", slug="coast", parent=top)
    )
    tags = [Tag.objects.create(name=f"Topic {i}", slug=f"topic-{i}") for i in range(2)]
    photos = MediaItem.objects.bulk_create(
        MediaItem(
            kind="image", title=f"Photo {i}", width=1600, height=1200, file=f"library/bench/{i}.jpg", sha256=f"{i:064x}"
        )
        for i in range(n)
    )
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            title=f"Harbour story {i}",
            slug=f"harbour-story-{i}",
            section=leaf,
            status="published",
            published_at=now - timedelta(minutes=i),
            lead_media=photos[i],
            summary="Ships came and went.",
            body="<p>Ships came and went.</p>",
        )
        for i in range(n)
    )
    Article.tags.through.objects.bulk_create(
        Article.tags.through(article_id=a.pk, tag_id=t.pk, published_at=a.published_at) for a in articles for t in tags
    )
    RelatedLink.objects.bulk_create(
        RelatedLink(source=articles[0], target=target, position=i) for i, target in enumerate(articles[1:21])
    )
    return articles[0]


def measure(client: Client, url: str) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(queries)


def in_process(n: int):
    call_command("migrate", verbosity=0)
    article = build(n)
    client = Client()
    request_started.disconnect(reset_queries)  # keep the captured queries of the measured request
    print(f"API benchmark, {n} live articles, SQLite, median of {REPEAT} requests")
    for label, url in [
        ("list, page_size=20", "/api/v1/articles/"),
        ("list, page_size=100", "/api/v1/articles/?page_size=100"),
        ("list, section + tag filter", "/api/v1/articles/?section=world&tag=topic-1"),
        ("list, full-text q", "/api/v1/articles/?q=harbour"),
        ("detail, 20 related", f"/api/v1/articles/{article.pk}/"),
        ("related, legacy shape", f"/api/v1/articles/{article.pk}/related/?format=legacy"),
    ]:
        ms, queries = measure(client, url)
        print(f"  {label:30} {ms:7.1f} ms  {queries} queries")


# -- served by gunicorn -----------------------------------------------------------------------------


def served_env(workdir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_URL", "REDIS_URL", "VARNISH_URLS")}
    env.update(
        DEBUG="0",
        SECRET_KEY="api-bench-only-not-secret",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        CACHE_DIR=str(workdir / "cache"),
        # Per second: the throttle keeps each client's request times over its window, and one wrk
        # client at thousands of requests a second would make a minute's list the cost measured.
        API_ANON_RATE="1000000/second",
        LOG_LEVEL="ERROR",
        NEWSROOM_ENV_FILE="",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
    )
    return env


def build_served(n: int) -> Path:
    workdir = SERVED_ROOT / f"n{n}"
    if not (workdir / "built").exists():
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        print(f"building {n} articles in {workdir}", flush=True)
        subprocess.run([sys.executable, __file__, "--build-into", str(workdir), str(n)], check=True, cwd=ROOT)
        env = served_env(workdir)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
        )
        (workdir / "built").write_text("ok")
    return workdir


# A gunicorn config that undoes newsroom.startup.prepare_workers in each worker after the fork:
# what every worker did before it existed (the "without" rows).
UNPREPARED = """
import gc


def post_fork(server, worker):
    from django.urls import clear_url_caches

    gc.unfreeze()
    clear_url_caches()
"""


def start_served(workdir: Path, port: int, prepared: bool = True) -> subprocess.Popen:
    """gunicorn with scripts/serve's options (no task worker: the API reads need none)."""
    shutil.rmtree(workdir / "cache", ignore_errors=True)  # a new deployment: nothing cached yet
    command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    if not prepared:
        (workdir / "unprepared.py").write_text(UNPREPARED)
        command += ["--config", str(workdir / "unprepared.py")]
    command += ["--workers", "2", "--preload", "--timeout", "30", "--graceful-timeout", "30", "--keep-alive", "5"]
    command += ["--max-requests", "1000", "--max-requests-jitter", "100", "--no-control-socket", "--log-level", "error"]
    server = subprocess.Popen(command, env=served_env(workdir), cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.05)


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, duration: str) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{duration}", "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    if len(latency) != 2:
        raise SystemExit(f"wrk printed no latency distribution:\n{out}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "req_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def served(n: int, rounds: int, duration: str, port: int = 8390):
    workdir = build_served(n)
    url = f"http://127.0.0.1:{port}/api/v1/articles/1/"
    rows = []
    for round_number in range(1, rounds + 1):
        for prepared in (False, True):  # interleaved, so that both see the same machine
            server = start_served(workdir, port, prepared)
            label = "cold, workers prepared" if prepared else "cold, without preparing"
            try:
                rows.append((f"{label} (round {round_number})", wrk(url, duration)))
                if round_number == rounds and prepared:
                    wrk(url, "3s")
                    rows.append(("same server after 3 s warm-up", wrk(url, duration)))
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=60)
    print(f"API detail (20 related), gunicorn 2 workers --preload, {n} articles, SQLite, wrk -t2 -c16 -d{duration}")
    for label, row in rows:
        print(
            f"  {label:40} {row['req_per_s']:7.1f} req/s  p50 {row['p50_ms']:7.1f} ms  p99 {row['p99_ms']:7.1f} ms"
            f"  p99/p50 {row['p99_ms'] / row['p50_ms']:4.1f}" + (f"  {row['errors']} errors" if row["errors"] else "")
        )


def serve(n: int, port: int):
    """The served mode's server, kept up until interrupted (for the anchors' EXTRA_TARGETS)."""
    server = start_served(build_served(n), port)
    print(f"serving http://127.0.0.1:{port}/api/v1/articles/1/ (Ctrl+C stops)", flush=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stops like Ctrl+C
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=5000)
    parser.add_argument("--served", action="store_true")
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--port", type=int, default=8390)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", default="15s")
    parser.add_argument("--build-into")
    args = parser.parse_args()
    if args.build_into:
        call_command("migrate", verbosity=0)
        build(args.n)
    elif args.serve:
        serve(args.n, args.port)
    elif args.served:
        served(args.n, args.rounds, args.duration, args.port)
    else:
        in_process(args.n)


if __name__ == "__main__":
    main()
