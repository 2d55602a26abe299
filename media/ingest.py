"""Turn uploaded bytes into a MediaItem: checked by content, cleaned, measured, deduplicated.

Every path that adds media (admin, API, importer, demo loader) comes through `ingest_bytes`,
or `ingest_upload` for an uploaded file, which is never read whole into memory: it is hashed
in chunks, a video is checked and cleaned in its temporary file and copied to storage, and an
image is decoded within MEDIA_MAX_DECODE_BYTES.
"""

import hashlib
import io
import mmap
import os
import re
import shutil
import tempfile
import uuid
from math import ceil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from PIL import Image, ImageOps

from caching.generations import bump_content_generation
from media.models import MediaItem
from media.probe import VideoInfo, blank_metadata, probe_video, strip_metadata

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# A file being written is named `.<final name>.partial` beside its final place until it is whole;
# `manage.py cleanup_media` removes ones a killed process left behind.
PARTIAL_SUFFIX = ".partial"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHUNK_SIZE = 1024 * 1024
OPTIMIZE_PIXELS = 16_000_000
SPOOL_BYTES = 8 * 1024 * 1024
# Bytes of memory Pillow uses per pixel by mode: RGB is held as 4 bytes, like RGBA and CMYK.
BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}


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
    for magic, label in (
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"),
        (b"BM", "a BMP image"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
    ):
        if data.startswith(magic):
            return f"{name} is {label}; upload a JPEG, PNG or WebP image or an MP4 video."
    return f"{name} is neither a JPEG, PNG or WebP image nor an MP4 video."


def _trailing_bytes(source, fmt: str) -> int:
    """How many bytes follow the end of a PNG (IEND chunk) or a WebP (RIFF length): a polyglot
    hides a second file (HTML, a script, an archive) there. 0 for JPEG, whose legitimate
    camera trailers (extra preview images) re-encoding drops anyway. `source` is a binary
    file; only chunk headers are read from it."""
    total = source.seek(0, os.SEEK_END)
    if fmt == "PNG":
        offset = len(PNG_SIGNATURE)
        while offset + 12 <= total:
            source.seek(offset)
            header = source.read(8)
            length, chunk_type = int.from_bytes(header[:4], "big"), header[4:8]
            offset += 12 + length
            if chunk_type == b"IEND":
                return max(0, total - offset)
        return 0
    if fmt == "WEBP":
        source.seek(4)
        declared = 8 + int.from_bytes(source.read(4), "little")
        return max(0, total - declared - (declared & 1))
    return 0


def _turned(exif) -> bool:
    """Whether EXIF orientation says the image must be turned or flipped to stand upright."""
    return exif.get(0x0112, 1) in range(2, 9)


def decoded_size(mode: str, width: int, height: int) -> int:
    """Bytes of memory an image of this mode and size takes once decoded by Pillow."""
    return width * height * BYTES_PER_PIXEL.get(mode, 4)


def _fit_decode_budget(image: Image.Image, fmt: str, turned: bool) -> None:
    """Keep decoding `image` within MEDIA_MAX_DECODE_BYTES (twice the image when it must be
    turned upright, since turning makes a copy): a JPEG is decoded at 1/2, 1/4 or 1/8 scale
    (DCT scaling, `draft`), the smallest reduction that fits; other formats cannot be decoded
    at a reduced scale and are refused, naming the memory they would need."""
    budget = settings.MEDIA_MAX_DECODE_BYTES
    # Turning upright makes a copy, and so does converting a CMYK JPEG to RGB.
    copies = 1 + turned + (fmt == "JPEG" and image.mode not in ("L", "RGB"))
    width, height = image.size
    needed = decoded_size(image.mode, width, height) * copies
    if needed <= budget:
        return
    if fmt == "JPEG":
        mode = image.mode if image.mode in ("L", "RGB") else "RGB"
        for scale in (2, 4, 8):
            size = (ceil(width / scale), ceil(height / scale))
            if decoded_size(mode, *size) * copies <= budget:
                image.draft(mode, size)
                return
    raise _refuse(
        f"The {width}×{height} image would need {ceil(needed / 1024 / 1024):,} MB of memory to decode, more "
        f"than the limit of {budget // 1024 // 1024:,} MB; upload it smaller (fewer pixels) or as a JPEG."
    )


def clean_image(data) -> tuple[tempfile.SpooledTemporaryFile, str, int, int]:
    """Verify and re-encode an image (bytes or a binary file), with its orientation applied and
    no metadata kept; returns the re-encoded file (spilled to disk past a few megabytes, so that
    it does not sit in memory beside the decoded pixels), its extension, width and height.

    The size is read from the header and checked against MEDIA_MAX_IMAGE_PIXELS before any
    pixel is decoded (the decompression-bomb guard), then against MEDIA_MAX_DECODE_BYTES (a
    large JPEG is decoded at a reduced scale instead). A PNG or WebP with bytes after its end
    is refused as a likely polyglot. Re-encoding drops EXIF (GPS, camera serials, owner names),
    XMP, ICC profiles, comments and anything appended after the image data.
    """
    limit = settings.MEDIA_MAX_IMAGE_PIXELS
    source = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    try:
        source.seek(0)
        with Image.open(source) as probe:
            fmt = probe.format
            if fmt not in IMAGE_FORMATS:
                raise _refuse(f"{fmt or 'This'} images are not accepted; upload JPEG, PNG or WebP.")
            width, height = probe.size
            if width * height > limit:
                raise _refuse(f"The image is {width}×{height} pixels, more than the limit of {limit:,} pixels.")
            if extra := _trailing_bytes(source, fmt):
                raise _refuse(
                    f"The {fmt} image has {extra:,} bytes of other data after its end (a file hidden "
                    "inside an image); export the image again and upload that."
                )
            source.seek(0)
            probe.verify()
        source.seek(0)
        with Image.open(source) as image:
            # A PNG's getexif() decodes the whole image to look for a late eXIf chunk: for a PNG
            # only an eXIf chunk before the pixels counts here, a late one is checked after load.
            if fmt != "PNG":
                early = image.getexif()
            else:
                early = Image.Exif()
                if "exif" in image.info:
                    early.load(image.info["exif"])
            _fit_decode_budget(image, fmt, _turned(early))
            image.load()
            if fmt == "PNG" and _turned(image.getexif()):
                _fit_decode_budget(image, fmt, True)
            # In place: without it Pillow returns a full copy even of an upright image.
            ImageOps.exif_transpose(image, in_place=True)
            # Nothing from the source's metadata survives, except palette transparency.
            image.info = {k: v for k, v in image.info.items() if k == "transparency"}
            out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
            if fmt == "JPEG":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                # `optimize` keeps the whole image's coefficients in memory: small images only.
                image.save(out, "JPEG", quality=90, optimize=image.width * image.height <= OPTIMIZE_PIXELS)
            elif fmt == "PNG":
                image.save(out, "PNG", optimize=True)
            else:
                image.save(out, "WEBP", quality=90)
            out.seek(0)
            return out, IMAGE_FORMATS[fmt], image.width, image.height
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
    check_upload_size(len(data))


def _prepare(data: bytes, filename: str, expected_kind: str | None, fields: dict) -> tuple[MediaItem, object, str]:
    """Check `data` and return an unsaved item with its facts, the bytes (or file) to store and an extension."""
    kind = sniff(data)
    if kind is None:
        raise _refuse(_describe_unaccepted(data, filename))
    if expected_kind and kind != expected_kind:
        raise _refuse(wrong_kind(filename, kind, expected_kind))
    if kind == "image":
        cleaned, ext, width, height = clean_image(data)
        item = MediaItem(kind=MediaItem.Kind.IMAGE, width=width, height=height, file_size=_length(cleaned), **fields)
        return item, cleaned, ext
    info: VideoInfo = probe_video(data)
    data = strip_metadata(data)  # the place it was shot, the camera, the owner: never stored
    item = MediaItem(
        kind=MediaItem.Kind.VIDEO,
        width=info.width,
        height=info.height,
        duration=info.duration,
        codec=info.codec,
        file_size=len(data),
        **fields,
    )
    if info.poster_jpeg:
        poster_fields = {k: v for k, v in fields.items() if k in {"credit", "copyright_holder"}}
        item.poster = ingest_bytes(
            info.poster_jpeg,
            filename="poster.jpg",
            title=f"Poster: {fields.get('title') or filename}"[:255],
            **poster_fields,
        )
    return item, data, "mp4"


@transaction.atomic
def a_kind(kind: str) -> str:
    """ "an image", "a video": a kind as a sentence names it."""
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def wrong_kind(filename: str, kind: str, expected_kind: str) -> str:
    """The refusal of a file that is not the kind of media asked for."""
    return f"“{filename or 'The file'}” is {a_kind(kind)}, not {a_kind(expected_kind)} as its name says."


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


def upload_digest(upload) -> str:
    """SHA-256 of an uploaded file, read in chunks (never whole into memory)."""
    digest = hashlib.sha256()
    upload.seek(0)
    while chunk := upload.read(CHUNK_SIZE):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_upload_size(size: int | None) -> None:
    """Refuse an upload by its size before anything of it is read."""
    if size is not None:
        limit = settings.MEDIA_MAX_UPLOAD_BYTES
        if size > limit:
            raise _refuse(f"The file is {size:,} bytes, more than the limit of {limit:,} bytes.")
        if size == 0:
            raise _refuse("The file is empty.")


@transaction.atomic
def ingest_upload(
    upload, *, filename: str = "", expected_kind: str | None = None, digest: str = "", **fields
) -> MediaItem:
    """Like `ingest_bytes` for an uploaded file (Django's UploadedFile, or any binary file with
    a `size`), in bounded memory: refused by its size first, hashed in chunks, and a video is
    checked, cleaned of its metadata and stored from its temporary file on disk. An upload
    small enough to be held in memory anyway (FILE_UPLOAD_MAX_MEMORY_SIZE) takes the bytes path.
    """
    size = _upload_size(upload)
    check_upload_size(size)
    if not _on_disk(upload):
        upload.seek(0)
        return ingest_bytes(upload.read(), filename=filename, expected_kind=expected_kind, **fields)
    digest = digest or upload_digest(upload)
    existing = MediaItem.objects.filter(sha256=digest).first()
    if existing:
        return existing
    item, payload, ext = _prepare_upload(upload, size, filename, expected_kind, fields)
    item.sha256 = digest
    return _store(item, payload, ext)


def _check_head(upload, filename: str, expected_kind: str | None) -> str:
    """The kind of an on-disk upload from its first bytes, refusing one of no accepted kind."""
    upload.seek(0)
    head = upload.read(4096)
    kind = sniff(head)
    if kind is None:
        raise _refuse(_describe_unaccepted(head, filename))
    if expected_kind and kind != expected_kind:
        raise _refuse(wrong_kind(filename, kind, expected_kind))
    return kind


def _prepare_upload(
    upload, size: int, filename: str, expected_kind: str | None, fields: dict
) -> tuple[MediaItem, object, str]:
    """`_prepare` for an upload on disk: an unsaved item with its facts, the file to store and
    an extension. A video is cleaned of its metadata in place, in its temporary file."""
    kind = _check_head(upload, filename, expected_kind)
    if kind == "image":
        cleaned, ext, width, height = clean_image(upload)
        item = MediaItem(kind=MediaItem.Kind.IMAGE, width=width, height=height, file_size=_length(cleaned), **fields)
        return item, cleaned, ext
    upload.seek(0)
    # Mapped, not read: only the box headers and the index are touched, never the samples.
    with mmap.mmap(upload.fileno(), 0, access=mmap.ACCESS_WRITE) as mapped:
        upload.seek(0)
        info: VideoInfo = probe_video(mapped, source=upload)
        blank_metadata(mapped)  # the place it was shot, the camera, the owner: never stored
        mapped.flush()
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
        poster_fields = {k: v for k, v in fields.items() if k in {"credit", "copyright_holder"}}
        item.poster = ingest_bytes(
            info.poster_jpeg,
            filename="poster.jpg",
            title=f"Poster: {fields.get('title') or filename}"[:255],
            **poster_fields,
        )
    upload.seek(0)
    return item, upload, "mp4"


def _upload_size(upload) -> int:
    return upload.size if getattr(upload, "size", None) is not None else os.fstat(upload.fileno()).st_size


def validate_upload(upload, *, filename: str = "", expected_kind: str | None = None) -> str:
    """Check an uploaded file like `ingest_upload` would, storing nothing; returns its kind.

    For a form to show what is wrong before anything is saved, in bounded memory: refused by
    its declared size first; on disk, an image is decoded within MEDIA_MAX_DECODE_BYTES and a
    video's boxes are read through a read-only memory map.
    """
    check_upload_size(_upload_size(upload))
    if not _on_disk(upload):
        upload.seek(0)
        data = upload.read()
        kind = validate_bytes(data, filename=filename)
        if expected_kind and kind != expected_kind:
            raise _refuse(wrong_kind(filename, kind, expected_kind))
        return kind
    kind = _check_head(upload, filename, expected_kind)
    if kind == "image":
        cleaned, *_ = clean_image(upload)
        cleaned.close()
    else:
        with mmap.mmap(upload.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            upload.seek(0)
            probe_video(mapped, source=upload)
    upload.seek(0)
    return kind


def _length(handle) -> int:
    """Size in bytes of a binary file, which is left at its start."""
    size = handle.seek(0, os.SEEK_END)
    handle.seek(0)
    return size


def _on_disk(upload) -> bool:
    """Whether `upload` is a real file on disk (it can be mapped and copied in chunks)."""
    try:
        upload.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return False
    return True


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


@transaction.atomic
def attach_upload(item: MediaItem, upload) -> MediaItem:
    """`attach_file` for an uploaded file, in bounded memory like `ingest_upload`: refused by
    its size first, hashed in chunks, and a video checked and stored from its file on disk."""
    size = _upload_size(upload)
    check_upload_size(size)
    if not _on_disk(upload):
        upload.seek(0)
        return attach_file(item, upload.read())
    digest = upload_digest(upload)
    twin = MediaItem.objects.filter(sha256=digest).exclude(pk=item.pk).first()
    if twin is not None:
        for field in ("width", "height", "duration", "codec", "file_size", "poster"):
            setattr(item, field, getattr(twin, field))
        item.file = twin.file
        item.file_missing = False
        item.save()
        return item
    fresh, payload, ext = _prepare_upload(upload, size, item.legacy_path or "", item.kind, {})
    for field in ("width", "height", "duration", "codec", "file_size", "poster"):
        setattr(item, field, getattr(fresh, field))
    item.sha256 = digest
    return _store(item, payload, ext)


def write_whole(field_file, filename: str, data) -> None:
    """Store `data` (bytes, or a binary file copied in chunks) as the file of `field_file`
    (named by its field's `upload_to`), never as a half-written file under that name.

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
        content = ContentFile(data) if isinstance(data, (bytes, bytearray)) else File(data, name=filename)
        field_file.save(filename, content, save=False)
        return
    name = storage.get_available_name(name, max_length=field.max_length)
    final = Path(storage.path(name))
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(f".{final.name}{PARTIAL_SUFFIX}")
    # Created like the storage creates files (0o666 less the umask), so the rename changes nothing else.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, (bytes, bytearray)):
                handle.write(data)
            else:
                shutil.copyfileobj(data, handle, CHUNK_SIZE)
            handle.flush()
            os.fsync(handle.fileno())
        if storage.file_permissions_mode is not None:
            os.chmod(partial, storage.file_permissions_mode)
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    setattr(instance, field.attname, name)


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
