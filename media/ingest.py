"""Turn uploaded bytes into a MediaItem: checked by content, cleaned, measured, deduplicated.

Every path that adds media (admin, API, importer, demo loader) comes through `ingest_bytes`.
"""

import hashlib
import io
import os
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image, ImageOps

from media.models import MediaItem
from media.probe import VideoInfo, probe_video, strip_metadata
from newsroom.cache import bump_content_generation

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# A file being written is named `.<final name>.partial` beside its final place until it is whole;
# `manage.py cleanup_media` removes ones a killed process left behind.
PARTIAL_SUFFIX = ".partial"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def sniff(data: bytes) -> str | None:
    """The kind these bytes really are, from their first bytes: "image", "video" or None."""
    if data[:3] == b"\xff\xd8\xff" or data[:8] == PNG_SIGNATURE or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if data[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free"):
        return "video"
    return None


def _describe_unaccepted(data: bytes, filename: str) -> str:
    """Why bytes that are neither an accepted image nor a video were refused, naming what they are."""
    name = f"“{filename}”" if filename else "The file"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096].lower()):
        return f"{name} is an SVG drawing. SVG files can carry scripts and are not accepted; upload a JPEG, PNG or WebP image."
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<")):
        return f"{name} is an HTML or XML document, whatever its name says: neither a JPEG, PNG or WebP image nor an MP4 video."
    for magic, label in ((b"GIF8", "a GIF image"), (b"%PDF", "a PDF document"), (b"BM", "a BMP image"),
                         (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image")):
        if data.startswith(magic):
            return f"{name} is {label}; upload a JPEG, PNG or WebP image or an MP4 video."
    return f"{name} is neither a JPEG, PNG or WebP image nor an MP4 video."


def _trailing_bytes(data: bytes, fmt: str) -> int:
    """How many bytes follow the end of a PNG (IEND chunk) or a WebP (RIFF length): a polyglot
    hides a second file (HTML, a script, an archive) there. 0 for JPEG, whose legitimate
    camera trailers (extra preview images) re-encoding drops anyway."""
    if fmt == "PNG":
        offset = len(PNG_SIGNATURE)
        while offset + 12 <= len(data):
            length = int.from_bytes(data[offset:offset + 4], "big")
            chunk_type = data[offset + 4:offset + 8]
            offset += 12 + length
            if chunk_type == b"IEND":
                return max(0, len(data) - offset)
        return 0
    if fmt == "WEBP":
        declared = 8 + int.from_bytes(data[4:8], "little")
        return max(0, len(data) - declared - (declared & 1))
    return 0


def clean_image(data: bytes) -> tuple[bytes, str, int, int]:
    """Verify and re-encode an image, with its orientation applied and no metadata kept.

    The size is read from the header and checked against MEDIA_MAX_IMAGE_PIXELS before any
    pixel is decoded (the decompression-bomb guard). A PNG or WebP with bytes after its end is
    refused as a likely polyglot. Re-encoding drops EXIF (GPS, camera serials, owner names),
    XMP, ICC profiles, comments and anything appended after the image data.
    """
    limit = settings.MEDIA_MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in IMAGE_FORMATS:
                raise _refuse(f"{fmt or 'This'} images are not accepted; upload JPEG, PNG or WebP.")
            width, height = probe.size
            if width * height > limit:
                raise _refuse(f"The image is {width}×{height} pixels, more than the limit of {limit:,} pixels.")
            if extra := _trailing_bytes(data, fmt):
                raise _refuse(
                    f"The {fmt} image has {extra:,} bytes of other data after its end (a file hidden "
                    "inside an image); export the image again and upload that."
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            # Nothing from the source's metadata survives, except palette transparency.
            image.info = {k: v for k, v in image.info.items() if k == "transparency"}
            out = io.BytesIO()
            if fmt == "JPEG":
                image.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
            elif fmt == "PNG":
                image.save(out, "PNG", optimize=True)
            else:
                image.save(out, "WEBP", quality=90)
            return out.getvalue(), IMAGE_FORMATS[fmt], image.width, image.height
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        # Pillow's own guard fired while reading the header (sizes far past any sane limit).
        claimed = re.search(r"\((\d+) pixels\)", str(exc))
        count = f"{int(claimed[1]):,} pixels" if claimed else "more pixels"
        raise _refuse(f"The image has {count}, more than the limit of {limit:,} pixels.") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _refuse(f"The file is not a valid image: {exc}.") from exc


def _check_size(data: bytes) -> None:
    limit = settings.MEDIA_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise _refuse(f"The file is {len(data):,} bytes, more than the limit of {limit:,} bytes.")
    if not data:
        raise _refuse("The file is empty.")


def _prepare(data: bytes, filename: str, expected_kind: str | None, fields: dict) -> tuple[MediaItem, bytes, str]:
    """Check `data` and return an unsaved item with its facts, the bytes to store and an extension."""
    kind = sniff(data)
    if kind is None:
        raise _refuse(_describe_unaccepted(data, filename))
    if expected_kind and kind != expected_kind:
        raise _refuse(f"“{filename or 'The file'}” is a {kind}, not a {expected_kind} as its name says.")
    if kind == "image":
        cleaned, ext, width, height = clean_image(data)
        item = MediaItem(kind=MediaItem.Kind.IMAGE, width=width, height=height, file_size=len(cleaned), **fields)
        return item, cleaned, ext
    info: VideoInfo = probe_video(data)
    data = strip_metadata(data)  # the place it was shot, the camera, the owner: never stored
    item = MediaItem(
        kind=MediaItem.Kind.VIDEO, width=info.width, height=info.height, duration=info.duration,
        codec=info.codec, file_size=len(data), **fields,
    )
    if info.poster_jpeg:
        poster_fields = {k: v for k, v in fields.items() if k in {"credit", "copyright_holder"}}
        item.poster = ingest_bytes(
            info.poster_jpeg, filename="poster.jpg",
            title=f"Poster: {fields.get('title') or filename}"[:255], **poster_fields,
        )
    return item, data, "mp4"


@transaction.atomic
def ingest_bytes(data: bytes, *, filename: str = "", expected_kind: str | None = None, **fields) -> MediaItem:
    """Validate `data` and store it as a MediaItem (or return the item holding the same bytes).

    Raises ValidationError({"file": ...}) naming what is wrong; nothing is stored then.
    """
    _check_size(data)
    digest = hashlib.sha256(data).hexdigest()
    existing = MediaItem.objects.filter(sha256=digest).first()
    if existing:
        return existing
    item, payload, ext = _prepare(data, filename, expected_kind, fields)
    item.sha256 = digest
    return _store(item, payload, ext)


@transaction.atomic
def attach_file(item: MediaItem, data: bytes) -> MediaItem:
    """Give an item known only by reference (file_missing) its file, validated like an upload.

    When another item already holds the same bytes, the reference keeps pointing at nothing
    new: it shares that item's stored file instead of storing a second copy.
    """
    _check_size(data)
    digest = hashlib.sha256(data).hexdigest()
    twin = MediaItem.objects.filter(sha256=digest).exclude(pk=item.pk).first()
    if twin is not None:
        fresh, payload, ext = twin, None, None
    else:
        fresh, payload, ext = _prepare(data, item.legacy_path or "", item.kind, {})
    for field in ("width", "height", "duration", "codec", "file_size", "poster"):
        setattr(item, field, getattr(fresh, field))
    if payload is None:
        item.file = twin.file
        item.file_missing = False
        item.save()
        return item
    item.sha256 = digest
    return _store(item, payload, ext)


def write_whole(field_file, filename: str, data: bytes) -> None:
    """Store `data` as the file of `field_file` (named by its field's `upload_to`), never as a
    half-written file under that name.

    On a local disk the bytes go to `.<name>.partial` beside the final place, are synced, and
    the file is then renamed into place (atomic on one file system): a process killed while
    writing leaves at most that partial file, which no row names and `cleanup_media` removes.
    A failure in-process removes it at once. Other storages (S3) store an object whole or not
    at all, so they are used as they are.
    """
    field, storage, instance = field_file.field, field_file.storage, field_file.instance
    name = field.generate_filename(instance, filename)
    try:
        storage.path(name)
    except NotImplementedError:
        field_file.save(filename, ContentFile(data), save=False)
        return
    name = storage.get_available_name(name, max_length=field.max_length)
    final = Path(storage.path(name))
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(f".{final.name}{PARTIAL_SUFFIX}")
    # Created like the storage creates files (0o666 less the umask), so the rename changes nothing else.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if storage.file_permissions_mode is not None:
            os.chmod(partial, storage.file_permissions_mode)
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    setattr(instance, field.attname, name)


def _store(item: MediaItem, data: bytes, ext: str) -> MediaItem:
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
    transaction.on_commit(bump_content_generation)
    return item


def validate_bytes(data: bytes, *, filename: str = "") -> str:
    """Check `data` as an upload without storing anything; returns its kind."""
    _check_size(data)
    kind = sniff(data)
    if kind is None:
        raise _refuse(_describe_unaccepted(data, filename))
    if kind == "image":
        clean_image(data)
    else:
        probe_video(data)
    return kind
