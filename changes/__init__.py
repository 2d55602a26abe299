"""Announcements of committed changes: the one way the rest of the site learns what changed.

An action function that changes content says what it touched, once:

    announce(articles={story.pk}, media={item.pk})

and, after its transaction commits, every listener (the page cache, and later the purge of a
front cache or the webhooks) is called with a `Change`. Nothing is announced for a transaction
that rolls back. Listeners register once, in an app's `ready()`. There are no model signals
behind this: a change made outside an action function is not announced, by design.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    """Ids of what one action touched, by kind."""

    articles: frozenset[int] = frozenset()
    media: frozenset[int] = frozenset()
    sections: frozenset[int] = frozenset()
    tags: frozenset[int] = frozenset()
    authors: frozenset[int] = frozenset()


Listener = Callable[[Change], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Call `listener` with every committed `Change` from now on (once per listener)."""
    if listener not in _listeners:
        _listeners.append(listener)


def unlisten(listener: Listener) -> None:
    """Stop calling `listener` (a test's recorder, say); unknown listeners are ignored."""
    if listener in _listeners:
        _listeners.remove(listener)


def _ids(values: Iterable[int] | None) -> frozenset[int]:
    return frozenset(int(v) for v in values or () if v is not None)


def announce(
    *,
    articles: Iterable[int] | None = None,
    media: Iterable[int] | None = None,
    sections: Iterable[int] | None = None,
    tags: Iterable[int] | None = None,
    authors: Iterable[int] | None = None,
) -> Change:
    """Tell the listeners, once the current transaction commits (at once outside one)."""
    change = Change(
        articles=_ids(articles), media=_ids(media), sections=_ids(sections), tags=_ids(tags), authors=_ids(authors)
    )
    transaction.on_commit(lambda: _deliver(change))
    return change


def _deliver(change: Change) -> None:
    for listener in list(_listeners):
        try:
            listener(change)
        except Exception:
            # The change is committed whatever a listener does; one failing listener must not
            # keep the others from hearing of it.
            log.exception("A listener failed on %r", change)
