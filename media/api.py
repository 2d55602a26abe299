"""The media library in the JSON API: list, read, upload (validated like the admin), describe, delete.

Every change is made by its `media.actions` function (checked, audited, announced); the views
turn requests into those calls and errors into answers."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from apikit.conditional import ETagMixin
from apikit.errors import ErrorSerializer
from apikit.pagination import KeysetCursorPagination
from apikit.schema import NewsroomAutoSchema
from media import actions
from media.captions import read_upload as read_captions_upload
from media.captions import validate_language
from media.models import MediaItem
from media.serializers import MediaItemSerializer, MediaUploadSerializer

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class MediaFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MediaItem.Kind.choices, required=False)


class CanChangeMedia(BasePermission):
    """Setting or removing captions is a change to the item, whatever the HTTP method."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("media.change_mediaitem"))


class CaptionsUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="WebVTT captions (.vtt), UTF-8, at most 2 MB.")
    language = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=16,
        help_text="Language of the captions (en, ar, pt-BR…); empty: the article's language.",
    )

    def validate_language(self, value):
        try:
            return validate_language(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


@extend_schema_view(
    list=extend_schema(
        summary="Media items, newest first",
        parameters=[OpenApiParameter("kind", str, enum=MediaItem.Kind.values, description="image or video")],
        responses={200: MediaItemSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(summary="One media item", responses={200: MediaItemSerializer, **ERRORS}),
    create=extend_schema(
        summary="Upload a file",
        request={"multipart/form-data": MediaUploadSerializer},
        responses={201: MediaItemSerializer, 200: MediaItemSerializer, **ERRORS},
        description="The file is checked by its content, exactly as in the admin. Uploading bytes the "
        "library already holds answers 200 with that item instead of storing a copy.",
    ),
    update=extend_schema(summary="Replace an item's descriptions", responses={200: MediaItemSerializer, **ERRORS}),
    partial_update=extend_schema(
        summary="Change an item's descriptions", responses={200: MediaItemSerializer, **ERRORS}
    ),
    destroy=extend_schema(
        summary="Delete an item",
        description="Refused (400) while an article or video still uses it.",
        responses={204: None, **ERRORS},
    ),
)
class MediaViewSet(ETagMixin, viewsets.ModelViewSet):
    """Images and videos. Writes need the media model permissions (add/change/delete)."""

    schema = NewsroomAutoSchema()
    serializer_class = MediaItemSerializer
    pagination_class = KeysetCursorPagination
    cursor_ordering = [("uploaded_at", True), ("id", True)]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    queryset = MediaItem.objects.all()

    def get_queryset(self):
        """Everything for staff who may view the library; for anyone else only public items
        (marked public or used by a live story), so unpublished media are a 404 like a
        missing id."""
        items = MediaItem.objects.select_related("poster").prefetch_related("renditions", "poster__renditions")
        user = self.request.user
        if user and user.is_authenticated and user.has_perm("media.view_mediaitem"):
            return items
        return items.public()

    def get_serializer_class(self):
        return MediaUploadSerializer if self.action == "create" else MediaItemSerializer

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filters = MediaFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        kind = filters.validated_data.get("kind")
        return queryset.filter(kind=kind) if kind else queryset

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "file" and v not in (None, "")}
        upload = serializer.validated_data["file"]
        try:
            # Never read whole: hashed in chunks, a video handled in its temporary file.
            item, created = actions.create_media(actor=request.user, upload=upload, filename=upload.name, **fields)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        item = self.get_queryset().get(pk=item.pk)
        body = MediaItemSerializer(item, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def perform_update(self, serializer):
        actions.update_media(actor=self.request.user, item=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        actions.delete_media(actor=self.request.user, item=instance)

    @extend_schema(
        methods=["PUT"],
        summary="Set a video's captions",
        request={"multipart/form-data": CaptionsUploadSerializer},
        responses={200: MediaItemSerializer, **ERRORS},
        description="A WebVTT file, checked as in the admin (errors name the line at fault). Replaces "
        "earlier captions; the player on article pages offers them at once.",
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove a video's captions",
        request=None,
        responses={200: MediaItemSerializer, **ERRORS},
    )
    @action(
        detail=True,
        methods=["put", "delete"],
        permission_classes=[CanChangeMedia],
        parser_classes=[MultiPartParser, FormParser],
    )
    def captions(self, request, pk=None):
        item = self.get_object()
        if not item.is_video:
            raise ValidationError({"detail": "Only a video has captions."})
        actions.check_may_change(request.user, item)  # refused before any file is read
        if request.method == "DELETE":
            actions.remove_captions(actor=request.user, item=item)
        else:
            upload = CaptionsUploadSerializer(data=request.data)
            upload.is_valid(raise_exception=True)
            try:
                data = read_captions_upload(upload.validated_data["file"])
            except DjangoValidationError as exc:
                raise ValidationError({"file": exc.messages}) from exc
            language = upload.validated_data.get("language", "")
            actions.attach_captions(actor=request.user, item=item, data=data, language=language)
        item = self.get_queryset().get(pk=item.pk)
        return Response(MediaItemSerializer(item, context=self.get_serializer_context()).data)
