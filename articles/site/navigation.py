"""What every public page shows around its content: the header's sections (those holding a live
story) and an article's breadcrumb, both read once per content generation.

Both are kept in the shared cache per generation (`cached_for_generation`) and, in front of it,
in this process's memory for the generation it last saw (`per_generation`): every page shows
them, and reading and unpickling them from the shared cache on every request cost more than
drawing them. A change anywhere starts a new generation, which empties that memory at the next
request, so a process never shows chrome older than the shared cache's.
"""

import threading
import time

from articles.cache_lifetime import NO_BOUNDARY, next_boundary_timestamp
from articles.models import Article, Section
from articles.public_cache import cached_for_generation
from articles.querysets import sections_with_live_stories
from caching.generations import content_generation


class _Memo(threading.local):
    generation = None
    values: dict = {}


_memo = _Memo()


def per_generation(name: str, compute, generation=None):
    """`cached_for_generation(name, compute)`, remembered in this process (thread) until the
    content generation moves. `generation`: the current one, when the caller has just read it.
    While the cache is unreachable (no generation) `compute()` runs each time, as there."""
    if generation is None:
        generation = content_generation()
        if generation is None:
            return compute()
    values = _values_of(generation)
    try:
        return values[name]
    except KeyError:
        value = values[name] = cached_for_generation(name, compute)
        return value


def _values_of(generation: int) -> dict:
    """This thread's remembered values, emptied when the generation has moved."""
    if _memo.generation != generation:
        _memo.generation, _memo.values = generation, {}
    return _memo.values


def nav_sections() -> list[Section]:
    """Top-level sections holding a live story, for the site header.

    Read once per content generation and live-set period: the key names the next scheduled
    change of the live set (newsroom's page cache keeps it per generation), so a section whose
    only story goes live, or expires, joins or leaves the header at that second."""
    generation = content_generation()
    if generation is None:
        return _top_sections_now()
    values = _values_of(generation)
    period = values.get("nav-period")
    if period is None or (period != NO_BOUNDARY and period <= time.time()):  # (that change has come)
        period = values["nav-period"] = next_boundary_timestamp(generation)
    return per_generation(f"nav-sections:{period}", _top_sections_now, generation)


def _top_sections_now() -> list[Section]:
    return list(sections_with_live_stories(Section.objects.filter(parent__isnull=True)).order_by("position", "name"))


def section_crumbs(article: Article) -> list[Section]:
    """The article's section and its ancestors (top first), read once per content generation:
    every article of a section shows the same breadcrumb, and section edits start a new
    generation. Only `section_id` is needed when the crumbs are already cached."""
    return per_generation(f"crumbs:{article.section_id}", lambda: article.section.ancestors_and_self())
