"""One content generation number shared by every cached public page and API list.

Any change to what readers can see bumps it (the page cache hears every change an action
announces, after it commits: articles.site.page_cache.start_new_generation), so every
cache key made before the change is simply never read again: an editor's change shows on
the next request, whatever page it touches and whichever server process answers it. The number
lives in the default cache, which every process shares, and it is read on every request: in
Redis, or with the embedded default (caching.backends.SharedFileCache) as a stamp, a
file of its own that is cheap to read.

A new number starts at random (48 bits), not at 1: after the cache is cleared, culled or
restarted, the number is one no page was ever stored under, so no copy kept anywhere (a
process's own memory: articles.site.page_cache) can be replayed for it.

When the cache cannot be reached (caching.backends), `content_generation()` answers
None: nothing is cached until it answers again, and then a new generation starts, since changes
made meanwhile could not move the number.
"""

import secrets

from django.core.cache import cache

from caching.backends import cache_reachable_again

GENERATION_KEY = "newsroom:content-generation"
GENERATION_STAMP = "content-generation"


def _fresh_number() -> int:
    return secrets.randbits(48)


def content_generation() -> int | None:
    """The current generation; None while the cache is unreachable (then cache nothing)."""
    if hasattr(cache, "read_stamp"):
        return cache.read_stamp(GENERATION_STAMP)
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_number(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def bump_content_generation() -> None:
    if hasattr(cache, "new_stamp"):
        cache.new_stamp(GENERATION_STAMP)
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no number yet (a new or cleared cache): any new one will do
        cache.set(GENERATION_KEY, _fresh_number(), timeout=None)


def _new_generation_after_outage(sender, cache, **kwargs) -> None:
    from django.core.cache import caches

    if cache.location == getattr(caches["default"], "location", None):
        bump_content_generation()


cache_reachable_again.connect(_new_generation_after_outage, dispatch_uid="newsroom-generation-after-outage")
