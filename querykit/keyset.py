"""Keyset pagination: a page is the rows after (or before) an edge row in a fixed, unique order.

Unlike OFFSET, the database seeks straight to the edge through the ordering's index, so page
1,000 costs what page 1 costs, and rows published or withdrawn meanwhile never shift a page:
a reader paging on sees each row once. The public site's listings and the JSON API both page
this way; each keeps its own signed cursor format (what its links carry), and both find their
rows here.

An ordering is a sequence of `(field, descending)` pairs whose last field is unique (the id),
e.g. `(("published_at", True), ("id", True))` for newest first.
"""

from collections.abc import Sequence

from django.db.models import Q, QuerySet

Ordering = Sequence[tuple[str, bool]]


def order_by(ordering: Ordering, *, backwards: bool = False) -> list[str]:
    """`QuerySet.order_by()` arguments for `ordering` (reversed when going backwards)."""
    return [("-" if descending != backwards else "") + field for field, descending in ordering]


def beyond(ordering: Ordering, values: Sequence, *, backwards: bool = False) -> Q:
    """Rows strictly after the row whose ordering fields hold `values` (before it, backwards):
    `a < x OR (a = x AND b < y) …` for a descending `a, b`."""
    condition, equal = Q(), Q()
    for (field, descending), value in zip(ordering, values, strict=True):
        lookup = "lt" if descending != backwards else "gt"
        step = equal & Q(**{f"{field}__{lookup}": value})
        condition = step if not condition else condition | step
        equal &= Q(**{field: value})
    return condition


def edge_values(ordering: Ordering, row) -> list:
    """The values of `row`'s ordering fields: what a cursor naming it must hold."""
    return [getattr(row, field) for field, _ in ordering]


def fetch(
    queryset: QuerySet, ordering: Ordering, *, size: int, after: Sequence | None = None, backwards: bool = False
) -> tuple[list, bool]:
    """Up to `size` rows of `queryset` after the edge `after` (None: from the start; before it
    when `backwards`), in display order, and whether more rows lie beyond them.

    One query: it reads one row more than it shows to know whether there are more.
    """
    if after is not None:
        queryset = queryset.filter(beyond(ordering, after, backwards=backwards))
    rows = list(queryset.order_by(*order_by(ordering, backwards=backwards))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    return rows, more
