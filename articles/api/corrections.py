"""Corrections as public data: `GET|POST /api/v1/articles/<id>/corrections/`
(articles.actions.add_correction).

A correction is `{"kind", "text", "published_at"}`, kind one of `correction`, `clarification`,
`update`. Anyone reads those of a live story, oldest first, as the article detail's
`corrections` shows them; editors who may publish add one with a POST (no If-Match: a
correction changes neither the story's text nor its version), dated by the server.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from apikit.errors import ErrorSerializer
from apikit.negotiation import QueryFormatFreeNegotiation
from apikit.schema import NewsroomAutoSchema
from apikit.strict_writes import StrictFieldsMixin
from articles import actions
from articles.api.editorial.reads import readable_articles
from articles.api.serializers import CorrectionSerializer
from articles.api.together_access import ARTICLE_ID
from articles.corrections import MAX_CORRECTION_LENGTH, Correction
from articles.models import Article

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
NOT_FOUND = "No article at this URL."


class CorrectionWriteSerializer(StrictFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=Correction.Kind.choices)
    text = serializers.CharField(
        max_length=MAX_CORRECTION_LENGTH,
        trim_whitespace=True,
        help_text="Plain text: what was wrong and what is right, as readers will read it.",
    )


class NotLive(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Only a published story takes corrections; change this one directly instead."
    default_code = "not_published"


class CorrectionsView(APIView):
    """A live story's corrections, and adding one."""

    schema = NewsroomAutoSchema()
    content_negotiation_class = QueryFormatFreeNegotiation
    permission_classes = [IsAuthenticatedOrReadOnly]

    def story(self, queryset) -> Article:
        article = queryset.filter(pk=self.kwargs["id"]).first()
        if article is None:
            raise NotFound(NOT_FOUND)
        return article

    @extend_schema(
        summary="A live story's corrections, oldest first",
        parameters=[ARTICLE_ID],
        responses={200: CorrectionSerializer(many=True), 404: ErrorSerializer},
    )
    def get(self, request, id):
        article = self.story(Article.objects.live())
        return Response(CorrectionSerializer(article.corrections.order_by("published_at", "id"), many=True).data)

    @extend_schema(
        summary="Publish a correction, clarification or update of a live story",
        description="Needs the right to publish. Dated by the server; never edited or removed afterwards. "
        "409 for a story that is not published.",
        parameters=[ARTICLE_ID],
        request=CorrectionWriteSerializer,
        responses={201: CorrectionSerializer, 409: ErrorSerializer, **ERRORS},
    )
    def post(self, request, id):
        article = self.story(readable_articles(request.user))
        body = CorrectionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            correction = actions.add_correction(actor=request.user, article=article, **body.validated_data)
        except actions.NotLive as exc:
            raise NotLive() from exc
        return Response(CorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)
