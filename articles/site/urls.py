"""Public site URLs (documented in README, "Public site")."""

from django.urls import path

from articles.site import article_page, authors, corrections, listings, search_page
from urlkit import converters  # noqa: F401  (registers <id:…>, ints that fit an id column)

urlpatterns = [
    path("", listings.home, name="home"),
    path("section/<path:path>/", listings.section, name="section"),
    path("tag/<str:slug>/", listings.tag, name="tag"),
    path("authors/<str:slug>/", authors.author, name="author"),
    path("news/<id:pk>/<str:slug>/", article_page.article, name="article"),
    path("legacy/<id:legacy_id>/", article_page.legacy, name="legacy"),
    path("search/", search_page.search, name="search"),
    path("corrections/", corrections.corrections, name="corrections"),
]
