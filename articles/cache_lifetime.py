"""How long a public answer may be kept by a cache: until the next moment what readers see changes
by itself (a scheduled story going live, an embargo ending, an expiry, a working draft's
scheduled publication), and never past PAGE_CACHE_SECONDS. The page cache stores pages that
long, and tells Varnish the same with `s-maxage` (pages and the API's public answers)."""

import time

from django.conf import settings
from django.core.cache import cache

from articles.due_changes import next_due_timestamp
from articles.models import Article
from caching.generations import content_generation

KEY_PREFIX = "newsroom:page"
NO_BOUNDARY = 0.0


def next_boundary_timestamp(generation: int | None) -> float:
    """Unix time of the next scheduled change of the live set (0.0: none), cached per generation.

    The stored value is recomputed once it is in the past, so each boundary costs one look-up.
    With no generation (the cache is unreachable) it is computed each time.
    """
    if generation is None:
        boundary = Article.objects.next_boundary()
        return boundary.timestamp() if boundary else NO_BOUNDARY
    key = f"{KEY_PREFIX}:boundary:{generation}"
    stored = cache.get(key)
    if stored is not None and (stored == NO_BOUNDARY or stored > time.time()):
        return stored
    boundary = Article.objects.next_boundary()
    value = boundary.timestamp() if boundary else NO_BOUNDARY
    cache.set(key, value, timeout=24 * 3600)
    return value


def page_timeout(generation: int | None) -> int:
    """Seconds a page made now may be kept: PAGE_CACHE_SECONDS, cut short by the next boundary
    or the next scheduled change of a live story (articles.due_changes)."""
    timeout = settings.PAGE_CACHE_SECONDS
    for boundary in (next_boundary_timestamp(generation), next_due_timestamp(generation)):
        if boundary != NO_BOUNDARY:
            timeout = min(timeout, int(boundary - time.time()))
    return max(timeout, 0)


def shared_cache_seconds() -> int:
    """`page_timeout` for the current generation (0 while the cache is unreachable)."""
    generation = content_generation()
    return 0 if generation is None else page_timeout(generation)
