"""The public site: home, section, tag, article, legacy redirect, search, and the error pages.

Every page reads `Article.objects.live()` and runs a fixed number of queries whatever the
number of articles, related links, tags or renditions (select_related + prefetches; lists
use keyset pagination so page 1,000 costs what page 1 costs). Anonymous pages go through
the page cache (`articles.site.page_cache`).
"""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import DatabaseError
from django.db.models import Exists, OuterRef, Q, Value, prefetch_related_objects
from django.db.models.functions import Concat
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.legacy import links as legacy_links
from articles.models import Article, RelatedLink, Section, Tag
from articles.search import MAX_QUERY_LENGTH, best_excerpt, count_matches, highlight, search_articles
from articles.site import seo
from articles.site.page_cache import cache_public_page, cached_for_generation, next_boundary_timestamp
from caching.generations import content_generation
from media import renditions
from media.renditions import load_renditions
from querykit.prepared import PreparedQuery

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
TOP_STORIES = 5
PER_SECTION = 4
MAX_SEARCH_PAGES = 50
CURSOR_SALT = "articles.listing-cursor"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class BadCursor(Exception):
    """A pagination cursor that was not made by this site (edited, truncated or forged)."""


# --- shared pieces -------------------------------------------------------------------------


def sections_with_live_stories(sections):
    """`sections` (a Section queryset) limited to those with a live story in them or in a
    subsection: a section's name is public only once a live story is filed under it."""
    in_tree = Q(section__path=OuterRef("path")) | Q(section__path__startswith=Concat(OuterRef("path"), Value("/")))
    return sections.filter(Exists(Article.objects.live().filter(in_tree)))


def tags_with_live_stories(tags):
    """`tags` (a Tag queryset) limited to those a live story carries."""
    return tags.filter(Exists(Article.objects.live().filter(tags=OuterRef("pk"))))


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


# What an article card (templates/articles/_card.html) reads: the rest, bodies above all, stays
# in the database (fewer columns to read and convert: ~0.3 ms less per list query). Reading
# another field would cost a query per card, which the query budget tests catch.
_CARD_MEDIA = ("kind", "file", "title", "alt_text", "width", "height", "file_missing")
CARD_FIELDS = (
    "slug",
    "title",
    "kind",
    "language",
    "summary",
    "published_at",
    "section__name",
    "section__path",
    *(f"lead_media__{name}" for name in (*_CARD_MEDIA, "poster")),
    *(f"lead_media__poster__{name}" for name in _CARD_MEDIA),
)


# The renditions pages draw: cards and related thumbnails are 16:9 crops, the article's own
# picture (or its video poster, and the share image) the plain widths.
CARD_CROPS = ("16x9",)
ARTICLE_PAGE_CROPS = (None, "16x9")


def card_rows(queryset, *also: str):
    """`queryset` reading what a card shows (and the fields named in `also`): section, lead
    media and poster joined."""
    return queryset.for_listing().only(*CARD_FIELDS, *also)


def cards(queryset) -> list[Article]:
    """The articles of `queryset` (made with card_rows(), sliced or not), then the renditions
    of all their images in one more query."""
    rows = list(queryset)
    load_renditions([row.lead_media for row in rows], crops=CARD_CROPS)
    return rows


def encode_cursor(article: Article) -> str:
    """A signed cursor naming the last article shown: (published_at in µs, id)."""
    micros = (article.published_at - _EPOCH) // timedelta(microseconds=1)
    return signing.Signer(salt=CURSOR_SALT).sign(f"{micros}.{article.pk}")


def decode_cursor(value: str) -> tuple[datetime, int]:
    try:
        micros, pk = signing.Signer(salt=CURSOR_SALT).unsign(value).split(".")
        return _EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except (signing.BadSignature, ValueError, OverflowError) as exc:
        raise BadCursor(value) from exc


def keyset_page(request, queryset) -> dict:
    """One page of `queryset` (newest first) after the `?after=` cursor, and the next cursor.

    Http404 when `queryset` holds no article at all: a section or tag page shows only once a
    live story is in it. That costs no query while the page shows a story; an empty page past
    the end (the `?after=` of a story since withdrawn) asks once whether any other is left."""
    live = queryset
    queryset = queryset.newest_first()
    after = request.GET.get("after")
    if after:
        published_at, pk = decode_cursor(after)
        queryset = queryset.filter(Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk))
    rows = cards(card_rows(queryset)[: PAGE_SIZE + 1])
    articles = rows[:PAGE_SIZE]
    if not articles and (not after or not live.exists()):
        raise Http404("No live story is listed here.")
    return {
        "articles": articles,
        "next_cursor": encode_cursor(articles[-1]) if len(rows) > PAGE_SIZE else "",
        "is_first_page": not after,
    }


def bad_request(request, message: str) -> HttpResponse:
    return render(request, "400.html", {"message": message, "nav_sections": nav_sections()}, status=400)


# --- pages ---------------------------------------------------------------------------------


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
    try:
        page = keyset_page(request, Article.objects.live().in_section(section))
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
    try:
        page = keyset_page(request, Article.objects.live().filter(tags=tag))
    except BadCursor:
        return bad_request(request, "This page link is broken. Start again from the first page of the tag.")
    return render(request, "articles/tag.html", {"tag": tag, "nav_sections": nav_sections(), **page})


# The article page's queries run on every uncached view with only the id and the time changing,
# so their SQL is compiled once per process (querykit.prepared).
_SAMPLE_NOW = datetime(2000, 1, 1, tzinfo=UTC)
# No section join: the breadcrumb comes from section_crumbs(), cached per generation.
LIVE_ARTICLE = PreparedQuery(
    lambda pk, now: Article.objects.live(now).select_related("lead_media__poster").filter(pk=pk),
    pk=1,
    now=_SAMPLE_NOW,
)


@require_safe
@cache_public_page
def article(request, pk, slug):
    article = next(iter(LIVE_ARTICLE(pk=pk, now=timezone.now())), None)
    if article is None:
        raise Http404("No live article has this id.")
    if slug != (article.slug or "article"):
        return redirect(article, permanent=True)
    return render_article_page(request, article)


@require_safe
def legacy(request, legacy_id):
    """301 from a legacy article id to the canonical URL; 404 for unknown, stub or unpublished."""
    article = get_object_or_404(Article.objects.live().only("pk", "slug"), legacy_id=legacy_id)
    return redirect(article, permanent=True)


@require_safe
@cache_public_page(reads=("q", "page"))
def search(request):
    q = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 0
    if not 1 <= page <= MAX_SEARCH_PAGES:
        return bad_request(request, f"Search pages run from 1 to {MAX_SEARCH_PAGES}.")
    results, has_next, total = [], False, 0
    if q:
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


# --- the article page (also used by the editors' preview) ---------------------------------


# What a related entry reads (link, label, title, language; thumbnail and its alt text; whether
# it is a stub, and for a stub its legacy id and picture path, which make its link to the old site).
RELATED_CARD_FIELDS = (
    *(f"target__{name}" for name in ("slug", "title", "kind", "language", "lead_media", "is_stub", "legacy_id")),
    *(f"target__lead_media__{name}" for name in (*_CARD_MEDIA, "poster", "legacy_path")),
    *(f"target__lead_media__poster__{name}" for name in _CARD_MEDIA),
)


def _related_links(source_id, now, *, with_stubs: bool):
    links = RelatedLink.objects.filter(source_id=source_id)
    if with_stubs:
        # Live targets, and the stubs of items not imported yet (shown as links to the old site,
        # never as pages here): still one query, each link checked against live() by key.
        live = Exists(Article.objects.live(now).filter(pk=OuterRef("target_id")))
        links = links.filter(live | Q(target__is_stub=True, target__legacy_id__isnull=False))
    else:
        links = links.to_live_targets(now)
    return (
        links.select_related("target__lead_media__poster")
        .only("target_id", *RELATED_CARD_FIELDS)
        .order_by("position", "id")
    )


LIVE_RELATED_LINKS = PreparedQuery(
    lambda source_id, now: _related_links(source_id, now, with_stubs=False),
    source_id=1,
    now=_SAMPLE_NOW,
)
# With LEGACY_SITE_URL set, while the archive is being imported.
LIVE_AND_STUB_RELATED_LINKS = PreparedQuery(
    lambda source_id, now: _related_links(source_id, now, with_stubs=True),
    source_id=1,
    now=_SAMPLE_NOW,
)
ARTICLE_TAGS = PreparedQuery(lambda article_id: Tag.objects.filter(articles__id=article_id), article_id=1)


def live_related_targets(article: Article) -> list[Article]:
    """The live targets of `article`'s related list in editorial order, ready for cards (one query).

    With LEGACY_SITE_URL set the stubs among them come too, in their places: the template shows
    them as links to the old site (`{% legacy_related_item %}`)."""
    if article.pk is None:
        return []
    query = LIVE_AND_STUB_RELATED_LINKS if legacy_links.enabled() else LIVE_RELATED_LINKS
    return [link.target for link in query(source_id=article.pk, now=timezone.now())]


def video_unavailable(article: Article, video) -> dict | None:
    """For a video story with nothing to play (its lead video has no file yet, or it has no lead
    video at all): what readers get instead of a player, else None.

    `picture`: the item whose image stands in (the video's poster or the lead picture), if one
    has an image; `old_site_url`: the story's page on the old site, with LEGACY_SITE_URL and a
    legacy id."""
    media = article.lead_media
    if video is not None or not (article.kind == Article.Kind.VIDEO or (media is not None and media.is_video)):
        return None
    return {
        "picture": media if renditions.source_of(media) is not None else None,
        "old_site_url": legacy_links.page_url(article.legacy_id),
        "old_site": legacy_links.host(),
    }


def render_article_page(request, article: Article, *, related=None, tags=None, preview: bool = False) -> HttpResponse:
    """The article page for `article`, which may be unsaved or rebuilt from a revision.

    `related=None` loads the live related targets from the database; otherwise the given
    articles are shown as they are (the caller chooses them). `tags=None` reads the saved tags.
    `preview=True` adds a visible banner and makes the response private, uncacheable and
    unindexed.
    """
    related = live_related_targets(article) if related is None else list(related)
    if tags is None:
        tags = list(ARTICLE_TAGS(article_id=article.pk)) if article.pk else []
    # Lead media with posters (no query when select_related loaded them, as the public view
    # does), then the renditions of all of them: one query.
    prefetch_related_objects([article, *related], "lead_media__poster")
    load_renditions([item.lead_media for item in (article, *related)], crops=ARTICLE_PAGE_CROPS)
    crumbs = section_crumbs(article)
    canonical = seo.absolute_url(article.get_absolute_url(), request) if article.pk else ""
    context = {
        "article": article,
        "crumbs": crumbs,
        "tags": tags,
        "related": related,
        "preview": preview,
        "canonical": canonical,
        **seo.page_head(article, request=request, canonical=canonical, crumbs=crumbs, tags=tags),
        "nav_sections": nav_sections(),
    }
    context["video_unavailable"] = video_unavailable(article, context["video"])
    response = render(request, "articles/article.html", context)
    if preview:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


# --- error pages ---------------------------------------------------------------------------


def page_not_found(request, exception=None):
    try:
        sections = nav_sections()
    except DatabaseError:
        sections = []
    return render(request, "404.html", {"nav_sections": sections}, status=404)


# Served when even the 500 template cannot be rendered (a template or storage fault).
FALLBACK_500 = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title>'
    '<meta name="robots" content="noindex"></head><body><h1>Something went wrong on our side</h1>'
    "<p>The page could not be shown just now. Please try again in a minute.</p>"
    '<p><a href="/">Go to the front page</a></p></body></html>'
)


def server_error(request):
    """The 500 page: a static template rendered without request context, so no database.
    Should that template fail too, a plain page says the same rather than no page at all."""
    try:
        html = loader.get_template("500.html").render({"SITE_NAME": settings.SITE_NAME})
    except Exception:  # noqa: BLE001 - the error page must answer whatever went wrong
        logger.exception("The 500 page could not be rendered; serving the plain fallback")
        html = FALLBACK_500
    return HttpResponse(html, status=500)
