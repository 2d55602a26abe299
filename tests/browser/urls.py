"""The site's URLs, plus media served from whatever MEDIA_ROOT the test set.

`newsroom.urls` binds MEDIA_ROOT when it is imported; tests store files under a per-test
folder, so the browser test reads the setting at request time instead.
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from newsroom.urls import urlpatterns as site_urlpatterns


def serve_test_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve_test_media), *site_urlpatterns]
