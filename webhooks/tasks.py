"""The webhooks' background tasks (Django's `django.tasks`, run by the project's task worker).

`dispatch_events` hands out due outbox events (webhooks.outbox); `deliver` sends one endpoint's
deliveries in order (webhooks.delivering). Both are safe to run twice, late or at once in two
workers: each finds its own work in the database and claims it there. Retries and scheduled
stories are tasks enqueued to run later (`run_after`): the Redis queue needs its worker started
with `--with-scheduler` for those (scripts/with-worker does).
"""

import logging
from datetime import datetime

from django.db import transaction
from django.tasks import task

log = logging.getLogger("newsroom.webhooks")


def run_after_commit(webhook_task, *args, run_after: datetime | None = None) -> None:
    """Enqueue `webhook_task(*args)` once the transaction commits (at `run_after` if given).

    A queue that cannot be reached is logged, never raised: the work stays in the database
    and the next event, or the admin's "Send again", picks it up."""

    def enqueue():
        try:
            (webhook_task.using(run_after=run_after) if run_after else webhook_task).enqueue(*args)
        except Exception:
            log.exception("Could not enqueue %s%r", webhook_task.name, args)

    transaction.on_commit(enqueue)


@task()
def dispatch_events() -> str:
    """Turn due outbox events into deliveries, oldest first."""
    from webhooks.outbox import dispatch_due

    return f"{dispatch_due()} events"


@task()
def deliver(endpoint_id: int) -> str:
    """Send the endpoint's open deliveries in order until one fails or none is left."""
    from webhooks.delivering import deliver_endpoint

    return f"{deliver_endpoint(endpoint_id)} attempts"
