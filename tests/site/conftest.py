"""Fixtures for the public site tests: a small tree of sections and media items with files."""

import pytest
from django.core.files.base import ContentFile

from media.models import MediaItem
from tests.factories import ArticleFactory, ImageFactory, SectionFactory, jpeg_bytes


@pytest.fixture
def tree(db):
    """Iraq › Conflict › Mosul, plus an unrelated top-level section."""
    iraq = SectionFactory(name="Iraq", slug="iraq")
    conflict = SectionFactory(name="Conflict", slug="conflict", parent=iraq)
    mosul = SectionFactory(name="Mosul", slug="mosul", parent=conflict)
    syria = SectionFactory(name="Syria", slug="syria")
    return {"iraq": iraq, "conflict": conflict, "mosul": mosul, "syria": syria}


def make_image(**kwargs):
    defaults = {"width": 1600, "height": 900, "alt_text": "Engineers inspect a bridge at dusk"}
    defaults.update(kwargs)
    return ImageFactory(file=ContentFile(jpeg_bytes(160, 90), name="photo.jpg"), **defaults)


def make_video(**kwargs):
    poster = make_image(alt_text="", title="Poster")
    item = MediaItem(
        kind=MediaItem.Kind.VIDEO,
        title="Clip",
        alt_text=kwargs.pop("alt_text", "A pontoon bridge is towed into place"),
        width=1280,
        height=720,
        duration=65.0,
        codec="h264",
        file_size=4096,
        poster=poster,
        sha256=f"{MediaItem.objects.count() + 10**6:064x}",
        **kwargs,
    )
    item.file.save("clip.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42 not really a video"), save=False)
    item.save()
    return item


@pytest.fixture
def image():
    return make_image()


@pytest.fixture
def video():
    return make_video()


@pytest.fixture
def article_in_tree(tree):
    return ArticleFactory(section=tree["mosul"])
