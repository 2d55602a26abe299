"""The content generation: one number shared by every process, which moves at every change.

Every change an action announces is purged (caching.purges.purge, from the page cache's
listener after the commit), and each purge moves the generation, so a process reading the same
number as before knows that nothing changed: its memory copies (pages, the navigation, the next
scheduled change, all kept per generation) are current. When the number moved, the process reads
which keys were purged (caching.purges.View.catch_up) and drops only what showed them.

The number is read on every request: in Redis (together with the page the request asks for:
`content_generation_for`, one round trip), or with the embedded default
(caching.backends.SharedFileCache) as a stamp, a file of its own that is cheap to read. A new
number starts at random (48 bits), not at 1: after the cache is cleared, culled or restarted, no
copy kept anywhere can be taken for current.

When the cache cannot be reached (caching.backends), `content_generation()` answers None:
nothing is cached until it answers again, and then everything is purged, since changes made
meanwhile could not be recorded.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches

from caching import purges
from caching.backends import cache_reachable_again
from caching.surrogate_keys import EVERYTHING

GENERATION_KEY = purges.GENERATION_KEY
GENERATION_STAMP = purges.GENERATION_STAMP

clock = time.monotonic  # how long a reading is trusted is measured on it (tests move it)

# Functions request -> cache keys read in the same round trip as the generation (the page cache's
# key for the requested page, when this process holds no copy of it).
_read_along: list[Callable] = []


def content_generation() -> int | None:
    """The current generation; None while the cache is unreachable (then cache nothing)."""
    return purges.content_generation()


def read_along(function: Callable) -> Callable:
    """Register `function(request) -> [cache keys]` whose values `content_generation_for` fetches
    with the generation (on Redis, one MGET); they land in `request.cache_read_along`."""
    if function not in _read_along:
        _read_along.append(function)
    return function


def content_generation_for(request) -> int | None:
    """The current generation, read with whatever the registered readers want for `request`.

    On Redis a reading is taken for current for CACHE_GENERATION_TRUST_MS (0: every request
    asks): a hit on a page this process holds then costs no round trip at all, and a change
    made through another server shows here at most that late (this process's own changes, at
    once). A request from Varnish (`Surrogate-Capability`, set by deploy/varnish/newsroom.vcl)
    always asks: what Varnish keeps after a purge must not be a copy older than it."""
    request.cache_read_along = {}
    backend = caches["default"]
    if hasattr(backend, "read_stamp"):  # the embedded cache: a stamp file, cheap to read
        return content_generation()
    # A shared cache in front (Varnish says so) keeps the answer: never from a trusted reading.
    trust_ms = 0 if "HTTP_SURROGATE_CAPABILITY" in request.META else settings.CACHE_GENERATION_TRUST_MS
    now = clock()
    if trust_ms > 0 and now < purges.trusted.until:
        return purges.trusted.generation
    generation = _read_with_pages(request, backend)
    if trust_ms > 0 and generation is not None:
        purges.trusted.generation, purges.trusted.until = generation, now + trust_ms / 1000
    return generation


def _read_with_pages(request, backend) -> int | None:
    keys = [key for function in _read_along for key in function(request)]
    if not keys:
        return content_generation()
    found = backend.get_many([GENERATION_KEY, *keys])
    generation = found.pop(GENERATION_KEY, None)
    if generation is None:  # no number yet, or unreachable
        return content_generation()
    request.cache_read_along = found
    return generation


def bump_content_generation() -> None:
    """Purge everything (a new generation in which no copy made before is current)."""
    purges.purge({EVERYTHING})


def _new_generation_after_outage(sender, cache, **kwargs) -> None:
    if cache.location == getattr(caches["default"], "location", None):
        bump_content_generation()


cache_reachable_again.connect(_new_generation_after_outage, dispatch_uid="newsroom-generation-after-outage")
