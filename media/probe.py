"""Read a video's facts and a poster frame with PyAV, after checking the MP4 box structure;
blank a video's descriptive metadata (location, camera, owner) before it is stored."""

import io
from contextlib import contextmanager
from dataclasses import dataclass

import av
from django.conf import settings
from django.core.exceptions import ValidationError

ACCEPTED_CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2"}


@dataclass
class VideoInfo:
    width: int
    height: int
    duration: float
    codec: str
    poster_jpeg: bytes | None


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def check_boxes(data: bytes) -> None:
    """Walk the top-level MP4/MOV boxes: each must fit inside the file and a `moov` (the index)
    must be present. A file cut short during upload or copy fails here with a clear message,
    even when its first seconds would still play."""
    offset, seen = 0, set()
    while offset < len(data):
        if offset + 8 > len(data):
            raise _refuse(f"The video is cut short: it ends inside a box header at byte {offset:,}.")
        size = int.from_bytes(data[offset : offset + 4], "big")
        box = data[offset + 4 : offset + 8].decode("latin-1")
        header = 8
        if size == 1:
            if offset + 16 > len(data):
                raise _refuse(f"The video is cut short: it ends inside the “{box}” box header.")
            size, header = int.from_bytes(data[offset + 8 : offset + 16], "big"), 16
        elif size == 0:
            size = len(data) - offset
        if size < header:
            raise _refuse(f"The video is damaged: the “{box}” box at byte {offset:,} has an impossible size.")
        if offset + size > len(data):
            raise _refuse(
                f"The video is cut short: its “{box}” box needs {offset + size:,} bytes but the file "
                f"ends after {len(data):,}."
            )
        seen.add(box)
        offset += size
    if "moov" not in seen:
        raise _refuse("The video has no index (“moov” box): it is incomplete or not an MP4/MOV file.")


# Boxes walked into when looking for metadata: the index and, inside it, each track down to
# its media information. Sample data (`mdat`) and sample descriptions are never touched.
CONTAINER_BOXES = {b"moov", b"trak", b"mdia", b"minf", b"dinf", b"stbl", b"edts"}
# Boxes that hold descriptive metadata, not anything a player needs: user data (`udta`: the
# QuickTime `©xyz` location, `©day`, `©mak`/`©mod` camera, comments, the encoder), metadata
# (`meta`: iTunes-style and Apple `mdta` keys such as com.apple.quicktime.location.ISO6709) and
# vendor boxes (`uuid`: XMP packets, which can carry GPS too).
METADATA_BOXES = {b"udta", b"meta", b"uuid"}


def _child_boxes(data: bytearray, start: int, end: int):
    """(offset, size, header length, type) of each box between `start` and `end`; stops at the
    first box that does not fit (check_boxes has refused damaged top-level structure already)."""
    offset = start
    while offset + 8 <= end:
        size = int.from_bytes(data[offset : offset + 4], "big")
        kind = bytes(data[offset + 4 : offset + 8])
        header = 8
        if size == 1:
            if offset + 16 > end:
                return
            size, header = int.from_bytes(data[offset + 8 : offset + 16], "big"), 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            return
        yield offset, size, header, kind
        offset += size


def strip_metadata(data: bytes) -> bytes:
    """The video with its descriptive metadata blanked: every `udta`, `meta` and `uuid` box at
    the top level or inside the index and its tracks becomes a `free` box of the same size
    filled with zeros.

    Nothing is re-encoded or moved: sizes and therefore every chunk offset stay as they were,
    so the file plays exactly as before (rotation, codec settings and edit lists are in other
    boxes), while the place it was shot, the camera and the owner's name are gone. Like the
    EXIF of photos, this is done for every upload.
    """
    out = bytearray(data)
    blank_metadata(out)
    return bytes(out)


def blank_metadata(out) -> None:
    """`strip_metadata` in place, on a bytearray or a writable memory map of the file (only the
    box headers and the metadata boxes are touched, so a large video is never read whole)."""

    def blank(start: int, end: int, top: bool) -> None:
        for offset, size, header, kind in _child_boxes(out, start, end):
            if kind in METADATA_BOXES:
                out[offset + 4 : offset + 8] = b"free"
                out[offset + header : offset + size] = bytes(size - header)
            elif kind in CONTAINER_BOXES and (top or kind != b"moov"):
                blank(offset + header, offset + size, False)

    blank(0, len(out), True)


def _ffmpeg_reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def probe_video(data, poster_at: float = 1.0, *, source=None) -> VideoInfo:
    """Check `data` as an MP4/MOV with a video stream; read its duration, size and codec and
    grab a poster frame about `poster_at` seconds in (the first frame of a shorter clip).
    `data` may be a memory map of a file on disk, with `source` that file open for reading:
    the boxes are checked on the map and FFmpeg reads the file, so neither holds it whole.
    Raises ValidationError({"file": …}) saying what is wrong.

    Decoding frames for the poster is the slow part (about a second for a large HD file), so
    uploads call `check_video` and leave this to the worker (`media.tasks`)."""
    with _opened(data, source) as (container, stream, width, height, duration):
        poster = _poster_frame(container, stream, poster_at if duration > poster_at else 0.0)
        return VideoInfo(
            width=width,
            height=height,
            duration=round(duration, 3),
            codec=stream.codec_context.name,
            poster_jpeg=poster,
        )


def check_video(data, *, source=None) -> None:
    """What `probe_video` checks that needs no decoding: the box structure, an accepted
    container with a video stream, a frame size within the limit and a duration. Reads only
    the file's headers and index (a few milliseconds whatever its size), so an upload can be
    refused at once while its frames are decoded later, by the worker."""
    with _opened(data, source):
        pass


@contextmanager
def _opened(data, source):
    """The open container, its first video stream, width, height and duration (seconds),
    checked; ValidationError({"file": …}) when any of them is wrong or missing."""
    check_boxes(data)
    try:
        container = av.open(source if source is not None else io.BytesIO(data), mode="r")
    except (av.error.FFmpegError, ValueError) as exc:
        raise _refuse(f"The file is not a readable MP4/MOV video ({_ffmpeg_reason(exc)}).") from exc
    with container:
        stream = _video_stream(container)
        width, height = stream.codec_context.width, stream.codec_context.height
        duration = _duration(container, stream)
        if not duration or not width or not height:
            raise _refuse("The video has no duration or frame size: it may be cut short.")
        limit = settings.MEDIA_MAX_IMAGE_PIXELS
        if width * height > limit:
            raise _refuse(f"The video frame is {width}×{height} pixels, more than the limit of {limit:,} pixels.")
        yield container, stream, width, height, duration


def _video_stream(container):
    """The first video stream of an accepted container; refused otherwise."""
    if container.format.name not in ACCEPTED_CONTAINERS:
        raise _refuse(f"Videos must be MP4 or MOV, not {container.format.name}.")
    if not container.streams.video:
        raise _refuse("The file has no video stream (audio only?).")
    return container.streams.video[0]


def _duration(container, stream) -> float | None:
    """Seconds, from the stream's own length, else the container's; None when neither says."""
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / 1_000_000
    return None


def _poster_frame(container, stream, target: float) -> bytes:
    """JPEG of the first frame at or after `target` seconds (the last decodable one before it
    when the clip ends earlier)."""
    best = None
    try:
        for frame in container.decode(stream):
            best = frame
            if frame.time is not None and frame.time >= target:
                break
    except av.error.FFmpegError as exc:
        if best is None:
            raise _refuse(f"The video could not be decoded ({_ffmpeg_reason(exc)}).") from exc
    if best is None:
        raise _refuse("No frame of the video could be decoded: it may be cut short.")
    out = io.BytesIO()
    best.to_image().save(out, "JPEG", quality=88)
    return out.getvalue()
