"""Scheduled changes go live at their second with no worker or cron: before any request is
answered, working drafts whose time has come are published (articles.actions.drafts).

The moment of the next one is kept per content generation (every scheduling or publishing
announces a change, which starts a new generation), in the shared cache and in this process's
memory, so a request normally costs a comparison and no query. Once the moment has passed, the
first request in any process publishes what is due; the others find nothing left to do.
"""

import threading

from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone

from articles.actions.drafts import publish_due_drafts
from articles.models import WorkingDraft
from caching.generations import content_generation, content_generation_for

KEY = "newsroom:drafts:next-due"
NONE_DUE = 0.0


class _Memo(threading.local):
    generation = None
    due = None


_memo = _Memo()
_UNREAD = object()


def _compute() -> float:
    moment = WorkingDraft.objects.filter(publish_at__isnull=False).aggregate(m=Min("publish_at"))["m"]
    return moment.timestamp() if moment else NONE_DUE


def next_due_timestamp(generation=_UNREAD) -> float:
    """Unix time of the next scheduled change (NONE_DUE: none), read as cheaply as it can be
    (`generation`: the content generation when the caller has just read it)."""
    if generation is _UNREAD:
        generation = content_generation()
    if generation is None:  # the cache is unreachable: ask the database
        return _compute()
    if _memo.generation == generation:
        return _memo.due
    key = f"{KEY}:{generation}"
    due = cache.get(key)
    if due is None:
        due = _compute()
        cache.set(key, due, timeout=24 * 3600)
    _memo.generation, _memo.due = generation, due
    return due


def remember_next_due(change) -> None:
    """A `changes` listener, after the page cache's: note the next scheduled change for the
    generation that change started, so that no request has to look it up."""
    generation = content_generation()
    if generation is not None:
        cache.set(f"{KEY}:{generation}", _compute(), timeout=24 * 3600)


def publish_due_changes(generation=_UNREAD) -> int:
    """Publish what is due now (normally nothing, found without a query); how many went live."""
    due = next_due_timestamp(generation)
    if due == NONE_DUE or due > timezone.now().timestamp():
        return 0
    published = publish_due_drafts()
    _memo.generation = None
    if not published:  # a failed one was unscheduled, or another process was first
        cache.delete(f"{KEY}:{content_generation()}")
    return published


class DueChangesMiddleware:
    """Publishes due scheduled changes before the request is answered (pages, API, desk).

    Not for the API's schema and docs pages, which show no stories (and are loaded by tools
    without a database)."""

    EXEMPT = ("/api/schema", "/api/docs")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(self.EXEMPT):
            # Read with the requested page when the page cache wants it (one round trip on Redis).
            generation = content_generation_for(request)
            if not publish_due_changes(generation):
                # Nothing changed: the page cache below uses this reading (one cache round trip
                # per request, not two, with Redis).
                request.content_generation = generation
            else:
                request.cache_read_along = {}  # read before the publication: not to be served
        return self.get_response(request)
