"""`manage.py cleanup_media` lists (and with --delete removes) files that no row names, such as
the ones an upload killed midway leaves behind, sparing recent files (uploads in progress)."""

import io
import os
import time

import pytest
from django.core.management import CommandError, call_command

from media.actions import attach_captions
from media.ingest import ingest_bytes
from media.renditions import make_all
from media.samples import draw_photo, encode_clip

pytestmark = pytest.mark.django_db

DAYS_AGO = time.time() - 3 * 86_400
VTT = b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n"


def put(root, name: str, data: bytes = b"x" * 100, *, old: bool = True):
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if old:
        os.utime(path, (DAYS_AGO, DAYS_AGO))
    return path


def age_everything(root):
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (DAYS_AGO, DAYS_AGO))


def cleanup(*args) -> str:
    out = io.StringIO()
    call_command("cleanup_media", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def library(settings):
    """Stored media (an image with renditions, a video with its poster and captions), all old,
    plus what a killed upload leaves: a whole file no row names and a partial one."""
    root = settings.MEDIA_ROOT
    photo = ingest_bytes(draw_photo(800, 600, seed=3), filename="a.jpg")
    make_all(photo, formats=("webp",))
    video = ingest_bytes(encode_clip(seconds=0.5, seed=9), filename="v.mp4")
    attach_captions(actor=None, item=video, data=VTT)
    age_everything(root)
    kept = [p for p in root.rglob("*") if p.is_file()]
    orphan = put(root, "library/2026/11/0123456789abcdef0123456789abcdef.jpg", b"y" * 1_000)
    partial = put(root, "library/2026/11/.fedcba9876543210fedcba9876543210.mp4.partial", b"z" * 500)
    fresh = put(root, "library/2026/12/abcdefabcdefabcdefabcdefabcdefab.png", old=False)
    return {"root": root, "kept": kept, "orphan": orphan, "partial": partial, "fresh": fresh}


def test_dry_run_lists_old_unnamed_files_and_deletes_nothing(library):
    output = cleanup()
    root = library["root"]
    assert "library/2026/11/0123456789abcdef0123456789abcdef.jpg" in output
    assert "library/2026/11/.fedcba9876543210fedcba9876543210.mp4.partial" in output
    assert "abcdefabcdefabcdefabcdefabcdefab.png" not in output  # younger than the grace period
    for path in library["kept"]:
        assert str(path.relative_to(root)) not in output
    assert "2 orphan file(s), 1,500 bytes" in output and "Dry run: nothing was deleted" in output
    assert all(p.exists() for p in [*library["kept"], library["orphan"], library["partial"], library["fresh"]])
    assert len(library["kept"]) >= 6  # image, renditions, video, poster, captions


def test_delete_removes_only_old_unnamed_files(library):
    output = cleanup("--delete")
    assert "Deleted 2 orphan file(s), 1,500 bytes" in output
    assert not library["orphan"].exists() and not library["partial"].exists()
    assert library["fresh"].exists() and all(p.exists() for p in library["kept"])
    assert "0 orphan file(s)" in cleanup()


def test_a_shorter_grace_period_includes_recent_files(library):
    output = cleanup("--grace-hours", "0", "--delete")
    assert "Deleted 3 orphan file(s)" in output and not library["fresh"].exists()
    assert all(p.exists() for p in library["kept"])


def test_a_negative_grace_period_is_refused():
    with pytest.raises(CommandError, match="--grace-hours must be 0 or more"):
        cleanup("--grace-hours", "-1")


def test_an_empty_or_missing_media_folder_is_fine(settings):
    assert "0 orphan file(s)" in cleanup()
