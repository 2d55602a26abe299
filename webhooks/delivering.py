"""Sending the deliveries of one endpoint, oldest first, with retries and exponential backoff.

Per endpoint, only the oldest open delivery is ever sent: while it fails, the later ones wait,
so a receiver gets events in the order they happened. A failed attempt is tried again after
`RETRY_DELAYS` (30 s, then doubling to about an hour apart: over four hours in all), then given
up; the next delivery goes ahead. A worker claims an endpoint for the length of one attempt
(`Endpoint.busy_until`, set under a row lock), so two workers never send the same delivery, nor
two deliveries to one endpoint at once.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from webhooks import sending, signing
from webhooks.models import Delivery, Endpoint

log = logging.getLogger("newsroom.webhooks")

# Seconds before each retry: the first within a minute, then roughly doubling; the last of
# them is over four hours after the first attempt.
RETRY_DELAYS = (30, 60, 120, 300, 600, 1200, 2400, 3600, 7200)
# How long one attempt may hold its endpoint (connect and read time out well before).
CLAIM_SECONDS = 60


def retry_delay(attempts: int) -> timedelta | None:
    """The wait after the `attempts`-th failed attempt; None once the retries are used up."""
    if attempts > len(RETRY_DELAYS):
        return None
    return timedelta(seconds=RETRY_DELAYS[attempts - 1])


def _claim(endpoint_id: int):
    """The endpoint's oldest open delivery, claimed, with the endpoint; or None with nothing to
    send now (none open, the oldest waits for its retry, or another worker is sending)."""
    with transaction.atomic():
        endpoint = Endpoint.objects.select_for_update(skip_locked=True).filter(pk=endpoint_id, active=True).first()
        now = timezone.now()
        if endpoint is None or (endpoint.busy_until and endpoint.busy_until > now):
            return None
        head = (
            Delivery.objects.filter(endpoint=endpoint, status__in=Delivery.OPEN)
            .select_related("event")
            .order_by("pk")
            .first()
        )
        if head is None or (head.next_attempt_at and head.next_attempt_at > now):
            return None  # its retry is already asked for, at that moment
        endpoint.busy_until = now + timedelta(seconds=CLAIM_SECONDS)
        endpoint.save(update_fields=["busy_until"])
        return head, endpoint


def _settle(delivery: Delivery, outcome: sending.Outcome) -> bool:
    """Record one attempt's outcome and free the endpoint; True when the next may be sent now."""
    from webhooks import tasks

    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.response_code = outcome.status
        delivery.response_excerpt = outcome.excerpt[:300]
        delivery.error = outcome.error[:300]
        go_on = True
        if outcome.ok:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = Delivery.Status.DELIVERED, now, None
        elif (delay := retry_delay(delivery.attempts)) is None:
            delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
        else:
            delivery.status, delivery.next_attempt_at = Delivery.Status.RETRYING, now + delay
            tasks.run_after_commit(tasks.deliver, delivery.endpoint_id, run_after=delivery.next_attempt_at)
            go_on = False
        delivery.save()
        Endpoint.objects.filter(pk=delivery.endpoint_id).update(busy_until=None)
    return go_on


def attempt(delivery: Delivery, endpoint: Endpoint) -> sending.Outcome:
    """Send `delivery` once (signed for this moment)."""
    body = delivery.event.body.encode()
    timestamp = int(timezone.now().timestamp())
    headers = signing.headers(endpoint.secret, delivery.event.message_id, timestamp, body)
    return sending.post(endpoint.url, body, headers)


def deliver_endpoint(endpoint_id: int) -> int:
    """Send what is open for the endpoint, in order, until none is left or one fails; how many
    attempts were made."""
    made = 0
    while (claimed := _claim(endpoint_id)) is not None:
        delivery, endpoint = claimed
        made += 1
        try:
            outcome = attempt(delivery, endpoint)
        except Exception as exc:  # a bug or a broken secret: log it, and count a failed attempt
            log.exception("Webhook delivery %s failed unexpectedly", delivery.pk)
            outcome = sending.Outcome(ok=False, error=f"Could not send: {exc.__class__.__name__}.")
        if not _settle(delivery, outcome):
            break
    return made


@transaction.atomic
def retry_now(deliveries) -> list[int]:
    """Try these deliveries again at once (the admin's action); the endpoints to wake up.
    Each gets its full set of retries again."""
    ids = [d.pk for d in deliveries if d.status != Delivery.Status.DELIVERED]
    Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    return sorted(set(Delivery.objects.filter(pk__in=ids).values_list("endpoint_id", flat=True)))
