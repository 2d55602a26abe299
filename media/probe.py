"""Read a video's facts and a poster frame with PyAV."""

import io
from dataclasses import dataclass

import av
from django.core.exceptions import ValidationError

ACCEPTED_CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2"}


@dataclass
class VideoInfo:
    width: int
    height: int
    duration: float
    codec: str
    poster_jpeg: bytes | None


def probe_video(data: bytes, poster_at: float = 1.0) -> VideoInfo:
    """Open `data` as an MP4/MOV, read its video stream and grab a frame about `poster_at` s in."""
    try:
        container = av.open(io.BytesIO(data), mode="r")
    except (av.error.FFmpegError, ValueError) as exc:
        raise ValidationError({"file": f"The file is not a readable video ({exc})."}) from exc
    with container:
        if container.format.name not in ACCEPTED_CONTAINERS:
            raise ValidationError({"file": f"Videos must be MP4 or MOV, not {container.format.name}."})
        if not container.streams.video:
            raise ValidationError({"file": "The file has no video stream."})
        stream = container.streams.video[0]
        duration = None
        if stream.duration and stream.time_base:
            duration = float(stream.duration * stream.time_base)
        elif container.duration:
            duration = container.duration / 1_000_000
        if not duration or not stream.codec_context.width:
            raise ValidationError({"file": "The video has no duration or size: it may be cut short."})
        poster = None
        try:
            target = poster_at if duration > poster_at else 0.0
            best = None
            for frame in container.decode(stream):
                best = frame
                if frame.time is not None and frame.time >= target:
                    break
            if best is None:
                raise ValidationError({"file": "No frame of the video could be decoded: it may be cut short."})
            out = io.BytesIO()
            best.to_image().save(out, "JPEG", quality=88)
            poster = out.getvalue()
        except av.error.FFmpegError as exc:
            raise ValidationError({"file": f"The video could not be decoded ({exc})."}) from exc
        return VideoInfo(
            width=stream.codec_context.width,
            height=stream.codec_context.height,
            duration=round(duration, 3),
            codec=stream.codec_context.name,
            poster_jpeg=poster,
        )
