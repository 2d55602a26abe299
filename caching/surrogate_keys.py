"""Surrogate keys: the names of what one response shows, gathered while it is made.

A cacheable response says what it shows in a `Surrogate-Key` header (`article-12 section-3
front`), so that a change can drop exactly the copies showing what it touched, in the site's
own page cache (caching.purges) and in every Varnish in front (caching.varnish, vmod xkey).

The keys are gathered per request, at no cost in queries: whoever already holds a shown object
(a list of cards, a feed's items, a serializer) calls `add("article-12", …)`. `gathering()`
opens the collection around a view; outside one, `add` does nothing.
"""

import contextlib
import re
from collections.abc import Iterable, Iterator
from contextvars import ContextVar

HEADER = "Surrogate-Key"
# Purges everything: a change every page shows (the site header's sections).
EVERYTHING = "*"

_gathered: ContextVar[set[str] | None] = ContextVar("surrogate_keys", default=None)
_NUMBERED = re.compile(r"^(.*?)-(\d+)$")


def add(*keys: str) -> None:
    """Note keys the response being made shows (no-op outside `gathering()`)."""
    found = _gathered.get()
    if found is not None:
        found.update(keys)


def add_ids(kind: str, ids: Iterable[int]) -> None:
    """`add(f"{kind}-{id}")` for each id: `add_ids("article", [12, 14])`."""
    found = _gathered.get()
    if found is not None:
        found.update(f"{kind}-{pk}" for pk in ids)


@contextlib.contextmanager
def gathering() -> Iterator[set[str]]:
    """Collect the keys added while the block runs (nested blocks add to the outer one too)."""
    outer = _gathered.get()
    found: set[str] = set()
    token = _gathered.set(found)
    try:
        yield found
    finally:
        _gathered.reset(token)
        if outer is not None:
            outer.update(found)


def _order(key: str):
    numbered = _NUMBERED.match(key)
    return (numbered.group(1), int(numbered.group(2))) if numbered else (key, -1)


def header_value(keys: Iterable[str]) -> str:
    """The header's value: the keys space-separated, by kind then number (`article-9 article-10`)."""
    return " ".join(sorted(set(keys), key=_order))
