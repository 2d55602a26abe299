"""The worker's action on a video stored with `processing` pending: measure it and give it a
poster, or mark it with the problem that stopped it.

An action like those of `media.actions` (which re-exports it): it changes the item in one
transaction, writes the audit entry and announces the change, so pages that showed the
"Video processing" placeholder are made again. It lives apart because `media.actions`
enqueues the task that calls it (`media.tasks.process_video`): this module imports neither.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

import changes
from media import ingest, usage
from media.models import MediaItem

GONE = "gone"
MEASURED_FIELDS = ["width", "height", "duration", "codec", "poster"]


class VideoProblem(Exception):
    """A stored video could not be measured; the item is marked failed with this message."""


def measure_video(*, actor, item_id: int) -> tuple[str, int | None]:
    """Probe the stored file of the video `item_id`, then record its size, duration and codec
    and give it a poster (a new image item) in one short transaction. Returns (outcome, poster
    id): "measured"; "gone" for an item deleted, or given another file (whose own task
    follows), meanwhile; "nothing to do" for one that no longer waits. Runs again on a video
    that failed before (a retry).

    A file that is not a usable video marks the item failed with the problem, which editors
    see on it, and raises VideoProblem. The file is read outside any transaction, so the
    database is never locked while frames are decoded."""
    item = MediaItem.objects.filter(pk=item_id, kind=MediaItem.Kind.VIDEO).first()
    if item is None:
        return GONE, None
    if not item.processing:
        return "nothing to do", None
    name = item.file.name
    try:
        info = ingest.measure_stored_video(item)
    except ValidationError as exc:
        return _failed(actor, item_id, name, " ".join(exc.messages))
    except FileNotFoundError:
        return _failed(actor, item_id, name, "The stored video file could not be found.")
    except Exception as exc:  # anything else: editors must not wait on "Video processing" forever
        return _failed(actor, item_id, name, f"Processing stopped on an unexpected error ({type(exc).__name__}).")
    with transaction.atomic():
        item = _still_waiting(item_id, name)
        if item is None:
            return GONE, None
        item = ingest.apply_video_info(item, info)
        _record(actor, item, fields=MEASURED_FIELDS)
        changes.announce(media={pk for pk in (item.pk, item.poster_id) if pk})
    return "measured", item.poster_id


def _still_waiting(item_id: int, name: str) -> MediaItem | None:
    """The video `item_id`, locked, if it still waits to be measured with the file `name`."""
    item = MediaItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None or not item.processing or item.file.name != name:
        return None
    return item


def _failed(actor, item_id: int, name: str, problem: str) -> tuple[str, None]:
    """Mark the video failed with `problem` and raise VideoProblem; ("gone", None) when it no
    longer waits."""
    with transaction.atomic():
        item = _still_waiting(item_id, name)
        if item is None:
            return GONE, None
        item.processing, item.problem = MediaItem.Processing.FAILED, problem
        item.save(update_fields=["processing", "problem"])
        _record(actor, item, fields=["processing"], problem=problem)
        changes.announce(media={item.pk})
    raise VideoProblem(f"Media item {item_id}: {problem}")


def _record(actor, item: MediaItem, **details) -> None:
    usage.record(actor=actor, action="media_edit", object_repr=str(item), details={"media_id": item.pk, **details})
