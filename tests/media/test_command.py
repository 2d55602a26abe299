"""`manage.py make_renditions` pre-makes every rendition."""

import io

import pytest
from django.core.management import CommandError, call_command

from media import renditions
from media.ingest import ingest_bytes
from media.models import MediaItem, Rendition
from media.samples import draw_photo

pytestmark = pytest.mark.django_db


def test_makes_every_spec_in_both_formats_once():
    item = ingest_bytes(draw_photo(1400, 1000, seed=61), filename="a.jpg")
    MediaItem.objects.create(kind="image", legacy_path="/x.jpg", file_missing=True)
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    expected = len(renditions.ALL_SPECS) * len(renditions.FORMATS)
    assert Rendition.objects.filter(media=item).count() == expected
    assert out.getvalue().strip() == f"{expected} renditions in place; 0 items skipped."
    sizes = {(r.spec, r.format): (r.width, r.height) for r in Rendition.objects.all()}
    assert sizes[("w1280", "webp")] == (1280, 914) and sizes[("1x1-w1280", "jpeg")] == (1000, 1000)
    call_command("make_renditions", stdout=io.StringIO())
    assert Rendition.objects.count() == expected


def test_unknown_id_is_an_error():
    with pytest.raises(CommandError, match="No media item with a file has id 424242"):
        call_command("make_renditions", "424242")
