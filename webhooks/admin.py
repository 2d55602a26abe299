"""The webhooks in the admin, written for editors: endpoints (URL, events, secret) and the
delivery log, with "Send again now" for deliveries that failed or wait for a retry."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from webhooks import actions, delivering, tasks
from webhooks.models import Delivery, Endpoint, EventType


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="What this receiver is told about. Only what readers can see is ever sent.",
    )
    secret = forms.CharField(
        required=False,
        max_length=120,
        help_text="Leave empty: a new secret is made (and shown once saved). Or paste one in the form whsec_… "
        "when the receiver already has it.",
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "active", "secret"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["secret"] = ""  # never drawn into the page's form; see "Signing secret"

    def _post_clean(self):
        # The model's own validation is the action's job (save_model), with its messages.
        pass


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["url", "description", "event_list", "active", "open_deliveries"]
    list_filter = ["active"]
    search_fields = ["url", "description"]
    readonly_fields = ["signing_secret", "created_at", "updated_at"]

    @admin.display(description="events")
    def event_list(self, endpoint):
        return ", ".join(endpoint.events)

    def get_queryset(self, request):
        waiting = Count("deliveries", filter=Q(deliveries__status__in=Delivery.OPEN))
        return super().get_queryset(request).annotate(waiting=waiting)

    @admin.display(description="waiting deliveries", ordering="waiting")
    def open_deliveries(self, endpoint):
        return endpoint.waiting

    @admin.display(description="signing secret")
    def signing_secret(self, endpoint):
        """Shown to staff who may change the endpoint, for the receiver's configuration."""
        return endpoint.secret if endpoint.pk else "Made when you save."

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class Checked(form):
            """Runs the action in clean(), so a refused URL shows next to its field."""

            def clean(self):
                data = super().clean()
                if self.errors:
                    return data
                values = {name: data.get(name) for name in ("url", "description", "events", "active")}
                if data.get("secret") or obj is None:
                    values["secret"] = data.get("secret") or ""
                try:
                    if obj is None:
                        self.saved = actions.create_endpoint(actor=request.user, **values)
                    else:
                        self.saved = actions.update_endpoint(actor=request.user, endpoint=obj, **values)
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items():
                        self.add_error(field if field in self.fields else None, errors)
                return data

        return Checked

    def save_model(self, request, obj, form, change):
        saved = form.saved  # already stored by the action in the form's clean()
        obj.pk = saved.pk
        if not change:
            messages.info(request, f"The signing secret is {saved.secret}; give it to the receiver.")

    def save_related(self, request, form, formsets, change):
        pass

    def delete_model(self, request, obj):
        actions.delete_endpoint(actor=request.user, endpoint=obj)

    def delete_queryset(self, request, queryset):
        for endpoint in queryset:
            actions.delete_endpoint(actor=request.user, endpoint=endpoint)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: each event sent to each endpoint, oldest waiting first on top of its URL."""

    list_display = [
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "response_code",
        "last_attempt_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "event__type", "endpoint"]
    list_select_related = ["event", "endpoint"]
    actions = ["send_again"]
    readonly_fields = [
        "endpoint",
        "event_type",
        "message_id",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "response_code",
        "response_excerpt",
        "error",
        "body",
    ]
    exclude = ["event"]

    @admin.display(description="event", ordering="event__type")
    def event_type(self, delivery):
        return delivery.event.get_type_display()

    @admin.display(description="webhook-id")
    def message_id(self, delivery):
        return delivery.event.message_id

    @admin.display(description="body sent")
    def body(self, delivery):
        return delivery.event.body

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return request.user.has_perm("webhooks.change_endpoint")

    @admin.action(description="Send again now", permissions=["resend"])
    def send_again(self, request, queryset):
        endpoints = delivering.retry_now(list(queryset))
        for endpoint_id in endpoints:
            tasks.run_after_commit(tasks.deliver, endpoint_id)
        self.message_user(request, "The chosen deliveries will be sent again in a moment, in order.")
