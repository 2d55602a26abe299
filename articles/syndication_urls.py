"""Feeds, sitemaps and robots.txt (built by the syndication feature)."""

urlpatterns = []
