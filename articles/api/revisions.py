"""An article's revisions in the API: /articles/<id>/revisions/, newest first, for staff.

Each entry names who wrote, edited, approved and published the story as of that revision (the
sign-off chain, articles.signoffs) and the status its snapshot recorded. One query, whatever the
number of revisions: the snapshot itself (the whole text) is never read, only its status.
"""

from django.db.models.fields.json import KT
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apikit.errors import ErrorSerializer
from articles.api.draft_shapes import UserSerializer
from articles.api.editorial.reads import may_read_unpublished
from articles.models import Revision
from articles.signoffs import ROLES


class ChainEntrySerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ROLES)
    user = UserSerializer()
    signoff = serializers.CharField(help_text="The person's desk code; empty when they have none.")


class RevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    note = serializers.CharField()
    status = serializers.CharField(allow_null=True, help_text="The story's status as this revision recorded it.")
    chain = ChainEntrySerializer(many=True, help_text="Writer, editor, approver and publisher, in that order.")


def revisions_of(article_id: int):
    return (
        Revision.objects.filter(article_id=article_id)
        .annotate(status=KT("data__status"))
        .only("number", "created_at", "note", "chain")
        .order_by("-number")
    )


class RevisionActionsMixin:
    """The revisions route of ArticleViewSet."""

    @extend_schema(
        summary="An article's revisions, newest first, with their sign-off chains (staff)",
        responses={
            200: RevisionSerializer(many=True),
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None, permission_classes=[IsAuthenticated])
    def revisions(self, request, pk=None):
        article = self.get_object()
        if not may_read_unpublished(request.user):
            self.permission_denied(request, message="Revisions are for the newsroom's staff.")
        return Response(RevisionSerializer(revisions_of(article.pk), many=True).data)
