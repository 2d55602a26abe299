"""Uploads are checked by content: every refusal names what is wrong and stores nothing."""

import io
import struct

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from media.ingest import attach_file, ingest_bytes
from media.models import MediaItem
from media.samples import draw_photo, encode_clip

pytestmark = pytest.mark.django_db


def png_bytes(width=40, height=30, mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, (width, height), (10, 200, 30) if mode == "RGB" else (10, 200, 30, 120)).save(out, "PNG")
    return out.getvalue()


def refusal(data, filename="upload.jpg", **kwargs):
    """The field-level message of the refusal, after checking nothing was stored."""
    with pytest.raises(ValidationError) as caught:
        ingest_bytes(data, filename=filename, **kwargs)
    assert not MediaItem.objects.exists()
    assert list(caught.value.message_dict) == ["file"]
    return caught.value.message_dict["file"][0]


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_svg_is_refused_as_a_script_carrier(settings):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "“logo.svg” is an SVG drawing" in refusal(svg, "logo.svg")
    assert stored_files(settings) == []


def test_html_renamed_jpg_is_refused():
    message = refusal(b"<!DOCTYPE html><html><body><script>steal()</script></body></html>", "photo.jpg")
    assert (
        message == "“photo.jpg” is an HTML or XML document, whatever its name says: "
        "neither a JPEG, PNG or WebP image nor an MP4 video."
    )


def test_png_with_an_html_tail_is_refused():
    polyglot = png_bytes() + b"<html><script>steal()</script></html>"
    message = refusal(polyglot, "chart.png")
    assert "The PNG image has 37 bytes of other data after its end" in message


def test_webp_with_a_tail_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(out, "WEBP")
    assert "WEBP image has 8 bytes of other data" in refusal(out.getvalue() + b"<script>", "a.webp")


def test_jpeg_tail_is_dropped_by_re_encoding():
    item = ingest_bytes(draw_photo(120, 90) + b"<script>steal()</script>", filename="tail.jpg")
    with item.file.open("rb") as fh:
        stored = fh.read()
    assert b"<script>" not in stored and stored.endswith(b"\xff\xd9")


def test_truncated_jpeg_is_refused():
    data = draw_photo(400, 300)
    assert refusal(data[: len(data) // 2]).startswith("The file is not a valid image: image file is truncated")


def test_gif_is_refused_naming_it():
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    assert (
        refusal(out.getvalue(), "anim.gif")
        == "“anim.gif” is a GIF image; upload a JPEG, PNG or WebP image or an MP4 video."
    )


def test_byte_cap_is_checked_before_anything_else(settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    assert refusal(b"\xff\xd8\xff" + b"\0" * 2000) == "The file is 2,003 bytes, more than the limit of 1,000 bytes."


def test_empty_file_is_refused():
    assert refusal(b"") == "The file is empty."


def test_pixel_cap_is_checked_from_the_header_before_decoding(settings, monkeypatch):
    settings.MEDIA_MAX_IMAGE_PIXELS = 1_000_000
    data, decoded = png_bytes(1200, 1000), []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or None)
    assert refusal(data, "wide.png") == ("The image is 1200×1000 pixels, more than the limit of 1,000,000 pixels.")
    assert decoded == []


def decompression_bomb_png(width, height):
    """A tiny PNG whose header claims width×height pixels (its data would inflate to gigabytes)."""
    import zlib

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\0" + b"\0" * width
    body = zlib.compress(row * 4, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def test_decompression_bomb_is_refused_without_decoding():
    bomb = decompression_bomb_png(10000, 8000)
    assert len(bomb) < 200
    assert refusal(bomb, "bomb.png") == "The image is 10000×8000 pixels, more than the limit of 50,000,000 pixels."


def test_huge_bomb_past_pillows_own_guard_is_refused_the_same_way():
    message = refusal(decompression_bomb_png(60000, 60000), "bomb.png")
    assert message == "The image has 3,600,000,000 pixels, more than the limit of 50,000,000 pixels."


def gps_jpeg():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (33.0, 18.0, 45.5)  # GPSLatitudeRef, GPSLatitude
    gps[3], gps[4] = "E", (44.0, 21.0, 59.9)  # GPSLongitudeRef, GPSLongitude
    out = io.BytesIO()
    Image.new("RGB", (200, 100), (200, 50, 50)).save(out, "JPEG", exif=exif, comment=b"shot at home")
    return out.getvalue()


def test_gps_exif_is_stripped_and_orientation_applied():
    source = gps_jpeg()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825)  # the test file really has GPS
    item = ingest_bytes(source, filename="phone.jpg")
    with item.file.open("rb") as fh:
        stored = fh.read()
    image = Image.open(io.BytesIO(stored))
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(0x8825) == {}
    assert b"PhoneMaker" not in stored and b"shot at home" not in stored and b"Exif" not in stored
    assert image.size == (100, 200) and (item.width, item.height) == (100, 200)


def test_png_text_chunks_are_dropped_and_transparency_kept():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Source, 12 Hidden Street")
    out = io.BytesIO()
    Image.new("RGBA", (30, 30), (0, 0, 0, 0)).save(out, "PNG", pnginfo=info)
    item = ingest_bytes(out.getvalue(), filename="clear.png")
    with item.file.open("rb") as fh:
        stored = fh.read()
    assert b"Hidden Street" not in stored
    assert Image.open(io.BytesIO(stored)).mode == "RGBA"


def test_stored_names_are_generated(settings):
    item = ingest_bytes(draw_photo(100, 80), filename="../../etc/passwd.jpg")
    assert item.file.name.startswith("library/") and "passwd" not in item.file.name
    assert item.file.name.endswith(".jpg")


def test_same_bytes_twice_are_one_item():
    data = draw_photo(100, 80, seed=9)
    first = ingest_bytes(data, filename="a.jpg", title="First")
    second = ingest_bytes(data, filename="b.jpg", title="Second")
    assert first.pk == second.pk and MediaItem.objects.count() == 1


def test_name_claiming_another_kind_is_refused():
    assert (
        refusal(draw_photo(50, 50), "clip.mp4", expected_kind="video")
        == "“clip.mp4” is an image, not a video as its name says."
    )


# --- video -----------------------------------------------------------------------------------


def test_mp4_yields_duration_dimensions_codec_and_a_poster():
    clip = encode_clip(seconds=3, width=320, height=240, fps=12, seed=4)
    video = ingest_bytes(clip, filename="clip.mp4", title="Bridge reopens", credit="Newsroom")
    assert video.kind == "video" and (video.width, video.height) == (320, 240)
    assert video.duration == pytest.approx(3, abs=0.2)
    assert video.codec == "h264" and video.file.name.endswith(".mp4")
    poster = video.poster
    assert poster.kind == "image" and (poster.width, poster.height) == (320, 240)
    assert poster.title == "Poster: Bridge reopens" and poster.credit == "Newsroom"
    # encode_clip sweeps a white bar left to right over the clip: about 1 s into 3 s it is
    # about a third of the way across.
    with poster.file.open("rb") as fh:
        frame = Image.open(io.BytesIO(fh.read())).convert("L")
    row = [frame.getpixel((x, 120)) for x in range(320)]
    bar = row.index(max(row))
    assert 80 <= bar <= 140, f"the poster shows the bar at x={bar}, not about 1 s in"


def test_short_clip_poster_is_its_first_frame():
    video = ingest_bytes(encode_clip(seconds=0.5, fps=12, seed=5), filename="short.mp4")
    with video.poster.file.open("rb") as fh:
        frame = Image.open(io.BytesIO(fh.read())).convert("L")
    row = [frame.getpixel((x, 120)) for x in range(320)]
    assert row.index(max(row)) < 20


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9, 0.99])
def test_truncated_mp4_is_refused(fraction):
    clip = encode_clip(seconds=2, seed=6)
    message = refusal(clip[: int(len(clip) * fraction)], "cut.mp4")
    assert message.startswith("The video is cut short: its “")
    assert "but the file ends after" in message


def test_mp4_without_index_is_refused():
    junk = struct.pack(">I", 16) + b"ftypisom" + b"\0" * 4 + struct.pack(">I", 12) + b"mdat" + b"\0" * 4
    assert refusal(junk, "empty.mp4") == "The video has no index (“moov” box): it is incomplete or not an MP4/MOV file."


def test_video_pixel_cap(settings):
    settings.MEDIA_MAX_IMAGE_PIXELS = 50_000
    assert refusal(encode_clip(seconds=0.5, seed=7), "big.mp4") == (
        "The video frame is 320×240 pixels, more than the limit of 50,000 pixels."
    )


def test_attach_file_checks_like_an_upload():
    ref = MediaItem.objects.create(kind="image", legacy_path="/2016/03/06/x.jpg", file_missing=True)
    with pytest.raises(ValidationError) as caught:
        attach_file(ref, b"<html>not a photo</html>")
    assert "HTML or XML document" in caught.value.message_dict["file"][0]
    ref.refresh_from_db()
    assert ref.file_missing and not ref.file
    attach_file(ref, draw_photo(300, 200, seed=8))
    ref.refresh_from_db()
    assert not ref.file_missing and (ref.width, ref.height) == (300, 200)


# -- video metadata and crash-safe writes (issue #13) ------------------------------------------

PLACE = b"+35.6892+051.3890"


def clip_with_location(container_format: str, options: dict | None = None) -> bytes:
    """A short H.264 clip carrying a shooting place the way phones do: `©xyz` in a MOV's user
    data, or Apple's `com.apple.quicktime.location.ISO6709` key in an MP4's metadata box."""
    import av

    out = io.BytesIO()
    with av.open(out, mode="w", format=container_format, options=options or {}) as container:
        container.metadata.update(
            {
                "location": "+35.6892+051.3890/",
                "com.apple.quicktime.location.ISO6709": "+35.6892+051.3890+1200.000/",
                "comment": "Shot by Jane Roe on her phone",
            }
        )
        stream = container.add_stream("libx264", rate=12)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        for index in range(18):
            image = Image.new("RGB", (160, 120), (index * 12, 40, 90))
            for packet in stream.encode(av.VideoFrame.from_image(image)):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


@pytest.mark.parametrize(
    "container_format, options, marker",
    [
        ("mov", None, b"\xa9xyz"),
        ("mp4", {"movflags": "use_metadata_tags"}, b"ISO6709"),
    ],
)
def test_a_videos_location_and_other_metadata_are_not_stored(container_format, options, marker):
    import av

    from media.probe import probe_video

    upload = clip_with_location(container_format, options)
    assert PLACE in upload and marker in upload and b"Jane Roe" in upload  # the sample carries them

    video = ingest_bytes(upload, filename="clip.mp4")

    stored = video.file.read()
    video.file.close()
    for secret in (PLACE, marker, b"Jane Roe", b"ISO6709", b"\xa9xyz"):
        assert secret not in stored, secret
    assert len(stored) == len(upload) == video.file_size  # boxes blanked in place: every offset holds
    info = probe_video(stored)  # still a playable video, as before
    assert (info.width, info.height, info.duration) == (160, 120, video.duration)
    with av.open(io.BytesIO(stored)) as container:
        assert not {"location", "comment", "com.apple.quicktime.location.ISO6709"} & set(container.metadata)
        assert sum(1 for _ in container.decode(video=0)) == 18


def test_a_videos_metadata_is_stripped_when_a_legacy_file_is_attached():
    item = MediaItem.objects.create(kind="video", legacy_path="/2017/02/03/clip_1_25f_4x3.mp4", file_missing=True)
    attach_file(item, clip_with_location("mov"))
    stored = item.file.read()
    item.file.close()
    assert PLACE not in stored and b"\xa9xyz" not in stored


def test_a_write_that_dies_midway_leaves_no_file(settings, monkeypatch):
    """The bytes go to a temporary name and are moved into place once whole: a write cut off
    midway leaves nothing under a stored name, and nothing at all when it fails in-process."""
    import os

    def disk_gone(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_gone)
    with pytest.raises(OSError):
        ingest_bytes(png_bytes(), filename="a.png")
    assert stored_files(settings) == []
    assert not MediaItem.objects.exists()


def test_a_row_that_fails_after_its_file_was_written_takes_the_file_with_it(settings, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(MediaItem, "save", refuse)
    with pytest.raises(RuntimeError):
        ingest_bytes(png_bytes(), filename="a.png")
    assert stored_files(settings) == []
