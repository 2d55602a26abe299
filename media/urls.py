"""Media URLs: renditions made on demand (included at /media-renditions/)."""

from django.urls import re_path

from media import views

urlpatterns = [
    re_path(
        r"^(?P<pk>[0-9]+)/(?P<spec>[0-9a-z-]+)\.(?P<fmt>[a-z]+)$",
        views.rendition,
        name="media-rendition",
    ),
]
