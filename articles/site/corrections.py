"""`/corrections/`: the newest corrections, clarifications and updates across the site, newest
first, each with the story it belongs to (only live stories' corrections: Correction.objects.shown()).
Its feed is `/corrections/feed/` (articles.site.feeds.CorrectionsFeed)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.corrections import Correction
from articles.public_cache import cache_public_page
from articles.site.navigation import nav_sections
from caching import surrogate_keys

SHOWN = 50


def newest_corrections() -> list[Correction]:
    """The SHOWN newest corrections readers may see, with their stories (one query)."""
    found = list(Correction.objects.shown().select_related("article")[:SHOWN])
    surrogate_keys.add("corrections")
    surrogate_keys.add_ids("article", {correction.article_id for correction in found})
    return found


@require_safe
@cache_public_page
def corrections(request):
    return render(
        request, "articles/corrections.html", {"corrections": newest_corrections(), "nav_sections": nav_sections()}
    )
