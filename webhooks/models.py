"""Webhook endpoints, the outbox of events, and the delivery log (one row per event and endpoint)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class EventType(models.TextChoices):
    """What a receiver can subscribe to (the names are `changes.EVENTS`)."""

    ARTICLE_PUBLISHED = "article.published", "Article published (or a scheduled one went live)"
    ARTICLE_UPDATED = "article.updated", "Live article changed"
    ARTICLE_UNPUBLISHED = "article.unpublished", "Article unpublished, archived or deleted"
    ARTICLE_CORRECTED = "article.corrected", "Correction added to a live article"
    MEDIA_UPDATED = "media.updated", "Public media item changed"


class Endpoint(models.Model):
    """A URL that receives signed POSTs for the events it subscribes to."""

    url = models.URLField(
        "URL",
        max_length=500,
        help_text="Where events are POSTed, e.g. https://partner.example.org/newsroom-hook. "
        "Addresses of our own network (private, loopback, link-local) are refused.",
    )
    description = models.CharField(max_length=200, blank=True, help_text="Who this is for, in a few words.")
    secret = models.CharField(
        max_length=120,
        help_text="The signing secret (whsec_…). Give it to the receiver so it can check that a "
        "delivery comes from us. Leave empty and one is made for you.",
    )
    events = models.JSONField(
        default=list,
        help_text="The events sent to this URL (article.published, article.updated, "
        "article.unpublished, article.corrected, media.updated).",
    )
    active = models.BooleanField(default=True, help_text="Untick to stop sending (waiting deliveries wait).")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    # While a worker sends to this endpoint, until when it holds it (no second worker sends).
    busy_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.url

    def wants(self, event_type: str) -> bool:
        return self.active and event_type in (self.events or [])


class Event(models.Model):
    """One event in the outbox, written in the transaction of the change it reports.

    It waits until `due_at` (now, or the second a scheduled story goes live), is then turned into
    one delivery per subscribed endpoint with its body fixed (`body`), or skipped (`note` says why).
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        SENT = "sent", "Handed to endpoints"
        SKIPPED = "skipped", "Skipped"

    type = models.CharField(max_length=40, choices=EventType)
    article_id = models.BigIntegerField(null=True, blank=True, help_text="The story's id (kept after deletion).")
    media_id = models.BigIntegerField(null=True, blank=True, help_text="The media item's id.")
    occurred_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.WAITING)
    message_id = models.CharField(max_length=40, unique=True, editable=False)
    body = models.TextField(blank=True, help_text="The JSON sent, fixed when the event was handed out.")
    dispatched_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["article_id", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(article_id__isnull=True) ^ Q(media_id__isnull=True),
                name="webhooks_event_one_object",
            ),
            models.CheckConstraint(condition=Q(type__in=EventType.values), name="webhooks_event_known_type"),
        ]

    def __str__(self):
        subject = f"article {self.article_id}" if self.article_id is not None else f"media {self.media_id}"
        return f"{self.type} ({subject})"

    def save(self, *args, **kwargs):
        if not self.message_id:
            self.message_id = f"msg_{uuid.uuid4().hex}"
        super().save(*args, **kwargs)


class Delivery(models.Model):
    """The delivery log: one event to one endpoint, its attempts and the last answer."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RETRYING = "retrying", "Failing, will retry"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Given up"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=300, blank=True, help_text="The start of the receiver's answer.")
    error = models.CharField(max_length=300, blank=True, help_text="Why the last attempt failed.")

    class Meta:
        ordering = ["-pk"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["endpoint", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhooks_delivery_once"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "retrying", "delivered", "failed"]), name="webhooks_delivery_status"
            ),
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint}"

    OPEN = (Status.PENDING, Status.RETRYING)
