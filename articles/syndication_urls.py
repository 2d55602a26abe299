"""Feeds, sitemaps and robots.txt, at the site root."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from articles import feeds, sitemaps

urlpatterns = [
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="feed-rss"),
    path("feeds/atom/", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path("feeds/section/<path:path>/rss/", feeds.SectionFeed(), name="feed-section"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap-index"),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap-news"),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots-txt"),
]
