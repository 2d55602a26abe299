"""Listings at scale: home, a section, a tag, an author page and the API list at 1,000 and at
1,000,000 stories on PostgreSQL, side by side, with the ratio of the two medians.

    .venv/bin/python bench/scale_bench.py [--sizes "1000 1000000"] [--rebuild] [--requests 60] [--rounds 3]

1. Build (once per size; --rebuild to redo) the PostgreSQL database `newsroom_scale_<label>`
   (`newsroom_scale_1k`, `newsroom_scale_1m`, … on POSTGRES_URL's server): migrate, then load
   the stories straight into the tables with COPY (the importer's own speed is measured by
   bench/import_bench.py). Titles and datelines come from the project's generator
   (`articles.legacy.synthetic`): dates from about ten years ago until today's midnight, busier
   towards the present, none in the future. Stories are filed in 12 top-level sections with 6
   subsections each, carry two of 300 tags (a few tags much more common than the rest) and one
   of 200 authors; a small subsection, a rare tag and an occasional author hold a few of the
   oldest stories (`RARE_LISTS`). While loading, the search-vector trigger is off: this benchmark reads
   listings, not search (bench/search_bench.py measures search). A million stories take about
   10–15 minutes on 2 shared cores; the time is printed.
2. Measure each size in its own process with the production settings and the page cache off
   (PAGE_CACHE_SECONDS=0, so each request renders the page and reads the database), through
   Django's test client (the view's cost without HTTP): a warm-up, then `--requests` requests
   per page and size, the sizes taking turns in `--rounds` rounds so the machine's load falls
   on each alike; the p50 and the number of SQL queries of each page.
3. Print a table: p50 at each size and the ratio of the largest to the smallest (target ≤ 1.5).

Not run by the test suite. The databases stay for the next run (drop them with
`dropdb newsroom_scale_1m`).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES_URL = os.environ.get("SCALE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
ZONE = "Asia/Tehran"  # the newsroom's default TIME_ZONE: the legacy site's clock
TOP_SECTIONS, SUBSECTIONS, TAGS, AUTHORS = 12, 6, 300, 200
PAGES = (
    "home",
    "section",
    "subsection",
    "small section",
    "tag",
    "medium tag",
    "rare tag",
    "author",
    "occasional author",
    "api list",
)
# A subsection with 10 stories, a tag on 3 and an author of 3 (the oldest stories): a list
# whose few stories are far back in the archive.
RARE_LISTS = (
    "INSERT INTO articles_section (name, slug, path, depth, position, description, parent_id) "
    "SELECT 'Notes', 'notes', 'region-1/notes', 1, 99, '', id FROM articles_section WHERE path = 'region-1'",
    "UPDATE articles_article SET section_id = (SELECT id FROM articles_section WHERE path = 'region-1/notes') "
    "WHERE id <= 10",
    "INSERT INTO articles_tag (name, slug) VALUES ('Rare', 'rare')",
    "INSERT INTO articles_article_tags (article_id, tag_id, published_at) "
    "SELECT id, (SELECT id FROM articles_tag WHERE slug = 'rare'), published_at FROM articles_article "
    "WHERE id IN (11, 12, 13)",
    "INSERT INTO articles_author (name, slug, job_title, bio, signoff, created_at, updated_at) "
    "VALUES ('Occasional Writer', 'occasional', '', '', '', now(), now())",
    "UPDATE articles_byline SET author_id = (SELECT id FROM articles_author WHERE slug = 'occasional') "
    "WHERE article_id IN (14, 15, 16)",
)
STATIC_ROOT = Path(os.environ.get("SCALE_WORKDIR", "/tmp/newsroom-scale-bench")) / "static"


def label(size: int) -> str:
    """1000 → "1k", 1000000 → "1m", 2500 → "2500"."""
    for unit, name in ((1_000_000, "m"), (1_000, "k")):
        if size % unit == 0:
            return f"{size // unit}{name}"
    return str(size)


def database_url(size: int) -> str:
    return f"{POSTGRES_URL}/newsroom_scale_{label(size)}"


def site_env(size: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        SECRET_KEY="scale-bench-only-not-secret",
        DEBUG="0",
        DATABASE_URL=database_url(size),
        CACHE_URL="locmemcache://",
        PAGE_CACHE_SECONDS="0",
        API_ANON_RATE="1000000/minute",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        TIME_ZONE=ZONE,
        STATIC_ROOT=str(STATIC_ROOT),
        MEDIA_ROOT=str(STATIC_ROOT.parent / "media"),
    )
    return env


# -- building ----------------------------------------------------------------------------------


def built_size(size: int) -> int | None:
    """How many stories the database for `size` holds, or None when it is missing or unfinished."""
    import psycopg

    try:
        with psycopg.connect(database_url(size), connect_timeout=5) as db:
            row = db.execute("SELECT value FROM scale_bench_built").fetchone()
    except psycopg.Error:
        return None
    return int(row[0]) if row else None


def build(size: int) -> float:
    """Create, migrate and fill `newsroom_scale_<label>`; the seconds it took."""
    import psycopg

    started = time.monotonic()
    name = f"newsroom_scale_{label(size)}"
    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    env = site_env(size)
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    with psycopg.connect(database_url(size)) as db:
        Loader(db, size).load()
    with psycopg.connect(database_url(size), autocommit=True) as db:
        db.execute("VACUUM ANALYZE")
        db.execute("CREATE TABLE scale_bench_built (value bigint)")
        db.execute("INSERT INTO scale_bench_built VALUES (%s)", [size])
    return time.monotonic() - started


class Loader:
    """Writes the stories of one database with COPY, in one transaction."""

    def __init__(self, db, size: int):
        from articles.legacy import synthetic

        self.db = db
        self.size = size
        self.synthetic = synthetic
        self.rng = random.Random(17)
        self.now = datetime.now(UTC)

    def load(self) -> None:
        db = self.db
        db.execute("ALTER TABLE articles_article DISABLE TRIGGER USER")
        sections = self._sections()
        tags = self._tags()
        authors = self._authors()
        self._articles(sections)
        self._links(tags, authors)
        for table in ("articles_article", "articles_article_tags", "articles_byline"):
            # COPY named the ids: the rows RARE_LISTS inserts take theirs after them.
            db.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        for statement in RARE_LISTS:
            db.execute(statement)
        db.commit()  # runs the deferred foreign key checks; the trigger cannot change before
        db.execute("ALTER TABLE articles_article ENABLE TRIGGER USER")
        db.commit()

    def _copy(self, table: str, columns: tuple[str, ...], rows) -> None:
        with self.db.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def _sections(self) -> list[int]:
        """The subsections' ids (stories go there); their parents list them all."""
        from articles.legacy.synthetic_vocabulary import TOPICS

        rows, leaves, pk = [], [], 0
        for top in range(TOP_SECTIONS):
            pk += 1
            parent, slug = pk, f"region-{top + 1}"
            rows.append((pk, f"Region {top + 1}", slug, slug, 0, top, "", None))
            for sub in range(SUBSECTIONS):
                pk += 1
                child = TOPICS[sub % len(TOPICS)]
                child_slug = f"{child.lower().replace(' ', '-')}-{sub + 1}"
                rows.append((pk, child, child_slug, f"{slug}/{child_slug}", 1, sub, "", parent))
                leaves.append(pk)
        columns = ("id", "name", "slug", "path", "depth", "position", "description", "parent_id")
        self._copy("articles_section", columns, rows)
        self.db.execute("SELECT setval(pg_get_serial_sequence('articles_section', 'id'), %s)", [pk])
        return leaves

    def _tags(self) -> list[int]:
        self._copy(
            "articles_tag", ("id", "name", "slug"), ((n, f"Topic {n}", f"topic-{n}") for n in range(1, TAGS + 1))
        )
        self.db.execute("SELECT setval(pg_get_serial_sequence('articles_tag', 'id'), %s)", [TAGS])
        return list(range(1, TAGS + 1))

    def _authors(self) -> list[int]:
        now = self.now
        rows = ((n, f"Reporter {n}", f"reporter-{n}", "Correspondent", "", "", now, now) for n in range(1, AUTHORS + 1))
        columns = ("id", "name", "slug", "job_title", "bio", "signoff", "created_at", "updated_at")
        self._copy("articles_author", columns, rows)
        self.db.execute("SELECT setval(pg_get_serial_sequence('articles_author', 'id'), %s)", [AUTHORS])
        return list(range(1, AUTHORS + 1))

    def _articles(self, sections: list[int]) -> None:
        synthetic, rng, zone = self.synthetic, self.rng, ZoneInfo(ZONE)
        end = synthetic.default_end(zone)
        step = synthetic.default_step(self.size)
        multiplier, offset = synthetic.title_permutation(random.Random(7))
        columns = [
            "id",
            "title",
            "slug",
            "kind",
            "summary",
            "body",
            "signoff",
            "source",
            "language",
            "status",
            "published_at",
            "pinned",
            "is_stub",
            "version",
            "published_signoff",
            "created_at",
            "updated_at",
            "section_id",
            "legacy_digest",
        ]

        self.datelines = []  # article n's at n - 1: its tag links and byline row carry it too

        def rows():
            for n, local in enumerate(synthetic.timeline(self.size, seed=7, step=step, end=end), 1):
                title = synthetic.title_for(n, multiplier, offset)[0]
                published = local.replace(tzinfo=zone)
                self.datelines.append(published)
                summary = f"{title}: what happened and what comes next."
                body = f"<p>{summary}</p><p>Story number {n} of the scale benchmark.</p>"
                slug = title.lower().replace(" ", "-")[:190]
                text = (title, slug, "text", summary, body, "", "", "en", "published")
                yield (n, *text, published, False, False, 1, "", published, published, rng.choice(sections), "")

        self._copy("articles_article", columns, rows())

    def _links(self, tags: list[int], authors: list[int]) -> None:
        """Two tags and one author a story: tag n is chosen with weight 1/n (a few tags are
        common). Each link row carries its story's dateline, as the actions write it."""
        rng, datelines = self.rng, self.datelines
        weights = [1 / n for n in range(1, len(tags) + 1)]

        def tag_rows():
            pk = 0
            for article in range(1, self.size + 1):
                first, second = rng.choices(tags, weights, k=2)
                for tag in {first, second}:
                    pk += 1
                    yield (pk, article, tag, datelines[article - 1])

        self._copy("articles_article_tags", ("id", "article_id", "tag_id", "published_at"), tag_rows())
        author_weights = [1 / n**0.7 for n in range(1, len(authors) + 1)]
        self._copy(
            "articles_byline",
            ("id", "position", "article_id", "author_id", "published_at"),
            ((n, 0, n, rng.choices(authors, author_weights)[0], datelines[n - 1]) for n in range(1, self.size + 1)),
        )


# -- measuring ---------------------------------------------------------------------------------


def medium_tag() -> str:
    """The slug of the least common tag on at least 0.1 % of the stories and on more than a
    page of them, so that its page shows a full page at every size (at 1,000 stories 0.1 % is
    one story: a page of one card against twenty at a million measured the cards, not the list)."""
    from django.db.models import Count

    from articles.models import Article, Tag
    from articles.site.listings import PAGE_SIZE

    least = max(PAGE_SIZE + 1, Article.objects.count() // 1000)
    tags = Tag.objects.annotate(stories=Count("articles")).filter(stories__gte=least).order_by("stories", "slug")
    return tags.values_list("slug", flat=True).first()


def measure_child() -> None:
    """In a process set up by `start_child`: warm each page up, count its queries and print
    them (`READY {…}`); then for each line `<page> <n>` on stdin, time n requests of that page
    and print their milliseconds (`TIMES […]`)."""
    import django

    django.setup()
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Section

    top = Section.objects.filter(parent=None).order_by("position").first()
    sub = Section.objects.filter(parent=top).order_by("position").first()
    urls = {
        "home": "/",
        "section": f"/section/{top.path}/",
        "subsection": f"/section/{sub.path}/",
        "small section": "/section/region-1/notes/",
        "tag": "/tag/topic-1/",  # the most common tag
        "medium tag": f"/tag/{medium_tag()}/",
        "rare tag": "/tag/rare/",
        "author": "/authors/reporter-1/",  # the most prolific author
        "occasional author": "/authors/occasional/",
        "api list": "/api/v1/articles/",
    }
    request_started.disconnect(reset_queries)  # else each request empties the captured queries
    client = Client()
    queries, sql_ms = {}, {}
    for name, url in urls.items():
        for _ in range(5):
            response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries[name] = len(captured)
        sql_ms[name] = server_time([q["sql"] for q in captured.captured_queries], connection)
    print("READY " + json.dumps({"urls": urls, "queries": queries, "sql_ms": sql_ms}), flush=True)
    for line in sys.stdin:
        name, count = line.rsplit(" ", 1)
        times = []
        for _ in range(int(count)):
            started = time.perf_counter()
            client.get(urls[name])
            times.append((time.perf_counter() - started) * 1000)
        print("TIMES " + json.dumps(times), flush=True)


def server_time(statements: list[str], connection) -> float:
    """The server's own time (planning + execution, EXPLAIN ANALYZE, best of three) for a
    page's SELECT statements, in ms: what the database costs, whatever else the machine runs."""
    total = 0.0
    with connection.cursor() as cursor:
        for sql in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            best = None
            for _ in range(3):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
                spent = plan["Planning Time"] + plan["Execution Time"]
                best = spent if best is None else min(best, spent)
            total += best
    return total


class Child:
    """A measuring process for the database of one size."""

    def __init__(self, size: int):
        if not (STATIC_ROOT / "staticfiles.json").exists():
            command = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
            subprocess.run(command, cwd=ROOT, env=site_env(size), check=True)
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--child"],
            cwd=ROOT,
            env=site_env(size),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = self._answer("READY ")
        self.urls, self.queries, self.sql_ms = ready["urls"], ready["queries"], ready["sql_ms"]

    def _answer(self, prefix: str):
        for line in self.process.stdout:
            if line.startswith(prefix):
                return json.loads(line.removeprefix(prefix))
        sys.exit(f"the measuring process stopped (exit {self.process.wait()})")

    def time(self, page: str, count: int) -> list[float]:
        self.process.stdin.write(f"{page} {count}\n")
        self.process.stdin.flush()
        return self._answer("TIMES ")

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def measure(sizes: list[int], requests: int, rounds: int) -> dict[int, dict]:
    """p50 and queries of each page at each size; the sizes take turns, page by page, for
    `rounds` rounds, so a change in the machine's load falls on all of them alike."""
    children = {size: Child(size) for size in sizes}
    samples = {size: {page: [] for page in PAGES} for size in sizes}
    try:
        for _ in range(rounds):
            for page in PAGES:
                for size, child in children.items():
                    samples[size][page] += child.time(page, max(1, requests // rounds))
    finally:
        for child in children.values():
            child.stop()
    results = {}
    for size, child in children.items():
        pages = {}
        for page, times in samples[size].items():
            times.sort()
            pages[page] = {
                "url": child.urls[page],
                "p50": times[len(times) // 2],
                "queries": child.queries[page],
                "sql_ms": child.sql_ms[page],
            }
        results[size] = {"pages": pages}
    return results


def table(results: dict[int, dict]) -> str:
    sizes = sorted(results)
    small, large = sizes[0], sizes[-1]
    ratio_head = f"ratio {label(large)}/{label(small)}"
    head = (
        "| page | "
        + " | ".join(f"p50 at {n:,} (ms)" for n in sizes)
        + f" | {ratio_head} | SQL on the server "
        + " / ".join(label(n) for n in sizes)
        + " (ms) |"
    )
    lines = [head, "|" + "---|" * (len(sizes) + 3)]
    for page in PAGES:
        figures = [results[n]["pages"][page] for n in sizes]
        ratio = figures[-1]["p50"] / figures[0]["p50"]
        cells = " | ".join(f"{f['p50']:.1f} ({f['queries']} q)" for f in figures)
        sql = " / ".join(f"{f['sql_ms']:.2f}" for f in figures)
        lines.append(f"| {page} | {cells} | {ratio:.2f}{'' if ratio <= 1.5 else ' ✗'} | {sql} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("SCALE_SIZES", "1000 1000000"))
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the databases even if they exist.")
    parser.add_argument("--requests", type=int, default=60, help="Timed requests per page and size.")
    parser.add_argument("--rounds", type=int, default=3, help="Rounds the sizes take turns in.")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure_child()
        return
    sizes = sorted({int(s) for s in args.sizes.split()})
    for size in sizes:
        if args.rebuild or built_size(size) != size:
            print(f"building newsroom_scale_{label(size)} ({size:,} stories)…", flush=True)
            seconds = build(size)
            print(f"  built in {seconds / 60:.1f} min (COPY, then VACUUM ANALYZE)", flush=True)
        else:
            print(f"newsroom_scale_{label(size)} is built ({size:,} stories)", flush=True)
    load = os.getloadavg()[0]
    results = measure(sizes, args.requests, args.rounds)
    print()
    print(table(results))
    print(
        f"\npage cache off (PAGE_CACHE_SECONDS=0), PostgreSQL, Django's test client, {args.requests} requests a page "
        f"and size in {args.rounds} interleaved rounds; (n q) = SQL queries per request; load average {load:.1f} "
        f"at the start (2 cores, shared)"
    )


if __name__ == "__main__":
    main()
