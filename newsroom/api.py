"""The JSON API under /api/: the v1 router, the OpenAPI schema and its docs page.

Every answer under /api/ is JSON (the docs page aside): a URL that names no endpoint gets a
JSON 404 from `no_such_endpoint` below, even with DEBUG on, where Django would draw its HTML
debug page instead of calling handler404.
"""

from django.conf import settings
from django.http import JsonResponse
from django.urls import include, path, re_path, resolve, reverse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from articles.api.authors import AuthorViewSet
from articles.api.corrections import CorrectionsView
from articles.api.views import ArticleViewSet, SectionViewSet, TagViewSet
from media.api import MediaViewSet
from webhooks.api import WebhookViewSet

router = DefaultRouter()
router.include_format_suffixes = False
router.register("articles", ArticleViewSet, basename="article")
router.register("authors", AuthorViewSet, basename="author-api")
router.register("media", MediaViewSet, basename="media")
router.register("sections", SectionViewSet, basename="section-api")
router.register("tags", TagViewSet, basename="tag-api")
router.register("webhooks", WebhookViewSet, basename="webhook")


@csrf_exempt
def no_such_endpoint(request, rest=""):
    """JSON 404 for any URL under /api/ that no route matches (`/api/v1/articles/0.5/`).

    A GET for a known endpoint written without its final slash is sent there with a 301, as
    Django's APPEND_SLASH would have done had this catch-all not matched first.
    """
    if settings.APPEND_SLASH and request.method in ("GET", "HEAD") and not request.path_info.endswith("/"):
        match = resolve(request.path_info + "/", getattr(request, "urlconf", None))
        if match.func is not no_such_endpoint:
            target = request.get_full_path(force_append_slash=True)
            response = JsonResponse({"detail": f"This endpoint's URL ends with a slash: {target}"}, status=301)
            response["Location"] = target
            return response
    return JsonResponse(
        {"detail": f"No API endpoint at this URL. The routes are listed in {reverse('schema')}."}, status=404
    )


# The schema answers JSON unless YAML is asked for (Accept: application/vnd.oai.openapi or
# ?format=yaml); drf-spectacular's default order puts YAML first.
schema_view = SpectacularAPIView.as_view(
    renderer_classes=[OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer, OpenApiYamlRenderer2]
)

urlpatterns = [
    # Presence, notes and autosave of one story, beside the router's article routes.
    path("v1/", include("articles.api.together_urls")),
    path("v1/articles/<id:id>/corrections/", CorrectionsView.as_view(), name="article-corrections"),
    path("v1/", include(router.urls)),
    path("schema/", schema_view, name="schema"),
    # The split view serves its start-up script as a file (?script): no inline script, as the CSP asks.
    path(
        "docs/", SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs.html"), name="api-docs"
    ),
    re_path(r"^(?P<rest>.*)$", no_such_endpoint),
]
