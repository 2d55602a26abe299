"""Public-site benchmark: the article page (cached and uncached) and the home page of a site
holding 100,000 imported articles, served by gunicorn (2 sync workers) on 127.0.0.1 and measured
with wrk in the same run as the Wagtail and bare-Django anchors (/work/shared/anchors/run.sh).

    .venv/bin/python bench/site_bench.py [--articles 100000] [--workdir /tmp/newsroom-site-bench]
                                         [--rebuild] [--configs "2:16"] [--repeat 3] [--duration 15s]
                                         [--port-base 8200]

1. Build (once; --rebuild to redo): a SQLite database of N articles made by the legacy importer
   (`manage.py import_legacy`) from pages written by `python -m articles.legacy.synthetic`. The
   benchmarked article (the newest live video story with 10 related links, like the Wagtail anchor's) and its related
   targets get real media files (videos with posters, photos). Each run applies new migrations;
   without --analyze it removes SQLite statistics so the planner sees a fresh import.
2. Serve the site twice with the production settings (DEBUG=0, the default shared file cache): on :8200 with
   the page cache on (PAGE_CACHE_SECONDS=300), on :8201 with it off (PAGE_CACHE_SECONDS=0), so
   every request to :8201 renders the page and reads the database. Only the per-generation
   navigation fragment stays cached there, as it would in production on a page-cache miss.
3. Count SQL queries per request for each URL (Django test client, steady state).
4. Run the anchors' run.sh with EXTRA_TARGETS naming our four URLs: wrk measures Wagtail, bare
   Django and our pages with the same warm-up, settings and interleaved rounds. Results are merged
   into /work/shared/anchors/results.json under runs.n<N>-newsroom, and summarised here against
   the targets: uncached article ≥ 3× Wagtail's article, cached article ≥ 80 % of bare Django.

Takes about 15 minutes on 2 cores at N=100,000 (import ~2-3 min, Wagtail load ~3 min, wrk ~9 min).
Not run by the test suite.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
ANCHORS = Path(os.environ.get("ANCHORS_DIR", "/work/shared/anchors"))
# The page generator: the project's own (articles/legacy/synthetic.py) unless LEGACY_GENERATOR names a script.
GENERATOR = (
    ["-m", "articles.legacy.synthetic"] if not os.environ.get("LEGACY_GENERATOR") else [os.environ["LEGACY_GENERATOR"]]
)
CACHED_PORT, UNCACHED_PORT = 8200, 8201  # --port-base N: N and N + 1, the anchors on N + 2 and N + 3
RUN_LABEL = "newsroom"  # results.json key: runs.n<N>-newsroom (-analyzed with --analyze)


def site_env(workdir: Path, *, page_cache_seconds: int = 300, port: int = CACHED_PORT) -> dict:
    """The production configuration pointed at the benchmark's own database and files."""
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "REDIS_URL", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        SECRET_KEY="site-bench-only-not-secret",
        DEBUG="0",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        PAGE_CACHE_SECONDS=str(page_cache_seconds),
        LOG_LEVEL="ERROR",
    )
    return env


def run(cmd: list, env: dict, **kwargs) -> subprocess.CompletedProcess:
    print("$", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], env=env, cwd=ROOT, check=True, **kwargs)


def manage(env: dict, *args, **kwargs):
    return run([PYTHON, "manage.py", *args], env, **kwargs)


def inside(env: dict, step: str) -> dict:
    """Run one of this file's in-Django steps in a subprocess; it prints one JSON line."""
    out = run([PYTHON, __file__, "--inside", step], env, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# ---- steps that run inside Django (python site_bench.py --inside STEP) -------------------------


def _setup_django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _measured_article():
    """The newest live video story with at least ten related links (like the Wagtail anchor's)."""
    from django.db.models import Count

    from articles.models import Article

    article = (
        Article.objects.live()
        .filter(kind=Article.Kind.VIDEO)
        .annotate(n_related=Count("related_links"))
        .filter(n_related__gte=10)
        .newest_first()
        .first()
    )
    if article is None:
        raise SystemExit("no live video article with a related list: did the import work?")
    return article


def _give_media(story, kind: str, seed: int) -> None:
    """A lead video or photo for `story`, or the missing file of the one it names.

    Imported pages name no lead media of their own, so the measured story and its related targets
    get real files the way an editor would add them: through media's actions and
    actions.save_article (which announce the change: a new cache generation).
    """
    from django.db import transaction

    from articles import actions
    from media import actions as media_actions
    from media.samples import draw_photo, encode_clip

    with transaction.atomic():
        media = story.lead_media
        if media is None:
            video = kind == "video"
            story.lead_media, _ = media_actions.create_media(
                actor=None,
                data=encode_clip(seconds=3, width=640, height=360, seed=seed) if video else draw_photo(seed=seed),
                filename=f"bench-{seed}.{'mp4' if video else 'jpg'}",
                title=story.title[:200],
                alt_text=story.title[:200],
            )
            actions.save_article(actor=None, article=story, base_version=story.version)
        elif media.file_missing:
            data = encode_clip(seconds=1, seed=seed) if media.is_video else draw_photo(seed=seed)
            media_actions.replace_file(actor=None, item=media, data=data)


def step_pick() -> dict:
    """Choose the article to measure: the newest live one with a related list; give it real media."""
    from articles.models import Article
    from media import renditions

    article = _measured_article()
    stories = [(article, "video")] + [
        (target, "video" if target.kind == Article.Kind.VIDEO else "image")
        for target in Article.objects.filter(incoming_links__source=article)
    ]
    for seed, (story, kind) in enumerate(stories):
        _give_media(story, kind, seed)
    # Every rendition stored, as on a site where the images have been viewed once: the page then
    # links stored files (a storage URL each) rather than on-demand URLs.
    made = 0
    for story in Article.objects.filter(pk__in=[story.pk for story, _ in stories]).select_related("lead_media__poster"):
        image = renditions.source_of(story.lead_media)
        if image is not None:
            made += len(renditions.make_all(image))
    return {
        "article_id": article.pk,
        "article": article.get_absolute_url(),
        "related": article.n_related,
        "renditions_stored": made,
    }


def step_analyze() -> dict:
    """Give SQLite's planner table statistics (what `PRAGMA optimize` does in production)."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"analyze_s": round(time.monotonic() - started, 1)}


def step_forget_stats() -> dict:
    """Drop statistics an earlier --analyze run left, so the planner sees a fresh import."""
    from django.db import connection

    with connection.cursor() as cursor:
        tables = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'sqlite_stat%'")}
        for table in tables & {"sqlite_stat1", "sqlite_stat4"}:
            cursor.execute(f"DELETE FROM {table}")
    return {"statistics": "none"}


def step_queries() -> dict:
    """SQL queries per request for each measured URL, warm (third request), page cache off."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0
    targets = json.loads(os.environ["BENCH_TARGETS"])
    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, path in targets.items():
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        counts[name] = {"queries": len(queries), "bytes": len(response.content)}
    return counts


def step_cost() -> dict:
    """CPU time per uncached request in this process (Django's test client: the whole handler
    and middleware, no server), for each measured URL: a figure that survives a loaded machine
    better than wrk's. With BENCH_PROFILE=path, also a cProfile of the same renders there."""
    import cProfile

    from django.conf import settings
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 0
    renders = int(os.environ.get("BENCH_RENDERS", "500"))
    client = Client(HTTP_HOST="127.0.0.1")
    costs = {}
    for name, path in json.loads(os.environ["BENCH_TARGETS"]).items():
        for _ in range(20):  # warm: prepared queries, template and URL caches
            client.get(path)
        profile = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
        started = time.process_time()
        if profile:
            profile.enable()
        for _ in range(renders):
            client.get(path)
        if profile:
            profile.disable()
            profile.dump_stats(f"{os.environ['BENCH_PROFILE']}.{name}")
        costs[name] = {"cpu_ms_per_request": round((time.process_time() - started) * 1000 / renders, 3)}
    return costs


# ---- orchestration ---------------------------------------------------------------------------


def build(workdir: Path, articles: int) -> dict:
    env = site_env(workdir)
    (workdir / "media").mkdir(parents=True, exist_ok=True)
    timings = {}
    t0 = time.monotonic()
    manage(env, "migrate", "-v0")
    pages = workdir / "pages"
    if not (pages / "index.json").exists():
        run([PYTHON, *GENERATOR, pages, "--count", articles], env)
    timings["generate_and_migrate_s"] = round(time.monotonic() - t0, 1)
    t0 = time.monotonic()
    manage(env, "import_legacy", pages, stdout=subprocess.DEVNULL)
    timings["import_s"] = round(time.monotonic() - t0, 1)
    timings["import_pages_per_s"] = round(articles / timings["import_s"], 1)
    manage(env, "collectstatic", "--noinput", "-v0")
    (workdir / "build.json").write_text(json.dumps(timings, indent=2))
    return timings


def start_server(workdir: Path, port: int, page_cache_seconds: int) -> subprocess.Popen:
    env = site_env(workdir, page_cache_seconds=page_cache_seconds, port=port)
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "newsroom.wsgi:application",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn on :{port} exited with {process.returncode}") from None
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn on :{port} did not come up")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def smoke(paths: dict) -> None:
    """Fetch each URL once from both servers and say what came back."""
    for port in (CACHED_PORT, UNCACHED_PORT):
        for path in paths.values():
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
                print(
                    f":{port}{path} -> {response.status}, {len(response.read())} bytes,"
                    f" page cache {response.headers.get('X-Page-Cache', '-')}"
                )


def run_anchors(args, paths: dict) -> None:
    """The anchors' run.sh, measuring our four URLs beside Wagtail and bare Django."""
    extra = " ".join(
        f"newsroom_{name}_{label}=http://127.0.0.1:{port}{path}"
        for name, path in paths.items()
        for label, port in (("cached", CACHED_PORT), ("uncached", UNCACHED_PORT))
    )
    env = dict(
        os.environ,
        # More URLs to measure in the same rounds (say, an older tree served beside this one).
        EXTRA_TARGETS=" ".join(filter(None, (extra, os.environ.get("EXTRA_TARGETS", "")))),
        RUN_LABEL=run_label(args),
        CONFIGS=args.configs,
        REPEAT=args.repeat,
        DURATION=args.duration,
    )
    if args.port_base:
        env.update(WAGTAIL_PORT=str(args.port_base + 2), HELLO_PORT=str(args.port_base + 3))
    subprocess.run(["bash", str(ANCHORS / "run.sh"), str(args.articles)], env=env, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--configs", default="2:16", help="wrk threads:connections pairs (anchors' CONFIGS)")
    parser.add_argument("--repeat", default="3", help="interleaved rounds; the median round is reported")
    parser.add_argument("--duration", default="15s")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run SQLite ANALYZE on the database first (it stays analysed; --rebuild undoes it)",
    )
    parser.add_argument("--smoke", action="store_true", help="build, serve and fetch each URL once; no wrk")
    parser.add_argument(
        "--port-base",
        type=int,
        help="serve on this port and the next; the anchors on the two after (default 8200, 8201, 8101, 8102)",
    )
    parser.add_argument("--label", default=RUN_LABEL, help="results.json key: runs.n<N>-<label>")
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.port_base:
        global CACHED_PORT, UNCACHED_PORT
        CACHED_PORT, UNCACHED_PORT = args.port_base, args.port_base + 1

    if args.inside:
        _setup_django()
        steps = {
            "pick": step_pick,
            "queries": step_queries,
            "cost": step_cost,
            "analyze": step_analyze,
            "forget_stats": step_forget_stats,
        }
        print(json.dumps(steps[args.inside]()))
        return

    workdir = args.workdir or Path(f"/tmp/newsroom-site-bench/n{args.articles}")
    if args.rebuild and workdir.exists():
        subprocess.run(["rm", "-rf", str(workdir)], check=True)
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    build_info = json.loads((workdir / "build.json").read_text()) if (workdir / "build.json").exists() else None
    if build_info is None:
        build_info = build(workdir, args.articles)
    print("build:", build_info, flush=True)

    manage(site_env(workdir), "migrate", "-v0")  # a database built by older code gets new migrations
    build_info = build_info | inside(site_env(workdir), "analyze" if args.analyze else "forget_stats")
    picked = inside(site_env(workdir), "pick")
    print("article:", picked, flush=True)
    paths = {"article": picked["article"], "home": "/"}
    query_env = site_env(workdir) | {"BENCH_TARGETS": json.dumps(paths)}
    queries = inside(query_env, "queries")
    print("queries per request (page cache off):", queries, flush=True)

    cached = start_server(workdir, CACHED_PORT, 300)
    uncached = start_server(workdir, UNCACHED_PORT, 0)
    try:
        if args.smoke:
            smoke(paths)
            return
        run_anchors(args, paths)
    finally:
        stop_server(cached)
        stop_server(uncached)

    report(args, build_info, picked, queries, workdir, time.monotonic() - started)


def run_label(args) -> str:
    return args.label + ("-analyzed" if args.analyze else "")


def report(args, build_info, picked, queries, workdir, elapsed):
    articles, configs = args.articles, args.configs
    results = json.loads((ANCHORS / "results.json").read_text())
    summary = results["runs"][f"n{articles}-{run_label(args)}"]["summary"]
    config = "t{}c{}".format(*configs.split()[0].split(":"))

    def rps(name):
        return summary[name][config]["req_per_s"]

    figures = {
        name: {
            "req_per_s": rps(name),
            "p50_ms": summary[name][config]["p50_ms"],
            "p99_ms": summary[name][config]["p99_ms"],
            "bytes": summary[name]["bytes"],
        }
        for name in summary
    }
    ratios = {
        "uncached_article_vs_wagtail_article": round(
            rps("extra_newsroom_article_uncached") / rps("wagtail_article"), 2
        ),
        "cached_article_vs_bare_django": round(rps("extra_newsroom_article_cached") / rps("hello"), 2),
    }
    out = {
        "articles": articles,
        "wrk_config": config,
        "build": build_info,
        "article": picked,
        "queries_page_cache_off": queries,
        "figures": figures,
        "ratios": ratios,
        "targets": {"uncached_article_vs_wagtail_article": 3.0, "cached_article_vs_bare_django": 0.8},
        "elapsed_s": round(elapsed),
    }
    (workdir / f"summary-{run_label(args)}.json").write_text(json.dumps(out, indent=2))
    print(f"\n{'target':38} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'bytes':>7}")
    for name, f in figures.items():
        print(f"{name:38} {f['req_per_s']:8.0f} {f['p50_ms']:7.1f} {f['p99_ms']:7.1f} {f['bytes']:7}")
    print("\nratios:", ratios, "(targets: ≥ 3.0 and ≥ 0.8)")
    print(f"summary written to {workdir / f'summary-{run_label(args)}.json'}; took {elapsed / 60:.1f} min")


if __name__ == "__main__":
    main()
