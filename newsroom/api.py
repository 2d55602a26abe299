"""The JSON API under /api/: the v1 router, the OpenAPI schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from articles.api.views import ArticleViewSet, SectionViewSet, TagViewSet
from media.api import MediaViewSet

router = DefaultRouter()
router.include_format_suffixes = False
router.register("articles", ArticleViewSet, basename="article")
router.register("media", MediaViewSet, basename="media")
router.register("sections", SectionViewSet, basename="section-api")
router.register("tags", TagViewSet, basename="tag-api")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
