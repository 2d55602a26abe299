"""Feeds and sitemaps are served from the page cache, revalidate with 304, and show a publish at once."""

import pytest

from articles import actions
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

CACHED_URLS = [
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/section/harbours/rss/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/sitemap-news.xml",
]


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.mark.parametrize("url", CACHED_URLS)
def test_second_request_is_a_cache_hit_and_a_matching_etag_gets_304(client, page_cache_on, url):
    ArticleFactory(section=SectionFactory(name="Harbours", slug="harbours"))
    first = client.get(url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304


def test_publishing_shows_in_cached_feeds_and_sitemaps_on_the_next_request(
    client, page_cache_on, editor, django_capture_on_commit_callbacks
):
    section = SectionFactory(name="Harbours", slug="harbours")
    ArticleFactory(title="Earlier harbour news", section=section)
    draft = ArticleFactory(title="Dredging finished", section=section, draft=True)
    for url in CACHED_URLS:
        client.get(url)  # now cached without the draft

    with django_capture_on_commit_callbacks(execute=True):
        actions.publish(actor=editor, article=draft)

    for url in ("/feeds/rss/", "/feeds/atom/", "/feeds/section/harbours/rss/", "/sitemap-news.xml"):
        assert "Dredging finished" in client.get(url).content.decode(), url
    assert draft.get_absolute_url() in client.get("/sitemap-articles.xml").content.decode()
