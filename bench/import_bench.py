"""Legacy importer benchmark: N synthetic pages into a fresh SQLite or PostgreSQL database.

    .venv/bin/python bench/import_bench.py --count 100000 [--profile]
    .venv/bin/python bench/import_bench.py --count 100000 --postgres postgres://postgres@127.0.0.1:5432/newsroom_import_bench

Generates the pages with the project's generator (`python -m articles.legacy.synthetic`, run as
a separate process so its memory is not counted as the importer's) into a temporary folder,
migrates a new SQLite file (or drops and creates the PostgreSQL database named by
`--postgres`), imports every page (one transaction each, as the command does) and
prints pages/s and the peak resident memory of this process (resource.getrusage ru_maxrss).
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="Print the top cProfile entries too.")
    parser.add_argument("--no-worker", action="store_true", help="Parse in the importing process itself.")
    parser.add_argument("--reimport", action="store_true", help="Import the same pages again (all unchanged).")
    parser.add_argument(
        "--postgres", metavar="URL", help="Import into this PostgreSQL database (dropped and created first)."
    )
    parser.add_argument(
        "--no-purge",
        action="store_true",
        help="Without the page cache's purge listener: the importer's own cost (see bench/RESULTS.md).",
    )
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key with --profile.")
    parser.add_argument("--top", type=int, default=35, help="How many cProfile entries with --profile.")
    args = parser.parse_args()
    if args.count < 1:
        sys.exit("--count must be at least 1")

    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        pages = Path(tmp) / "pages"
        os.environ.update(
            {
                "DATABASE_URL": args.postgres or f"sqlite:///{tmp}/bench.sqlite3",
                "MEDIA_ROOT": f"{tmp}/media",
                "SECRET_KEY": "benchmark-only",
                "DEBUG": "0",
                # The process's own memory: the announcements' purges cost what a Redis round
                # trip would, not a walk of a file cache's folder for each key.
                "CACHE_URL": "locmemcache://",
            }
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
        sys.path.insert(0, str(BASE_DIR))
        import django

        django.setup()
        from zoneinfo import ZoneInfo

        from django.conf import settings
        from django.core.management import call_command

        from articles.legacy.run import run_import
        from articles.models import Article, RelatedLink

        # Datelines in the newsroom's zone, ending before today: every page is in the past.
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "articles.legacy.synthetic",
                str(pages),
                "--count",
                str(args.count),
                "--seed",
                str(args.seed),
                "--zone",
                settings.TIME_ZONE,
            ],
            check=True,
            cwd=BASE_DIR,
        )
        print(f"generated {args.count} pages in {time.perf_counter() - started:.1f}s")

        if args.postgres:
            recreate_postgres(args.postgres)
        call_command("migrate", verbosity=0)
        if args.no_purge:
            import changes
            from articles.site.page_cache import purge_changed

            # Its purge keys for media changes read every article body once per media id
            # announced (articles.actions.media_rules.media_uses), a cost that grows with the archive.
            changes.unlisten(purge_changed)
            print("the page cache's purge listener is off for this run")
        zone = ZoneInfo(settings.TIME_ZONE)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        step = max(args.count // 10, 1)
        marks = {"n": 0, "t": time.perf_counter()}

        def tick(result):
            """Print the rate of each tenth of the run, to show whether it holds up as the database grows."""
            marks["n"] += 1
            if marks["n"] % step == 0:
                now = time.perf_counter()
                print(f"  pages {marks['n'] - step + 1:>7,}–{marks['n']:<7,} {step / (now - marks['t']):6,.0f} pages/s")
                marks["t"] = now

        def run(on_result=tick):
            marks["n"], marks["t"] = 0, time.perf_counter()
            return run_import([pages], zone=zone, on_result=on_result, parse_in_worker=not args.no_worker)

        backend = server_backend()
        server_started = server_cpu(backend)
        started, cpu_started = time.perf_counter(), time.process_time()
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            report = profiler.runcall(run)  # parsing happens in the worker: not profiled here
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
        else:
            report = run()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(report.summary())
        print(f"articles {Article.objects.count()}, related links {RelatedLink.objects.count()}")
        print(
            f"imported {report.total} pages in {elapsed:.1f}s: {report.total / elapsed:,.0f} pages/s "
            f"(CPU time of this process {cpu:.1f}s: {report.total / cpu:,.0f} pages per CPU-second)"
        )
        if backend is not None and server_started is not None and backend == server_backend():
            server = server_cpu(backend) - server_started
            print(
                f"CPU time of the PostgreSQL server process serving the import {server:.1f}s: "
                f"{report.total / server:,.0f} pages per server CPU-second"
            )
        print(f"machine load average while running: {os.getloadavg()[0]:.1f} (2 cores, shared)")
        print_database_size(Path(f"{tmp}/bench.sqlite3"))
        worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(
            f"peak RSS {peak / 1024:.0f} MB (after set-up and migrations: {rss_before / 1024:.0f} MB); "
            f"largest child process (generator, parsing worker) {worker_peak / 1024:.0f} MB"
        )
        if args.reimport:
            started = time.perf_counter()
            again = run(on_result=None)
            elapsed = time.perf_counter() - started
            print(f"re-import: {again.summary()} {again.total / elapsed:,.0f} pages/s")


def server_backend() -> int | None:
    """The process id of the PostgreSQL backend serving this process's connection (None on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def server_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) the backend `pid` has used, read from /proc when the server
    runs on this machine; None when it cannot be read."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def recreate_postgres(url: str) -> None:
    """Drop and create the database `url` names (connecting to the server's `postgres` database)."""
    import psycopg
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if not name.startswith(("newsroom_import", "newsroom_scale", "newsroom_bench")) and not name.endswith("_import"):
        sys.exit(f"refusing to drop {name!r}: give a database named newsroom_import_* for this benchmark")
    connection.close()
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')


def print_database_size(sqlite_file: Path) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            print(f"database {cursor.fetchone()[0] / 2**20:,.0f} MB (PostgreSQL)")
        return
    wal = Path(f"{sqlite_file}-wal")
    print(
        f"database {sqlite_file.stat().st_size / 2**20:,.0f} MB, WAL at the end "
        f"{(wal.stat().st_size if wal.exists() else 0) / 2**20:,.0f} MB"
    )


if __name__ == "__main__":
    main()
