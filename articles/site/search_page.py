"""The search page: live stories matching the words asked for, best first, numbered pages.

Only the best candidates are ranked (articles/search.py), and the number of matches is counted
up to COUNT_LIMIT: beyond it the page says "more than 200 results", never a made-up figure."""

import re

from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.models import Article
from articles.public_cache import cache_public_page
from articles.search import (
    COUNT_LIMIT,
    MAX_QUERY_LENGTH,
    best_excerpt,
    count_matches,
    highlight,
    search_articles,
)
from articles.site.cards import card_rows, cards
from articles.site.errors import bad_request
from articles.site.navigation import nav_sections
from caching import surrogate_keys

PAGE_SIZE = 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_SEARCH_PAGES = 50


def _page_number(request) -> int:
    """The `?page=` asked for (1 without one), 0 when it is not a number."""
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 0


def _results(q: str, page: int) -> tuple[list[dict], bool, int]:
    """(results shown on `page`, whether a next page exists, the number of matches, counted up
    to COUNT_LIMIT + 1). The count comes first: it also tells the search how to find its
    candidates, and a query matching nothing costs nothing more."""
    live = Article.objects.live()
    total = count_matches(live, q)
    if not total:
        return [], False, 0
    start = (page - 1) * PAGE_SIZE
    found = card_rows(search_articles(live, q, match_count=total), "body")  # body: for the excerpt
    rows = cards(found[start : start + PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE and page < MAX_SEARCH_PAGES
    results = [
        {"article": a, "title": highlight(a.title, q), "excerpt": best_excerpt(a.summary, a.body, q)}
        for a in rows[:PAGE_SIZE]
    ]
    return results, has_next, total


def _heading(q: str, total: int) -> str:
    """The page's title line: how many results there are, as far as they were counted."""
    if not q:
        return "Search"
    if not total:
        return f"No results for “{q}”"
    if total > COUNT_LIMIT:
        return f"More than {COUNT_LIMIT:,} results for “{q}”"
    return f"{total:,} result{'s' if total != 1 else ''} for “{q}”"


@require_safe
@cache_public_page(reads=("q", "page"))
def search(request):
    # Control characters (NUL…) are dropped: they mean nothing in words and must not reach the page.
    q = " ".join(_CONTROL.sub(" ", request.GET.get("q", "")).split())[:MAX_QUERY_LENGTH]
    surrogate_keys.add("search")  # any story's edit may change what a search finds
    page = _page_number(request)
    if not 1 <= page <= MAX_SEARCH_PAGES:
        return bad_request(request, f"Search pages run from 1 to {MAX_SEARCH_PAGES}.")
    results, has_next, total = _results(q, page) if q else ([], False, 0)
    return render(
        request,
        "articles/search.html",
        {
            "q": q,
            "results": results,
            "total": total,
            "counted_all": total <= COUNT_LIMIT,
            "heading": _heading(q, total),
            "page": page,
            "has_next": has_next,
            "nav_sections": nav_sections(),
        },
    )
