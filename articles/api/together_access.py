"""What the working-together endpoints (presence, notes, autosave) share: who may reach them,
the story they are about, and how they name a person.

They are for the desk only. An anonymous caller is asked to sign in (401, whatever the id, as
the working-draft routes do); a signed-in caller who may not read unpublished stories gets the
same 404 as for a story that does not exist, so these URLs never reveal that a story, a note or
a person is there.
"""

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import BasePermission
from rest_framework.views import APIView

from apikit.errors import ErrorSerializer
from apikit.negotiation import QueryFormatFreeNegotiation
from apikit.schema import NewsroomAutoSchema
from articles.api.editorial.reads import may_read_unpublished, readable_articles
from articles.models import Article
from articles.signoffs import person

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
NOT_FOUND = "No article at this URL."
ARTICLE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The article's id.")


class DeskOnly(BasePermission):
    """Staff who may read unpublished stories. Anonymous callers are asked to sign in (401);
    anybody else signed in is told there is nothing here (404)."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            raise NotAuthenticated()
        if not may_read_unpublished(request.user):
            raise NotFound(NOT_FOUND)
        return True


class PersonSerializer(serializers.Serializer):
    """A person of the desk as the API names them (the sign-off chain's shape)."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True, help_text="The full name, or the username when there is none.")

    def to_representation(self, instance):
        return person(instance)


class StoryView(APIView):
    """An endpoint about one story (`id` in the URL), for the desk only."""

    schema = NewsroomAutoSchema()
    content_negotiation_class = QueryFormatFreeNegotiation
    permission_classes = [DeskOnly]

    def story(self) -> Article:
        article = readable_articles(self.request.user).filter(pk=self.kwargs["id"]).first()
        if article is None:
            raise NotFound(NOT_FOUND)
        return article
