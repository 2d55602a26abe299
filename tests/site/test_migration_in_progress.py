"""The site while the legacy archive is only partly imported: related items not imported yet
(stubs) and video stories whose file has not arrived."""

import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.legacy.links import parse_legacy_site_url
from articles.models import Article
from media.models import MediaItem
from tests.factories import ArticleFactory, RelatedLinkFactory
from tests.importer.pages import FOUND_PICTURES, LIGHTHOUSE, MISSING_MEDIA_PAGES, NOT_FOUND, partial_media_root
from tests.site.conftest import make_image, make_video

pytestmark = pytest.mark.django_db

OLD = "https://old.example.com"
PAGES = Path(__file__).resolve().parent.parent / "importer" / MISSING_MEDIA_PAGES
STUB_TITLES = [  # the lighthouse page's related list, in its legacy order
    "Harbour pilots finish winter training",
    "Fishing fleet returns early from the gulf",
    "Storm surge floods the corniche",
    "Coastal road reopens after a rockfall",
    "Dhow builders at work in Sur",
    "Ferry service adds a night crossing",
    "Marine reserve counts its nesting turtles",
]


@pytest.fixture
def imported(tmp_path):
    """The two fixture pages imported with a media folder holding only two of their pictures."""
    call_command("import_legacy", str(PAGES), media_root=str(partial_media_root(tmp_path)), stdout=io.StringIO())
    return Article.objects.get(title=LIGHTHOUSE)


def related_block(page: str) -> str:
    match = re.search(r'<aside class="related".*?</aside>', page, re.S)
    return match.group(0) if match else ""


def legacy_links(page: str) -> list[str]:
    return [html.unescape(url) for url in re.findall(r'<a href="([^"]+)" rel="external noreferrer"', page)]


# --- related items not imported yet ---------------------------------------------------------


def test_without_legacy_site_url_stubs_stay_hidden(client, imported, settings):
    settings.LEGACY_SITE_URL = ""
    page = client.get(imported.get_absolute_url()).content.decode()
    assert related_block(page) == ""  # all seven related items are stubs
    assert OLD not in page and "old.example.com" not in page


def test_with_legacy_site_url_stubs_link_to_the_old_site_with_title_and_picture(client, imported, settings):
    settings.LEGACY_SITE_URL = OLD
    block = related_block(client.get(imported.get_absolute_url()).content.decode())
    assert legacy_links(block) == [f"{OLD}/news/{legacy_id}" for legacy_id in range(7901, 7908)]
    titles = [html.unescape(t) for t in re.findall(r'<span class="related-title">([^<]*)</span>', block)]
    assert titles == STUB_TITLES
    assert block.count("(on old.example.com)") == 7
    assert re.findall(r'<span class="kind">([A-Z]+)</span>', block) == ["VIDEO", "PHOTOS"]
    # The two pictures the importer found are served from here, the others from the old site;
    # the storm-surge video has no picture at all.
    assert block.count("<picture>") == 2
    old_pictures = re.findall(r'<img src="([^"]+)" alt="" loading="lazy" decoding="async" referrerpolicy', block)
    assert old_pictures == [
        f"{OLD}/2017/03/0{day}/coast_63620{day}00000000000{day}_25f_4x3.jpg" for day in (4, 5, 6, 7)
    ]
    assert NOT_FOUND["lighthouse.txt"][0] not in block  # the storm-surge video
    assert OLD + FOUND_PICTURES[0] not in block


def test_stub_links_follow_a_pattern_with_an_id_placeholder(client, imported, settings):
    settings.LEGACY_SITE_URL = "http://archive.example.net/en/story.php?id={id}&lang=en"
    block = related_block(client.get(imported.get_absolute_url()).content.decode())
    assert legacy_links(block)[0] == "http://archive.example.net/en/story.php?id=7901&lang=en"
    assert 'story.php?id=7901&amp;lang=en"' in block  # escaped in the attribute
    assert 'src="http://archive.example.net/2017/03/04/' in block  # pictures from the site's root


def test_live_items_and_stubs_keep_their_editorial_order(client, tree, settings):
    settings.LEGACY_SITE_URL = OLD + "/"
    article = ArticleFactory(section=tree["mosul"])
    first, last = ArticleFactory(title="Bridge reopens"), ArticleFactory(title="Bridge closes")
    stub = ArticleFactory(title="Ferry sinks", draft=True, is_stub=True, legacy_id=5150)
    draft = ArticleFactory(title="Unfinished story", draft=True)
    no_address = ArticleFactory(title="Stub without a legacy id", draft=True, is_stub=True)
    for position, target in enumerate([first, stub, draft, no_address, last]):
        RelatedLinkFactory(source=article, target=target, position=position)
    block = related_block(client.get(article.get_absolute_url()).content.decode())
    titles = re.findall(r'<span class="related-title">([^<]*)</span>', block)
    assert titles == ["Bridge reopens", "Ferry sinks", "Bridge closes"]
    assert legacy_links(block) == [f"{OLD}/news/5150"]
    assert f'href="{first.get_absolute_url()}"' in block


def test_stub_text_and_addresses_are_escaped(client, tree, settings):
    settings.LEGACY_SITE_URL = OLD
    article = ArticleFactory(section=tree["mosul"])
    picture = MediaItem.objects.create(kind="image", file_missing=True, legacy_path='/2017/01/01/a" onerror="x.jpg')
    stub = ArticleFactory(
        title='<script>alert("x")</script> & co', draft=True, is_stub=True, legacy_id=77, lead_media=picture
    )
    RelatedLinkFactory(source=article, target=stub)
    block = related_block(client.get(article.get_absolute_url()).content.decode())
    assert "<script>" not in block and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in block
    assert 'onerror="' not in block and f'src="{OLD}/2017/01/01/a%22%20onerror%3D%22x.jpg"' in block


def test_stubs_never_get_a_public_page_or_listing_of_their_own(client, imported, settings):
    settings.LEGACY_SITE_URL = OLD
    stub = Article.objects.get(legacy_id=7904)
    assert stub.is_stub
    assert client.get(f"/news/{stub.pk}/{stub.slug}/").status_code == 404
    assert client.get("/legacy/7904/").status_code == 404
    index = client.get("/sitemap.xml").content.decode()
    sitemaps = [re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"<loc>([^<]+)</loc>", index)]
    assert sitemaps
    for url in (
        "/",
        "/section/oman/coast/musandam/",
        "/search/?q=rockfall",
        "/feeds/rss/",
        "/feeds/atom/",
        "/api/v1/articles/",
        *sitemaps,
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Coastal road reopens" not in response.content.decode(), url
    assert client.get(f"/api/v1/articles/{stub.pk}/").status_code == 404


def query_count(client, url, warm_url) -> int:
    # Warms what is computed once per content generation (navigation, the section's crumbs).
    client.get(warm_url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200 and response.get("X-Page-Cache") != "hit"
    return len(captured)


def test_query_count_stays_the_same_with_stubs_in_the_list(client, tree, settings):
    def article_with(stubs: int, live: int) -> Article:
        article = ArticleFactory(section=tree["mosul"])
        for position in range(stubs + live):
            if position < stubs:
                media = MediaItem.objects.create(
                    kind="image", file_missing=True, legacy_path=f"/2017/01/01/p{article.pk}_{position}.jpg"
                )
                target = ArticleFactory(
                    draft=True,
                    is_stub=True,
                    legacy_id=article.pk * 1000 + position,
                    lead_media=media if position % 2 else make_image(),
                )
            else:
                target = ArticleFactory(lead_media=make_video())
            RelatedLinkFactory(source=article, target=target, position=position)
        return article

    warm = ArticleFactory(section=tree["mosul"]).get_absolute_url()
    plain = article_with(0, 1)
    without = query_count(client, plain.get_absolute_url(), warm + "?1")
    settings.LEGACY_SITE_URL = OLD
    small, large = article_with(1, 1), article_with(20, 10)
    assert query_count(client, small.get_absolute_url(), warm + "?2") == without
    assert query_count(client, large.get_absolute_url(), warm + "?3") == without
    assert related_block(client.get(large.get_absolute_url()).content.decode()).count("<li class=") == 30


def test_legacy_site_url_must_be_a_web_address():
    assert parse_legacy_site_url("") == ("", "")
    assert parse_legacy_site_url(" https://old.example.com/ ") == (
        "https://old.example.com/news/{id}",
        "https://old.example.com",
    )
    assert parse_legacy_site_url("https://old.example.com/en/?p={id}") == (
        "https://old.example.com/en/?p={id}",
        "https://old.example.com",
    )
    for bad in (
        "old.example.com",
        "javascript:alert(1)",
        "ftp://old.example.com",
        "https://{id}.example.com",
        "https://user:pw@old.example.com",
        "https://old.example.com/{id}/{id}",
    ):
        with pytest.raises(ImproperlyConfigured, match="LEGACY_SITE_URL"):
            parse_legacy_site_url(bad)


def test_start_up_stops_on_a_bad_legacy_site_url():
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "1",
        "LEGACY_SITE_URL": "javascript:alert(1)",
        "NEWSROOM_ENV_FILE": "",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "LEGACY_SITE_URL “javascript:alert(1)” is not the address of a web site" in done.stderr + done.stdout


# --- video stories without their video ------------------------------------------------------


def json_ld(page: str) -> list[dict]:
    return [
        json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    ]


def test_imported_video_story_without_its_file_says_so_and_plays_nothing(client, imported, settings):
    settings.LEGACY_SITE_URL = ""
    assert imported.kind == "video" and imported.lead_media.file_missing
    page = client.get(imported.get_absolute_url()).content.decode()
    assert '<p class="kind">VIDEO</p>' in page
    assert "<video" not in page and "<source" not in page
    assert "The video of this story is not available here yet." in page
    assert "Watch it on" not in page
    articles = [block for block in json_ld(page) if block["@type"] == "NewsArticle"]
    assert articles and "video" not in articles[0]
    assert "VideoObject" not in page and "og:video" not in page


def test_with_legacy_site_url_the_story_links_to_its_video_on_the_old_site(client, imported, settings):
    settings.LEGACY_SITE_URL = OLD
    page = client.get(imported.get_absolute_url()).content.decode()
    assert imported.legacy_id == 7900
    assert f'<a href="{OLD}/news/7900" rel="external noreferrer">Watch it on old.example.com</a>' in page
    assert "<video" not in page


def test_video_without_file_shows_its_poster(client, tree):
    video = make_video()
    MediaItem.objects.filter(pk=video.pk).update(file_missing=True, file="")
    article = ArticleFactory(section=tree["mosul"], kind=Article.Kind.VIDEO, lead_media=video)
    page = client.get(article.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="lead-media lead-video-unavailable">.*?</figure>', page, re.S).group(0)
    assert "<picture>" in figure and 'alt="A pontoon bridge is towed into place"' in figure
    assert "not available here yet" in figure and "<video" not in page
    assert "VideoObject" not in page


def test_video_story_with_a_photo_lead_shows_the_photo_and_says_the_video_is_missing(client, tree):
    article = ArticleFactory(section=tree["mosul"], kind=Article.Kind.VIDEO, lead_media=make_image())
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<picture>" in page and "not available here yet" in page and "<video" not in page


def test_a_playable_video_is_unchanged(client, tree):
    article = ArticleFactory(section=tree["mosul"], kind=Article.Kind.VIDEO, lead_media=make_video())
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<video" in page and '<source src="' in page and "not available" not in page
    assert any(block.get("video", {}).get("@type") == "VideoObject" for block in json_ld(page))
