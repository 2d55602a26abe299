"""What kind of file an upload is, read from its first bytes, and the refusals of files that
are not what they must be (no accepted kind, the wrong kind, too large, empty).

Refusals are ValidationError({"file": message}), the shape forms and the API show as they are.
"""

from django.conf import settings
from django.core.exceptions import ValidationError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def refuse(message: str) -> ValidationError:
    """The refusal of an uploaded file, as a form or the API shows it."""
    return ValidationError({"file": message})


def sniff(data: bytes) -> str | None:
    """The kind these bytes really are, from their first bytes: "image", "video" or None."""
    if data[:3] == b"\xff\xd8\xff" or data[:8] == PNG_SIGNATURE or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if data[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free"):
        return "video"
    return None


def describe_unaccepted(data: bytes, filename: str) -> str:
    """Why bytes that are neither an accepted image nor a video were refused, naming what they are."""
    name = f"“{filename}”" if filename else "The file"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096].lower()):
        return (
            f"{name} is an SVG drawing. SVG files can carry scripts and are not accepted; "
            "upload a JPEG, PNG or WebP image."
        )
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<")):
        return (
            f"{name} is an HTML or XML document, whatever its name says: "
            "neither a JPEG, PNG or WebP image nor an MP4 video."
        )
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


def a_kind(kind: str) -> str:
    """ "an image", "a video": a kind as a sentence names it."""
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def wrong_kind(filename: str, kind: str, expected_kind: str) -> str:
    """The refusal of a file that is not the kind of media asked for."""
    return f"“{filename or 'The file'}” is {a_kind(kind)}, not {a_kind(expected_kind)} as its name says."


def check_upload_size(size: int | None) -> None:
    """Refuse an upload by its size before anything of it is read."""
    if size is not None:
        limit = settings.MEDIA_MAX_UPLOAD_BYTES
        if size > limit:
            raise refuse(f"The file is {size:,} bytes, more than the limit of {limit:,} bytes.")
        if size == 0:
            raise refuse("The file is empty.")
