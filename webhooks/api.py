"""Webhook endpoints in the JSON API, `/api/v1/webhooks/`: staff only (the webhooks permissions).

The secret is write-only: it is in the answer to the create call (made for you when none is
sent) and never again; send a new one (or "" for a fresh one) to change it. Every change goes
through `webhooks.actions` (checked, audited); a refused URL is a 400 naming `url`.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import DjangoModelPermissions, IsAdminUser
from rest_framework.response import Response

from apikit.errors import ErrorSerializer
from apikit.pagination import KeysetCursorPagination
from apikit.schema import NewsroomAutoSchema
from webhooks import actions
from webhooks.models import Endpoint, EventType

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class StaffWithWebhookRights(DjangoModelPermissions):
    """Staff holding the webhooks model permissions (view for reads)."""

    perms_map = {**DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}


class EndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        allow_empty=False,
        help_text="Events sent to this URL: " + ", ".join(EventType.values) + ".",
    )
    secret = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=120,
        help_text='Signing secret, whsec_ and base64 (24 to 64 bytes). Omit it (or send "") and one is made; '
        "it is shown in the create answer only.",
    )

    class Meta:
        model = Endpoint
        fields = ["id", "url", "description", "events", "active", "secret", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"url": {"validators": []}}  # checked by the action, with a clearer message


class CreatedEndpointSerializer(EndpointSerializer):
    """The create answer: the endpoint with its secret, shown this once."""

    secret = serializers.CharField(read_only=True, help_text="The signing secret; keep it, it is not shown again.")


@extend_schema_view(
    list=extend_schema(
        summary="List webhook endpoints (staff)", responses={200: EndpointSerializer(many=True), **ERRORS}
    ),
    retrieve=extend_schema(summary="Read a webhook endpoint (staff)", responses={200: EndpointSerializer, **ERRORS}),
    create=extend_schema(
        summary="Add a webhook endpoint (staff)",
        request=EndpointSerializer,
        responses={201: CreatedEndpointSerializer, **ERRORS},
    ),
    update=extend_schema(summary="Change a webhook endpoint (staff)", responses={200: EndpointSerializer, **ERRORS}),
    partial_update=extend_schema(
        summary="Change some fields of a webhook endpoint (staff)", responses={200: EndpointSerializer, **ERRORS}
    ),
    destroy=extend_schema(summary="Delete a webhook endpoint (staff)", responses={204: None, **ERRORS}),
)
class WebhookViewSet(viewsets.ModelViewSet):
    """Where signed event notifications are sent (see docs/reference.md, Webhooks)."""

    schema = NewsroomAutoSchema()
    serializer_class = EndpointSerializer
    pagination_class = KeysetCursorPagination
    cursor_ordering = [("created_at", True), ("id", True)]
    permission_classes = [IsAdminUser, StaffWithWebhookRights]
    queryset = Endpoint.objects.all()

    def _call(self, action, **kwargs):
        try:
            return action(actor=self.request.user, **kwargs)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = self._call(actions.create_endpoint, **serializer.validated_data)
        return Response(CreatedEndpointSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        self._call(actions.update_endpoint, endpoint=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        self._call(actions.delete_endpoint, endpoint=instance)
