"""The demo newsroom as a reader sees it: the legacy-shaped lead story, the Arabic story, the
sections, and pictures that look like pictures."""

import io
import re

import pytest
from django.core.management import call_command
from PIL import ImageStat

from articles.demo import pictures
from articles.demo.stories import LEGACY_LEAD, LEGACY_PAGES
from articles.models import Article


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def section_of(html: str, start: str, end: str) -> str:
    assert start in html, f"{start!r} not on the page"
    return html.split(start, 1)[1].split(end, 1)[0]


def test_the_demo_pages_a_reader_walks_through(demo, client):
    home = client.get("/").content.decode()
    nav = re.findall(r'href="/section/([\w-]+)/"', home)
    assert nav[:6] == ["world", "business", "science", "health", "sport", "culture"]

    # The legacy-shaped story came in through the importer and leads the home page.
    lead_title = next(p.title for p in LEGACY_PAGES if p.key == LEGACY_LEAD).removeprefix("VIDEO: ")
    lead = Article.objects.live().get(title=lead_title)
    assert lead.legacy_id is not None and lead.pinned
    assert lead.get_absolute_url() in home
    page = client.get(lead.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    crumbs = section_of(html, 'class="breadcrumb"', "</nav>")
    assert re.findall(r">([^<>]+)</a>", crumbs) == ["World", "Middle East", "Iraq"]
    assert re.search(r"<video [^>]*poster=", html) and '<track kind="captions"' in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d"', html)
    assert '<p class="signoff">S/SH 11</p>' in html
    related = section_of(html, 'aria-labelledby="related-heading"', "</aside>")
    assert related.count('class="related-item"') == 10
    assert related.count('href="/news/') == 10

    arabic = Article.objects.live().get(language="ar")
    html = client.get(arabic.get_absolute_url()).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert arabic.title in section_of(html, "<h1", "</h1>")

    world = client.get("/section/world/middle-east/").content.decode()
    assert world.count("<article") >= 10


@pytest.mark.parametrize("motif", sorted(pictures.MOTIFS))
def test_each_picture_motif_is_a_scene_not_a_flat_colour(motif):
    image = pictures.scene(motif, seed=1)
    assert image.size == (pictures.WIDTH, pictures.HEIGHT)
    spread = ImageStat.Stat(image.convert("L")).stddev[0]
    assert spread > 15, f"{motif} is nearly flat (luminance spread {spread:.1f})"
    colours = image.resize((160, 100)).getcolors(maxcolors=16_000)
    assert colours is None or len(colours) > 40
    assert pictures.photo(motif, 1) == pictures.photo(motif, 1)
    assert pictures.photo(motif, 1) != pictures.photo(motif, 2)


def test_an_unknown_motif_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown motif “mural”"):
        pictures.scene("mural", 1)


def test_demo_clips_play_as_h264_video(tmp_path):
    import av

    path = tmp_path / "clip.mp4"
    path.write_bytes(pictures.clip("pitch", 3, seconds=1.0))
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert sum(1 for _ in container.decode(stream)) >= 10
