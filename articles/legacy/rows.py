"""Plain-SQL reads and multi-row inserts for the importer's per-page hot path.

Building an ORM query costs far more than running it on SQLite; the import of 100,000 pages
at ≥ 1,000 pages/s leaves about one millisecond per page, so the few statements every page
runs are written once here, with portable SQL (`%s` parameters, quoted names from the models'
metadata) that SQLite and PostgreSQL both accept. Inserts take their values from model
instances (or plain dicts, with the fields' defaults) through each field's `pre_save` /
`get_db_prep_save`, as `Model.save` would, and return the primary keys (`INSERT … RETURNING`).
Rare paths (updates, filling stubs) use the ORM.
"""

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from articles.models import Article, AuditEntry, RelatedLink, Revision
from media.models import MediaItem

CHUNK = 500
# Columns whose Python value is already what the database takes (when of a plain type), so
# the per-field preparation can be skipped; anything else goes through the field as usual.
PLAIN_TYPES = {
    "CharField", "TextField", "SlugField", "BooleanField", "IntegerField", "BigIntegerField",
    "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "FloatField", "ForeignKey",
}
PLAIN_VALUES = (str, int, bool, float, type(None))


class Inserter:
    """Multi-row `INSERT … RETURNING id` for one model, SQL cached by row count."""

    def __init__(self, model: type[Model]):
        meta = model._meta
        self.fields = [f for f in meta.concrete_fields if not f.primary_key]
        self.plan = [(f, f.attname, f.get_internal_type() in PLAIN_TYPES) for f in self.fields]
        quote = connection.ops.quote_name
        self.head = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in self.fields)}) VALUES "
        )
        self.row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.tail = f" RETURNING {quote(meta.pk.column)}"
        self._sql: dict[int, str] = {}

    def __call__(self, objs: list[Model]) -> list[Model]:
        """Insert model instances (values as `Model.save` would write them); sets their pks."""
        ids = self._insert([
            [
                value if plain and isinstance(value := obj.__dict__.get(attname), PLAIN_VALUES)
                else field.get_db_prep_save(field.pre_save(obj, True), connection)
                for field, attname, plain in self.plan
            ]
            for obj in objs
        ])
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = connection.alias
        return objs

    def rows(self, rows: list[dict]) -> list[int]:
        """Insert plain dicts of attname → value (missing fields take their defaults); returns pks.

        Cheaper than building model instances for rows nothing reads back (revisions, audit).
        """
        params = []
        for row in rows:
            values = []
            for field, attname, plain in self.plan:
                if attname in row:
                    value = row[attname]
                elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    value = timezone.now()
                else:
                    value = field.get_default()
                if not (plain and isinstance(value, PLAIN_VALUES)):
                    value = field.get_db_prep_save(value, connection)
                values.append(value)
            params.append(values)
        return self._insert(params)

    def _insert(self, param_rows: list[list]) -> list[int]:
        ids: list[int] = []
        for start in range(0, len(param_rows), CHUNK):
            chunk = param_rows[start : start + CHUNK]
            sql = self._sql.get(len(chunk))
            if sql is None:
                sql = self._sql[len(chunk)] = self.head + ", ".join([self.row] * len(chunk)) + self.tail
            with connection.cursor() as cursor:
                cursor.execute(sql, [value for row in chunk for value in row])
                ids.extend(pk for (pk,) in cursor.fetchall())
        return ids


def _in(values) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


class Rows:
    """The importer's reads and writes, bound to the current default connection's dialect."""

    IDENTITY_COLUMNS = ("id", "is_stub", "status", "version", "legacy_id", "title", "kind", "body",
                        "section_id", "signoff", "language")

    def __init__(self):
        quote = connection.ops.quote_name
        self.article = quote(Article._meta.db_table)
        self.link = quote(RelatedLink._meta.db_table)
        self.media = quote(MediaItem._meta.db_table)
        self.insert_article = Inserter(Article)
        self.insert_media = Inserter(MediaItem)
        self.insert_revisions = Inserter(Revision)
        self.insert_audit = Inserter(AuditEntry)
        columns = ", ".join(self.IDENTITY_COLUMNS)
        self._identity = (
            f"SELECT {columns} FROM {self.article} WHERE title = %s AND (published_at = %s OR is_stub = %s) "
            "ORDER BY id"
        )

    @staticmethod
    def _fetch(sql: str, params) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def identity_candidates(self, title: str, published_at) -> list[dict]:
        """Articles titled `title` that are stubs or carry this dateline, oldest first."""
        value = Article._meta.get_field("published_at").get_db_prep_value(published_at, connection)
        rows = self._fetch(self._identity, [title, value, True])
        return [dict(zip(self.IDENTITY_COLUMNS, row, strict=True)) for row in rows]

    def ids_by_legacy_id(self, legacy_ids: list[int]) -> dict[int, int]:
        sql = f"SELECT legacy_id, id FROM {self.article} WHERE legacy_id IN {_in(legacy_ids)}"
        return dict(self._fetch(sql, legacy_ids))

    def ids_by_title_without_legacy_id(self, titles: list[str]) -> list[tuple[str, str, int]]:
        """(title, kind, id) of articles without a legacy id titled one of `titles`."""
        sql = (f"SELECT title, kind, id FROM {self.article} WHERE legacy_id IS NULL AND title IN {_in(titles)} "
               "ORDER BY id")
        return self._fetch(sql, titles)

    def titles_without_lead_media(self, ids: list[int]) -> dict[int, str]:
        """{id: title} of those of `ids` that have no lead media."""
        sql = f"SELECT id, title FROM {self.article} WHERE lead_media_id IS NULL AND id IN {_in(ids)}"
        return dict(self._fetch(sql, ids))

    def set_lead_media(self, pk: int, media_id: int) -> None:
        """Give an article the lead media a related item names for it (only if it has none)."""
        sql = (f"UPDATE {self.article} SET lead_media_id = %s, version = version + 1 "
               "WHERE id = %s AND lead_media_id IS NULL")
        with connection.cursor() as cursor:
            cursor.execute(sql, [media_id, pk])

    def related_target_ids(self, source_id: int) -> list[int]:
        sql = f"SELECT target_id FROM {self.link} WHERE source_id = %s ORDER BY position, id"
        return [row[0] for row in self._fetch(sql, [source_id])]

    def media_by_legacy_path(self, paths: list[str]) -> list[tuple[int, str, bool, str]]:
        sql = f"SELECT id, legacy_path, file_missing, kind FROM {self.media} WHERE legacy_path IN {_in(paths)}"
        return self._fetch(sql, paths)

    def set_legacy_id(self, pk: int, legacy_id: int, legacy_sort: int | None) -> None:
        """Give an article matched by title its legacy id (only if it still has none)."""
        sql = (f"UPDATE {self.article} SET legacy_id = %s, legacy_sort = %s "
               "WHERE id = %s AND legacy_id IS NULL")
        with connection.cursor() as cursor:
            cursor.execute(sql, [legacy_id, legacy_sort, pk])

    def replace_links(self, source_id: int, target_ids: list[int], *, had_links: bool = True) -> None:
        """Make `target_ids` the related list of `source_id`, positions 0, 1, 2…"""
        with connection.cursor() as cursor:
            if had_links:
                cursor.execute(f"DELETE FROM {self.link} WHERE source_id = %s", [source_id])
            if target_ids:
                values = ", ".join(["(%s, %s, %s)"] * len(target_ids))
                params = [value for n, target in enumerate(target_ids) for value in (source_id, target, n)]
                cursor.execute(f"INSERT INTO {self.link} (source_id, target_id, position) VALUES {values}", params)

    def sqlite_pragmas(self, values: dict[str, int]) -> dict[str, int]:
        """SQLite only: set connection pragmas for a long import; returns the previous values.

        `wal_autocheckpoint`: each checkpoint syncs the database file, and one transaction per
        page makes the default (1,000 WAL pages) checkpoint every few dozen pages. `cache_size`:
        the default 2 MB page cache is smaller than the indexes of a large archive. Commits stay
        exactly as durable; the caller puts the old values back.
        """
        if connection.vendor != "sqlite" or not values:
            return {}
        previous = {}
        with connection.cursor() as cursor:
            for name, value in values.items():
                cursor.execute(f"PRAGMA {name}")
                previous[name] = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA {name} = {int(value)}")
        return previous
