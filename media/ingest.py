"""Turn uploaded bytes into a MediaItem: checked by content, cleaned, measured, deduplicated.

Every path that adds media (admin, API, importer, demo loader) comes through `ingest_bytes`.
"""

import hashlib
import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image, ImageOps

from media.models import MediaItem
from media.probe import VideoInfo, probe_video
from newsroom.cache import bump_content_generation

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def sniff(data: bytes) -> str | None:
    """The kind these bytes really are, from their first bytes: "image", "video" or None."""
    if data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n" or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if data[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free"):
        return "video"
    return None


def clean_image(data: bytes) -> tuple[bytes, str, int, int]:
    """Verify and re-encode an image; drops metadata (GPS and all EXIF) and trailing bytes."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGE_FORMATS:
                raise _refuse(f"{probe.format or 'This'} images are not accepted; upload JPEG, PNG or WebP.")
            width, height = probe.size
            if width * height > settings.MEDIA_MAX_IMAGE_PIXELS:
                raise _refuse(
                    f"The image is {width}×{height} pixels, more than the limit of "
                    f"{settings.MEDIA_MAX_IMAGE_PIXELS:,} pixels."
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format
            image.load()
            image = ImageOps.exif_transpose(image)
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
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _refuse(f"The file is not a valid image ({exc}).") from exc


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
        raise _refuse(f"“{filename or 'The file'}” is neither a JPEG, PNG or WebP image nor an MP4 video.")
    if expected_kind and kind != expected_kind:
        raise _refuse(f"“{filename or 'The file'}” is a {kind}, not a {expected_kind} as its name says.")
    if kind == "image":
        cleaned, ext, width, height = clean_image(data)
        item = MediaItem(kind=MediaItem.Kind.IMAGE, width=width, height=height, file_size=len(cleaned), **fields)
        return item, cleaned, ext
    info: VideoInfo = probe_video(data)
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


def _store(item: MediaItem, data: bytes, ext: str) -> MediaItem:
    item.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
    item.file_missing = False
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # The same bytes were stored concurrently: that item wins.
        item.file.delete(save=False)
        return MediaItem.objects.get(sha256=item.sha256)
    transaction.on_commit(bump_content_generation)
    return item


def validate_bytes(data: bytes, *, filename: str = "") -> str:
    """Check `data` as an upload without storing anything; returns its kind."""
    _check_size(data)
    kind = sniff(data)
    if kind is None:
        raise _refuse(f"“{filename or 'The file'}” is neither a JPEG, PNG or WebP image nor an MP4 video.")
    if kind == "image":
        clean_image(data)
    else:
        probe_video(data)
    return kind
