from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from apikit.errors import api_or_site_handler
from hardening.health import healthz
from hardening.two_factor import two_factor
from media.views import stored_file

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Newsdesk"

# Error pages in the site's design (the 500 page renders without touching the database);
# under /api/ the same errors are JSON `{"detail": …}` like every other API answer.
handler400 = api_or_site_handler(400, "django.views.defaults.bad_request")
handler403 = api_or_site_handler(403, "django.views.defaults.permission_denied")
handler404 = api_or_site_handler(404, "articles.site.errors.page_not_found")
handler500 = api_or_site_handler(500, "articles.site.errors.server_error")

urlpatterns = [
    # For load balancers, Varnish's probe and deploy scripts: 200 when the database and cache answer, else 503.
    path("healthz", healthz, name="healthz"),
    # Before the admin's own URLs: the one-time code step of signing in (hardening/two_factor.py).
    path("admin/two-factor/", two_factor, name="admin-two-factor"),
    path("admin/", admin.site.urls),
    path("api/", include("newsroom.api")),
    path("preview/", include("articles.desk.preview_urls")),
    path("media-renditions/", include("media.urls")),
    path("", include("articles.site.syndication_urls")),
    path("", include("articles.site.urls")),
]

if (settings.SERVE_MEDIA or settings.AWS_STORAGE_BUCKET_NAME) and settings.MEDIA_URL.startswith("/"):
    # Media files, 404 to readers until the item is public (media.views.stored_file): served from
    # local storage (make run, small sites), or redirected to a signed URL on private S3.
    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", stored_file, name="media-file"))
