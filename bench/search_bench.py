"""Search benchmark: the search page's database work over many stories, PostgreSQL and SQLite.

    .venv/bin/python bench/search_bench.py [--pg-count 1000000] [--sqlite-count 100000]
                                           [--only pg|sqlite] [--rebuild] [--repeat 3]

1. Build (once per size; --rebuild to redo). Synthetic stories are written straight into the
   article table (COPY on PostgreSQL, one executemany on SQLite), not through the importer: the
   search structures are what is measured, and the database's own triggers fill them exactly
   as they do for stories saved by the site. Words follow a Zipf law over a newsroom
   vocabulary (the synthetic legacy pages' words, some common news words and a long tail of
   made-up ones), so a few words are in most stories and most words in few; stories are dated
   over the past ten years, 92 % English, 5 % Arabic, 3 % Persian; about 2 % are drafts,
   embargoed or scheduled, which search must never show.
   PostgreSQL: database `newsroom_search_bench` (SEARCH_BENCH_PG_URL to change it); SQLite:
   /tmp/newsroom-search-bench/search-<N>.sqlite3. Each is migrated with manage.py first.
2. Measure, in a child process running the production settings against that database: the
   search page's own work for the first page of results (`articles.site.search_page._results`:
   candidates, ranking, the page's rows, the count, the excerpts), for the 30 most common
   words that are not stop words, each `--repeat` times after one warm-up; then the most common
   word. Prints p50/p95 in ms and SQL queries per search.

Loading 1,000,000 stories into PostgreSQL takes about ten minutes on 2 busy cores (two COPY
streams, the trigger computing each story's vectors, then the indexes built once); 100,000 into SQLite
about a minute. Not run by the test suite.
"""

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
WORKDIR = Path(os.environ.get("SEARCH_BENCH_DIR", "/tmp/newsroom-search-bench"))
PG_URL = os.environ.get("SEARCH_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/newsroom_search_bench")
TARGETS = {"p50": 50.0, "most common": 100.0}


def _words(text: str) -> list[str]:
    return text.split()


# Frequent words first (rank order), stop words among them as in real text.
COMMON = _words(
    "the of and to in a said on for that with was is by at water from it as government minister "
    "city people year be has were new police officials two will council after have not this "
    "an its project are had which work local first road president but week health they school "
    "security state he report more market price about also workers last region three plan one "
    "ministry election power oil children villages percent team national been since over million "
    "border court company hospital before farmers army budget under their fund talks trade bank "
    "who years energy residents news than public crisis would families between prices party "
    "parliament village workers strike river town international against support weather "
    "capital agreement military district houses food"
)
ARABIC = _words(
    "في من على إلى أن مدينة الحكومة وزير المياه قال العمل مشروع المدارس الطرق الكهرباء السوق "
    "الانتخابات البرلمان بغداد عمان القاهرة المزارعين المستشفى الصحة التعليم الاقتصاد"
)
PERSIAN = _words("در از به که این را با شهر دولت وزیر آب کار پروژه مدرسه بازار انتخابات")
STOP = set(
    _words(
        "the of and to in a on for that with was is by at from it as be has were will have not this an its are "
        "had which but they he more about also one been since over who than would between under their after "
        "before against"
    )
)
POOL_SIZE = 3_000_000
LOAD_STREAMS = 2
SYLLABLES = _words("ka lo mi ren tu sa vor el pi dan ru ze mo fa lin go ter shi ba nu")


def vocabulary() -> list[str]:
    """Every word, most frequent first: the common list, the legacy pages' words, a made-up tail."""
    sys.path.insert(0, str(ROOT))
    from articles.legacy import synthetic_vocabulary as v

    words = list(COMMON)
    seen = set(words)
    legacy = " ".join(
        [*v.SENTENCES, *v.ACTORS, *v.DEEDS, *v.THINGS, *v.TOPICS, *v.OFFICIALS, *v.PLACES, *v.COUNTRY_ADJ.values()]
    )
    for town in v.TOWNS:
        legacy += " " + " ".join(town)
    for word in legacy.replace("{", " ").replace("}", " ").split():
        word = word.strip(".,'\"").lower()
        if word.isalpha() and word not in seen:
            seen.add(word)
            words.append(word)
    rng = random.Random(7)
    while len(words) < 30_000:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def zipf_pool(words: list[str], size: int, seed: int) -> list[str]:
    """`size` words drawn with probability ∝ 1 / (rank + 2.7) (Zipf–Mandelbrot, like running text)."""
    weights = [1.0 / (rank + 2.7) for rank in range(len(words))]
    return random.Random(seed).choices(words, weights=weights, k=size)


class Corpus:
    """Makes story texts quickly: each text is a run of words taken at a random place in a long
    Zipf-distributed pool, so word frequencies are realistic and no word is drawn per story."""

    def __init__(self, seed: int = 0):
        words = vocabulary()
        self.english = zipf_pool(words, POOL_SIZE, 1)
        self.arabic = zipf_pool(ARABIC, 200_000, 2)
        self.persian = zipf_pool(PERSIAN, 200_000, 3)
        self.rng = random.Random(11 + seed)

    def words(self, pool: list[str], n: int) -> str:
        start = self.rng.randrange(len(pool) - n)
        return " ".join(pool[start : start + n])

    def story(self, language: str) -> tuple[str, str, str]:
        """(title, summary, body HTML) in `language`."""
        pool = {"ar": self.arabic, "fa": self.persian}.get(language, self.english)
        title = self.words(pool, self.rng.randint(6, 10)).capitalize()
        summary = self.words(pool, self.rng.randint(14, 22)).capitalize() + "."
        paragraphs = (self.words(pool, self.rng.randint(30, 50)).capitalize() + "." for _ in range(3))
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return title, summary, body


COLUMNS = _words(
    "title slug kind summary body signoff source language status published_at embargo_until expires_at "
    "pinned is_stub version published_signoff legacy_digest created_at updated_at section_id"
)


def rows(n: int, section_id: int, part: int = 0, parts: int = 1):
    """The `n` stories as tuples in COLUMNS order (dates as ISO text, booleans as 't'/'f');
    with `parts`, only every parts-th one from `part` (loaded side by side, oldest first each)."""
    corpus = Corpus(seed=part)
    rng = random.Random(5 + part)
    now = datetime.now(UTC).replace(microsecond=0)
    span = timedelta(days=3650).total_seconds()
    for i in range(part, n, parts):
        language = rng.choices(("en", "ar", "fa"), weights=(92, 5, 3))[0]
        title, summary, body = corpus.story(language)
        # Oldest first (as an archive is loaded), with jitter so ids and dates do not agree exactly.
        moment = now - timedelta(seconds=span * (1 - (i + rng.random() * 20) / (n + 20)) + 60)
        status, embargo = "published", None
        roll = rng.random()
        if roll < 0.01:
            status = "draft"
        elif roll < 0.015:
            embargo = now + timedelta(days=2)
        elif roll < 0.02:
            moment = now + timedelta(days=rng.randint(1, 30))
        at = moment.isoformat()
        yield (
            title,
            f"story-{i}",
            "text",
            summary,
            body,
            "",
            "",
            language,
            status,
            at,
            embargo.isoformat() if embargo else None,
            None,
            "f",
            "f",
            1,
            "",
            "",
            at,
            at,
            section_id,
        )


def manage(database_url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1", "SECRET_KEY": "search-bench-only"}
    env.pop("REDIS_URL", None)
    env.pop("CACHE_URL", None)
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True)


# --- PostgreSQL ---------------------------------------------------------------------------------


def pg_connect(dbname: str | None = None):
    import psycopg

    url = PG_URL if dbname is None else PG_URL.rsplit("/", 1)[0] + f"/{dbname}"
    return psycopg.connect(url, autocommit=True)


def _copy_part(n: int, section_id: int, part: int, parts: int) -> None:
    with pg_connect() as conn, conn.cursor() as cursor:
        conn.execute("SET synchronous_commit = off")
        with cursor.copy(f"COPY articles_article ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows(n, section_id, part, parts):
                copy.write_row(row)


def build_pg(n: int, rebuild: bool) -> None:
    dbname = PG_URL.rsplit("/", 1)[1]
    with pg_connect("postgres") as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            conn.execute(f'CREATE DATABASE "{dbname}"')
    manage(PG_URL, "migrate", "-v0")
    with pg_connect() as conn:
        have = conn.execute("SELECT count(*) FROM articles_article").fetchone()[0]
        if have == n and not rebuild:
            print(f"PostgreSQL: {n:,} stories already loaded")
            return
        started = time.monotonic()
        conn.execute("TRUNCATE articles_article, articles_section RESTART IDENTITY CASCADE")
        section_id = conn.execute(
            "INSERT INTO articles_section (name, slug, path, depth, position, description) "
            "VALUES ('News', 'news', 'news', 0, 0, '') RETURNING id"
        ).fetchone()[0]
        # Secondary indexes (GIN and b-tree, not the constraints') are built once after the
        # load: far faster than keeping each up to date row by row.
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles_article' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = 'articles_article'::regclass)"
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute("SET synchronous_commit = off")
        # Two COPY streams side by side: the trigger's text parsing then uses both cores.
        streams = [
            threading.Thread(target=_copy_part, args=(n, section_id, part, LOAD_STREAMS))
            for part in range(LOAD_STREAMS)
        ]
        for stream in streams:
            stream.start()
        for stream in streams:
            stream.join()
        loaded = time.monotonic()
        conn.execute("SET maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            conn.execute(definition)
        conn.execute("VACUUM ANALYZE articles_article")
        indexed = time.monotonic() - loaded
        print(f"PostgreSQL: {n:,} stories loaded in {loaded - started:.0f} s, indexed in {indexed:.0f} s")


# --- SQLite -------------------------------------------------------------------------------------


def sqlite_path(n: int) -> Path:
    return WORKDIR / f"search-{n}.sqlite3"


def build_sqlite(n: int, rebuild: bool) -> None:
    path = sqlite_path(n)
    if path.exists() and not rebuild:
        with sqlite3.connect(path) as conn:
            if conn.execute("SELECT count(*) FROM articles_article").fetchone()[0] == n:
                print(f"SQLite: {n:,} stories already loaded")
                manage(f"sqlite:///{path}", "migrate", "-v0")
                return
    WORKDIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    manage(f"sqlite:///{path}", "migrate", "-v0")
    started = time.monotonic()
    conn = sqlite3.connect(path)
    section_id = conn.execute(
        "INSERT INTO articles_section (name, slug, path, depth, position, description) "
        "VALUES ('News', 'news', 'news', 0, 0, '') RETURNING id"
    ).fetchone()[0]
    marks = ", ".join("?" for _ in COLUMNS)
    with conn:
        conn.executemany(
            f"INSERT INTO articles_article ({', '.join(COLUMNS)}, created_by_id) VALUES ({marks}, NULL)",
            (tuple(int(v == "t") if v in ("t", "f") else v for v in row) for row in rows(n, section_id)),
        )
    conn.execute("ANALYZE")
    conn.close()
    print(f"SQLite: {n:,} stories loaded in {time.monotonic() - started:.0f} s")


# --- measuring (child process, production settings) ---------------------------------------------


def measure(repeat: int) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.site.search_page import _results

    words = [w for w in COMMON if w not in STOP][:30]

    def timed(word: str) -> tuple[float, int, int]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            results, _, total = _results(word, 1)
            elapsed = (time.perf_counter() - started) * 1000
        return elapsed, len(queries), total

    samples, totals, query_counts = [], {}, set()
    for word in words:
        timed(word)  # warm-up
        for _ in range(repeat):
            elapsed, count, total = timed(word)
            samples.append(elapsed)
            query_counts.add(count)
            totals[word] = total
    top = words[0]
    top_samples = [timed(top)[0] for _ in range(repeat + 2)]
    samples.sort()
    return {
        "vendor": connection.vendor,
        "p50": statistics.median(samples),
        "p95": samples[int(len(samples) * 0.95) - 1],
        "most_common_word": top,
        "most_common": statistics.median(top_samples),
        "queries": sorted(query_counts),
        "totals_shown": {w: totals[w] for w in words[:5]},
    }


def run_child(database_url: str, repeat: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "0",
        "SECRET_KEY": "search-bench-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("REDIS_URL", None)
    env.pop("CACHE_URL", None)
    out = subprocess.run(
        [str(PYTHON), __file__, "--child", "--repeat", str(repeat)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def report(label: str, n: int, figures: dict) -> None:
    ok = figures["p50"] <= TARGETS["p50"] and (figures["vendor"] == "sqlite" or figures["most_common"] <= 100)
    print(
        f"| {label} | {n:,} | {figures['p50']:.1f} | {figures['p95']:.1f} | "
        f"{figures['most_common']:.1f} (“{figures['most_common_word']}”) | "
        f"{'/'.join(map(str, figures['queries']))} | {'yes' if ok else 'NO'} |"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-count", type=int, default=1_000_000)
    parser.add_argument("--sqlite-count", type=int, default=100_000)
    parser.add_argument("--only", choices=("pg", "sqlite"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build-only", action="store_true", help="load the databases, measure nothing")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(measure(args.repeat)))
        return
    results = []
    if args.only in (None, "pg"):
        build_pg(args.pg_count, args.rebuild)
        if not args.build_only:
            results.append(("PostgreSQL", args.pg_count, run_child(PG_URL, args.repeat)))
    if args.only in (None, "sqlite"):
        build_sqlite(args.sqlite_count, args.rebuild)
        if not args.build_only:
            results.append(
                (
                    "SQLite FTS5",
                    args.sqlite_count,
                    run_child(f"sqlite:///{sqlite_path(args.sqlite_count)}", args.repeat),
                )
            )
    if args.build_only:
        return
    print("\n| database | stories | p50 ms (30 words) | p95 ms | most common word ms | queries | target met |")
    print("|---|---|---|---|---|---|---|")
    for label, n, figures in results:
        report(label, n, figures)
    for label, _, figures in results:
        print(f"{label}: counts shown for the first words: {figures['totals_shown']}")


if __name__ == "__main__":
    main()
