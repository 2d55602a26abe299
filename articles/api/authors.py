"""Authors in the API: the byline an article carries, and /api/v1/authors/ (list and detail).

Anonymous callers and programs see only `Author.objects.public()` (authors named on a live
story); any other author's detail is 404 to them, whatever its id. Editors (the
`articles.view_article` permission, as for unpublished articles) see every author.
"""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from apikit.conditional import ETagMixin
from apikit.errors import ErrorSerializer
from apikit.negotiation import QueryFormatFreeNegotiation
from apikit.pagination import KeysetCursorPagination
from apikit.schema import NewsroomAutoSchema
from articles.api.editorial.reads import may_read_unpublished
from articles.api.surrogate import SurrogateKeysMixin
from articles.authors import BYLINE_ORDER
from articles.authors import byline_prefetch as byline_prefetch_into
from articles.models import Author, Byline
from media.renditions import prefetch_for
from media.serializers import MediaSummarySerializer
from urlkit.absolute_urls import absolute_url

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
# Where a listed article keeps its byline rows (with their authors), read for a whole page at once.
BYLINE_ATTRIBUTE = "api_bylines"


def byline_prefetch() -> Prefetch:
    """For a list of articles: each one's byline rows with their authors, in order, one query."""
    return byline_prefetch_into(BYLINE_ATTRIBUTE)


def byline_of(article) -> list[Author]:
    """`article`'s authors in byline order (prefetched with `byline_prefetch`, else one query)."""
    rows = getattr(article, BYLINE_ATTRIBUTE, None)
    if rows is None:
        rows = Byline.objects.filter(article_id=article.pk).select_related("author").order_by(*BYLINE_ORDER)
    return [row.author for row in rows]


@extend_schema_field(OpenApiTypes.URI)
class AuthorWebUrlField(serializers.Field):
    """The absolute URL of the author's page on the public site."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, author) -> str:
        return absolute_url(author.get_absolute_url(), self.context.get("request"))


class BylineAuthorSerializer(serializers.ModelSerializer):
    """An author as an article's byline names them."""

    web_url = AuthorWebUrlField(help_text="The author's page on the public site.")

    class Meta:
        model = Author
        fields = ["id", "name", "slug", "web_url"]
        read_only_fields = fields


class AuthorSerializer(serializers.ModelSerializer):
    """An author: name, job title, a short bio and a portrait from the media library."""

    web_url = AuthorWebUrlField(help_text="The author's page on the public site.")
    photo = MediaSummarySerializer(allow_null=True, read_only=True, help_text="The author's portrait, or null.")

    class Meta:
        model = Author
        fields = ["id", "name", "slug", "job_title", "bio", "photo", "web_url"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="Authors, by name", responses={200: AuthorSerializer(many=True), **ERRORS}),
    retrieve=extend_schema(summary="One author", responses={200: AuthorSerializer, **ERRORS}),
)
class AuthorViewSet(SurrogateKeysMixin, ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Authors. Everyone reads those named on a live story; editors every author."""

    surrogate_kind = "author"

    schema = NewsroomAutoSchema()
    serializer_class = AuthorSerializer
    pagination_class = KeysetCursorPagination
    content_negotiation_class = QueryFormatFreeNegotiation
    cursor_ordering = [("name", False), ("id", False)]
    queryset = Author.objects.all()

    def get_queryset(self):
        authors = super().get_queryset()
        if not may_read_unpublished(self.request.user):
            authors = authors.public()
        return authors.select_related("photo", "photo__poster").prefetch_related(*prefetch_for("photo"))


def missing_author_ids(ids: list[int]) -> list[int]:
    """Which of `ids` name no author (for validating a client's `author_ids`)."""
    found = set(Author.objects.filter(pk__in=ids).values_list("pk", flat=True))
    return [i for i in ids if i not in found]
