"""Run an import over files and folders: stream the pages, one result per page, a report."""

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from articles.legacy.context import ImportContext
from articles.legacy.importer import import_batch, import_page
from articles.legacy.parser import LegacyPage
from articles.legacy.reading import read_pages
from articles.legacy.report import ImportReport, PageResult
from articles.models import Article, RelatedLink, Section, Tag
from media.models import MediaItem

# SQLite settings during an import: checkpoint every 20,000 WAL pages (about 80 MB) instead of
# 1,000, a 64 MB page cache (negative = KiB) instead of 2 MB, and temporary files in memory
# (temp_store = 2). The last matters most: inside a transaction, every statement that writes
# several rows or fires a trigger (the article insert and its search-index trigger, the
# multi-row inserts) keeps a statement journal, the page images that undo just that statement
# if it fails; on a file that was a temporary file created, written (about 65 writes a page)
# and deleted for every page. In memory it costs ~0.12 ms less a page. Crash safety does not
# depend on it: the statement journal only ever undoes a statement inside a live transaction,
# and commits still go through the WAL with synchronous=NORMAL.
SQLITE_IMPORT_PRAGMAS = {"wal_autocheckpoint": 20_000, "cache_size": -65_536, "temp_store": 2}

# Pages imported in one transaction. A transaction a page cost two round trips and a commit
# each (on PostgreSQL a WAL flush); a hundred pages hold a few hundred kilobytes.
BATCH_PAGES = 100
# PostgreSQL: the run refreshes planner statistics at this many pages, then at each doubling.
FIRST_STATISTICS_AT = 1_000

# How often the background checkpointer copies committed pages from the WAL into the database.
CHECKPOINT_EVERY_SECONDS = 0.25


class WalCheckpointer:
    """A thread with its own connection to the SQLite file at `path` that copies committed pages
    from the WAL into the database (`wal_checkpoint(PASSIVE)`) every `every` seconds, until the
    `with` block ends."""

    def __init__(self, path: str, every: float = CHECKPOINT_EVERY_SECONDS):
        self.path = path
        self.every = every
        self.checkpoints = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="legacy-import-checkpoints", daemon=True)

    def _run(self) -> None:
        checkpointer = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
        try:
            while not self._stop.wait(self.every):
                try:
                    checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.checkpoints += 1
                except sqlite3.Error:
                    pass  # busy or similar: the writer's own auto-checkpoint still runs
        finally:
            checkpointer.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()


@contextmanager
def background_checkpoints():
    """SQLite: during the run, a `WalCheckpointer` copies the WAL into the database file from a
    second connection in a thread.

    Without it the writer does each checkpoint itself, inside the commit that fills the WAL to
    `wal_autocheckpoint`: copying a few thousand pages and two `fdatasync`s of 30–70 ms each on
    a large archive, every few hundred pages, with the writer waiting (wall-clock time ran ~15 %
    over CPU time). The thread releases the GIL inside SQLite, so that copy and those waits
    overlap the writer's work. A passive checkpoint never blocks the writer and takes only what
    is committed; the writer's own auto-checkpoint stays as it was, finds little left to copy,
    and lets the WAL start over, so the WAL stays as small as before. Durability is unchanged:
    a checkpoint is the same operation whichever connection runs it. Off for in-memory
    databases, inside a transaction (a dry run, a caller's, a test) and when the database is
    not in WAL mode.
    """
    name = str(connection.settings_dict.get("NAME") or "")
    if (
        connection.vendor != "sqlite"
        or connection.in_atomic_block
        or not name
        or name.startswith("file:")
        or ":memory:" in name
        or not os.path.isfile(name)
    ):
        yield None
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        wal = str(cursor.fetchone()[0]).lower() == "wal"
    if not wal:
        yield None
        return
    with WalCheckpointer(name) as checkpointer:
        yield checkpointer


def import_parsed(page: LegacyPage | PageResult, *, context: ImportContext) -> PageResult:
    """Import one parsed page; any failure becomes a `failed` result naming the file."""
    if isinstance(page, PageResult):
        return page
    try:
        return import_page(page=page, context=context)
    except PermissionDenied:
        raise
    except Exception as exc:  # noqa: BLE001 - one page's failure is reported; the others still import
        return PageResult(
            page.name, "failed", title=page.title, reason=f"{type(exc).__name__}: {exc}", warnings=page.warnings
        )


def import_parsed_batch(pages: list[LegacyPage | PageResult], *, context: ImportContext) -> list[PageResult]:
    """Import parsed pages (and pass on the reader's results) in one transaction when every page
    imports; else each page in its own, so a failure stays that page's."""
    parsed = [page for page in pages if not isinstance(page, PageResult)]
    if len(parsed) > 1 and not connection.in_atomic_block:
        results = iter(import_batch(parsed, context=context) or ())
        done = [page if isinstance(page, PageResult) else next(results, None) for page in pages]
        if all(done):
            return done
    return [import_parsed(page, context=context) for page in pages]


def run_import(
    paths: Iterable[Path],
    *,
    actor=None,
    zone: ZoneInfo,
    media_root: Path | None = None,
    dry_run: bool = False,
    on_result: Callable[[PageResult], None] | None = None,
    parse_in_worker: bool = False,
    batch_pages: int = BATCH_PAGES,
) -> ImportReport:
    """Import every page under `paths`, streaming; `on_result` sees each result.

    `parse_in_worker` parses the files in a worker process (worth it for long runs on a machine
    with a spare core; it costs a second or so to start).

    Pages are imported `batch_pages` at a time, each batch in one transaction (see
    `import_batch`); a batch where any page fails is imported again page by page, each in its
    own transaction, so what a failure rolls back is only ever the failing page. Results (and
    `on_result`) come once the batch has committed. Memory stays bounded by one batch.

    With `dry_run` the whole run happens inside one transaction that is rolled back at the end
    (each page is then a savepoint), and no media file is stored.
    """
    report = ImportReport()
    context = ImportContext(actor=actor, media_root=media_root, dry_run=dry_run, gather_announcements=True)
    statistics = GrowingStatistics(enabled=not dry_run and connection.vendor == "postgresql")

    def import_pages(pages: list) -> None:
        for result in import_parsed_batch(pages, context=context):
            report.add(result)
            if on_result:
                on_result(result)
        statistics.imported(len(pages))

    def each_page():
        batch: list[LegacyPage | PageResult] = []
        try:
            for page in read_pages(paths, zone, worker=parse_in_worker, max_bytes=settings.LEGACY_MAX_PAGE_BYTES):
                batch.append(page)
                if len(batch) >= batch_pages:
                    import_pages(batch)
                    batch = []
            import_pages(batch)
        finally:
            context.announcer.flush()  # inside a dry run's transaction: dropped with it

    previous = context.rows.sqlite_pragmas(SQLITE_IMPORT_PRAGMAS)
    try:
        if dry_run:
            with transaction.atomic():
                each_page()
                transaction.set_rollback(True)
        else:
            with background_checkpoints():
                each_page()
            refresh_planner_statistics()
    finally:
        context.rows.sqlite_pragmas(previous)
    return report


class GrowingStatistics:
    """PostgreSQL: planner statistics as the run fills the tables, at FIRST_STATISTICS_AT pages
    and at every doubling since (about ten times in a million pages, ~0.1 s each: ANALYZE reads
    a sample).

    A batch reads its rows by lists of a hundred titles or paths (`Rows.begin_batch`). Without
    statistics (a new database, or one whose autovacuum has not caught up with the import) the
    planner takes a hundred titles for a large share of the table and reads all of it: each
    batch then cost a scan of the archive (100,000 pages: 57 million rows read, the rate
    falling from 330 to 130 pages/s).
    """

    def __init__(self, *, enabled: bool):
        self.enabled = enabled
        self.pages = 0
        self.next = FIRST_STATISTICS_AT

    def imported(self, pages: int) -> None:
        self.pages += pages
        if self.enabled and self.pages >= self.next:
            refresh_planner_statistics()
            self.next = 2 * self.pages


def refresh_planner_statistics() -> None:
    """ANALYZE the tables an import fills, so the query planner knows their sizes.

    SQLite keeps no statistics until ANALYZE runs; without them it answers e.g. "these ids, if
    live" by walking the status/date index over every published article. PostgreSQL's autovacuum
    would get there later; after a bulk load it is better done now. About a second per 100,000
    articles on SQLite.
    """
    models = (Article, Article.tags.through, RelatedLink, Section, Tag, MediaItem)
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            # The connection's statement timeout is a web request's (8 s): ANALYZE of a large
            # archive on a busy machine takes longer, and must not fail the import that ran.
            cursor.execute("SET statement_timeout = 0")
        try:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        finally:
            if postgres:
                cursor.execute("RESET statement_timeout")
