"""The pages that list stories: home, section and tag.

Each runs a fixed number of queries whatever the number of articles. Section and tag pages
are keyset pages (querykit.keyset), newest first, so page 1,000 costs what page 1 costs; the
next page's link carries a signed cursor naming the last story shown (`?after=`). A small
section (its section ids are named in the query) is read through the (section, date) index,
and a tag's stories through the tag's own index in date order (`ArticleQuerySet.tagged`), so
no list walks the whole archive's date index looking for its few stories.
"""

from datetime import UTC, datetime, timedelta

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from articles.models import Article, Section, Tag
from articles.public_cache import cache_public_page
from articles.querysets import LISTED_NEWEST_FIRST, sections_with_live_stories
from articles.site.cards import card_rows, cards
from articles.site.errors import bad_request
from articles.site.navigation import nav_sections
from caching import surrogate_keys
from querykit import keyset

PAGE_SIZE = 20
TOP_STORIES = 5
PER_SECTION = 4
CURSOR_SALT = "articles.listing-cursor"
NEWEST_FIRST = (("published_at", True), ("pk", True))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class BadCursor(Exception):
    """A pagination cursor that was not made by this site (edited, truncated or forged)."""


def encode_cursor(article: Article) -> str:
    """A signed cursor naming the last article shown: (published_at in µs, id)."""
    published_at, pk = keyset.edge_values(NEWEST_FIRST, article)
    micros = (published_at - _EPOCH) // timedelta(microseconds=1)
    return signing.Signer(salt=CURSOR_SALT).sign(f"{micros}.{pk}")


def decode_cursor(value: str) -> tuple[datetime, int]:
    try:
        micros, pk = signing.Signer(salt=CURSOR_SALT).unsign(value).split(".")
        return _EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except (signing.BadSignature, ValueError, OverflowError) as exc:
        raise BadCursor(value) from exc


def keyset_page(request, queryset, ordering=NEWEST_FIRST) -> dict:
    """One page of `queryset` in `ordering` (newest first: the article's dateline and id, or
    LISTED_NEWEST_FIRST, the same values on a tag's or author's link rows) after the `?after=`
    cursor, and the next cursor.

    Http404 when `queryset` holds no article at all: a section or tag page shows only once a
    live story is in it. That costs no query while the page shows a story; an empty page past
    the end (the `?after=` of a story since withdrawn) asks once whether any other is left."""
    after = request.GET.get("after")
    edge = decode_cursor(after) if after else None
    articles, more = keyset.fetch(card_rows(queryset), ordering, size=PAGE_SIZE, after=edge)
    if not articles and (not after or not queryset.exists()):
        raise Http404("No live story is listed here.")
    return {
        "articles": cards(articles),
        "next_cursor": encode_cursor(articles[-1]) if more else "",
        "is_first_page": not after,
    }


def pinned_stories() -> list[Article]:
    """The newest few live pinned stories, for cards (usually none).

    Their ids come from article_pinned_pub_idx alone (it covers what live() reads); the rows
    then come one primary key each, in one UNION ALL query: a `pk IN (…)` over the live set
    lets SQLite walk the status/date index over every published article instead.
    """
    live = Article.objects.live()
    pks = list(live.filter(pinned=True).newest_first().values_list("pk", flat=True)[:TOP_STORIES])
    if not pks:
        return []
    one_each = [card_rows(live).filter(pk=pk).order_by() for pk in pks]
    by_pk = {row.pk: row for row in one_each[0].union(*one_each[1:], all=True)}
    return [by_pk[pk] for pk in pks if pk in by_pk]


@require_safe
@cache_public_page
def home(request):
    # Every query here reads an index in date order and stops after a few rows (the pinned
    # ones: article_pinned_pub_idx). The rows come whole from these queries: looking them up
    # again by `pk IN (…)` lets SQLite without statistics walk every published article.
    surrogate_keys.add("front")
    live = card_rows(Article.objects.live()).newest_first()
    top = pinned_stories()
    top += list(live.exclude(pk__in=[a.pk for a in top])[: TOP_STORIES - len(top)])
    shown = [a.pk for a in top]
    sections = nav_sections()
    # The newest few of each top-level section (subsections included), stories above left out:
    # one short query per top-level section.
    blocks = [(section, list(live.in_section(section).exclude(pk__in=shown)[:PER_SECTION])) for section in sections]
    cards([*top, *(a for _, items in blocks for a in items)])
    return render(
        request,
        "articles/home.html",
        {"top_stories": top, "blocks": [(s, items) for s, items in blocks if items], "nav_sections": sections},
    )


@require_safe
@cache_public_page(reads=("after",))
def section(request, path):
    section = get_object_or_404(Section.objects.select_related("parent"), path=path.strip("/"))
    surrogate_keys.add(f"section-{section.pk}")
    try:
        page = keyset_page(request, Article.objects.live().in_subtree(section))
    except BadCursor:
        return bad_request(request, "This page link is broken. Start again from the first page of the section.")
    return render(
        request,
        "articles/section.html",
        {
            "section": section,
            "crumbs": section.ancestors_and_self(),
            "subsections": list(sections_with_live_stories(section.children.all()).order_by("position", "name")),
            "nav_sections": nav_sections(),
            "current_top_path": section.path.split("/")[0],
            "current_is_top": section.parent_id is None,
            **page,
        },
    )


@require_safe
@cache_public_page(reads=("after",))
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    surrogate_keys.add(f"tag-{tag.pk}")
    try:
        page = keyset_page(request, Article.objects.live().tagged(tag), LISTED_NEWEST_FIRST)
    except BadCursor:
        return bad_request(request, "This page link is broken. Start again from the first page of the tag.")
    return render(request, "articles/tag.html", {"tag": tag, "nav_sections": nav_sections(), **page})
