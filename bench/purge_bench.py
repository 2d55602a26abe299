"""Precise purge benchmark: the cached article on PostgreSQL + Redis against bare Django, the same
behind Varnish against Varnish serving a static file, and a write load (one edit every few
seconds, Zipf-distributed reads through Varnish) with its hit ratio and staleness.

    .venv/bin/python bench/purge_bench.py [--articles 10000] [--workdir /tmp/newsroom-purge-bench]
        [--duration 10s] [--repeat 3] [--write-seconds 300] [--edit-every 5] [--readers 8]

Needs PostgreSQL on 127.0.0.1:5432 (database newsroom_purge_bench, made if missing), Redis on
127.0.0.1:6379 (database 6, flushed at the start), wrk, and Debian's varnish with
varnish-modules. Starts, on loopback: the site (gunicorn, 2 sync workers, DEBUG=0,
VARNISH_URLS naming the Varnish), the bare-Django anchor (/work/shared/anchors/hello, same
Python and gunicorn) and varnishd with deploy/varnish/newsroom.vcl.

1. Build (once; --rebuild to redo): N synthetic legacy pages imported with `import_legacy`.
2. Throughput: wrk -t2 -c16, `--repeat` interleaved rounds of `--duration` for each target; the
   median round is reported, with the ratios the issue sets (cached article ≥ 0.8 of bare
   Django; behind Varnish ≥ 0.95 of Varnish serving a static file).
3. Write load: after a warm-up that reads every story once through Varnish (the state of a site
   that has been serving for a while; `--page-cache-seconds`, default 3600, keeps the copies
   from expiring during the run, so that misses count purges, not expiry), `--readers` threads
   read stories through Varnish, chosen by a Zipf law (s=1) over every live story, while this
   process edits one of the 200 most read stories every `--edit-every` seconds through
   `articles.actions.save_article` (which purges after the commit, as an editor's request
   would). Each edit puts a version number in the title; a read that started more than 1 s
   after an edit of its story finished and shows an older version is counted stale. Hit ratio:
   reads answered by Varnish from its cache, and reads answered by the site's page cache among
   the rest.

Figures go to <workdir>/purge-results.json and are printed; bench/RESULTS.md quotes them.
Not run by the test suite.
"""

import argparse
import bisect
import http.client
import itertools
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.purge.varnish_server import start_varnish, stop_varnish, varnishd_missing_reason  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HELLO = Path(os.environ.get("ANCHORS_DIR", "/work/shared/anchors")) / "hello"
SITE_PORT, HELLO_PORT, VARNISH_PORT = 8210, 8211, 8212
DATABASE = "newsroom_purge_bench"
REDIS = "redis://127.0.0.1:6379/6"
VERSION = re.compile(r"\[v(\d+)\]")


def site_env(workdir: Path, *, varnish: bool = True, page_cache_seconds: int = 3600) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "REDIS_URL", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        SECRET_KEY="purge-bench-only-not-secret",
        DEBUG="0",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        CACHE_URL=REDIS,
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{VARNISH_PORT}",
        PAGE_CACHE_SECONDS=str(page_cache_seconds),
        VARNISH_URLS=f"http://127.0.0.1:{VARNISH_PORT}" if varnish else "",
        LOG_LEVEL="WARNING",
        NEWSROOM_ENV_FILE="",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
    )
    return env


def manage(env: dict, *args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(PYTHON), "manage.py", *map(str, args)], env=env, cwd=ROOT, check=True, **kwargs)


def build(workdir: Path, articles: int, rebuild: bool) -> dict:
    env = site_env(workdir, varnish=False)  # no Varnish runs yet: the import purges nothing
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{DATABASE}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists and rebuild:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
        exists = ""
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    (workdir / "media").mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "-v0")
    built = workdir / "built.json"
    if exists and built.exists():
        return json.loads(built.read_text())
    pages = workdir / "pages"
    if not (pages / "index.json").exists():
        subprocess.run(
            [str(PYTHON), "-m", "articles.legacy.synthetic", pages, "--count", str(articles)],
            env=env,
            cwd=ROOT,
            check=True,
        )
    started = time.monotonic()
    manage(env, "import_legacy", pages, stdout=subprocess.DEVNULL)
    info = {"articles": articles, "import_s": round(time.monotonic() - started, 1)}
    manage(env, "collectstatic", "--noinput", "-v0")
    built.write_text(json.dumps(info))
    return info


def start_gunicorn(app: str, port: int, env: dict, cwd: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(GUNICORN), app, "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}"]
        + ["--log-level", "warning"],
        env=env,
        cwd=cwd,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn on :{port} exited with {process.returncode}") from None
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn on :{port} did not come up")


def wrk(url: str, duration: str) -> dict:
    done = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{duration}", "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", done).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", done)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done)
    return {
        "rps": rate,
        "p50_ms": round(float(p50.group(1)) * scale, 3),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def throughput(targets: dict, duration: str, repeat: int) -> dict:
    rounds = {name: [] for name in targets}
    for url in targets.values():  # warm every worker and cache
        subprocess.run(["wrk", "-t2", "-c16", "-d3s", url], capture_output=True, check=True)
    for r in range(repeat):
        for name, url in targets.items():
            rounds[name].append(wrk(url, duration))
            print(f"  round {r + 1} {name:<22} {rounds[name][-1]['rps']:>10.1f} req/s", flush=True)
    return {
        name: {"rps": statistics.median(x["rps"] for x in found), "rounds": found, "url": targets[name]}
        for name, found in rounds.items()
    }


def round_ratio(throughput: dict, ours: str, anchor: str) -> float:
    """The median over rounds of ours ÷ anchor, each pair measured in the same round (a round
    slowed by other work on the machine slows both)."""
    pairs = zip(throughput[ours]["rounds"], throughput[anchor]["rounds"], strict=True)
    return round(statistics.median(a["rps"] / b["rps"] for a, b in pairs), 3)


# -- write load --------------------------------------------------------------------------------------


class Story:
    def __init__(self, pk: int, url: str):
        self.pk, self.url = pk, url
        self.lock = threading.Lock()
        self.edits: list[tuple[int, float]] = [(0, 0.0)]  # (version, monotonic time the edit returned)

    def expected(self, started: float) -> int:
        """The newest version whose edit finished more than 1 s before `started`."""
        with self.lock:
            return max(version for version, at in self.edits if at <= started - 1.0)


def reader(stories, cumulative, deadline, found, seed):
    chooser = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", VARNISH_PORT, timeout=10)
    counts = {"reads": 0, "varnish_hit": 0, "site_hit": 0, "stale": 0, "errors": 0, "worst_lag_s": 0.0}
    while time.monotonic() < deadline:
        story = stories[bisect.bisect(cumulative, chooser.random() * cumulative[-1])]
        started = time.monotonic()
        try:
            connection.request("GET", story.url)
            response = connection.getresponse()
            body = response.read().decode()
        except (OSError, http.client.HTTPException):
            counts["errors"] += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", VARNISH_PORT, timeout=10)
            continue
        counts["reads"] += 1
        if response.status != 200:
            counts["errors"] += 1
            continue
        if response.getheader("X-Cache") == "hit":
            counts["varnish_hit"] += 1
        elif response.getheader("X-Page-Cache") == "hit":
            counts["site_hit"] += 1
        seen = int(match.group(1)) if (match := VERSION.search(body)) else 0
        if seen < story.expected(started):
            counts["stale"] += 1
            with story.lock:
                newer = [at for version, at in story.edits if version > seen]
            counts["worst_lag_s"] = max(counts["worst_lag_s"], started - min(newer))
    found.append(counts)


def warm(stories, readers: int) -> None:
    """Read every story once through Varnish (what a site serving for a while has cached)."""

    def read_share(share):
        connection = http.client.HTTPConnection("127.0.0.1", VARNISH_PORT, timeout=30)
        for story in share:
            try:
                connection.request("GET", story.url)
                connection.getresponse().read()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", VARNISH_PORT, timeout=30)

    threads = [threading.Thread(target=read_share, args=(stories[n::readers],)) for n in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def write_load(env: dict, seconds: int, edit_every: float, readers: int) -> dict:
    os.environ.update(env)
    import django

    django.setup()
    from articles import actions
    from articles.models import Article

    rows = list(Article.objects.live().order_by("-published_at").values_list("pk", "slug"))
    stories = [Story(pk, f"/news/{pk}/{slug or 'article'}/") for pk, slug in rows]
    random.Random(7).shuffle(stories)  # popularity is not the date order
    cumulative = list(itertools.accumulate(1.0 / rank for rank in range(1, len(stories) + 1)))
    started = time.monotonic()
    warm(stories, readers)
    warm_up_s = round(time.monotonic() - started, 1)
    print(f"  warm-up: every story read once through Varnish in {warm_up_s} s", flush=True)
    deadline = time.monotonic() + seconds
    found: list[dict] = []
    threads = [
        threading.Thread(target=reader, args=(stories, cumulative, deadline, found, n), daemon=True)
        for n in range(readers)
    ]
    for thread in threads:
        thread.start()
    edits, edit_seconds, version = 0, [], 0
    chooser = random.Random(11)
    next_edit = time.monotonic() + edit_every
    while time.monotonic() < deadline - 1:
        time.sleep(max(0.0, next_edit - time.monotonic()))
        next_edit += edit_every
        story = stories[chooser.randrange(min(200, len(stories)))]
        version += 1
        article = Article.objects.get(pk=story.pk)
        article.title = VERSION.sub("", article.title).strip()[:200] + f" [v{version}]"
        started = time.monotonic()
        actions.save_article(actor=None, article=article)
        done = time.monotonic()
        edit_seconds.append(done - started)
        with story.lock:
            story.edits.append((version, done))
        edits += 1
    for thread in threads:
        thread.join()
    return {**summary(found, seconds, edits, edit_seconds), "warm_up_s": warm_up_s, "stories": len(stories)}


def summary(found: list[dict], seconds: int, edits: int, edit_seconds: list[float]) -> dict:
    """The readers' counts added up, with the ratios the issue sets."""
    total = {key: sum(c[key] for c in found) for key in ("reads", "varnish_hit", "site_hit", "stale", "errors")}
    reads = max(total["reads"], 1)
    return {
        **total,
        "seconds": seconds,
        "edits": edits,
        "edit_ms_p50": round(statistics.median(edit_seconds) * 1000, 1) if edit_seconds else None,
        "varnish_hit_ratio": round(total["varnish_hit"] / reads, 4),
        "cached_ratio": round((total["varnish_hit"] + total["site_hit"]) / reads, 4),
        "worst_stale_lag_s": round(max((c["worst_lag_s"] for c in found), default=0.0), 3),
        "reads_per_s": round(total["reads"] / seconds, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/newsroom-purge-bench"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write-seconds", type=int, default=300)
    parser.add_argument("--edit-every", type=float, default=5.0)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--page-cache-seconds", type=int, default=3600)
    parser.add_argument("--varnish-mb", type=int, default=1024, help="Varnish's memory (every story must fit)")
    args = parser.parse_args()
    missing = varnishd_missing_reason()
    if missing:
        raise SystemExit(missing)
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = site_env(args.workdir, page_cache_seconds=args.page_cache_seconds)
    subprocess.run(["redis-cli", "-n", "6", "FLUSHDB"], check=False, capture_output=True)
    built = build(args.workdir, args.articles, args.rebuild)
    url = subprocess.run(
        [str(PYTHON), "manage.py", "shell", "-c", "from articles.models import Article\n"
         "print(Article.objects.live().newest_first().first().get_absolute_url())"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    static = next((args.workdir / "static").rglob("*.css"))
    static_url = "/static/" + str(static.relative_to(args.workdir / "static"))
    servers = [start_gunicorn("newsroom.wsgi:application", SITE_PORT, env, ROOT)]
    hello_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    servers.append(start_gunicorn("hello.wsgi:application", HELLO_PORT, hello_env, HELLO))
    varnish = start_varnish(VARNISH_PORT, [SITE_PORT], storage=f"malloc,{args.varnish_mb}m")
    try:
        time.sleep(1)
        results = {"built": built, "article": url, "static": static_url, "page_cache_seconds": args.page_cache_seconds}
        print("== throughput (wrk -t2 -c16)", flush=True)
        results["throughput"] = throughput(
            {
                "bare_django": f"http://127.0.0.1:{HELLO_PORT}/",
                "cached_article_pg_redis": f"http://127.0.0.1:{SITE_PORT}{url}",
                "varnish_static_file": f"http://127.0.0.1:{VARNISH_PORT}{static_url}",
                "varnish_article": f"http://127.0.0.1:{VARNISH_PORT}{url}",
            },
            args.duration,
            args.repeat,
        )
        measured = results["throughput"]
        results["ratios"] = {
            "cached_article_vs_bare_django": round_ratio(measured, "cached_article_pg_redis", "bare_django"),
            "varnish_article_vs_varnish_static": round_ratio(measured, "varnish_article", "varnish_static_file"),
        }
        print(json.dumps(results["ratios"]), flush=True)
        if args.write_seconds > 0:
            print(f"== write load: {args.write_seconds} s, an edit every {args.edit_every} s", flush=True)
            results["write_load"] = write_load(env, args.write_seconds, args.edit_every, args.readers)
            print(json.dumps(results["write_load"], indent=2), flush=True)
    finally:
        stop_varnish(varnish)
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    written = args.workdir / ("purge-results.json" if args.write_seconds > 0 else "purge-throughput.json")
    written.write_text(json.dumps(results, indent=2))
    print(f"written {written}")


if __name__ == "__main__":
    main()
