"""Sitemaps (live articles; section and tag pages holding live articles), the Google News
sitemap, and the robots.txt that names them.

Every URL is on the public host named by `settings.SITE_URL`. Each sitemap page and the index
run a fixed number of queries, whatever the number of articles.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from articles.feeds import absolute_url, xml_text
from articles.models import Article, Section, Tag


class PublicHostSitemap(Sitemap):
    """URLs on `settings.SITE_URL`'s scheme and host, whatever host the request came in on."""

    limit = 50000
    lastmod_field = "lastmod"

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def lastmod(self, item):
        return getattr(item, self.lastmod_field)

    def get_latest_lastmod(self):
        """One aggregate query (the base class would load every item)."""
        return self.items().aggregate(latest=Max(self.lastmod_field))["latest"]


class ArticleSitemap(PublicHostSitemap):
    lastmod_field = "updated_at"

    def items(self):
        return (
            Article.objects.live()
            .only("id", "slug", "updated_at")
            .order_by("-published_at", "-id")
        )


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


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "tags": TagSitemap}


NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


def sitemap_index(request):
    """The sitemap index, with every sitemap page's URL on the public host."""
    response = sitemap_views.index(request, sitemaps=SITEMAPS, sitemap_url_name="sitemap-section")
    for entry in response.context_data["sitemaps"]:
        parts = urlsplit(entry.location)
        entry.location = settings.SITE_URL + parts.path + (f"?{parts.query}" if parts.query else "")
    return response


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
            "loc": absolute_url(article.get_absolute_url()),
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
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap-index')}",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap-news')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
