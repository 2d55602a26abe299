"""Public site URLs (documented in README, "Public site")."""

from django.urls import path

from articles.site import views
from urlkit import converters  # noqa: F401  (registers <id:…>, ints that fit an id column)

urlpatterns = [
    path("", views.home, name="home"),
    path("section/<path:path>/", views.section, name="section"),
    path("tag/<str:slug>/", views.tag, name="tag"),
    path("news/<id:pk>/<str:slug>/", views.article, name="article"),
    path("legacy/<id:legacy_id>/", views.legacy, name="legacy"),
    path("search/", views.search, name="search"),
]
