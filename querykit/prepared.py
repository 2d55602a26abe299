"""Querysets whose SQL is compiled once per process and then run with new values.

Django builds and compiles a queryset's SQL on every evaluation. For the article page that
is most of its time: the live() filter, an EXISTS subquery and two joins cost more to compile
than SQLite takes to run them. A page that runs the same query shape on every request with
different values (an id, the current time) declares it once here:

    ARTICLE = PreparedQuery(lambda pk, now: Article.objects.live(now).filter(pk=pk), pk=1, now=SAMPLE_NOW)
    rows = list(ARTICLE(pk=42, now=timezone.now()))

The queryset is still written with the ORM (so `live()` stays the one definition of what
readers may see) and the rows come back as model instances through Django's own iterable.
On first use per database the builder runs with the sample values and once more per value
with that value changed; the parameter positions that change belong to that value. Each
value's database form must equal the sample's in those positions, and the SQL must not change
with the values, or preparing fails loudly (ImproperlyConfigured) instead of running wrong SQL.
Values must have the sample's type: int, str, an aware datetime, or a tuple of these of the
sample's length (for `__in`: one parameter per element; the sample's elements must differ,
as Django drops repeated ones; the values' need not).

A call answers `PreparedRows`, not a queryset: rows to iterate (also `len()`, `bool()`, `in`).
Whatever would change the SQL (`.filter()`, `.order_by()`, a slice or an index, `.count()`,
`.exists()`, `.first()`, any other queryset method) raises `PreparedQueryError` naming it,
because the fixed SQL would silently ignore it. Such a step belongs in the builder.
"""

import copy
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql import Query


class PreparedQueryError(TypeError):
    """An operation a prepared query cannot honour: its SQL was fixed when it was prepared."""


def _changed(sample):
    if isinstance(sample, tuple):
        return tuple(_changed(element) for element in sample)
    if isinstance(sample, bool):
        raise ImproperlyConfigured("booleans change the SQL of some lookups; put them in the builder")
    if isinstance(sample, int):
        return sample + 1
    if isinstance(sample, datetime):
        return sample + timedelta(seconds=1)
    if isinstance(sample, str):
        return sample + "~"
    raise ImproperlyConfigured(
        f"a prepared query's value must be int, str, datetime or a tuple of them, not {type(sample).__name__}"
    )


def _db_form(value, connection):
    return connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value


def _check_reaches(name: str, sample, found: list, connection) -> None:
    """ImproperlyConfigured unless the parameters that changed with `name` (`found`) hold its
    sample as is: one parameter per element for a tuple (an IN list), else one or more copies."""
    if isinstance(sample, tuple):
        if found != [_db_form(element, connection) for element in sample]:
            raise ImproperlyConfigured(f"{name!r} does not reach the SQL as one parameter per element")
    elif not found or found != [_db_form(sample, connection)] * len(found):
        raise ImproperlyConfigured(f"{name!r} does not reach the SQL as a plain parameter")


class _CompiledQuery(Query):
    """A Query whose compiler answers with SQL compiled earlier. The one place that relies on
    Django internals (django.db.models.sql is not a public API; no public API runs fixed SQL
    and still returns model instances with their select_related rows: `raw()` loads related
    objects one query each). It relies on exactly this, as of Django 6.1:

    - the iterables behind a queryset (ModelIterable, ValuesListIterable, …) get their compiler
      from `queryset.query.get_compiler(using=…)`, overridden here (same signature);
    - `SQLCompiler.execute_sql()` takes its SQL from `self.as_sql()`, and a compiler that has
      compiled once keeps what the iterables read (`select`, `klass_info`,
      `annotation_col_map`), so a shallow copy of it with `as_sql` answering the fixed SQL
      runs that SQL and maps its columns back as Django does;
    - `SQLCompiler.get_converters(expressions)` finds the result converters; they are bound to
      the connection, so they are kept per connection (`prepared_converters`).

    tests/core/test_prepared.py checks these with Django's compiling switched off.
    """

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = copy.copy(self.prepared_compiler)
        compiler.connection = connection = connections[self.prepared_using]
        sql, params = self.prepared_sql, self.prepared_params
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        known = self.prepared_converters
        find = compiler.get_converters

        def get_converters(expressions):
            key = (id(connection), *map(id, expressions))
            entry = known.get(key)
            if entry is None or entry[0] is not connection:  # ids are only compared while alive
                entry = known[key] = (connection, list(expressions), find(expressions))
            return entry[2]

        compiler.get_converters = get_converters
        return compiler


def _with_fixed_sql(queryset: QuerySet, compiler, using: str, sql: str, params: tuple, converters: dict) -> QuerySet:
    """A copy of `queryset` that runs `sql` with `params` (see _CompiledQuery)."""
    clone = queryset.all()
    query = clone.query
    query.__class__ = _CompiledQuery
    query.prepared_compiler, query.prepared_using = compiler, using
    query.prepared_sql, query.prepared_params = sql, params
    query.prepared_converters = converters
    return clone


# What a queryset offers that the fixed SQL cannot do, with what to do instead.
_INSTEAD = {
    "count": "use len(rows)",
    "exists": "use bool(rows)",
    "first": "use next(iter(rows), None) with the order in the builder",
    "last": "put the order in the builder and take the last of list(rows)",
    "get": "filter in the builder and take next(iter(rows))",
}
_QUERYSET_NAMES = frozenset(name for name in dir(QuerySet) if not name.startswith("_"))


class PreparedRows:
    """The rows of one run of a PreparedQuery: iterate them (or take len(), bool(), `in`).

    Read once, on first use. Anything a queryset would turn into other SQL raises
    PreparedQueryError instead of being ignored by the fixed SQL.
    """

    __slots__ = ("_queryset", "_rows")

    def __init__(self, queryset: QuerySet):
        self._queryset = queryset
        self._rows = None

    def _all(self) -> list:
        if self._rows is None:
            self._rows = list(self._queryset)
        return self._rows

    def __iter__(self) -> Iterator:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __bool__(self) -> bool:
        return bool(self._all())

    def __getitem__(self, key):
        what = "sliced" if isinstance(key, slice) else "indexed"
        raise PreparedQueryError(
            f"a prepared query cannot be {what}: its SQL is fixed, so LIMIT/OFFSET would be ignored. "
            "Put the slice in the builder, or take it from list(rows)."
        )

    def __getattr__(self, name):
        if name not in _QUERYSET_NAMES:
            raise AttributeError(name)
        instead = _INSTEAD.get(name, "put it in the builder, or work on list(rows)")
        raise PreparedQueryError(f"a prepared query cannot .{name}(): its SQL is fixed when prepared; {instead}.")

    def __repr__(self) -> str:
        state = f"{len(self._rows)} rows" if self._rows is not None else "not read yet"
        return f"<PreparedRows of {self._queryset.model.__name__}: {state}>"


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet], **samples):
        self._build = build
        self._samples = samples
        self._prepared = {}  # database alias -> (queryset, compiler, sql, params, positions)
        self._converters = {}  # see _CompiledQuery

    def _compiled(self, values: dict, using: str):
        queryset = self._build(**values)
        if not isinstance(queryset, QuerySet):
            raise ImproperlyConfigured(
                f"a prepared query's builder must return a QuerySet, not {type(queryset).__name__}"
            )
        queryset = queryset.using(using)
        compiler = queryset.query.get_compiler(using=using)
        return queryset, compiler, *compiler.as_sql()

    def _prepare(self, using: str):
        queryset, compiler, sql, params = self._compiled(self._samples, using)
        positions = {name: self._positions(name, sql, params, using) for name in self._samples}
        return queryset, compiler, sql, tuple(params), positions

    def _positions(self, name: str, sql: str, params, using: str) -> list[int]:
        """Where the value `name` goes among the parameters: those that change with it alone.
        ImproperlyConfigured when the SQL changes with it or it does not reach the SQL as is."""
        sample = self._samples[name]
        *_, other_sql, other_params = self._compiled({**self._samples, name: _changed(sample)}, using)
        if other_sql != sql or len(other_params) != len(params):
            raise ImproperlyConfigured(f"the SQL changes with the value of {name!r}: it cannot be prepared")
        where = [i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b]
        _check_reaches(name, sample, [params[i] for i in where], connections[using])
        return where

    def _params(self, values: dict, params: tuple, positions: dict, connection) -> tuple:
        """The prepared parameters with `values` in their places (type-checked against the samples)."""
        params = list(params)
        for name, value in values.items():
            sample = self._samples[name]
            if type(value) is not type(sample):
                raise TypeError(f"{name!r} must be {type(sample).__name__}, like its sample")
            if not isinstance(value, tuple):
                value = (value,) * len(positions[name])
            elif len(value) != len(sample):
                raise TypeError(f"{name!r} must have {len(sample)} elements, like its sample")
            for i, element in zip(positions[name], value, strict=True):
                params[i] = _db_form(element, connection)
        return tuple(params)

    def __call__(self, *, using: str = "default", **values) -> PreparedRows:
        """The rows of the prepared query run with `values` (read on first use)."""
        if values.keys() != self._samples.keys():
            raise TypeError(f"values for exactly {sorted(self._samples)} are needed")
        prepared = self._prepared.get(using)
        if prepared is None:
            prepared = self._prepared[using] = self._prepare(using)
        queryset, compiler, sql, params, positions = prepared
        params = self._params(values, params, positions, connections[using])
        return PreparedRows(_with_fixed_sql(queryset, compiler, using, sql, params, self._converters))
