"""The media library's background work, run by the task worker (Django's `django.tasks`; see
TASKS in newsroom/settings.py): measuring an uploaded video and making its poster, and making
an image's renditions ahead of the first page that shows them.

Uploads answer as soon as the file is stored; `media.actions` then asks for this work with
`enqueue_after_commit`, so a task never runs before the rows it reads exist, and never for a
change that was rolled back. Every task takes an item id and is safe to run again or late:
work already done is skipped, and an item deleted meanwhile ends the task quietly ("gone").
Each returns a short word saying what it did, which the task results list shows.
"""

import logging

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.tasks import task

from media.models import MediaItem
from media.processing import GONE, measure_video
from media.renditions import make_all, source_of

log = logging.getLogger("newsroom.media")


def enqueue_after_commit(media_task, *args) -> None:
    """Enqueue `media_task(*args)` once the current transaction commits (at once outside one).

    A queue that cannot be reached (Redis down) is logged, never raised: the change is already
    stored, renditions are still made on a page's first request, and a video left processing
    can be sent again from the media admin ("Process again")."""

    def enqueue():
        try:
            media_task.enqueue(*args)
        except Exception:
            log.exception("Could not enqueue %s%r; it can be run again from the media admin", media_task.name, args)

    transaction.on_commit(enqueue)


@task()
def process_video(item_id: int) -> str:
    """Measure the stored video `item_id` (size, duration, codec) and make its poster.

    A video that turns out unusable is marked with the problem (shown to editors) and the task
    fails, so it is listed among failed tasks; "Retry" there runs it again. The poster's
    renditions are then made by a task of their own."""
    outcome, poster_id = measure_video(actor=None, item_id=item_id)
    if poster_id is not None:
        enqueue_after_commit(make_renditions, poster_id)
    return outcome


@task()
def make_renditions(item_id: int) -> str:
    """Make every missing rendition of `item_id` (a video's poster stands for the video), so
    that the first reader of a page gets stored files instead of waiting for them."""
    item = MediaItem.objects.select_related("poster").filter(pk=item_id).first()
    if item is None:
        return GONE
    if source_of(item) is None:
        return "no image"
    try:
        made = make_all(item)
    except (ObjectDoesNotExist, FileNotFoundError):
        if not MediaItem.objects.filter(pk=item_id).exists():
            return GONE  # deleted while its renditions were being made
        raise
    return f"{len(made)} renditions"
