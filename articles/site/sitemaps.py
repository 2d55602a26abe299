"""Sitemaps (live articles; section, tag and author pages holding live articles), the Google
News sitemap, and the robots.txt that names them.

Every URL is absolute on SITE_URL when it is set, else on the scheme and host the request came
in on (urlkit.absolute_urls). Each sitemap page and the index run a fixed number of queries,
whatever the number of articles.
"""

from datetime import timedelta
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Section, Tag
from articles.site.feeds import xml_text
from urlkit.absolute_urls import absolute_url, site_origin


class PublicHostSitemap(Sitemap):
    """URLs on the origin of `urlkit.absolute_urls.site_origin(request)`.

    Django's sitemap views instantiate the sitemap classes they are given with no arguments, so
    the views below hand them `bound_sitemaps(request)`: the same classes with the origin
    filled in.
    """

    limit = 50000
    lastmod_field = "lastmod"

    def __init__(self, origin: str | None = None):
        self.origin = origin or site_origin()

    def get_protocol(self, protocol=None):
        return urlsplit(self.origin).scheme

    def get_domain(self, site=None):
        return urlsplit(self.origin).netloc

    def lastmod(self, item):
        return getattr(item, self.lastmod_field)

    def get_latest_lastmod(self):
        """One aggregate query (the base class would load every item)."""
        return self.items().aggregate(latest=Max(self.lastmod_field))["latest"]


class ArticleSitemap(PublicHostSitemap):
    lastmod_field = "updated_at"

    def items(self):
        return Article.objects.live().only("id", "slug", "updated_at").order_by("-published_at", "-id")


class LiveListingSitemap(PublicHostSitemap):
    """Listing pages (sections, tags) that show at least one live article.

    `lastmod` is the newest change among those articles. Worked out with one grouped query over
    the live set plus one for the pages, then kept for the life of this sitemap object (the
    index asks for the items twice): a correlated subquery per page is far slower on SQLite.
    """

    def dated_pages(self) -> list[tuple[object, object]]:
        """[(page, newest updated_at of its live articles)] in sitemap order."""
        raise NotImplementedError

    def items(self):
        if not hasattr(self, "_items_cache"):
            self._items_cache = []
            for page, lastmod in self.dated_pages():
                page.lastmod = lastmod
                self._items_cache.append(page)
        return self._items_cache

    def get_latest_lastmod(self):
        return max((page.lastmod for page in self.items()), default=None)


def _newest_change_by(key: str) -> dict:
    """{value of `key`: newest updated_at among the live articles having it}."""
    rows = Article.objects.live().order_by().values(key).annotate(latest=Max("updated_at")).values_list(key, "latest")
    return {value: latest for value, latest in rows if value is not None}


class SectionSitemap(LiveListingSitemap):
    """Section pages that show at least one live article (their own or a subsection's)."""

    def dated_pages(self):
        own = _newest_change_by("section_id")
        sections = list(Section.objects.only("id", "path").order_by("path"))
        by_path = {section.path: section for section in sections}
        newest = {}
        for section in sections:
            changed = own.get(section.pk)
            if changed is None:
                continue
            for prefix in section.path_prefixes():  # a story in Mosul also freshens Iraq's page
                ancestor = by_path[prefix].pk
                newest[ancestor] = max(changed, newest.get(ancestor, changed))
        return [(section, newest[section.pk]) for section in sections if section.pk in newest]


class TagSitemap(LiveListingSitemap):
    """Tag pages that show at least one live article."""

    def dated_pages(self):
        newest = _newest_change_by("tags")
        tags = Tag.objects.only("id", "slug").order_by("slug")
        return [(tag, newest[tag.pk]) for tag in tags if tag.pk in newest]


class AuthorSitemap(LiveListingSitemap):
    """The pages of public authors (`Author.objects.public()`: named on a live story's byline),
    each dated by the newest change among their live stories."""

    def dated_pages(self):
        newest = _newest_change_by("bylines__author")
        authors = Author.objects.only("id", "slug").order_by("slug")
        return [(author, newest[author.pk]) for author in authors if author.pk in newest]


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "tags": TagSitemap, "authors": AuthorSitemap}


def bound_sitemaps(request) -> dict:
    """SITEMAPS as factories Django's views can call, each making URLs on the request's origin."""
    origin = site_origin(request)
    return {name: partial(sitemap, origin) for name, sitemap in SITEMAPS.items()}


NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


def sitemap_index(request):
    """The sitemap index. Django names each sitemap page on the request's own host, which is
    right only while SITE_URL is unset, so every location is made absolute here again."""
    response = sitemap_views.index(request, sitemaps=bound_sitemaps(request), sitemap_url_name="sitemap-section")
    for entry in response.context_data["sitemaps"]:
        parts = urlsplit(entry.location)
        entry.location = absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""), request)
    return response


def sitemap_page(request, section):
    """One sitemap (articles, sections or tags), or one page of it (`?p=2`)."""
    return sitemap_views.sitemap(request, sitemaps=bound_sitemaps(request), section=section)


def news_sitemap(request):
    """Google News sitemap: live articles published in the last 48 hours, newest first, at most 1,000."""
    articles = (
        Article.objects.live()
        .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
        .only("id", "slug", "title", "language", "published_at")
        .newest_first()[:NEWS_LIMIT]
    )
    entries = [
        {
            "loc": absolute_url(article.get_absolute_url(), request),
            "language": article.language,
            "published_at": article.published_at.isoformat(timespec="seconds"),
            "title": xml_text(article.title),
        }
        for article in articles
    ]
    context = {"entries": entries, "site_name": xml_text(settings.SITE_NAME)}
    response = render(request, "syndication/sitemap_news.xml", context, content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def robots_txt(request):
    """Crawlers: stay out of the admin, previews, the API and search results; here are the sitemaps."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /api/",
        "Disallow: /search/",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap-index'), request)}",
        f"Sitemap: {absolute_url(reverse('sitemap-news'), request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
