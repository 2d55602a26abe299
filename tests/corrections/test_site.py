"""Readers see corrections: a dated block under the story, the NewsArticle JSON-LD's
`correction`, the site-wide /corrections/ page and its feed, and article feeds whose entry is
marked updated and carries the note. Cached pages show a new correction on the next request."""

import json
import re
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import actions
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("c")</script> & </p><b>bold</b>'


def json_ld(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def correct(actor, article, kind, text, at):
    with time_machine.travel(at, tick=False):
        return actions.add_correction(actor=actor, article=article, kind=kind, text=text)


@pytest.fixture
def corrected(people, story):
    start = datetime.now(UTC) + timedelta(minutes=1)
    first = correct(people["editor"], story, "correction", "The span is 120 metres, not 210.", start)
    second = correct(people["chief"], story, "update", "Buses run again from Monday.", start + timedelta(hours=2))
    return {"story": story, "first": first, "second": second}


def block(html: str) -> str:
    found = re.search(r'<section class="corrections" id="corrections".*?</section>', html, re.S)
    assert found, "no corrections block on the page"
    return found.group(0)


def test_the_story_page_shows_its_corrections_dated_oldest_first(client, corrected):
    html = client.get(corrected["story"].get_absolute_url()).content.decode()
    shown = block(html)
    assert "<h2" in shown and "Corrections and updates" in shown
    assert shown.index("The span is 120 metres, not 210.") < shown.index("Buses run again from Monday.")
    assert f'id="correction-{corrected["first"].pk}"' in shown
    assert shown.count("<time datetime=") == 2
    assert "<strong>Correction</strong>" in shown and "<strong>Update</strong>" in shown


def test_a_story_without_corrections_has_no_block(client, story):
    assert 'id="corrections"' not in client.get(story.get_absolute_url()).content.decode()


def test_the_json_ld_carries_each_correction(client, corrected):
    html = client.get(corrected["story"].get_absolute_url()).content.decode()
    [article] = [data for data in json_ld(html) if data.get("@type") == "NewsArticle"]
    assert article["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "The span is 120 metres, not 210.",
            "datePublished": corrected["first"].published_at.isoformat(),
        },
        {
            "@type": "CorrectionComment",
            "text": "Buses run again from Monday.",
            "datePublished": corrected["second"].published_at.isoformat(),
        },
    ]
    assert article["dateModified"] == corrected["second"].published_at.isoformat()


def test_hostile_correction_text_stays_text_everywhere(client, people, story):
    correct(people["editor"], story, "clarification", HOSTILE, datetime.now(UTC) + timedelta(seconds=1))
    for url in (story.get_absolute_url(), "/corrections/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<b>bold</b>" not in html, url
        assert "&lt;script&gt;alert(&quot;c&quot;)&lt;/script&gt; &amp; &lt;/p&gt;&lt;b&gt;bold&lt;/b&gt;" in html, url
    [article] = [
        d for d in json_ld(client.get(story.get_absolute_url()).content.decode()) if d["@type"] == "NewsArticle"
    ]
    assert article["correction"][0]["text"] == HOSTILE
    feed = feedparser.parse(client.get("/corrections/feed/").content)
    assert feed.bozo == 0 and "<script>" not in feed.entries[0].summary


def test_the_corrections_page_lists_live_stories_corrections_newest_first(client, people, corrected, commit):
    other = ArticleFactory(title="Ferry timetable changes")
    third = correct(
        people["editor"], other, "clarification", "Weekend sailings only.", datetime.now(UTC) + timedelta(hours=5)
    )
    html = client.get("/corrections/").content.decode()
    assert html.index("Weekend sailings only.") < html.index("Buses run again") < html.index("The span is 120")
    assert f'href="{other.get_absolute_url()}#corrections"' in html
    assert 'type="application/rss+xml"' in html and 'href="/corrections/feed/"' in html
    del third

    with commit():
        actions.unpublish(actor=people["chief"], article=other)  # withdrawn: its corrections go with it
    assert "Weekend sailings only." not in client.get("/corrections/").content.decode()


def test_an_empty_corrections_page_says_so(client):
    html = client.get("/corrections/").content.decode()
    assert "No corrections have been published." in html


def test_the_corrections_feed_has_one_item_per_correction(client, corrected):
    response = client.get("/corrections/feed/")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    story = corrected["story"]
    assert [entry.title for entry in feed.entries] == [
        "Update: Bridge reopens after repairs",
        "Correction: Bridge reopens after repairs",
    ]
    assert feed.entries[0].link.endswith(f"{story.get_absolute_url()}#corrections")
    assert len({entry.id for entry in feed.entries}) == 2
    assert feed.entries[1].summary == "The span is 120 metres, not 210."


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_article_feeds_carry_the_notes_and_mark_the_entry_updated(client, corrected, url):
    feed = feedparser.parse(client.get(url).content)
    [entry] = [e for e in feed.entries if e.title == "Bridge reopens after repairs"]
    content = entry.content[0].value
    assert content.index("Buses run again from Monday.") < content.index("The span is 120 metres")
    assert "Update, " in content and "Correction, " in content
    if url.endswith("atom/"):
        updated = datetime(*entry.updated_parsed[:6], tzinfo=UTC)
        assert updated == corrected["second"].published_at.replace(microsecond=0)


def test_page_queries_do_not_grow_with_corrections(client, people, story):
    other = ArticleFactory(title="Second story")
    later = datetime.now(UTC) + timedelta(minutes=1)
    correct(people["editor"], story, "update", "One.", later)
    for n in range(5):
        correct(people["editor"], other, "update", f"Note {n}.", later + timedelta(seconds=n))

    def count(article) -> int:
        client.get(article.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            client.get(article.get_absolute_url())
        return len(queries)

    assert count(story) == count(other)


def test_cached_pages_show_a_new_correction_on_the_next_request(client, settings, people, story, commit):
    settings.PAGE_CACHE_SECONDS = 300
    unrelated = ArticleFactory(title="Unrelated story")
    for url in (story.get_absolute_url(), "/corrections/", "/corrections/feed/", unrelated.get_absolute_url()):
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"

    with commit():
        actions.add_correction(actor=people["editor"], article=story, kind="update", text="Opened at noon.")

    for url in (story.get_absolute_url(), "/corrections/", "/corrections/feed/"):
        response = client.get(url)
        assert "Opened at noon." in response.content.decode(), url
    assert client.get(unrelated.get_absolute_url())["X-Page-Cache"] == "hit"
