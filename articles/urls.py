from django.urls import path

from articles import views

urlpatterns = [
    path("", views.home, name="home"),
    path("section/<path:path>/", views.section, name="section"),
    path("tag/<str:slug>/", views.tag, name="tag"),
    path("news/<int:pk>/<str:slug>/", views.article, name="article"),
]
