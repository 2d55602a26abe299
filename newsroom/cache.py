"""One content generation number shared by every cached public page and API list.

Any change to what readers can see bumps it (from an action's on-commit hook), so every
cache key made before the change is simply never read again: an editor's change shows on
the next request, whatever page it touches.
"""

from django.core.cache import cache

GENERATION_KEY = "newsroom:content-generation"


def content_generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def bump_content_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)
