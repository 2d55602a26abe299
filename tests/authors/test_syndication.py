"""Authors in feeds and sitemaps: RSS `dc:creator`, Atom `<author>`, the author's own Atom feed
and the authors' sitemap (public authors only)."""

from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
import xmlschema
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.authors.site_support import HIDDEN_STORIES, HOST, credit, hidden_story_fields, story_by
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XSD = Path(__file__).parents[1] / "syndication" / "xsd"
HOSTILE_NAME = 'Sam </script><script>alert("name")</script> & <b>Co</b>'


@pytest.fixture(autouse=True)
def _public_host(settings):
    settings.SITE_URL = HOST
    settings.PAGE_CACHE_SECONDS = 0


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, f"{url} is not well-formed: {feed.get('bozo_exception')}"
    return response, feed


@pytest.fixture
def joint_story():
    sara = AuthorFactory(name="Sara Hamidi", slug="sara-hamidi")
    omar = AuthorFactory(name="Omar Khalil", slug="omar-khalil")
    return credit(ArticleFactory(title="Joint story"), sara, omar), sara, omar


def test_rss_items_carry_one_dc_creator_per_author_in_byline_order(client, joint_story):
    article, sara, omar = joint_story
    ArticleFactory(title="Wire story", published_at=timezone.now() - timezone.timedelta(days=1))
    response, feed = fetch(client, "/feeds/rss/")
    root = ElementTree.fromstring(response.content)
    assert b'xmlns:dc="http://purl.org/dc/elements/1.1/"' in response.content.split(b"<channel>")[0]
    items = {item.findtext("title"): item for item in root.iter("item")}
    assert [el.text for el in items["Joint story"].findall(f"{DC}creator")] == ["Sara Hamidi", "Omar Khalil"]
    assert items["Wire story"].findall(f"{DC}creator") == []
    assert feed.entries[0].authors == [{"name": "Sara Hamidi"}, {"name": "Omar Khalil"}]


def test_atom_entries_carry_an_author_element_per_author_with_its_page(client, joint_story):
    article, sara, omar = joint_story
    ArticleFactory(title="Wire story", source="Wire Agency", published_at=timezone.now() - timezone.timedelta(days=1))
    response, feed = fetch(client, "/feeds/atom/")
    root = ElementTree.fromstring(response.content)
    entries = {entry.findtext(f"{ATOM}title"): entry for entry in root.iter(f"{ATOM}entry")}
    authors = [
        (author.findtext(f"{ATOM}name"), author.findtext(f"{ATOM}uri"))
        for author in entries["Joint story"].findall(f"{ATOM}author")
    ]
    assert authors == [
        ("Sara Hamidi", f"{HOST}/authors/sara-hamidi/"),
        ("Omar Khalil", f"{HOST}/authors/omar-khalil/"),
    ]
    # Every Atom entry needs an author: a story without a byline names its source.
    fallback = entries["Wire story"].findall(f"{ATOM}author")
    assert [(a.findtext(f"{ATOM}name"), a.find(f"{ATOM}uri")) for a in fallback] == [("Wire Agency", None)]
    by_title = {entry.title: entry for entry in feed.entries}
    assert [a.name for a in by_title["Joint story"].authors] == ["Sara Hamidi", "Omar Khalil"]
    assert by_title["Joint story"].authors[0].href == f"{HOST}/authors/sara-hamidi/"


def test_author_feed_is_valid_atom_of_their_live_stories_newest_first(client, joint_story):
    article, sara, omar = joint_story
    now = timezone.now()
    older = story_by(sara, title="Older solo story", published_at=now - timezone.timedelta(days=1))
    story_by(omar, title="Omar alone")
    for kind in HIDDEN_STORIES:
        story_by(sara, title=f"Hidden {kind} story", **hidden_story_fields(kind))

    response, feed = fetch(client, "/authors/sara-hamidi/feed/")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == ["Joint story", older.title]
    assert "Hidden" not in response.content.decode()
    assert feed.feed.title == "Newsroom: Sara Hamidi"
    assert feed.feed.subtitle == "Stories by Sara Hamidi from Newsroom."
    assert feed.feed.link == f"{HOST}/authors/sara-hamidi/"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [f"{HOST}/authors/sara-hamidi/feed/"]
    assert feed.feed.author_detail == {"name": "Sara Hamidi", "href": f"{HOST}/authors/sara-hamidi/"}
    assert feed.entries[0].link == f"{HOST}{article.get_absolute_url()}"


@pytest.mark.parametrize("kind", list(HIDDEN_STORIES))
def test_no_feed_for_an_author_with_only_hidden_stories(client, kind):
    story_by(AuthorFactory(slug="hidden-author"), **hidden_story_fields(kind))
    assert client.get("/authors/hidden-author/feed/").status_code == 404


def test_hostile_author_names_stay_text_in_every_feed(client):
    author = AuthorFactory(name=HOSTILE_NAME, slug="hostile")
    story_by(author, title="Harbour story")
    for url in ("/feeds/rss/", "/feeds/atom/", "/authors/hostile/feed/"):
        response, feed = fetch(client, url)
        assert b"<script>" not in response.content and b"<b>" not in response.content, url
        root = ElementTree.fromstring(response.content)
        names = [el.text for el in root.iter(f"{DC}creator")] + [el.text for el in root.iter(f"{ATOM}name")]
        if url == "/feeds/rss/":
            # RSS elements may be shown as HTML: < and > escaped once more, & kept.
            assert names == ['Sam &lt;/script&gt;&lt;script&gt;alert("name")&lt;/script&gt; & &lt;b&gt;Co&lt;/b&gt;']
        else:
            # Atom names are text by the specification: carried as they are.
            assert set(names) == {HOSTILE_NAME}, url


def test_control_characters_in_an_author_name_do_not_break_feeds(client):
    author = AuthorFactory(name="Sara\x0b Hamidi\x1f", slug="sara")
    story_by(author)
    for url in ("/feeds/rss/", "/feeds/atom/", "/authors/sara/feed/"):
        _, feed = fetch(client, url)
        assert feed.entries[0].author == "Sara Hamidi", url


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/", "/authors/sara-hamidi/feed/"])
def test_feed_query_count_does_not_grow_with_stories_or_authors(client, url):
    sara = AuthorFactory(slug="sara-hamidi")

    def make(stories, co_authors):
        for _ in range(stories):
            credit(ArticleFactory(), sara, *AuthorFactory.create_batch(co_authors))

    def count():
        fetch(client, url)  # the page cache's once-per-generation look-ups happen here
        with CaptureQueriesContext(connection) as queries:
            fetch(client, url)
        return len(queries)

    make(2, 0)
    few = count()
    make(15, 3)
    assert count() == few


# --- sitemap ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def urlset_schema():
    return xmlschema.XMLSchema(XSD / "sitemap.xsd")


def test_author_sitemap_lists_public_authors_only_with_lastmod(client, urlset_schema):
    now = timezone.now()
    sara = AuthorFactory(slug="sara-hamidi")
    omar = AuthorFactory(slug="omar-khalil")
    story_by(sara, published_at=now - timezone.timedelta(days=3))
    newest = story_by(sara, published_at=now - timezone.timedelta(days=1))
    story_by(omar)
    AuthorFactory(slug="no-story")
    for kind in HIDDEN_STORIES:
        story_by(AuthorFactory(slug=f"only-{kind}"), **hidden_story_fields(kind))

    response = client.get("/sitemap-authors.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    urlset_schema.validate(response.content.decode())
    root = ElementTree.fromstring(response.content)
    entries = {url.findtext(f"{SM}loc"): url.findtext(f"{SM}lastmod") for url in root.iter(f"{SM}url")}
    assert list(entries) == [f"{HOST}/authors/omar-khalil/", f"{HOST}/authors/sara-hamidi/"]
    newest.refresh_from_db()
    # The date in the newsroom's time zone, as the sitemap writes it (near midnight there it is
    # not the UTC date).
    assert entries[f"{HOST}/authors/sara-hamidi/"] == timezone.localtime(newest.updated_at).date().isoformat()


def test_sitemap_index_names_the_author_sitemap(client):
    story_by(AuthorFactory())
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    assert f"{HOST}/sitemap-authors.xml" in [el.findtext(f"{SM}loc") for el in root.iter(f"{SM}sitemap")]


@pytest.mark.parametrize("url", ["/authors/sara-hamidi/feed/", "/sitemap-authors.xml"])
def test_author_feed_and_sitemap_come_from_the_page_cache(client, settings, url):
    settings.PAGE_CACHE_SECONDS = 300
    story_by(AuthorFactory(slug="sara-hamidi"))
    first = client.get(url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
