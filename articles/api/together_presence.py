"""Who has a story open in the desk: `GET|POST|DELETE /api/v1/articles/<id>/presence/` and
`POST /api/v1/articles/<id>/presence/take-over/` (articles.actions.presence).

The change form calls in with POST every few seconds (the heartbeat); the answer says who else
is in, who holds the story, and whether someone took it over from the caller.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from articles import actions
from articles.api.together_access import ARTICLE_ID, ERRORS, PersonSerializer, StoryView


class PresenceSerializer(serializers.Serializer):
    """Someone with the story open: who, since when (this stay), and their last call in."""

    user = PersonSerializer(read_only=True)
    since = serializers.DateTimeField(read_only=True)
    last_seen = serializers.DateTimeField(read_only=True)


class TakenOverSerializer(serializers.Serializer):
    user = PersonSerializer(read_only=True, help_text="Who took the story over.")
    at = serializers.DateTimeField(read_only=True)


class CheckInSerializer(serializers.Serializer):
    """The body of a call in (optional)."""

    opening = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True when the form was just loaded: a new stay starts, and an earlier take-over no longer applies.",
    )


class PresenceStateSerializer(serializers.Serializer):
    """What a call in answers: everyone in, the holder, and whether the caller was taken over."""

    present = PresenceSerializer(many=True, read_only=True)
    holder = PersonSerializer(read_only=True, allow_null=True, help_text="Who holds the story (null: nobody).")
    taken_over_by = TakenOverSerializer(
        read_only=True, allow_null=True, help_text="Set when someone took the story over from the caller."
    )


def presence_state(user, article) -> dict:
    """The call-in answer for `user`: everyone in, the holder, and whether `user` was taken over."""
    rows = actions.present(article)
    mine = next((row for row in rows if row.user_id == user.pk), None)
    taken = None
    if mine is not None and mine.taken_over_by_id is not None:
        taken = {"user": mine.taken_over_by, "at": mine.taken_over_at}
    return {"present": rows, "holder": actions.holder(rows), "taken_over_by": taken}


class PresenceView(StoryView):
    """Who has the story open now (earliest first), calling in, and leaving."""

    @extend_schema(
        summary="Who has the story open in the desk now (earliest first)",
        parameters=[ARTICLE_ID],
        responses={200: PresenceSerializer(many=True), **ERRORS},
    )
    def get(self, request, id):
        rows = actions.present(self.story())
        return Response(PresenceSerializer(rows, many=True).data)

    @extend_schema(
        summary="Call in: the caller has the story open (the form's heartbeat)",
        parameters=[ARTICLE_ID],
        request=CheckInSerializer,
        responses={200: PresenceStateSerializer, **ERRORS},
    )
    def post(self, request, id):
        article = self.story()
        body = CheckInSerializer(data=request.data if isinstance(request.data, dict) else {})
        body.is_valid(raise_exception=True)
        actions.check_in(actor=request.user, article=article, opening=body.validated_data["opening"])
        return Response(PresenceStateSerializer(presence_state(request.user, article)).data)

    @extend_schema(
        summary="Leave: the caller closed the story", parameters=[ARTICLE_ID], responses={204: None, **ERRORS}
    )
    def delete(self, request, id):
        actions.leave(actor=request.user, article=self.story())
        return Response(status=status.HTTP_204_NO_CONTENT)


class TakeOverView(StoryView):
    """Take the story over from whoever else has it open."""

    @extend_schema(
        summary="Take the story over from everyone else who has it open",
        description="They are told on their next call in, and their next save in the desk is refused.",
        parameters=[ARTICLE_ID],
        request=None,
        responses={200: PresenceStateSerializer, **ERRORS},
    )
    def post(self, request, id):
        article = self.story()
        actions.take_over(actor=request.user, article=article)
        return Response(PresenceStateSerializer(presence_state(request.user, article)).data)
