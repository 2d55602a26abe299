"""The article page (also drawn for the editors' previews) and the legacy-id redirect.

An uncached article page runs a fixed number of queries whatever the number of related links,
tags or renditions; its queries are compiled once per process (querykit.prepared), as only the
id and the time change between requests.
"""

from datetime import UTC, datetime

from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.legacy import links as legacy_links
from articles.models import Article, Correction, Tag
from articles.public_cache import cache_public_page
from articles.site import body, seo
from articles.site.bylines import byline_authors
from articles.site.cards import CARD_CROPS, CARD_MEDIA, RELATED_THUMB_MAX_WIDTH
from articles.site.navigation import nav_sections, section_crumbs
from caching import surrogate_keys
from media import renditions
from media.renditions import load_rendition_groups
from querykit.prepared import PreparedQuery
from urlkit.absolute_urls import absolute_url

# The renditions the page draws: the article's own picture (or its video poster, and the share
# image) and its inline figures at plain widths, related thumbnails as 16:9 crops no wider than
# they are ever drawn (RELATED_THUMB_MAX_WIDTH).
LEAD_CROPS = (None,)

# The article page's queries run on every uncached view with only the id and the time changing,
# so their SQL is compiled once per process (querykit.prepared).
_SAMPLE_NOW = datetime(2000, 1, 1, tzinfo=UTC)
# No section join: the breadcrumb comes from section_crumbs(), cached per generation.
# Whether the story has corrections rides along (an EXISTS on their index), so that the page asks
# for them only when there are some.
LIVE_ARTICLE = PreparedQuery(
    lambda pk, now: (
        Article.objects.live(now)
        .select_related("lead_media__poster")
        .annotate(has_corrections=Exists(Correction.objects.filter(article=OuterRef("pk"))))
        .filter(pk=pk)
    ),
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
    surrogate_keys.add(f"article-{article.pk}")
    return render_article_page(request, article)


@require_safe
def legacy(request, legacy_id):
    """301 from a legacy article id to the canonical URL; 404 for unknown, stub or unpublished."""
    article = get_object_or_404(Article.objects.live().only("pk", "slug"), legacy_id=legacy_id)
    return redirect(article, permanent=True)


# What a related entry reads (link, label, title, language; thumbnail and its alt text; whether
# it is a stub, and for a stub its legacy id and picture path, which make its link to the old site).
RELATED_CARD_FIELDS = (
    "slug",
    "title",
    "kind",
    "language",
    "lead_media",
    "is_stub",
    "legacy_id",
    *(f"lead_media__{name}" for name in (*CARD_MEDIA, "poster", "legacy_path")),
    *(f"lead_media__poster__{name}" for name in CARD_MEDIA),
)


def _related_targets(source_id, now, *, with_stubs: bool):
    """The related list's targets readers may see, with what their cards draw."""
    return (
        Article.objects.related_to(source_id, now, with_stubs=with_stubs)
        .select_related("lead_media__poster")
        .only(*RELATED_CARD_FIELDS)
    )


LIVE_RELATED_TARGETS = PreparedQuery(
    lambda source_id, now: _related_targets(source_id, now, with_stubs=False),
    source_id=1,
    now=_SAMPLE_NOW,
)
# With LEGACY_SITE_URL set, while the archive is being imported.
LIVE_AND_STUB_RELATED_TARGETS = PreparedQuery(
    lambda source_id, now: _related_targets(source_id, now, with_stubs=True),
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
    query = LIVE_AND_STUB_RELATED_TARGETS if legacy_links.enabled() else LIVE_RELATED_TARGETS
    return list(query(source_id=article.pk, now=timezone.now()))


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


def render_article_page(
    request, article: Article, *, related=None, tags=None, authors=None, preview: bool = False
) -> HttpResponse:
    """The article page for `article`, which may be unsaved or rebuilt from a revision.

    `related=None` loads the live related targets from the database; otherwise the given
    articles are shown as they are (the caller chooses them). `tags=None` reads the saved tags,
    `authors=None` the saved byline (one query whatever its length).
    `preview=True` adds a visible banner and makes the response private, uncacheable and
    unindexed.
    """
    related = live_related_targets(article) if related is None else list(related)
    surrogate_keys.add_ids("article", (item.pk for item in related))  # their titles show
    if tags is None:
        tags = list(ARTICLE_TAGS(article_id=article.pk)) if article.pk else []
    authors = byline_authors(article) if authors is None else list(authors)
    # Lead media with posters (no query when select_related loaded them, as the public view
    # does), then the renditions of all of them: one query.
    prefetch_related_objects([article, *related], "lead_media__poster")
    inline = body.inline_items(article.body)  # the body's figures: one query, none without any
    load_rendition_groups(
        [
            ([article.lead_media, *inline.values()], LEAD_CROPS + body.crops_needed(inline.values()), None),
            ([item.lead_media for item in related], CARD_CROPS, RELATED_THUMB_MAX_WIDTH),
        ]
    )
    crumbs = section_crumbs(article)
    corrections = list(article.corrections.all()) if getattr(article, "has_corrections", article.pk) else []
    canonical = absolute_url(article.get_absolute_url(), request) if article.pk else ""
    context = {
        "article": article,
        "crumbs": crumbs,
        "tags": tags,
        "authors": authors,
        "related": related,
        "corrections": corrections,
        "preview": preview,
        "body_html": body.render_body(article.body, inline, language=article.language),
        "canonical": canonical,
        **seo.page_head(
            article,
            request=request,
            canonical=canonical,
            crumbs=crumbs,
            tags=tags,
            authors=authors,
            corrections=corrections,
        ),
        "nav_sections": nav_sections(),
    }
    context["video_unavailable"] = video_unavailable(article, context["video"])
    response = render(request, "articles/article.html", context)
    if preview:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response
