"""Public site URLs (documented in README, "Public site")."""

from django.urls import path

from articles import views

urlpatterns = [
    path("", views.home, name="home"),
    path("section/<path:path>/", views.section, name="section"),
    path("tag/<str:slug>/", views.tag, name="tag"),
    path("news/<int:pk>/<str:slug>/", views.article, name="article"),
    path("legacy/<int:legacy_id>/", views.legacy, name="legacy"),
    path("search/", views.search, name="search"),
]
