"""The importer's plain-SQL hot path: driver cursor, fixed-size look-up lists, SQLite run settings."""

from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.legacy.context import ImportContext
from articles.legacy.importer import import_page
from articles.legacy.parser import parse_page
from articles.legacy.rows import Rows
from articles.legacy.run import SQLITE_IMPORT_PRAGMAS, run_import
from articles.models import Article, AuditEntry, RelatedLink, Revision
from articles.revisions import snapshot
from media.models import MediaItem
from tests.importer.pages import item, page, write

UTC = ZoneInfo("UTC")


def parsed(text: str, name: str = "p.txt"):
    return parse_page(text.encode(), name, UTC)


@pytest.mark.django_db
def test_lists_longer_than_a_look_up_chunk_and_odd_lengths_resolve_in_order():
    """33 items (a chunk of 32 plus one) and 5 (a list padded to 8) all resolve, in sort order."""
    context = ImportContext()
    first = [item(9000 + n, f"Early story {n}", sort=100 - n) for n in range(33)]
    result = import_page(page=parsed(page("Long related list", related=first)), context=context)
    links = list(RelatedLink.objects.filter(source_id=result.article_id).values_list("target__legacy_id", flat=True))
    assert links == [9000 + n for n in reversed(range(33))]
    assert Article.objects.stubs().count() == 33
    # Five of those again, by legacy id: found, not stubbed twice; their pictures are the same items.
    again = [item(9000 + n, f"Early story {n}") for n in (3, 1, 4, 15, 9)]
    result = import_page(
        page=parsed(page("Short related list", dateline="Tue Feb 07, 2017 10:00:00", related=again)), context=context
    )
    links = list(RelatedLink.objects.filter(source_id=result.article_id).values_list("target__legacy_id", flat=True))
    assert links == [9001, 9003, 9004, 9009, 9015]
    assert Article.objects.stubs().count() == 33 and MediaItem.objects.count() == 33


@pytest.mark.django_db
def test_driver_and_logged_cursors_store_the_same(tmp_path):
    """The same pages imported with Django watching the queries (its cursor) and without (the
    driver's) give the same rows, and the page's revision equals `snapshot()` either way."""

    def run_pages(suffix: str) -> list:
        context = ImportContext()
        ids = []
        for n in range(3):
            related = [item(9300 + 10 * n + k, f"Target {suffix} {n} {k}") for k in range(3)]
            if n:
                related.append(item(9300 + 10 * (n - 1), f"Target {suffix} {n - 1} 0"))
                related.append(item(0, f"Page {suffix} {n - 1}"))  # no valid id: dropped with a warning
            text = page(f"Page {suffix} {n}", dateline=f"Mon Feb 06, 2017 1{n}:00:00", related=related)
            ids.append(import_page(page=parsed(text), context=context).article_id)
        return ids

    def shape(ids: list) -> list:
        rows = []
        for pk in ids:
            article = Article.objects.get(pk=pk)
            assert article.revisions.get().data == snapshot(article)
            rows.append(
                (
                    article.status,
                    article.version,
                    article.kind,
                    article.body,
                    article.signoff,
                    [
                        (t.is_stub, t.legacy_id % 100, t.lead_media_id is not None, t.version)
                        for t in (link.target for link in article.related_links.order_by("position"))
                    ],
                    sorted(
                        (e.from_status, e.to_status, sorted(e.details))
                        for e in AuditEntry.objects.filter(article=article)
                    ),
                )
            )
        return rows

    with CaptureQueriesContext(connection) as queries:
        logged = run_pages("a")
    assert any("INSERT" in q["sql"] for q in queries)
    with CaptureQueriesContext(connection) as queries:
        queries.connection.force_debug_cursor = False  # capture nothing: the driver's cursor runs
        assert not connection.queries_logged
        driver = run_pages("b")
    assert shape(logged) == shape(driver)


@pytest.mark.django_db
def test_a_driver_error_is_a_django_error_and_the_page_leaves_nothing(import_legacy, tmp_path, monkeypatch):
    write(tmp_path, "a.txt", page("Harbour dredging starts", related=[item(9401, "Dredger arrives")]))

    def self_link(self, source_id, target_ids, **kwargs):
        # A link from the article to itself breaks a check constraint, inside the driver.
        self.sql.run(
            self.sql.pair(f"INSERT INTO {self.link} (source_id, target_id, position) VALUES (%s, %s, 0)"),
            [source_id, source_id],
        )

    monkeypatch.setattr(Rows, "replace_links", self_link)
    run = import_legacy(tmp_path / "a.txt")
    assert run.exit_code == 1 and run.lines[0].startswith("failed") and "IntegrityError" in run.lines[0]
    assert Article.objects.count() == RelatedLink.objects.count() == Revision.objects.count() == 0
    assert MediaItem.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_sqlite_run_settings_apply_during_the_run_and_are_put_back(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    write(tmp_path, "a.txt", page("Ferry fares rise"))
    write(tmp_path, "b.txt", page("Ferry fares fall", dateline="Tue Feb 07, 2017 10:00:00"))

    def current() -> dict:
        with connection.cursor() as cursor:
            values = {}
            for name in SQLITE_IMPORT_PRAGMAS:
                cursor.execute(f"PRAGMA {name}")
                values[name] = cursor.fetchone()[0]
            return values

    before = current()
    during = []
    report = run_import([tmp_path], zone=UTC, on_result=lambda result: during.append(current()))
    assert report.counts["created"] == 2
    assert during == [SQLITE_IMPORT_PRAGMAS] * 2  # temp_store = 2: statement journals in memory
    assert current() == before


@pytest.mark.django_db
def test_adopting_with_lead_media_is_all_or_nothing():
    """The one-statement adoption (legacy id and lead media) changes a row only when it has
    neither; otherwise the importer falls back to the two guarded updates."""
    from tests.factories import ArticleFactory

    picture = MediaItem.objects.create(kind="image", legacy_path="/2017/02/03/a_1_25f_4x3.jpg", file_missing=True)
    other = MediaItem.objects.create(kind="image", legacy_path="/2017/02/03/b_2_25f_4x3.jpg", file_missing=True)
    bare = ArticleFactory(title="Bare")
    pictured = ArticleFactory(title="Pictured", lead_media=other)
    rows = Rows()
    versions = dict(Article.objects.values_list("pk", "version"))
    assert not rows.adopt_with_lead_media(pictured.pk, 9501, 5, picture.pk)
    pictured.refresh_from_db()
    assert (
        pictured.legacy_id is None and pictured.lead_media_id == other.pk and pictured.version == versions[pictured.pk]
    )
    assert rows.adopt_with_lead_media(bare.pk, 9502, 6, picture.pk)
    bare.refresh_from_db()
    assert (bare.legacy_id, bare.legacy_sort, bare.lead_media_id) == (9502, 6, picture.pk)
    assert bare.version == versions[bare.pk] + 1


@pytest.mark.django_db
def test_title_look_up_reads_the_title_index_not_every_article_without_a_legacy_id():
    """Without planner statistics (a first import), SQLite once answered "no legacy id and this
    title" from the legacy-id index, reading every article still without one: a cost that grew
    with the archive. The look-up must go by title."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite query plan")
    rows = Rows()
    assert rows.ids_by_title_without_legacy_id(["Nothing by this title"]) == []
    sql = rows._in_sql["title", 1][1]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql.replace("?", "'x'"))
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "article_title_idx" in plan, plan


def test_background_checkpointer_copies_the_wal_while_a_writer_commits(tmp_path):
    """The checkpointer thread backfills committed frames while another connection keeps
    writing; the writer's own checkpoint then lets the WAL start over, and nothing is lost."""
    import sqlite3
    import time

    from articles.legacy.run import WalCheckpointer

    path = str(tmp_path / "wal.sqlite3")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA synchronous=NORMAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # only the thread checkpoints here
    writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    with WalCheckpointer(path, every=0.01) as checkpointer:
        for _ in range(300):
            writer.execute("BEGIN")
            writer.execute("INSERT INTO t (v) VALUES (?)", ("x" * 500,))
            writer.execute("COMMIT")
        deadline = time.monotonic() + 5
        while checkpointer.checkpoints < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert checkpointer.checkpoints >= 3
    busy, frames, backfilled = writer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and frames == backfilled  # all copied into the database file
    writer.execute("BEGIN")
    writer.execute("INSERT INTO t (v) VALUES ('after')")
    writer.execute("COMMIT")
    assert writer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1] < frames  # the WAL started over
    writer.close()
    reader = sqlite3.connect(path)
    assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == 301
    reader.close()


@pytest.mark.django_db
def test_no_background_checkpoints_inside_a_transaction_or_in_memory():
    from articles.legacy.run import background_checkpoints

    with background_checkpoints() as checkpointer:
        assert checkpointer is None  # the test database: in a transaction (and in memory on SQLite)
