"""Plain-SQL reads and multi-row inserts for the importer's per-page hot path.

Building an ORM query costs far more than running it on SQLite; the import of 100,000 pages
at ≥ 1,000 pages/s leaves about one millisecond per page, so the few statements every page
runs are written once here, with portable SQL (quoted names from the models' metadata) that
SQLite and PostgreSQL both accept. Inserts take their values from plain dicts of attname →
value; a missing field takes its default, prepared for the database once per run. Inserts
return the primary keys (`INSERT … RETURNING`). Rare paths (updates, filling stubs) use the ORM.

The statements run on the database driver's own cursor (one per run), with the SQL already in
the driver's parameter style: Django's cursor wrapper (its per-statement placeholder rewrite,
wrappers and bookkeeping) cost about as much as SQLite itself took for these small
statements. Whenever Django would record or wrap queries (`DEBUG`, a test capturing queries,
an `execute_wrapper`), they go through Django's cursor instead, so nothing is hidden from
those. Driver errors are turned into Django's database exceptions by the caller
(`connection.wrap_database_errors` round the page).

Look-ups by a list of values (`IN (…)`) use a few fixed list lengths (padded by repeating the
last value), so the driver's prepared-statement cache, keyed by the SQL text, keeps hitting.
"""

import dataclasses
import json
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.utils import timezone

from articles.legacy.batch_state import IDENTITY_COLUMNS, KEPT_COLUMNS, BatchState, Change, StaleBatch
from articles.models import Article, AuditEntry, RelatedLink, Revision
from media.models import MediaItem

CHUNK = 500
# Related links a statement: a batch's lists (about 500 links a hundred pages) in one.
LINK_CHUNK = 2000
# IN-list lengths: a list is padded up to the next of these (longer lists go in chunks of the last).
IN_SIZES = (1, 2, 4, 8, 16, 32)
# Columns whose Python value is already what the database takes (when of a plain type), so
# the per-field preparation can be skipped; anything else goes through the field as usual.
PLAIN_TYPES = {
    "CharField",
    "TextField",
    "SlugField",
    "BooleanField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "FloatField",
    "ForeignKey",
}
PLAIN_VALUES = (str, int, bool, float, type(None))
_UNCHOSEN = object()
# Pragmas SQLite accepts only outside a transaction.
NOT_IN_A_TRANSACTION = {"temp_store"}


class Statements:
    """Runs the importer's SQL on the driver's cursor, or on Django's when Django watches queries."""

    def __init__(self):
        # The connection object itself, not the `connection` proxy (each attribute read through
        # that costs a look-up of the current thread's connection: ~40 a page).
        self.db = connections[DEFAULT_DB_ALIAS]
        self.qmark = self.db.vendor == "sqlite"
        self._raw = None
        self._cursor = None
        self._chosen = _UNCHOSEN

    def driver_sql(self, sql: str) -> str:
        """`sql` written with `%s` placeholders, in the driver's parameter style."""
        return sql.replace("%s", "?") if self.qmark else sql

    @contextmanager
    def page(self):
        """Choose the cursor once for the statements of one page (inside its transaction), not
        per statement: whether Django watches queries does not change within a page."""
        self._chosen = self._choose()
        try:
            yield
        finally:
            self._chosen = _UNCHOSEN

    def cursor(self):
        """The driver's cursor for this connection, or None when Django must see the queries."""
        chosen = self._chosen
        return self._choose() if chosen is _UNCHOSEN else chosen

    def _choose(self):
        db = self.db
        if db.queries_logged or db.execute_wrappers:
            return None
        raw = db.connection
        if raw is None:
            return None
        if raw is not self._raw:
            self._raw, self._cursor = raw, raw.cursor()
        return self._cursor

    def fetch(self, sql: tuple[str, str], params) -> list[tuple]:
        cursor = self.cursor()
        if cursor is not None:
            cursor.execute(sql[1], params)
            return cursor.fetchall()
        with self.db.cursor() as cursor:
            cursor.execute(sql[0], params)
            return cursor.fetchall()

    def run(self, sql: tuple[str, str], params) -> int:
        """Execute a statement that returns no rows; the number of rows it changed."""
        cursor = self.cursor()
        if cursor is not None:
            cursor.execute(sql[1], params)
            return cursor.rowcount
        with self.db.cursor() as cursor:
            cursor.execute(sql[0], params)
            return cursor.rowcount

    def pair(self, sql: str) -> tuple[str, str]:
        """(Django form, driver form) of `sql`."""
        return sql, self.driver_sql(sql)

    def copy(self, sql: str, params: list, width: int) -> bool:
        """PostgreSQL: send the rows in `params` (`width` values each) with `sql`, a `COPY … FROM
        STDIN`; whether it did (False on SQLite, or when Django watches queries: the caller
        inserts them with a statement of its own instead).

        A multi-row INSERT of a batch's rows carries thousands of parameters, which both the
        driver (quoting them into the text) and the server (parsing and planning a statement
        that long) pay for at every batch; COPY sends the values as rows of data.
        """
        if self.qmark:
            return False
        cursor = self.cursor()
        if cursor is None:
            return False
        with cursor.copy(sql) as copy:
            for start in range(0, len(params), width):
                copy.write_row(params[start : start + width])
        return True


class Inserter:
    """Multi-row `INSERT … RETURNING id` for one model from dicts; SQL cached by row count.

    `with_pk`: the rows bring their ids (reserved by `Rows.reserve_ids`). `returning=False`:
    the caller needs no ids back (`rows` returns none), so on PostgreSQL the rows go in with
    `COPY … FROM STDIN` (see `Statements.copy`).
    """

    def __init__(
        self,
        model: type[Model],
        statements: Statements,
        on_rows=None,
        *,
        with_pk: bool = False,
        returning: bool = True,
    ):
        meta = model._meta
        self.on_rows = on_rows  # called with the rows before each insert
        self.statements = statements
        self.db = db = statements.db
        self.returning = returning
        self.fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
        # A row starts as the prepared defaults (`template`); time stamps (auto_now, auto_now_add,
        # default=timezone.now) and other callable defaults (a new dict per row…) are filled per
        # row unless given; `slots` says where a given attname goes and whether its value needs
        # the field's preparation.
        self.template: list = []
        self.slots: dict[str, tuple[int, object, bool]] = {}
        self.now_slots: list[tuple[int, str, object]] = []
        self.callable_slots: list[tuple[int, str, object]] = []
        for index, field in enumerate(self.fields):
            self._add_slot(index, field)
        quote = db.ops.quote_name
        self.head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in self.fields)}) VALUES "
        self.row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.tail = f" RETURNING {quote(meta.pk.column)}"
        self.copy_sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(f.column) for f in self.fields)}) FROM STDIN"
        self._sql: dict[int, tuple[str, str]] = {}

    def _add_slot(self, index: int, field) -> None:
        """Where `field`'s value goes in a row, and what it holds when a row leaves it out."""
        plain = field.get_internal_type() in PLAIN_TYPES
        self.slots[field.attname] = (index, field, plain)
        value = None
        if _is_time_stamp(field):
            self.now_slots.append((index, field.attname, field))
        elif field.has_default() and callable(field.default):
            self.callable_slots.append((index, field.attname, field))
        else:
            value = field.get_default()
            if not (plain and isinstance(value, PLAIN_VALUES)):
                value = field.get_db_prep_save(value, self.db)
        self.template.append(value)

    def rows(self, rows: list[dict], now=None) -> list[int]:
        if self.on_rows is not None:
            self.on_rows(rows)
        return self._rows(rows, now)

    def _rows(self, rows: list[dict], now=None) -> list[int]:
        """Insert dicts of attname → value (missing fields take their defaults); returns the pks.

        `now` fills the timestamp fields that the rows leave out, the same for every row: the
        moment of the page's transaction, as `Rows.stamp()` prepared it (default: the current time).
        """
        db = self.db
        slots = self.slots
        params = []
        for row in rows:
            values = self.template.copy()
            for index, attname, field in self.now_slots:
                if attname not in row:
                    if now is None:
                        now = field.get_db_prep_save(timezone.now(), db)
                    values[index] = now
            for index, attname, field in self.callable_slots:
                if attname not in row:
                    values[index] = field.get_db_prep_save(field.get_default(), db)
            for attname, value in row.items():
                index, field, plain = slots[attname]
                if not (plain and isinstance(value, PLAIN_VALUES)):
                    value = field.get_db_prep_save(value, db)
                values[index] = value
            params += values
        return self._send(params, len(rows))

    def _send(self, params: list, count: int) -> list[int]:
        """Insert `count` rows of `params`: with COPY where it can (no ids wanted), else INSERT."""
        if self.returning:
            return self._insert(params, count)
        if not self.statements.copy(self.copy_sql, params, len(self.fields)):
            self._insert(params, count)
        return []

    def _insert(self, params: list, count: int) -> list[int]:
        width = len(self.fields)
        ids: list[int] = []
        for start in range(0, count, CHUNK):
            size = min(CHUNK, count - start)
            sql = self._sql.get(size)
            if sql is None:
                sql = self._sql[size] = self.statements.pair(self.head + ", ".join([self.row] * size) + self.tail)
            ids.extend(pk for (pk,) in self.statements.fetch(sql, params[start * width : (start + size) * width]))
        return ids


def _is_time_stamp(field) -> bool:
    """Whether the field takes the moment a row is written (auto_now, auto_now_add, default=timezone.now)."""
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)) or (
        field.default is timezone.now
    )


@dataclasses.dataclass
class _BatchState:
    """What `Rows` knows during a batch: the identity keys and titles the database holds (as
    of its start, plus those inserted since), whether the batch's rows are still held
    (`cached`: look-ups answered and writes gathered by `held`), and the related links waiting
    to be inserted."""

    keys: set[str]
    titles: set[str]
    shortcut: bool = True  # `keys` and `titles` still answer identity look-ups
    held: BatchState | None = None
    links: list[tuple[int, int, int]] = dataclasses.field(default_factory=list)
    ids: dict[str, list[int]] = dataclasses.field(default_factory=dict)  # table → ids reserved for it

    @property
    def cached(self) -> bool:
        return self.held is not None


class _Table:
    """`rows(rows, now=None) -> ids` for one table: inserted at once, or, while a batch holds its
    rows, given reserved ids and gathered for `Rows.flush_pending`."""

    def __init__(self, owner: "Rows", model: type[Model], *, on_rows=None):
        self.owner = owner
        self.name = model._meta.db_table
        self.now_insert = Inserter(model, owner.sql, on_rows=on_rows)
        self.later_insert = Inserter(model, owner.sql, with_pk=True, returning=False)

    def rows(self, rows: list[dict], now=None) -> list[int]:
        owner = self.owner
        batch = owner._batch
        reserved = batch.ids.get(self.name) if batch is not None and batch.cached else None
        if reserved is None or len(reserved) < len(rows):
            if batch is not None and batch.cached:
                owner.leave_cached()  # more rows than reserved: should not happen, but stays right
            return self.now_insert.rows(rows, now)
        ids = reserved[: len(rows)]
        del reserved[: len(rows)]
        for row, pk in zip(rows, ids, strict=True):
            owner._gather(self.name, {**row, "id": pk}, now)
        return ids


class Rows:
    """The importer's reads and writes, bound to the current default connection's dialect."""

    IDENTITY_COLUMNS = IDENTITY_COLUMNS

    def __init__(self):
        self.sql = sql = Statements()
        self.db = sql.db
        self.postgres = self.db.vendor == "postgresql"
        quote = self.db.ops.quote_name
        self.article = quote(Article._meta.db_table)
        self.link = quote(RelatedLink._meta.db_table)
        self.media = quote(MediaItem._meta.db_table)
        self.insert_article = _Table(self, Article, on_rows=self._note_articles)
        self.insert_media = _Table(self, MediaItem)
        self.insert_revisions = Inserter(Revision, sql, returning=False)
        self.insert_audit = Inserter(AuditEntry, sql, returning=False)
        self._published_at = Article._meta.get_field("published_at")
        columns = ", ".join(self.IDENTITY_COLUMNS)
        self._identity = sql.pair(
            f"SELECT {columns} FROM {self.article} WHERE legacy_key = %s "
            "OR (title = %s AND (published_at = %s OR is_stub = %s)) ORDER BY id"
        )
        kept = ", ".join(KEPT_COLUMNS)
        self._batch_identities = sql.pair(
            f"SELECT {kept} FROM {self.article} WHERE {self._any('legacy_key')} OR {self._any('title')} ORDER BY id"
        )
        self._batch_targets = sql.pair(
            f"SELECT id, legacy_id, title, kind, lead_media_id, version FROM {self.article} "
            f"WHERE {self._any('legacy_id')}"
        )
        # `+legacy_id`: see `ids_by_title_without_legacy_id`.
        self._batch_titles = sql.pair(
            f"SELECT id, legacy_id, title, kind, lead_media_id, version FROM {self.article} "
            f"WHERE +legacy_id IS NULL AND {self._any('title')}"
        )
        self._batch_media = sql.pair(
            f"SELECT id, legacy_path, file_missing, kind FROM {self.media} WHERE {self._any('legacy_path')}"
        )
        self._set_identity = sql.pair(f"UPDATE {self.article} SET legacy_key = %s, legacy_digest = %s WHERE id = %s")
        self._set_lead_media = sql.pair(
            f"UPDATE {self.article} SET lead_media_id = %s, version = version + 1 "
            "WHERE id = %s AND lead_media_id IS NULL"
        )
        self._set_legacy_id = sql.pair(
            f"UPDATE {self.article} SET legacy_id = %s, legacy_sort = %s WHERE id = %s AND legacy_id IS NULL"
        )
        self._adopt_with_lead_media = sql.pair(
            f"UPDATE {self.article} SET legacy_id = %s, legacy_sort = %s, lead_media_id = %s, version = version + 1 "
            "WHERE id = %s AND legacy_id IS NULL AND lead_media_id IS NULL"
        )
        self._related_targets = sql.pair(
            f"SELECT target_id FROM {self.link} WHERE source_id = %s ORDER BY position, id"
        )
        self._delete_links = sql.pair(f"DELETE FROM {self.link} WHERE source_id = %s")
        self._link_sql: dict[int, tuple[str, str]] = {}
        self._copy_links = f"COPY {self.link} (source_id, target_id, position) FROM STDIN"
        self._in_sql: dict[tuple[str, int], tuple[str, str]] = {}
        self._change_sql: dict[int, tuple[str, str]] = {}
        # PostgreSQL: ids taken from a table's sequence and not used yet (see `reserve_ids`).
        self._spare_ids: dict[str, list[int]] = {}
        self._batch: _BatchState | None = None

    def _any(self, column: str) -> str:
        """`column` is one of a list given as one parameter (`_list`): one statement whatever its length."""
        if self.postgres:
            return f"{column} = ANY(%s)"
        return f"{column} IN (SELECT value FROM json_each(%s))"

    def _list(self, values) -> object:
        values = list(values)
        return values if self.postgres else json.dumps(values)

    # -- batches -----------------------------------------------------------------------------------

    def begin_batch(
        self,
        identities: list[tuple[str, str]],
        *,
        legacy_ids: list[int] = (),
        titles: list[str] = (),
        paths: list[str] = (),
        articles_at_most: int = 0,
        media_at_most: int = 0,
    ) -> None:
        """Pages of one batch follow, with these (identity key, title) pairs, naming these legacy
        ids, related titles and media paths, and inserting at most so many articles and media
        items: read every row they can ask about in four statements and reserve ids for what
        they may insert (`batch_state`); gather the related lists of new articles until
        `end_batch` (`replace_links`)."""
        keys = sorted({key for key, _ in identities})
        page_titles = sorted({title for _, title in identities})
        held = BatchState(keys=set(keys), titles=set(page_titles), item_titles=set(titles))
        for values in self.sql.fetch(self._batch_identities, [self._list(keys), self._list(page_titles)]):
            row = dict(zip(KEPT_COLUMNS, values, strict=True))
            held.keep(row)
            held.hold_identity(row["id"])
        columns = ("id", "legacy_id", "title", "kind", "lead_media_id", "version")
        held.legacy_ids = set(legacy_ids)
        if legacy_ids:
            for values in self.sql.fetch(self._batch_targets, [self._list(sorted(held.legacy_ids))]):
                held.keep(dict(zip(columns, values, strict=True)))
        if titles:
            for values in self.sql.fetch(self._batch_titles, [self._list(sorted(held.item_titles))]):
                held.keep(dict(zip(columns, values, strict=True)))
        held.paths = set(paths)
        if paths:
            for row in self.sql.fetch(self._batch_media, [self._list(sorted(held.paths))]):
                held.media[row[1]] = row
        self._batch = batch = _BatchState(
            {row["legacy_key"] for row in held.articles.values() if row.get("legacy_key") in held.keys},
            {row["title"] for row in held.articles.values() if row.get("title") in held.titles},
            held=held,
        )
        batch.ids = {
            Article._meta.db_table: self.reserve_ids(Article, articles_at_most),
            MediaItem._meta.db_table: self.reserve_ids(MediaItem, media_at_most),
        }

    def reserve_ids(self, model: type[Model], count: int) -> list[int]:
        """At least `count` ids for new rows of `model`, in ascending order, none of them taken.

        PostgreSQL: from the table's sequence, in one statement when the ids left over from the
        last batch are too few; the rest stay for the next batch (a run leaves at most one
        batch's worth unused: sequences have gaps anyway). SQLite, whose writers take turns:
        the ids after the highest the table has had, for this transaction only.
        """
        if count <= 0:
            return []
        table = model._meta.db_table
        if not self.postgres:
            sql = self.sql.pair(
                f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                f"coalesce((SELECT max(id) FROM {self.db.ops.quote_name(table)}), 0))"
            )
            ((top,),) = self.sql.fetch(sql, [table])
            return list(range(top + 1, top + 1 + count))
        spare = self._spare_ids.setdefault(table, [])
        if len(spare) < count:
            sql = self.sql.pair("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)")
            spare += [pk for (pk,) in self.sql.fetch(sql, [table, count - len(spare)])]
        return spare

    def end_batch(self) -> None:
        """Write what the batch gathered (still inside its transaction) and look up as usual again."""
        self.flush_pending()
        self._batch = None

    def leave_batch(self) -> None:
        """The batch failed: forget what it gathered (its transaction rolls back), and the ids
        it took (its rows may have been written before the failure)."""
        batch = self._batch
        if batch is not None and self.postgres:
            for table, ids in batch.ids.items():
                if ids is self._spare_ids.get(table):
                    self._spare_ids[table] = []
        self._batch = None

    def leave_cached(self) -> None:
        """The page goes through the ORM, which the batch does not follow: write what it gathered,
        and let the batch's later pages read and write as single pages do."""
        batch = self._batch
        if batch is not None and batch.cached:
            self.flush_pending()
            batch.held = None
            batch.shortcut = False  # what the ORM writes is not noted in `keys` and `titles`

    def _note_articles(self, rows: list[dict]) -> None:
        """Articles inserted during a batch (not held): later pages of it look their keys and titles up."""
        batch = self._batch
        if batch is not None:
            batch.keys.update(row["legacy_key"] for row in rows if row.get("legacy_key"))
            batch.titles.update(row["title"] for row in rows)

    def _gather(self, table: str, row: dict, now) -> None:
        """A row inserted while the batch holds its rows: written by `flush_pending`."""
        held = self._batch.held
        if table == MediaItem._meta.db_table:
            held.add_media(row, now)
        else:
            self._note_articles([row])
            held.add_article(row, now)

    def flush_pending(self) -> None:
        """Write what the batch gathered so far: new media items, new articles, the changes to
        articles it read (one UPDATE for all), then the related links."""
        batch = self._batch
        if batch is None:
            return
        if batch.held is not None:
            media, articles, changes = batch.held.take_pending()
            self._insert_grouped(self.insert_media.later_insert, media)
            self._insert_grouped(self.insert_article.later_insert, articles)
            if changes:
                self._write_changes(changes)
        self.flush_links()

    @staticmethod
    def _insert_grouped(inserter: Inserter, rows: list[tuple[dict, object]]) -> None:
        """Insert (row, now) pairs in order, one statement for each run of rows with one `now`."""
        start = 0
        while start < len(rows):
            now = rows[start][1]
            end = start
            while end < len(rows) and rows[end][1] is now:
                end += 1
            inserter._rows([row for row, _ in rows[start:end]], now)
            start = end

    def _write_changes(self, changes: dict[int, Change]) -> None:
        """One UPDATE giving articles read by the batch their legacy ids and lead media. Each
        takes only what it had none of, as when written one by one; if any row no longer
        qualifies (changed under the batch), the batch fails and is imported page by page."""
        items = sorted(changes.items())
        for start in range(0, len(items), CHUNK):
            part = items[start : start + CHUNK]
            sql = self._change_sql.get(len(part))
            if sql is None:
                values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(part))
                table = self.article
                new_id, new_sort, new_media, bump = (f"CAST(v.column{n} AS BIGINT)" for n in (2, 3, 4, 5))
                sql = self._change_sql[len(part)] = self.sql.pair(
                    f"UPDATE {table} SET legacy_id = COALESCE({new_id}, {table}.legacy_id), "
                    f"legacy_sort = CASE WHEN {new_id} IS NULL THEN {table}.legacy_sort ELSE {new_sort} END, "
                    f"lead_media_id = COALESCE({new_media}, {table}.lead_media_id), "
                    f"version = {table}.version + {bump} "
                    f"FROM (VALUES {values}) AS v WHERE {table}.id = CAST(v.column1 AS BIGINT) "
                    f"AND ({new_id} IS NULL OR {table}.legacy_id IS NULL) "
                    f"AND ({new_media} IS NULL OR {table}.lead_media_id IS NULL)"
                )
            params = []
            for pk, change in part:
                params += [pk, change.legacy_id, change.legacy_sort, change.lead_media_id, change.bump]
            if self.sql.run(sql, params) != len(part):
                raise StaleBatch("an article named by a related item changed while the batch was imported")

    def flush_links(self) -> None:
        """Insert the related links gathered in the batch so far."""
        batch = self._batch
        if batch is not None and batch.links:
            pending, batch.links = batch.links, []
            self._insert_links(pending)

    def _in(self, name: str, template: str, values: list) -> list[tuple]:
        """Rows of `template` (with `{}` where the `IN (…)` list goes) for `values`, in fixed-size lists."""
        found: list[tuple] = []
        biggest = IN_SIZES[-1]
        for start in range(0, len(values), biggest):
            part = values[start : start + biggest]
            size = next(s for s in IN_SIZES if s >= len(part))
            sql = self._in_sql.get((name, size))
            if sql is None:
                sql = self._in_sql[name, size] = self.sql.pair(template.format("(" + ", ".join(["%s"] * size) + ")"))
            found.extend(self.sql.fetch(sql, part + [part[-1]] * (size - len(part))))
        return found

    def _held(self) -> BatchState | None:
        batch = self._batch
        return batch.held if batch is not None else None

    def stamp(self, moment) -> object:
        """`moment` (aware) as the database takes a time stamp column, for `Inserter.rows(now=…)`."""
        return self._published_at.get_db_prep_value(moment, self.db)

    def identity_candidates(self, key: str, title: str, published_at) -> list[dict]:
        """The article holding the legacy identity `key`, and those titled `title` that are stubs
        or carry this dateline (the caller keeps those without an identity: imported before
        identities were kept), oldest first. ("legacy_key IS NULL" in the SQL would lead SQLite
        to read that branch from the identity index: every article without one.)"""
        batch = self._batch
        if batch is not None and batch.shortcut and key not in batch.keys and title not in batch.titles:
            return []  # neither was in the database when the batch began, nor written since
        held = self._held()
        if held is not None and key in held.keys and title in held.titles:
            return held.identity_candidates(key, title, published_at)
        value = self._published_at.get_db_prep_value(published_at, self.db)
        self.flush_pending()
        rows = self.sql.fetch(self._identity, [key, title, value, True])
        return [dict(zip(self.IDENTITY_COLUMNS, row, strict=True)) for row in rows]

    def set_identity(self, pk: int, key: str, digest: str) -> None:
        """Record the legacy identity and page digest of an article imported before they were kept."""
        self.leave_cached()
        self.sql.run(self._set_identity, [key, digest, pk])

    def targets_by_legacy_id(self, legacy_ids: list[int]) -> dict[int, tuple[int, int | None, str]]:
        """{legacy id: (article id, lead media id, title)} of the articles holding these legacy ids."""
        held = self._held()
        if held is not None and held.legacy_ids.issuperset(legacy_ids):
            return held.targets(legacy_ids)
        self.leave_cached()
        rows = self._in(
            "legacy",
            f"SELECT legacy_id, id, lead_media_id, title FROM {self.article} WHERE legacy_id IN {{}}",
            legacy_ids,
        )
        return {legacy_id: (pk, media, title) for legacy_id, pk, media, title in rows}

    def ids_by_legacy_id(self, legacy_ids: list[int]) -> dict[int, int]:
        return {legacy_id: found[0] for legacy_id, found in self.targets_by_legacy_id(legacy_ids).items()}

    def ids_by_title_without_legacy_id(self, titles: list[str]) -> list[tuple[str, str, int, int | None]]:
        """(title, kind, id, lead media id) of articles without a legacy id titled one of `titles`, oldest first.

        The unary `+` keeps the planner off the legacy-id index: without statistics (none during
        a first import) SQLite took `legacy_id IS NULL` on that unique index for the better
        filter and read every article still waiting for its legacy id, a number that grows with
        the archive (0.3 ms a look-up at 80,000 articles, against ~0.02 ms by title).
        """
        held = self._held()
        if held is not None and held.item_titles.issuperset(titles):
            return held.without_legacy_id(titles)
        self.leave_cached()
        rows = self._in(
            "title",
            f"SELECT title, kind, id, lead_media_id FROM {self.article} WHERE +legacy_id IS NULL AND title IN {{}}",
            titles,
        )
        return sorted(rows, key=lambda row: row[2])

    def set_lead_media(self, pk: int, media_id: int) -> bool:
        """Give an article the lead media a related item names for it (only if it has none);
        whether it took it."""
        held = self._held()
        if held is not None and pk in held.articles:
            return held.set_lead_media(pk, media_id)
        return self.sql.run(self._set_lead_media, [media_id, pk]) == 1

    def adopt_with_lead_media(self, pk: int, legacy_id: int, legacy_sort: int | None, media_id: int) -> bool:
        """`set_legacy_id` and `set_lead_media` in one statement, when the article has neither;
        whether it did (if not, nothing changed)."""
        held = self._held()
        if held is not None and pk in held.articles:
            row = held.articles[pk]
            if row["legacy_id"] is not None or row["lead_media_id"] is not None:
                return False
            return held.set_legacy_id(pk, legacy_id, legacy_sort) and held.set_lead_media(pk, media_id)
        return self.sql.run(self._adopt_with_lead_media, [legacy_id, legacy_sort, media_id, pk]) == 1

    def related_target_ids(self, source_id: int) -> list[int]:
        self.leave_cached()
        self.flush_links()
        return [row[0] for row in self.sql.fetch(self._related_targets, [source_id])]

    def media_by_legacy_path(self, paths: list[str]) -> list[tuple[int, str, bool, str]]:
        held = self._held()
        if held is not None and held.paths.issuperset(paths):
            return [held.media[path] for path in paths if path in held.media]
        self.leave_cached()
        return self._in(
            "media", f"SELECT id, legacy_path, file_missing, kind FROM {self.media} WHERE legacy_path IN {{}}", paths
        )

    def forget_media(self, paths: list[str]) -> None:
        """These media items changed outside the batch's rows (their files arrived): write what is
        pending, and look them up again when asked."""
        held = self._held()
        if held is not None:
            self.flush_pending()
            held.paths.difference_update(paths)
            for path in paths:
                held.media.pop(path, None)

    def set_legacy_id(self, pk: int, legacy_id: int, legacy_sort: int | None) -> bool:
        """Give an article matched by title its legacy id (only if it still has none); whether it took it."""
        held = self._held()
        if held is not None and pk in held.articles:
            return held.set_legacy_id(pk, legacy_id, legacy_sort)
        return self.sql.run(self._set_legacy_id, [legacy_id, legacy_sort, pk]) == 1

    def replace_links(self, source_id: int, target_ids: list[int], *, had_links: bool = True) -> None:
        """Make `target_ids` the related list of `source_id`, positions 0, 1, 2… In a batch, the
        list of an article that had none waits for `flush_links` (the batch's end, or the first
        look-up of a related list)."""
        links = [(source_id, target, n) for n, target in enumerate(target_ids)]
        batch = self._batch
        if batch is not None and not had_links:
            batch.links += links
            return
        self.flush_pending()
        if had_links:
            self.sql.run(self._delete_links, [source_id])
        self._insert_links(links)

    def _insert_links(self, links: list[tuple[int, int, int]]) -> None:
        if not links:
            return
        if self.sql.copy(self._copy_links, [value for link in links for value in link], 3):
            return
        for start in range(0, len(links), LINK_CHUNK):
            part = links[start : start + LINK_CHUNK]
            sql = self._link_sql.get(len(part))
            if sql is None:
                values = ", ".join(["(%s, %s, %s)"] * len(part))
                sql = self._link_sql[len(part)] = self.sql.pair(
                    f"INSERT INTO {self.link} (source_id, target_id, position) VALUES {values}"
                )
            params = []
            for link in part:
                params += link
            self.sql.run(sql, params)

    def sqlite_pragmas(self, values: dict[str, int]) -> dict[str, int]:
        """SQLite only: set connection pragmas for a long import; returns the previous values.

        `wal_autocheckpoint`: each checkpoint syncs the database file, and one transaction per
        page makes the default (1,000 WAL pages) checkpoint every few dozen pages. `cache_size`:
        the default 2 MB page cache is smaller than the indexes of a large archive. `temp_store`:
        statement journals in memory (see `run.SQLITE_IMPORT_PRAGMAS`); skipped inside a
        transaction, where SQLite refuses it. Commits stay exactly as durable; the caller puts
        the old values back.
        """
        if connection.vendor != "sqlite" or not values:
            return {}
        previous = {}
        with connection.cursor() as cursor:
            for name, value in values.items():
                if name in NOT_IN_A_TRANSACTION and connection.in_atomic_block:
                    continue  # SQLite refuses it there (a run inside a caller's transaction, a test)
                cursor.execute(f"PRAGMA {name}")
                previous[name] = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA {name} = {int(value)}")
        return previous
