"""Staff notes on a story: `GET|POST /api/v1/articles/<id>/notes/` (articles.actions.notes).

A note is `{"id", "author", "body", "created_at", "parent", "mentions"}`: `author` is the person
who wrote it (null once their account is deleted), `body` the plain text as written, `parent`
the id of the note it answers (null for a new thread), and `mentions` the people its
@usernames name, each as `{"id", "username", "name"}`. The list runs oldest first, so that a
thread reads in order. Only the desk's staff read or write notes; no public surface shows them.
"""

from django.db.models import Prefetch
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from apikit.strict_writes import StrictFieldsMixin
from articles import actions
from articles.actions.notes import MAX_NOTE_LENGTH
from articles.api.together_access import ARTICLE_ID, ERRORS, NOT_FOUND, PersonSerializer, StoryView
from articles.models import Note
from urlkit.converters import MAX_ID


class NoteSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True, allow_null=True, help_text="Who wrote it (null: a deleted account).")
    parent = serializers.IntegerField(
        source="parent_id", read_only=True, allow_null=True, help_text="The note this one answers."
    )
    mentions = PersonSerializer(many=True, read_only=True, help_text="The people its @usernames name.")

    class Meta:
        model = Note
        fields = ["id", "author", "body", "created_at", "parent", "mentions"]
        read_only_fields = fields


class NoteWriteSerializer(StrictFieldsMixin, serializers.Serializer):
    body = serializers.CharField(
        max_length=MAX_NOTE_LENGTH, trim_whitespace=True, help_text="Plain text; @username mentions a colleague."
    )
    parent = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID, help_text="The note this one answers."
    )


def notes_of(article):
    """`article`'s notes, oldest first, with authors and mentions (two queries whatever their number)."""
    return (
        Note.objects.filter(article=article)
        .select_related("author")
        .prefetch_related(Prefetch("mentions"))
        .order_by("created_at", "id")
    )


class NotesView(StoryView):
    """The story's notes, and adding one."""

    @cached_property
    def readable(self) -> bool:
        return actions.may_read_notes(self.request.user)

    def story(self):
        if not self.readable:
            raise NotFound(NOT_FOUND)
        return super().story()

    @extend_schema(
        summary="The desk's notes on a story, oldest first",
        parameters=[ARTICLE_ID],
        responses={200: NoteSerializer(many=True), **ERRORS},
    )
    def get(self, request, id):
        return Response(NoteSerializer(notes_of(self.story()), many=True).data)

    @extend_schema(
        summary="Add a note, or a reply to one",
        parameters=[ARTICLE_ID],
        request=NoteWriteSerializer,
        responses={201: NoteSerializer, **ERRORS},
    )
    def post(self, request, id):
        article = self.story()
        body = NoteWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        parent = None
        parent_id = body.validated_data.get("parent")
        if parent_id is not None:
            parent = Note.objects.filter(pk=parent_id).first()
            if parent is None:
                raise ValidationError({"parent": [f"There is no note {parent_id}."]})
        note = actions.add_note(actor=request.user, article=article, body=body.validated_data["body"], parent=parent)
        return Response(NoteSerializer(notes_of(article).get(pk=note.pk)).data, status=status.HTTP_201_CREATED)
