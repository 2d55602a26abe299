"""Announcements of committed changes: the one way the rest of the site learns what changed.

An action function that changes content says what it touched, once:

    announce(articles={story.pk}, media={item.pk})

and, after its transaction commits, every listener (the page cache, and later the purge of a
front cache or the webhooks) is called with a `Change`. Nothing is announced for a transaction
that rolls back. Listeners register once, in an app's `ready()`. There are no model signals
behind this: a change made outside an action function is not announced, by design.

Events are the other half: a named, typed fact an outside party may be told about
("article.published", "media.updated"). `emit(name, article=pk)` calls the recorders registered
for it at once, inside the action's transaction, so that what they write (the webhooks' outbox)
is committed if and only if the change is. Recorders register once, in an app's `ready()`; an
event nobody records costs nothing. See docs/decisions/0014-events-recorded-in-the-transaction.md.
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
    corrections: frozenset[int] = frozenset()


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
    corrections: Iterable[int] | None = None,
) -> Change:
    """Tell the listeners, once the current transaction commits (at once outside one)."""
    change = Change(
        articles=_ids(articles),
        media=_ids(media),
        sections=_ids(sections),
        tags=_ids(tags),
        authors=_ids(authors),
        corrections=_ids(corrections),
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


# Events ------------------------------------------------------------------------------------------

EVENTS = frozenset(
    {
        "article.published",
        "article.updated",
        "article.unpublished",
        "article.corrected",
        "media.updated",
    }
)


@dataclass(frozen=True)
class Event:
    """One named fact about one object: `name` (one of EVENTS) and the object's id by kind."""

    name: str
    article: int | None = None
    media: int | None = None


Recorder = Callable[[Event], None]
_recorders: list[Recorder] = []


def record_events(recorder: Recorder) -> None:
    """Call `recorder` with every emitted `Event` from now on, inside the emitting transaction."""
    if recorder not in _recorders:
        _recorders.append(recorder)


def unrecord_events(recorder: Recorder) -> None:
    """Stop calling `recorder`; unknown recorders are ignored."""
    if recorder in _recorders:
        _recorders.remove(recorder)


def emit(name: str, *, article: int | None = None, media: int | None = None) -> Event:
    """Record the event `name` about `article` or `media` (ids) in the current transaction.

    Unlike a listener, a recorder runs now, and may write rows: a failing recorder fails the
    action, which is rolled back with its event, so no event is ever lost or invented.
    """
    if name not in EVENTS:
        raise ValueError(f"Unknown event {name!r}; the events are {sorted(EVENTS)}.")
    event = Event(
        name=name, article=None if article is None else int(article), media=None if media is None else int(media)
    )
    for recorder in list(_recorders):
        recorder(event)
    return event
