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

from collections.abc import Callable

from django.core.cache import caches

from caching import purges
from caching.backends import cache_reachable_again
from caching.surrogate_keys import EVERYTHING

GENERATION_KEY = purges.GENERATION_KEY
GENERATION_STAMP = purges.GENERATION_STAMP

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
    """The current generation, read with whatever the registered readers want for `request`."""
    keys = [key for function in _read_along for key in function(request)]
    request.cache_read_along = {}
    backend = caches["default"]
    if not keys or hasattr(backend, "read_stamp"):
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
