"""The caller's own autosave of a story: `GET|PUT|DELETE /api/v1/articles/<id>/autosave/`
(articles.actions.autosave).

The change form's script keeps what is typed here every few seconds of idle time: `data` maps
each form field's name to the text typed into it (a list for a field with several values),
`base_version` names the article version the form was opened on. Nobody reads another
person's autosave; it is never a revision and never public.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from apikit.strict_writes import StrictFieldsMixin
from articles import actions
from articles.api.together_access import ARTICLE_ID, ERRORS, StoryView

# A form field's typed value: text, or a list of texts (a multiple choice).
FIELD_VALUE_SCHEMA = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
# A PositiveIntegerField holds up to this on every database.
MAX_VERSION = 2**31 - 1
MAX_FIELDS = 500


@extend_schema_field({"type": "object", "additionalProperties": FIELD_VALUE_SCHEMA})
class FormDataField(serializers.DictField):
    """{form field name: text or list of texts}; NUL characters, which no database stores, refused."""

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if len(data) > MAX_FIELDS:
            raise serializers.ValidationError(f"An autosave holds at most {MAX_FIELDS} form fields.")
        for name, value in data.items():
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(item, str) for item in values):
                raise serializers.ValidationError(f"“{name[:40]}” must be text or a list of texts.")
            if "\x00" in name or any("\x00" in item for item in values):
                raise serializers.ValidationError("Form fields cannot hold the NUL character.")
        return data


class AutosaveSerializer(StrictFieldsMixin, serializers.Serializer):
    data = FormDataField(help_text="Each form field's name and the text typed into it (a list for several values).")
    base_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="The article version the form was opened on.",
    )
    saved_at = serializers.DateTimeField(read_only=True)


class AutosaveView(StoryView):
    """The caller's unsaved text of the story."""

    @extend_schema(
        summary="Your autosaved text of a story (404 when there is none)",
        parameters=[ARTICLE_ID],
        responses={200: AutosaveSerializer, **ERRORS},
    )
    def get(self, request, id):
        saved = actions.autosave_of(actor=request.user, article=self.story())
        if saved is None:
            raise NotFound("You have no autosaved text of this story.")
        return Response(AutosaveSerializer(saved).data)

    @extend_schema(
        summary="Keep what you typed into the story's form (never a revision, never public)",
        parameters=[ARTICLE_ID],
        request=AutosaveSerializer,
        responses={200: AutosaveSerializer, **ERRORS},
    )
    def put(self, request, id):
        article = self.story()
        body = AutosaveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        saved = actions.autosave(
            actor=request.user,
            article=article,
            data=body.validated_data["data"],
            base_version=body.validated_data.get("base_version"),
        )
        return Response(AutosaveSerializer(saved).data)

    @extend_schema(
        summary="Forget your autosaved text of a story", parameters=[ARTICLE_ID], responses={204: None, **ERRORS}
    )
    def delete(self, request, id):
        actions.discard_autosave(actor=request.user, article=self.story())
        return Response(status=status.HTTP_204_NO_CONTENT)
