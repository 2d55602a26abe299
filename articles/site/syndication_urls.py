"""Feeds, sitemaps and robots.txt, at the site root.

Feeds and sitemaps go through the public page cache: aggregators poll feeds all day and a
sitemap page can list 50,000 URLs; both are purged only when what they list changes (their
surrogate keys: `feed`, `sitemap`).
Only a sitemap's page number (`?p=2`) varies what they show; other parameters are ignored.
"""

from functools import wraps

from django.urls import path

from articles.public_cache import cache_public_page
from articles.site import feeds, sitemaps
from caching import surrogate_keys


def sitemap(view):
    """`view`, named `sitemap` for purges: every story's change purges the sitemaps (their
    modification dates), which list too many stories to name each."""

    @wraps(view)
    def keyed(request, *args, **kwargs):
        surrogate_keys.add("sitemap")
        return view(request, *args, **kwargs)

    return keyed


urlpatterns = [
    path("feeds/rss/", cache_public_page(feeds.LatestArticlesFeed()), name="feed-rss"),
    path("feeds/atom/", cache_public_page(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path("feeds/section/<path:path>/rss/", cache_public_page(feeds.SectionFeed()), name="feed-section"),
    path("authors/<str:slug>/feed/", cache_public_page(feeds.AuthorFeed()), name="feed-author"),
    path("corrections/feed/", cache_public_page(feeds.CorrectionsFeed()), name="feed-corrections"),
    path("sitemap.xml", cache_public_page(sitemap(sitemaps.sitemap_index)), name="sitemap-index"),
    path("sitemap-news.xml", cache_public_page(sitemap(sitemaps.news_sitemap)), name="sitemap-news"),
    path(
        "sitemap-<slug:section>.xml",
        cache_public_page(sitemap(sitemaps.sitemap_page), reads=("p",)),
        name="sitemap-section",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots-txt"),
]
