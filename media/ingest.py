"""The steps that turn uploaded bytes into a stored MediaItem: checked by content, cleaned,
measured, deduplicated, written whole.

These are steps, not doors: `media.actions` (create_media, replace_file) calls them inside its
transaction, checks permissions, writes the audit entry and announces the change. Tests and
benchmarks use `ingest_bytes` directly to set up a library.

An uploaded file is never read whole into memory: it is hashed in chunks, a video is checked
and cleaned in its temporary file and copied to storage, and an image is decoded within
MEDIA_MAX_DECODE_BYTES. Refusals are ValidationError({"file": message}).

A video that arrives in a request (`ingest_upload`, `attach_upload`) is checked by its headers
only (`check_video`: milliseconds) and stored with `processing` pending; decoding its frames
for the poster and measuring it is the worker's job (`media.tasks.process_video`, which calls
`measure_stored_video` and `apply_video_info`). Bytes given directly (`ingest_bytes`,
`attach_file`: loaders, scripts, tests) are probed at once unless `defer_probe=True`.
"""

import hashlib
import mmap
import shutil
import tempfile
import uuid
from contextlib import contextmanager

from django.db import IntegrityError, transaction

from media.file_kinds import a_kind, check_upload_size, describe_unaccepted, refuse, sniff, wrong_kind
from media.files import file_length, on_disk, upload_digest, upload_size, write_whole
from media.image_cleaning import clean_image
from media.models import MediaItem
from media.probe import VideoInfo, blank_metadata, check_video, probe_video, strip_metadata

__all__ = [
    "a_kind",
    "attach_file",
    "attach_upload",
    "check_upload_size",
    "clean_image",
    "ingest_bytes",
    "ingest_upload",
    "apply_video_info",
    "measure_stored_video",
    "upload_digest",
    "validate_bytes",
    "validate_upload",
]

# Facts measured from a file, copied to an item that receives it.
FACTS = ("width", "height", "duration", "codec", "file_size", "poster", "processing", "problem")
# Descriptions a video's automatic poster inherits from the video.
POSTER_INHERITS = ("credit", "copyright_holder")


def _kind_of(head: bytes, filename: str, expected_kind: str | None) -> str:
    """The kind of a file from its first bytes, refusing one of no accepted kind or the wrong one."""
    kind = sniff(head)
    if kind is None:
        raise refuse(describe_unaccepted(head, filename))
    if expected_kind and kind != expected_kind:
        raise refuse(wrong_kind(filename, kind, expected_kind))
    return kind


def _image_item(source, fields: dict) -> tuple[MediaItem, object, str]:
    """An unsaved image item for `source` (bytes or a binary file), its cleaned file and extension."""
    cleaned, ext, width, height = clean_image(source)
    item = MediaItem(kind=MediaItem.Kind.IMAGE, width=width, height=height, file_size=file_length(cleaned), **fields)
    return item, cleaned, ext


def _video_item(info: VideoInfo, size: int, filename: str, fields: dict) -> MediaItem:
    """An unsaved video item with its measured facts, and its poster stored as an image item."""
    item = MediaItem(
        kind=MediaItem.Kind.VIDEO,
        width=info.width,
        height=info.height,
        duration=info.duration,
        codec=info.codec,
        file_size=size,
        **fields,
    )
    if info.poster_jpeg:
        item.poster = _poster_item(info.poster_jpeg, fields.get("title") or filename, fields)
    return item


def _poster_item(jpeg: bytes, label: str, fields) -> MediaItem:
    """The image item holding a video's automatic poster, with the descriptions it inherits."""
    return ingest_bytes(
        jpeg,
        filename="poster.jpg",
        title=f"Poster: {label}"[:255],
        **{k: v for k, v in fields.items() if k in POSTER_INHERITS},
    )


def _pending_video_item(size: int, fields: dict) -> MediaItem:
    """An unsaved video item whose facts and poster the worker will fill in."""
    return MediaItem(kind=MediaItem.Kind.VIDEO, file_size=size, processing=MediaItem.Processing.PENDING, **fields)


def _prepare(
    data: bytes, filename: str, expected_kind: str | None, fields: dict, defer_probe: bool = False
) -> tuple[MediaItem, object, str]:
    """Check `data` and return an unsaved item with its facts, the bytes (or file) to store and
    an extension. `defer_probe`: a video is only checked by its headers, its facts left to the worker."""
    if _kind_of(data, filename, expected_kind) == "image":
        return _image_item(data, fields)
    if defer_probe:
        check_video(data)
        data = strip_metadata(data)
        return _pending_video_item(len(data), fields), data, "mp4"
    info = probe_video(data)
    data = strip_metadata(data)  # the place it was shot, the camera, the owner: never stored
    return _video_item(info, len(data), filename, fields), data, "mp4"


def _prepare_upload(
    upload, size: int, filename: str, expected_kind: str | None, fields: dict
) -> tuple[MediaItem, object, str]:
    """`_prepare` for an upload on disk: an unsaved item with its facts, the file to store and
    an extension. A video is checked by its headers and cleaned of its metadata in place, in its
    temporary file; the worker measures it and makes its poster once it is stored."""
    upload.seek(0)
    if _kind_of(upload.read(4096), filename, expected_kind) == "image":
        return _image_item(upload, fields)
    upload.seek(0)
    # Mapped, not read: only the box headers and the index are touched, never the samples.
    with mmap.mmap(upload.fileno(), 0, access=mmap.ACCESS_WRITE) as mapped:
        upload.seek(0)
        check_video(mapped, source=upload)
        blank_metadata(mapped)  # the place it was shot, the camera, the owner: never stored
        mapped.flush()
    upload.seek(0)
    return _pending_video_item(size, fields), upload, "mp4"


def ingest_bytes(
    data: bytes,
    *,
    filename: str = "",
    expected_kind: str | None = None,
    digest: str = "",
    defer_probe: bool = False,
    **fields,
) -> MediaItem:
    """Validate `data` and store it as a MediaItem (or return the item holding the same bytes).

    Raises ValidationError({"file": ...}) naming what is wrong; nothing is stored then. A video
    is measured and given its poster now, unless `defer_probe` (then it is left pending for
    the worker, which the caller must ask: `media.actions` does).
    """
    check_upload_size(len(data))
    digest = digest or hashlib.sha256(data).hexdigest()
    existing = MediaItem.objects.filter(sha256=digest).first()
    if existing:
        return existing
    item, payload, ext = _prepare(data, filename, expected_kind, fields, defer_probe)
    item.sha256 = digest
    return _store(item, payload, ext)


@transaction.atomic
def ingest_upload(
    upload, *, filename: str = "", expected_kind: str | None = None, digest: str = "", **fields
) -> MediaItem:
    """Like `ingest_bytes` for an uploaded file (Django's UploadedFile, or any binary file with
    a `size`), in bounded memory: refused by its size first, hashed in chunks, and a video is
    checked, cleaned of its metadata and stored from its temporary file on disk. An upload
    small enough to be held in memory anyway (FILE_UPLOAD_MAX_MEMORY_SIZE) takes the bytes path.
    A video is stored pending: the worker measures it and makes its poster.
    """
    size = upload_size(upload)
    check_upload_size(size)
    if not on_disk(upload):
        upload.seek(0)
        return ingest_bytes(upload.read(), filename=filename, expected_kind=expected_kind, defer_probe=True, **fields)
    digest = digest or upload_digest(upload)
    existing = MediaItem.objects.filter(sha256=digest).first()
    if existing:
        return existing
    item, payload, ext = _prepare_upload(upload, size, filename, expected_kind, fields)
    item.sha256 = digest
    return _store(item, payload, ext)


def _share_twin(item: MediaItem, twin: MediaItem) -> MediaItem:
    """Give `item` the stored file (and facts) of `twin`, which holds the same bytes."""
    for field in FACTS:
        setattr(item, field, getattr(twin, field))
    item.file = twin.file
    item.file_missing = False
    item.save()
    return item


def _store_fresh(item: MediaItem, fresh: MediaItem, payload, ext: str, digest: str) -> MediaItem:
    """Give `item` the facts of `fresh` (prepared from its new file) and store that file."""
    for field in FACTS:
        setattr(item, field, getattr(fresh, field))
    item.sha256 = digest
    return _store(item, payload, ext)


@transaction.atomic
def attach_file(item: MediaItem, data: bytes, *, defer_probe: bool = False) -> MediaItem:
    """Give an item known only by reference (file_missing) its file, validated like an upload.

    When another item already holds the same bytes, the reference keeps pointing at nothing
    new: it shares that item's stored file instead of storing a second copy. `defer_probe`:
    as for `ingest_bytes`.
    """
    check_upload_size(len(data))
    digest = hashlib.sha256(data).hexdigest()
    twin = MediaItem.objects.filter(sha256=digest).exclude(pk=item.pk).first()
    if twin is not None:
        return _share_twin(item, twin)
    fresh, payload, ext = _prepare(data, item.legacy_path or "", item.kind, {}, defer_probe)
    return _store_fresh(item, fresh, payload, ext, digest)


@transaction.atomic
def attach_upload(item: MediaItem, upload) -> MediaItem:
    """`attach_file` for an uploaded file, in bounded memory like `ingest_upload`: refused by
    its size first, hashed in chunks, and a video checked and stored from its file on disk,
    pending for the worker."""
    size = upload_size(upload)
    check_upload_size(size)
    if not on_disk(upload):
        upload.seek(0)
        return attach_file(item, upload.read(), defer_probe=True)
    digest = upload_digest(upload)
    twin = MediaItem.objects.filter(sha256=digest).exclude(pk=item.pk).first()
    if twin is not None:
        return _share_twin(item, twin)
    fresh, payload, ext = _prepare_upload(upload, size, item.legacy_path or "", item.kind, {})
    return _store_fresh(item, fresh, payload, ext, digest)


def _store(item: MediaItem, data, ext: str) -> MediaItem:
    write_whole(item.file, f"{uuid.uuid4().hex}.{ext}", data)
    item.file_missing = False
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # The same bytes were stored concurrently: that item wins.
        item.file.delete(save=False)
        return MediaItem.objects.get(sha256=item.sha256)
    except BaseException:
        item.file.delete(save=False)  # no row will name it
        raise
    return item


def validate_bytes(data: bytes, *, filename: str = "") -> str:
    """Check `data` as an upload without storing anything; returns its kind."""
    check_upload_size(len(data))
    kind = _kind_of(data, filename, None)
    if kind == "image":
        clean_image(data)
    else:
        check_video(data)
    return kind


def validate_upload(upload, *, filename: str = "", expected_kind: str | None = None) -> str:
    """Check an uploaded file like `ingest_upload` would, storing nothing; returns its kind.

    For a form to show what is wrong before anything is saved, in bounded memory: refused by
    its declared size first; on disk, an image is decoded within MEDIA_MAX_DECODE_BYTES and a
    video's boxes are read through a read-only memory map.
    """
    check_upload_size(upload_size(upload))
    if not on_disk(upload):
        upload.seek(0)
        data = upload.read()
        kind = validate_bytes(data, filename=filename)
        if expected_kind and kind != expected_kind:
            raise refuse(wrong_kind(filename, kind, expected_kind))
        return kind
    upload.seek(0)
    kind = _kind_of(upload.read(4096), filename, expected_kind)
    if kind == "image":
        cleaned, *_ = clean_image(upload)
        cleaned.close()
    else:
        with mmap.mmap(upload.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            upload.seek(0)
            check_video(mapped, source=upload)
    upload.seek(0)
    return kind


# --- the worker's part: measuring a stored video ------------------------------------------------


@contextmanager
def _local_copy(field_file):
    """The stored file open for reading from a local disk: itself when the storage is a local
    folder, else a temporary copy (S3), fetched in chunks and removed afterwards."""
    try:
        path = field_file.storage.path(field_file.name)
    except NotImplementedError:
        path = None
    if path is not None:
        with open(path, "rb") as handle:
            yield handle
        return
    with tempfile.TemporaryFile() as copy, field_file.storage.open(field_file.name, "rb") as stored:
        shutil.copyfileobj(stored, copy, 1024 * 1024)
        copy.flush()
        copy.seek(0)
        yield copy


def measure_stored_video(item: MediaItem) -> VideoInfo:
    """Probe `item`'s stored video (facts and a poster frame), reading it through a memory
    map, never whole. ValidationError({"file": …}) when it is not a usable video;
    FileNotFoundError when its file has gone from storage."""
    with _local_copy(item.file) as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        return probe_video(mapped, source=handle)


def apply_video_info(item: MediaItem, info: VideoInfo) -> MediaItem:
    """Give the pending video `item` its measured facts and its poster (a new image item,
    unless the video has one already); it is then no longer processing. Saves `item`."""
    item.width, item.height, item.duration, item.codec = info.width, info.height, info.duration, info.codec
    if item.poster_id is None and info.poster_jpeg:
        fields = {name: getattr(item, name) for name in POSTER_INHERITS}
        item.poster = _poster_item(info.poster_jpeg, item.title or "video", fields)
    item.processing, item.problem = "", ""
    item.save(update_fields=["width", "height", "duration", "codec", "poster", "processing", "problem"])
    return item
