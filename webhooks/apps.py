from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import changes
        from webhooks.outbox import record

        # Every event an action emits is written to the outbox in that action's transaction.
        changes.record_events(record)
