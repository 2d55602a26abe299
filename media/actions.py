"""The one write door of the media library: every change to an item is one of these functions,
called alike by the admin, the API, the importer, the demo loader and scripts.

Each is keyword-only and atomic: it checks that `actor` may make the change (`media.permissions`;
`actor=None` is the system), makes it, writes the audit entry through the app that keeps the
audit log (`media.usage.record`) and announces what it touched (`changes.announce(media=…)`),
which listeners such as the page cache hear once the transaction has committed and never when
it rolls back. Files leave storage only after the commit. The steps themselves live beside:
`media.ingest` (checking and storing files), `media.captions`, `media.renditions`. Work too slow
for a request is asked of the task worker after the commit (`media.tasks`): measuring an
uploaded video and making its poster (the action `measure_video`, in `media.processing`), and
making an image's renditions.
"""

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

import changes
from media import captions, ingest, tasks, usage
from media.file_kinds import check_upload_size
from media.files import upload_digest, upload_size
from media.models import MediaItem
from media.permissions import (
    check_may_add,
    check_may_change,
    check_may_delete,
    check_may_mark_public,
    may_change,
)
from media.processing import VideoProblem, measure_video
from media.renditions import discard

__all__ = [
    "MediaInUse",
    "VideoProblem",
    "attach_captions",
    "check_may_change",
    "check_may_mark_public",
    "create_media",
    "create_references",
    "delete_media",
    "measure_video",
    "may_change",
    "remove_captions",
    "replace_file",
    "set_focal_point",
    "update_media",
    "users_of",
]

log = logging.getLogger("newsroom.media")

# What a person (admin, API) or a loader may set on an item, by field name; the file, the
# measured facts and the captions file change only through their own actions.
# The descriptions a new item takes with its file, in the order forms show them.
DESCRIPTION_FIELDS = (
    "title",
    "caption",
    "alt_text",
    "credit",
    "copyright_holder",
    "usage_terms",
    "licence_expires",
    "focal_x",
    "focal_y",
    "legacy_path",
    "public",
)
EDITABLE_FIELDS = frozenset(DESCRIPTION_FIELDS) | {"captions_language", "poster"}
FOCAL_FIELDS = frozenset({"focal_x", "focal_y"})


def _check_fields(values: Mapping, allowed: frozenset) -> None:
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"Not fields a media action sets: {', '.join(sorted(unknown))}.")


def _record(actor, item: MediaItem, action: str, **details) -> None:
    """The audit entry of `action` on `item`, written by the app keeping the audit log."""
    usage.record(actor=actor, action=action, object_repr=str(item), details={"media_id": item.pk, **details})


def _announce(*items: MediaItem | None) -> None:
    changes.announce(media={item.pk for item in items if item is not None and item.pk})


# --- adding items ------------------------------------------------------------------------------


def create_media(
    *,
    actor,
    upload=None,
    data: bytes | None = None,
    path: str | Path | None = None,
    filename: str = "",
    expected_kind: str | None = None,
    **fields,
) -> tuple[MediaItem, bool]:
    """Add the file given as `upload` (an uploaded or any binary file, never read whole into
    memory), `data` (bytes) or `path` (a file on disk, left as it is) to the library, with the
    descriptions in `fields`; returns (item, created).

    The file is checked by its content and cleaned first (`media.ingest`): ValidationError
    ({"file": …}) says what is wrong, and nothing is stored then. When the library already holds
    the same bytes that item is returned with created=False, and nothing changes. Refused
    (PermissionDenied) without the add permission, or when `public` is asked for by someone
    who may not publish. A video gets its poster, made from its frames, as an item of its own:
    an `upload` is stored with `processing` pending and the task worker measures it and makes
    the poster after the commit; `data` or a `path` is measured at once.
    """
    _check_fields(fields, EDITABLE_FIELDS - {"poster"})
    check_may_add(actor)
    if fields.get("public"):
        check_may_mark_public(actor)
    if path is not None:
        data, filename = Path(path).read_bytes(), filename or Path(path).name
    with transaction.atomic():
        if upload is not None:
            item, created = _create_from_upload(upload, filename, expected_kind, fields)
        else:
            item, created = _create_from_bytes(data, filename, expected_kind, fields)
        if created:
            _record(actor, item, "media_add", fields=sorted({"file", *fields}))
            _announce(item, item.poster)
            _ask_worker(item)
    return item, created


def _ask_worker(item: MediaItem) -> None:
    """After the commit, the background work a new file needs: a video left processing is
    measured and given its poster; an image's renditions are made ahead of its first page."""
    if item.processing == MediaItem.Processing.PENDING:
        tasks.enqueue_after_commit(tasks.process_video, item.pk)
    elif not item.is_video and not item.file_missing:
        tasks.enqueue_after_commit(tasks.make_renditions, item.pk)


def _create_from_upload(upload, filename: str, expected_kind: str | None, fields: dict) -> tuple[MediaItem, bool]:
    check_upload_size(upload_size(upload))  # refused by its size before any of it is read
    digest = upload_digest(upload)
    existing = MediaItem.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    item = ingest.ingest_upload(upload, filename=filename, expected_kind=expected_kind, digest=digest, **fields)
    return item, True


def _create_from_bytes(data: bytes, filename: str, expected_kind: str | None, fields: dict) -> tuple[MediaItem, bool]:
    check_upload_size(len(data))
    digest = hashlib.sha256(data).hexdigest()
    existing = MediaItem.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    item = ingest.ingest_bytes(data, filename=filename, expected_kind=expected_kind, digest=digest, **fields)
    return item, True


def create_references(
    *,
    actor,
    references: Sequence[Mapping],
    insert: Callable[[list[dict]], list[int]] | None = None,
    record: Callable[..., None] | None = None,
    announce: Callable[[list[int]], None] | None = None,
) -> list[int]:
    """Add many items known only by reference (no file yet: `file_missing`) at once, such as the
    pictures an archive names by path before their files arrive; returns their ids in order.
    One audit entry and one announcement for all of them.

    `references`: the field values of each (kind, legacy_path, title, uploaded_at…).

    A caller that adds references in many small transactions (the importer, a page at a time)
    can write them its own way, with what this action decides to write unchanged:
    `insert` (rows) -> ids, a multi-row insert of its own (the importer's prepared statement;
    Django's bulk_create otherwise); `record` (*, actor, action, object_repr, details), the audit
    entry added to its own multi-row insert (`media.usage.record` otherwise); `announce` (ids),
    called in place of `changes.announce(media=ids)`: the caller then announces them, gathered
    with others, once its transaction has committed.
    """
    if not references:
        return []
    _check_fields(references[0], EDITABLE_FIELDS | {"kind", "uploaded_at", "file_missing"})
    check_may_add(actor)
    rows = [{**reference, "file_missing": True} for reference in references]
    # No savepoint of its own: this is called once per page inside the importer's transaction,
    # and a failure here fails that whole transaction anyway.
    with transaction.atomic(savepoint=False):
        ids = insert(rows) if insert is not None else _bulk_insert(rows)
        (record or usage.record)(
            actor=actor,
            action="media_add",
            object_repr=_references_label(rows),
            details={"media_ids": ids, "file_missing": True},
        )
        (announce or _announce_ids)(ids)
    return ids


def _bulk_insert(rows: list[dict]) -> list[int]:
    return [item.pk for item in MediaItem.objects.bulk_create([MediaItem(**row) for row in rows])]


def _references_label(rows: list[dict]) -> str:
    """How an audit entry names new references: the one's path or title, or how many."""
    if len(rows) == 1 and (rows[0].get("legacy_path") or rows[0].get("title")):
        return rows[0].get("legacy_path") or rows[0]["title"]
    return f"{len(rows)} media items known by reference"


def _announce_ids(ids: list[int]) -> None:
    changes.announce(media=ids)


# --- changing items ------------------------------------------------------------------------------


def update_media(*, actor, item: MediaItem, **values) -> MediaItem:
    """Set the descriptions, rights, focal point, poster or `public` flag of `item` to `values`
    (field names as stored: title, caption, alt_text, credit, copyright_holder, usage_terms,
    licence_expires, focal_x, focal_y, legacy_path, public, captions_language, poster).

    Only what differs is saved and audited; when nothing does, nothing is written. Moving the
    focal point discards the crops made around the old one. Refused (PermissionDenied) unless
    `actor` may change the item, and for `public` unless they may publish. `item` is updated
    in place and returned.
    """
    _check_fields(values, EDITABLE_FIELDS)
    check_may_change(actor, item)
    changed = sorted(name for name, value in values.items() if getattr(item, name) != value)
    if "public" in changed:
        check_may_mark_public(actor)
    if not changed:
        return item
    with transaction.atomic():
        for name in changed:
            setattr(item, name, values[name])
        item.save(update_fields=changed)
        if FOCAL_FIELDS.intersection(changed):
            discard(item, crops_only=True)
            tasks.enqueue_after_commit(tasks.make_renditions, item.pk)
        _record(actor, item, "media_edit", fields=changed)
        _announce(item)
        changes.emit("media.updated", media=item.pk)
    return item


def set_focal_point(*, actor, item: MediaItem, x: float, y: float) -> MediaItem:
    """Put `item`'s focal point at (x, y), fractions of its width and height from the top left:
    crops keep it in frame, and those made around the old point are discarded. ValidationError
    for a point outside the image; otherwise as `update_media`."""
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise ValidationError({"focal_x": "The focal point must lie inside the image (0 to 1 each way)."})
    return update_media(actor=actor, item=item, focal_x=x, focal_y=y)


def replace_file(
    *, actor, item: MediaItem, upload=None, data: bytes | None = None, path: str | Path | None = None
) -> MediaItem:
    """Give `item` its file, from `upload`, `data` or `path` as for `create_media`: typically an
    item known only by reference whose file has arrived. The file must be of the item's kind.
    When another item holds the same bytes, `item` shares its stored file. A file the item had
    before leaves storage after the commit (unless another item shares it), and so do the
    renditions made from it. Refused unless `actor` may change the item."""
    check_may_change(actor, item)
    if path is not None:
        data = Path(path).read_bytes()
    with transaction.atomic():
        old = _own_files(item) if item.file and not item.file_missing else []
        if upload is not None:
            item = ingest.attach_upload(item, upload)
        else:
            item = ingest.attach_file(item, data)
        if old:
            discard(item)
            transaction.on_commit(lambda: _remove(old))
        _record(actor, item, "media_edit", fields=["file"])
        _announce(item)
        changes.emit("media.updated", media=item.pk)
        _ask_worker(item)
    return item


def attach_captions(*, actor, item: MediaItem, data: bytes, language: str = "") -> MediaItem:
    """Give the video `item` the WebVTT captions `data` (replacing earlier ones, whose file
    leaves storage after the commit); `language` when it is not the articles' language.
    ValidationError({"captions": …}) saying what is wrong with the file; PermissionDenied
    unless `actor` may change the item."""
    check_may_change(actor, item)
    with transaction.atomic():
        captions.store_captions(item, data, language=language)
        _record(actor, item, "media_edit", fields=["captions", "captions_language"])
        _announce(item)
        changes.emit("media.updated", media=item.pk)
    return item


def remove_captions(*, actor, item: MediaItem) -> MediaItem:
    """Take the captions off `item` (nothing is written when it has none); the file leaves
    storage after the commit. PermissionDenied unless `actor` may change the item."""
    check_may_change(actor, item)
    if not item.captions:
        return item
    with transaction.atomic():
        captions.drop_captions(item)
        _record(actor, item, "media_edit", fields=["captions"])
        _announce(item)
        changes.emit("media.updated", media=item.pk)
    return item


# --- deleting items ------------------------------------------------------------------------------


class MediaInUse(ValidationError):
    """Deletion refused: the item is used. `users` lists who uses it, for messages."""

    def __init__(self, item: MediaItem, users: list[str]):
        self.item = item
        self.users = users
        super().__init__(
            f"“{item}” cannot be deleted: it is used by {', '.join(users)}. Remove it from these first.",
            code="in_use",
        )


def users_of(item: MediaItem) -> list[str]:
    """Everything that keeps `item` from being deleted, described for people."""
    users = [str(use) for use in usage.usages(item)]
    users += [f"the video “{video}” (as its poster)" for video in usage.posters_in_use(item)]
    return users


def _own_files(item: MediaItem) -> list:
    """(storage, name) of the item's file and renditions that no other item shares, and of its
    captions."""
    files = [(r.file.storage, r.file.name) for r in item.renditions.all()]
    if item.captions:
        files.append((item.captions.storage, item.captions.name))
    if item.file and not MediaItem.objects.filter(file=item.file.name).exclude(pk=item.pk).exists():
        files.append((item.file.storage, item.file.name))
    return files


def _remove(files: list) -> None:
    for storage, name in files:
        storage.delete(name)


def _delete_one(actor, item: MediaItem, **details) -> list:
    """Audit and delete `item`; the (storage, name) of the files to remove after the commit."""
    files = _own_files(item)
    usage.record(actor=actor, action="media_delete", object_repr=str(item), details={"media_id": item.pk, **details})
    item.delete()
    return files


def delete_media(*, actor, item: MediaItem) -> None:
    """Delete `item`, its renditions and its file, unless something uses it.

    Raises PermissionDenied without `media.delete_mediaitem`, and MediaInUse (a
    ValidationError) listing the articles and videos using it. A video's automatic poster
    goes with it when nothing else uses that poster.
    """
    check_may_delete(actor)
    with transaction.atomic():
        item = MediaItem.objects.select_for_update().get(pk=item.pk)
        users = users_of(item)
        if users:
            raise MediaInUse(item, users)
        poster, pk, label = item.poster, item.pk, str(item)
        files = _delete_one(actor, item)
        deleted = {pk}
        if poster is not None and not users_of(poster):
            deleted.add(poster.pk)
            files += _delete_one(actor, poster, poster_of=pk)
        transaction.on_commit(lambda: _remove(files))
        changes.announce(media=deleted)
    log.info("media item %s (“%s”) deleted by %s", pk, label, getattr(actor, "username", "system"))
