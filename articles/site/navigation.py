"""What every public page shows around its content: the header's sections (those holding a live
story) and an article's breadcrumb, both read once per content generation."""

from articles.cache_lifetime import next_boundary_timestamp
from articles.models import Article, Section
from articles.querysets import sections_with_live_stories
from articles.site.page_cache import cached_for_generation
from caching.generations import content_generation


def nav_sections() -> list[Section]:
    """Top-level sections holding a live story, for the site header.

    Read once per content generation and live-set period: the key names the next scheduled
    change of the live set (newsroom's page cache keeps it per generation), so a section whose
    only story goes live, or expires, joins or leaves the header at that second."""
    generation = content_generation()
    period = next_boundary_timestamp(generation)
    return cached_for_generation(
        f"nav-sections:{period}",
        lambda: list(
            sections_with_live_stories(Section.objects.filter(parent__isnull=True)).order_by("position", "name")
        ),
    )


def section_crumbs(article: Article) -> list[Section]:
    """The article's section and its ancestors (top first), read once per content generation:
    every article of a section shows the same breadcrumb, and section edits start a new
    generation. Only `section_id` is needed when the crumbs are already cached."""
    return cached_for_generation(f"crumbs:{article.section_id}", lambda: article.section.ancestors_and_self())
