"""RSS and Atom feeds: valid, full content, video enclosures, public host, live articles only."""

import html

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.site.feeds import FEED_SIZE
from tests.factories import ArticleFactory, SectionFactory, TagFactory
from tests.syndication.conftest import PUBLIC_HOST, assert_no_marker

pytestmark = pytest.mark.django_db

FEED_URLS = ["/feeds/rss/", "/feeds/atom/", "/feeds/section/harbours/rss/"]


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, f"{url} is not well-formed: {feed.get('bozo_exception')}"
    return response, feed


@pytest.mark.parametrize("url,version", [("/feeds/rss/", "rss20"), ("/feeds/atom/", "atom10")])
def test_site_feed_is_valid_newest_first_with_full_body(client, url, version):
    now = timezone.now()
    older = ArticleFactory(
        title="Ferry timetable changes",
        published_at=now - timezone.timedelta(hours=5),
        body="<p>Ferries run <strong>hourly</strong> from Monday.</p>",
    )
    newer = ArticleFactory(title="Port cranes return", published_at=now - timezone.timedelta(hours=1))

    response, feed = fetch(client, url)

    assert feed.version == version
    assert [entry.title for entry in feed.entries] == [newer.title, older.title]
    entry = feed.entries[1]
    assert entry.link == PUBLIC_HOST + older.get_absolute_url()
    assert entry.summary == older.summary
    assert entry.content[0].value == "<p>Ferries run <strong>hourly</strong> from Monday.</p>"
    assert feed.feed.link == PUBLIC_HOST + "/"


def test_video_article_carries_its_mp4_as_enclosure(client, video_item):
    video = ArticleFactory(title="Harbour at dawn", kind="video", lead_media=video_item)
    ArticleFactory(title="Text only story")

    for url in ("/feeds/rss/", "/feeds/atom/"):
        _, feed = fetch(client, url)
        by_title = {entry.title: entry for entry in feed.entries}
        enclosures = by_title[video.legacy_title].enclosures
        assert len(enclosures) == 1, url
        assert enclosures[0].href == PUBLIC_HOST + video_item.url
        assert enclosures[0].href.endswith(".mp4")
        assert int(enclosures[0].length) == video_item.file_size > 0
        assert enclosures[0].type == "video/mp4"
        assert by_title["Text only story"].enclosures == []


def test_video_label_is_part_of_the_feed_title(client, video_item):
    ArticleFactory(title="Divers clear the channel", kind="video", lead_media=video_item)
    _, feed = fetch(client, "/feeds/rss/")
    assert feed.entries[0].title == "VIDEO: Divers clear the channel"


def test_feed_holds_a_bounded_number_of_articles(client):
    section = SectionFactory()
    ArticleFactory.create_batch(FEED_SIZE + 3, section=section)
    _, feed = fetch(client, "/feeds/rss/")
    assert len(feed.entries) == FEED_SIZE


def test_section_feed_holds_the_section_and_its_subsections_only(client):
    iraq = SectionFactory(name="Iraq", slug="iraq")
    mosul = SectionFactory(name="Mosul", slug="mosul", parent=iraq)
    syria = SectionFactory(name="Syria", slug="syria")
    ArticleFactory(title="Baghdad budget passes", section=iraq)
    ArticleFactory(title="Mosul bridge rebuilt", section=mosul)
    ArticleFactory(title="Aleppo market reopens", section=syria)

    _, feed = fetch(client, "/feeds/section/iraq/rss/")
    assert {entry.title for entry in feed.entries} == {"Baghdad budget passes", "Mosul bridge rebuilt"}
    assert feed.feed.link == PUBLIC_HOST + "/section/iraq/"
    assert "Iraq" in feed.feed.title

    _, feed = fetch(client, "/feeds/section/iraq/mosul/rss/")
    assert [entry.title for entry in feed.entries] == ["Mosul bridge rebuilt"]
    assert "Iraq – Mosul" in feed.feed.title


def test_unknown_section_feed_is_404(client):
    SectionFactory(name="Iraq", slug="iraq")
    assert client.get("/feeds/section/atlantis/rss/").status_code == 404
    assert client.get("/feeds/section/iraq/atlantis/rss/").status_code == 404


@pytest.mark.parametrize("url", FEED_URLS)
def test_hidden_articles_appear_in_no_feed(client, hidden_world, url):
    response, feed = fetch(client, url)
    assert [entry.title for entry in feed.entries] == [hidden_world["live"].title]
    assert_no_marker(response.content.decode(), url)


def test_tags_and_section_become_categories(client):
    section = SectionFactory(name="Harbours", slug="harbours")
    ArticleFactory(section=section, tags=[TagFactory(name="Shipping"), TagFactory(name="Weather")])
    _, feed = fetch(client, "/feeds/rss/")
    assert {tag.term for tag in feed.entries[0].tags} == {"Harbours", "Shipping", "Weather"}


def test_control_characters_in_legacy_text_do_not_break_the_feed(client):
    ArticleFactory(title="Tide\x0b tables\x1f published", summary="Low\x08 tide at noon.")
    for url in ("/feeds/rss/", "/feeds/atom/"):
        _, feed = fetch(client, url)
        assert feed.entries[0].title == "Tide tables published"


def shown(detail) -> str:
    """What a reader shows for a feedparser text construct: HTML rendered, text as it is."""
    return html.unescape(detail.value) if detail.type == "text/html" else detail.value


def test_markup_in_titles_is_escaped_not_interpreted(client):
    title = 'Crews say "done" <script>alert(1)</script> & leave'
    ArticleFactory(title=title, summary="Tugs <b>stay</b> & wait")
    for url in ("/feeds/rss/", "/feeds/atom/"):
        response, feed = fetch(client, url)
        assert b"<script>" not in response.content
        assert shown(feed.entries[0].title_detail) == title, url
        # The summary is text in an HTML field: a reader shows the tags as typed, bold nowhere.
        assert shown(feed.entries[0].summary_detail) == "Tugs <b>stay</b> & wait", url


@pytest.mark.parametrize("url", FEED_URLS)
def test_feed_query_count_does_not_grow_with_articles(client, video_item, url):
    section = SectionFactory(name="Harbours", slug="harbours")
    tags = TagFactory.create_batch(3)

    def make(n):
        for _ in range(n):
            ArticleFactory(section=section, tags=tags, kind="video", lead_media=video_item)

    def count():
        fetch(client, url)  # the page cache's once-per-generation look-ups happen here
        with CaptureQueriesContext(connection) as queries:
            fetch(client, url)
        return len(queries)

    make(2)
    few = count()
    make(20)
    assert count() == few
