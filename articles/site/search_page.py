"""The search page: live stories matching the words asked for, best first, numbered pages."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.models import Article
from articles.search import MAX_QUERY_LENGTH, best_excerpt, count_matches, highlight, search_articles
from articles.site.cards import card_rows, cards
from articles.site.errors import bad_request
from articles.site.navigation import nav_sections
from articles.site.page_cache import cache_public_page
from caching import surrogate_keys

PAGE_SIZE = 20
MAX_SEARCH_PAGES = 50


def _page_number(request) -> int:
    """The `?page=` asked for (1 without one), 0 when it is not a number."""
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 0


def _results(q: str, page: int) -> tuple[list[dict], bool, int]:
    """(results shown on `page`, whether a next page exists, the number of matches)."""
    start = (page - 1) * PAGE_SIZE
    found = card_rows(search_articles(Article.objects.live(), q), "body")  # body: for the excerpt
    rows = cards(found[start : start + PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE and page < MAX_SEARCH_PAGES
    # The number of results costs a query only when this page does not show the last one.
    if len(rows) > PAGE_SIZE or (page > 1 and not rows):
        total = count_matches(Article.objects.live(), q)
    else:
        total = start + len(rows)
    results = [
        {"article": a, "title": highlight(a.title, q), "excerpt": best_excerpt(a.summary, a.body, q)}
        for a in rows[:PAGE_SIZE]
    ]
    return results, has_next, total


@require_safe
@cache_public_page(reads=("q", "page"))
def search(request):
    q = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
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
            "page": page,
            "has_next": has_next,
            "nav_sections": nav_sections(),
        },
    )
