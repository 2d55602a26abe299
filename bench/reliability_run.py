"""Reliability run for issue #13: the figures measured from outside, measured again.

Usage: .venv/bin/python bench/reliability_run.py [--quick]

Every figure comes from real gunicorn servers (2 workers, DEBUG=1, as `make serve` starts them)
on 127.0.0.1, each on a throwaway database: a temporary SQLite file, and a temporary PostgreSQL
database created on postgres://postgres@127.0.0.1:5432 and dropped afterwards. It measures

1. concurrent writes, on SQLite and PostgreSQL: pairs of API edits of one story sent at the same
   moment with the same If-Match (5xx answers; pairs where exactly one got 412), edits of
   different stories, creates, and two signed-in admin sessions posting one change form at once;
2. staleness across workers: a live story's page is warmed in both workers, the story is
   unpublished through the API, and the page is polled until no request answers 200;
3. leaked media: photos used only by a draft, an embargoed and a scheduled story, then every URL
   an editor's API answer names plus sequential ids, asked anonymously (200s counted);
4. executable feed pairs: hostile text in each article field, the running server's RSS and Atom
   feeds read as a feed reader does (the check of tests/syndication/test_hostile_feeds.py);
5. outage: a server whose database accepts connections and never answers; seconds until a page,
   the API and the admin login answer 503 (with Retry-After).

It prints one table, "before (issue #13) | now | target". Every loop is bounded and every
request has a timeout, so a regression shows as a figure, never as a hang. The measurements live
beside this file: reliability_client.py (servers, requests, sessions), reliability_checks.py
(writes, staleness, media) and reliability_feeds.py (feeds, outage).
"""

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from reliability_checks import concurrent_writes, leaked_media, staleness
from reliability_client import Api, Server, prepare_site, site_env
from reliability_feeds import feed_pairs, outage

POSTGRES = "postgres://postgres@127.0.0.1:5432"


def postgres_database():
    """A fresh PostgreSQL database; (its URL, a function dropping it)."""
    import psycopg

    name = f"newsroom_reliability_{os.getpid()}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{POSTGRES}/{name}", drop


def ratio(pair) -> str:
    return f"{pair[0]}/{pair[1]}"


SIZES = {
    "quick": {"pairs": 100, "disjoint": 50, "creates": 100, "admin": 50, "media": 3, "stale": 20},
    "full": {"pairs": 300, "disjoint": 200, "creates": 400, "admin": 150, "media": 11, "stale": 30},
}
HEAD = ("figure", "before (issue #13)", "now", "target")


class Progress:
    """Prints each step with the seconds since the run began."""

    def __init__(self):
        self.started = time.monotonic()

    def __call__(self, step: str) -> None:
        print(f"[{self.elapsed():5.0f} s] {step}", flush=True)

    def elapsed(self) -> float:
        return time.monotonic() - self.started


def site_database(engine: str, scratch: Path):
    """(database URL, a function dropping it or None) for `engine`."""
    if engine == "SQLite":
        return f"sqlite:///{scratch / 'site.sqlite3'}", None
    return postgres_database()


def measure_engine(engine: str, scratch: Path, sizes: dict, progress: Progress) -> dict:
    """The figures one database engine gives: concurrent writes, and on SQLite (the embedded
    default) staleness, leaked media and feeds too."""
    url, drop = site_database(engine, scratch)
    env = site_env(url, scratch / f"media-{engine}")
    found = {}
    try:
        token = prepare_site(env)
        server = Server(env)
        try:
            api = Api(server.port, token)
            progress(f"{engine}: concurrent writes")
            found["writes"] = concurrent_writes(api, env, sizes)
            if engine == "SQLite":
                progress("staleness across workers")
                found["stale"] = staleness(api, sizes["stale"])
                progress("leaked media")
                found["media"] = leaked_media(api, sizes["media"])
                progress("feeds")
                found["feeds"] = feed_pairs(env, server.port)
        finally:
            log = server.stop()
            if "Traceback" in log:
                print(f"--- {engine} server log (last lines) ---\n{log[-2000:]}")
    finally:
        if drop:
            drop()
    return found


def write_rows(sq: dict, pg: dict) -> list[tuple]:
    return [
        ("5xx, conflicting API edit pairs (SQLite)", "624/1000", ratio(sq["pairs"]), "0"),
        ("  pairs with exactly one 412 (SQLite)", "-", ratio(sq["pairs_one_412"]), "all"),
        ("5xx, disjoint API edits (SQLite)", "156/200", ratio(sq["disjoint"]), "0"),
        ("5xx, concurrent creates (SQLite)", "165/400", ratio(sq["creates"]), "0"),
        ("5xx, admin save pairs (SQLite)", "286/300", ratio(sq["admin"]), "0"),
        ("  admin pairs: one saved, one conflict (SQLite)", "-", ratio(sq["admin_one_saved"]), "all"),
        ("5xx, conflicting API edit pairs (PostgreSQL)", "0", ratio(pg["pairs"]), "0"),
        ("  pairs with exactly one 412 (PostgreSQL)", "1000/1000", ratio(pg["pairs_one_412"]), "all"),
        ("5xx, disjoint API edits (PostgreSQL)", "0", ratio(pg["disjoint"]), "0"),
        ("5xx, concurrent creates (PostgreSQL)", "0", ratio(pg["creates"]), "0"),
        ("5xx, admin save pairs (PostgreSQL)", "0", ratio(pg["admin"]), "0"),
        ("  admin pairs: one saved, one conflict (PostgreSQL)", "-", ratio(pg["admin_one_saved"]), "all"),
    ]


def other_rows(sqlite: dict, down: dict, sizes: dict) -> list[tuple]:
    stale, media, feeds = sqlite["stale"], sqlite["media"], sqlite["feeds"]
    requests = ", ".join(f"{n} x {status}" for status, n in sorted(media[2].items()))
    rows = [
        (
            "unpublished story served by a worker for",
            "299.7 s",
            f"> {sizes['stale']} s" if stale is None else f"{stale:.2f} s",
            "<= 1 s",
        ),
        (
            "hidden stories' media served publicly",
            "32/32",
            f"{media[0]}/{media[1]} ({sum(media[2].values())} requests: {requests})",
            "0",
        ),
        ("executable feed field x element pairs", "113", f"{feeds['executable']} (of {feeds['checked']})", "0"),
    ]
    for name, (status, seconds, retry) in down.items():
        now = f"{status} in {seconds:.1f} s, Retry-After {retry or 'none'}"
        rows.append((f"DB not answering: {name}", "60 s, bare error", now, "503 <= 10 s"))
    return rows


def print_table(rows: list[tuple]) -> None:
    widths = [max(len(row[i]) for row in [HEAD, *rows]) for i in range(4)]
    print()
    for row in [HEAD, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller samples (about 2.5 minutes)")
    options = parser.parse_args()

    sizes = SIZES["quick" if options.quick else "full"]
    progress = Progress()
    scratch = Path(tempfile.mkdtemp(prefix="reliability-"))
    try:
        found = {engine: measure_engine(engine, scratch, sizes, progress) for engine in ("SQLite", "PostgreSQL")}
        progress("outage")
        down = outage(scratch / "media-outage")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print_table(
        write_rows(found["SQLite"]["writes"], found["PostgreSQL"]["writes"]) + other_rows(found["SQLite"], down, sizes)
    )
    feeds = found["SQLite"]["feeds"]
    if feeds["pairs"]:
        print("executable feed pairs:", "; ".join(feeds["pairs"][:10]))
    if feeds["stale"]:
        print(f"note: /feeds/rss/ lacked the new items {feeds['stale']} time(s) (a stale cache)")
    print(f"\n{'quick' if options.quick else 'full'} run, {progress.elapsed():.0f} s")


if __name__ == "__main__":
    main()
