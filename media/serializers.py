"""JSON shapes of media items: the short form articles embed as `lead_media`, the full library
record, and what a client may write (an upload's file plus the descriptive fields).
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apikit.strict_writes import StrictFieldsMixin
from media.models import MediaItem
from media.renditions import rendition_set
from urlkit.absolute_urls import absolute_url_or_none

RENDITION_SCHEMA = {
    "type": "object",
    "description": 'Every rendition by spec ("w320", "16x9-w640", …): size and a URL per format. '
    "A URL may point at the on-demand maker, which redirects to the stored file.",
    "additionalProperties": {
        "type": "object",
        "properties": {
            "width": {"type": "integer"},
            "height": {"type": "integer"},
            "jpeg": {"type": "string", "format": "uri"},
            "webp": {"type": "string", "format": "uri"},
        },
        "required": ["width", "height", "jpeg", "webp"],
    },
}


class MediaSummarySerializer(serializers.ModelSerializer):
    """What an article shows of its lead media: enough to render a player or a picture."""

    url = serializers.SerializerMethodField(help_text="The original file, or null while it is missing.")
    poster_url = serializers.SerializerMethodField(help_text="A video's still image; null for images.")
    alt = serializers.CharField(source="alt_text", max_length=500, required=False, allow_blank=True)
    renditions = serializers.SerializerMethodField()
    captions = serializers.SerializerMethodField(
        help_text="A video's WebVTT captions: their URL and language (null: the article's language); "
        "null when there are none."
    )

    class Meta:
        model = MediaItem
        fields = [
            "id",
            "kind",
            "url",
            "width",
            "height",
            "duration",
            "poster_url",
            "alt",
            "credit",
            "renditions",
            "captions",
        ]
        read_only_fields = ["id", "kind", "width", "height", "duration"]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, item) -> str | None:
        return absolute_url_or_none(item.url, self.context.get("request"))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_poster_url(self, item) -> str | None:
        poster = item.poster if item.is_video else None
        return absolute_url_or_none(poster.url if poster else None, self.context.get("request"))

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "url": {"type": "string", "format": "uri"},
                "language": {"type": "string", "nullable": True},
            },
            "required": ["url", "language"],
        }
    )
    def get_captions(self, item) -> dict | None:
        if not item.captions:
            return None
        return {
            "url": absolute_url_or_none(item.captions.url, self.context.get("request")),
            "language": item.captions_language or None,
        }

    @extend_schema_field(RENDITION_SCHEMA)
    def get_renditions(self, item) -> dict:
        request = self.context.get("request")
        return {
            spec: {
                key: absolute_url_or_none(value, request) if key in ("jpeg", "webp") else value
                for key, value in entry.items()
            }
            for spec, entry in rendition_set(item).items()
        }


class MediaItemSerializer(StrictFieldsMixin, MediaSummarySerializer):
    """The full library record; the descriptive fields are writable, the measured ones are not."""

    api_url = serializers.SerializerMethodField(help_text="This item in the API.")
    processing = serializers.ChoiceField(
        choices=MediaItem.Processing.choices,
        allow_blank=True,
        read_only=True,
        help_text='"pending" while a video waits for the worker to measure it and make its poster, '
        '"failed" when that went wrong, empty when nothing waits.',
    )
    problem = serializers.SerializerMethodField(
        help_text="What went wrong when the file was processed (empty when nothing did), for those "
        "who may see the whole library; null for anyone else."
    )

    class Meta(MediaSummarySerializer.Meta):
        fields = MediaSummarySerializer.Meta.fields + [
            "api_url",
            "title",
            "caption",
            "copyright_holder",
            "usage_terms",
            "licence_expires",
            "codec",
            "file_size",
            "poster",
            "focal_x",
            "focal_y",
            "legacy_path",
            "file_missing",
            "uploaded_at",
            "public",
            "processing",
            "problem",
        ]
        read_only_fields = MediaSummarySerializer.Meta.read_only_fields + [
            "codec",
            "file_size",
            "poster",
            "legacy_path",
            "file_missing",
            "uploaded_at",
        ]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_problem(self, item) -> str | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return item.problem if user is not None and user.has_perm("media.view_mediaitem") else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, item) -> str:
        return absolute_url_or_none(reverse("media-detail", kwargs={"pk": item.pk}), self.context.get("request"))


class MediaUploadSerializer(MediaItemSerializer):
    """A new item: a multipart `file` (checked by content exactly as in the admin) plus descriptions."""

    file = serializers.FileField(write_only=True, help_text="JPEG, PNG or WebP image, or MP4 video.")

    class Meta(MediaItemSerializer.Meta):
        fields = MediaItemSerializer.Meta.fields + ["file"]
