"""Captions for videos: WebVTT files checked on the way in and offered to the player as a
`<track kind="captions">`, so that deaf and hard-of-hearing readers can follow a video (and
anyone watching with the sound off).

A file is accepted only when it is a WebVTT document a browser will read: UTF-8 (a byte-order
mark is allowed), the "WEBVTT" signature on the first line, and at least one cue whose timing
line reads `[hh:]mm:ss.ttt --> [hh:]mm:ss.ttt` with the end after the start. Errors name the
line at fault. The file is stored under a generated name; the replaced one leaves storage once
the new one is committed. Captions change through `media.actions` (attach_captions,
remove_captions), which call the steps here.
"""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from media.models import MediaItem

MAX_CAPTIONS_BYTES = 2 * 1024 * 1024
_SIGNATURE = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIMESTAMP}[ \t]+-->[ \t]+{_TIMESTAMP}(?:[ \t].*)?$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def _seconds(hours, minutes, seconds, millis) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _check_size(size: int | None) -> None:
    if size is not None and size > MAX_CAPTIONS_BYTES:
        raise ValidationError(f"The captions file is {size:,} bytes; the limit is {MAX_CAPTIONS_BYTES:,}.")


def read_upload(upload) -> bytes:
    """An uploaded captions file's bytes, refused by its declared size before it is read, then
    checked with validate_webvtt (admin and API alike)."""
    _check_size(upload.size)
    upload.seek(0)
    data = upload.read()
    validate_webvtt(data)
    return data


def validate_webvtt(data: bytes) -> str:
    """The captions text of `data`, or ValidationError saying what is wrong and where."""
    _check_size(len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"The captions file is not UTF-8 text (byte {exc.start + 1} cannot be read). Save it as UTF-8 WebVTT."
        ) from exc
    if "\x00" in text:
        raise ValidationError("The captions file contains NUL characters: it is not a text file.")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not _SIGNATURE.match(lines[0]):
        raise ValidationError('Line 1 must start with "WEBVTT": this is not a WebVTT captions file.')
    cues = 0
    for number, line in enumerate(lines[1:], start=2):
        if "-->" not in line:
            continue
        match = _TIMING.match(line.strip())
        if not match:
            raise ValidationError(
                f"Line {number}: “{line.strip()[:80]}” is not a cue timing; write it like "
                "00:00:01.000 --> 00:00:04.000."
            )
        start, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])
        if end <= start:
            raise ValidationError(f"Line {number}: the cue ends before it starts.")
        cues += 1
    if not cues:
        raise ValidationError("The captions file has no cues (no line like 00:00:01.000 --> 00:00:04.000).")
    return text


def validate_language(code: str) -> str:
    if code and not _LANGUAGE.match(code):
        raise ValidationError(f"“{code}” is not a language code; use one like en, ar or pt-BR.")
    return code


def store_captions(item: MediaItem, data: bytes, *, language: str = "") -> MediaItem:
    """The step of `media.actions.attach_captions`: check `data` and store it as the captions
    of the video `item` (replacing any earlier file, which is deleted once this is committed).
    `language`: the captions' language when it is not the language of the articles showing it."""
    if not item.is_video:
        raise ValidationError({"captions": "Only a video has captions."})
    try:
        validate_webvtt(data)
        validate_language(language)
    except ValidationError as exc:
        raise ValidationError({"captions": exc.messages}) from exc
    old = item.captions.name
    item.captions.save(f"{uuid.uuid4().hex}.vtt", ContentFile(data), save=False)
    item.captions_language = language
    try:
        _save_dropping(item, old, ["captions", "captions_language"])
    except BaseException:
        item.captions.storage.delete(item.captions.name)  # the new file, which no row names
        raise
    return item


def drop_captions(item: MediaItem) -> MediaItem:
    """The step of `media.actions.remove_captions`: take the captions off `item` (nothing to do
    when it has none); the file leaves storage once that is committed."""
    if item.captions:
        old = item.captions.name
        item.captions = ""
        _save_dropping(item, old, ["captions"])
    return item


def _save_dropping(item: MediaItem, old_name: str, fields: list[str]) -> None:
    """Save `fields` of `item`; the captions file `old_name` (if any) leaves storage on commit."""
    storage = item.captions.storage
    with transaction.atomic():
        item.save(update_fields=fields)
        if old_name:
            transaction.on_commit(lambda: storage.delete(old_name))


def language_name(code: str) -> str:
    """ "English" for "en" (from LANGUAGES), else the code itself."""
    return dict(settings.LANGUAGES).get(code.split("-")[0], code)


def captions_track(item: MediaItem | None, fallback_language: str) -> dict | None:
    """What a `<track kind="captions">` needs for `item` (src, srclang, label), or None.
    `cross_origin`: the file is on another host (S3), which browsers only load for a
    `<video crossorigin>` from a host that allows it (CORS)."""
    if item is None or not item.is_video or not item.captions:
        return None
    language = item.captions_language or fallback_language
    src = item.captions.url
    return {
        "src": src,
        "srclang": language,
        "label": f"{language_name(language)} captions",
        "cross_origin": src.startswith(("http://", "https://", "//")),
    }
