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
"""

import copy
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql import Query


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


class _CompiledQuery(Query):
    """A Query that hands out a copy of a compiled compiler answering with fixed SQL (and with
    the result converters it found the first time, per connection: they are bound to it)."""

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


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet], **samples):
        self._build = build
        self._samples = samples
        self._prepared = {}  # database alias -> (queryset, compiler, sql, params, positions)
        self._converters = {}  # see _CompiledQuery

    def _prepare(self, using: str):
        connection = connections[using]
        queryset = self._build(**self._samples).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        positions = {}
        for name, sample in self._samples.items():
            other_sql, other_params = (
                self._build(**{**self._samples, name: _changed(sample)})
                .using(using)
                .query.get_compiler(using=using)
                .as_sql()
            )
            if other_sql != sql or len(other_params) != len(params):
                raise ImproperlyConfigured(f"the SQL changes with the value of {name!r}: it cannot be prepared")
            where = [i for i, (a, b) in enumerate(zip(params, other_params)) if a != b]
            if isinstance(sample, tuple):  # one parameter per element, in order (an IN list)
                expected = [_db_form(element, connection) for element in sample]
                if [params[i] for i in where] != expected:
                    raise ImproperlyConfigured(f"{name!r} does not reach the SQL as one parameter per element")
            elif not where or any(params[i] != _db_form(sample, connection) for i in where):
                raise ImproperlyConfigured(f"{name!r} does not reach the SQL as a plain parameter")
            positions[name] = where
        return queryset, compiler, sql, tuple(params), positions

    def __call__(self, *, using: str = "default", **values) -> QuerySet:
        """The prepared queryset run with `values`; iterate it (don't filter or slice it further)."""
        if values.keys() != self._samples.keys():
            raise TypeError(f"values for exactly {sorted(self._samples)} are needed")
        prepared = self._prepared.get(using)
        if prepared is None:
            prepared = self._prepared[using] = self._prepare(using)
        queryset, compiler, sql, params, positions = prepared
        params = list(params)
        connection = connections[using]
        for name, value in values.items():
            if type(value) is not type(self._samples[name]):
                raise TypeError(f"{name!r} must be {type(self._samples[name]).__name__}, like its sample")
            if isinstance(value, tuple):
                if len(value) != len(self._samples[name]):
                    raise TypeError(f"{name!r} must have {len(self._samples[name])} elements, like its sample")
                for i, element in zip(positions[name], value):
                    params[i] = _db_form(element, connection)
                continue
            for i in positions[name]:
                params[i] = _db_form(value, connection)
        clone = queryset._chain()
        query = clone.query
        query.__class__ = _CompiledQuery
        query.prepared_compiler, query.prepared_using = compiler, using
        query.prepared_sql, query.prepared_params = sql, tuple(params)
        query.prepared_converters = self._converters
        return clone
