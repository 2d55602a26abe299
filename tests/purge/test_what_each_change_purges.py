"""Which cached pages each kind of change purges, besides a story's own edits: a media item's
description, an author's name, a story unpublished or scheduled."""

import pytest

from articles import actions
from media.actions import update_media
from tests.factories import ArticleFactory, AuthorFactory, BylineFactory, SectionFactory
from tests.site.conftest import make_image

pytestmark = pytest.mark.django_db


def states(client, urls) -> dict[str, str]:
    return {url: client.get(url)["X-Page-Cache"] for url in urls}


@pytest.fixture
def two_stories(cache_backend, settings, tmp_path):
    section = SectionFactory(name="World", slug="world")
    pictured = ArticleFactory(title="Bridge in the fog", section=section, lead_media=make_image(alt_text="Fog"))
    plain = ArticleFactory(title="Market day", section=section)
    return {"pictured": pictured, "plain": plain}


def test_a_picture_changed_purges_the_stories_showing_it(client, two_stories, committed, editor):
    pictured, plain = two_stories["pictured"], two_stories["plain"]
    urls = [pictured.get_absolute_url(), plain.get_absolute_url()]
    states(client, urls)
    committed(update_media, actor=editor, item=pictured.lead_media, alt_text="A bridge in thick fog")
    page = client.get(urls[0])
    assert page["X-Page-Cache"] == "miss" and "A bridge in thick fog" in page.content.decode()
    assert client.get(urls[1])["X-Page-Cache"] == "hit"


def test_renaming_an_author_purges_their_page_and_their_stories_only(client, two_stories, committed, editor):
    pictured, plain = two_stories["pictured"], two_stories["plain"]
    writer = AuthorFactory(name="Sara Hamidi", slug="sara-hamidi")
    BylineFactory(article=pictured, author=writer)
    urls = ["/authors/sara-hamidi/", pictured.get_absolute_url(), plain.get_absolute_url()]
    states(client, urls)
    writer.name = "Sara H. Hamidi"
    committed(actions.save_author, actor=editor, author=writer)
    after = {url: client.get(url) for url in urls}
    assert all("Sara H. Hamidi" in after[url].content.decode() for url in urls[:2])
    assert [after[url]["X-Page-Cache"] for url in urls] == ["miss", "miss", "hit"]


def test_unpublishing_purges_every_list_it_was_on_and_nothing_else(client, two_stories, committed):
    pictured, plain = two_stories["pictured"], two_stories["plain"]
    other_section = SectionFactory(name="Sport", slug="sport")
    elsewhere = ArticleFactory(title="Cup final tonight", section=other_section)
    urls = ["/", "/section/world/", "/section/sport/", elsewhere.get_absolute_url(), plain.get_absolute_url()]
    states(client, urls)
    committed(actions.unpublish, actor=None, article=pictured)
    assert client.get(pictured.get_absolute_url()).status_code == 404
    assert states(client, urls) == dict(zip(urls, ["miss", "miss", "hit", "hit", "hit"], strict=True))
    assert "Bridge in the fog" not in client.get("/").content.decode()


def test_a_batch_of_stories_purges_all_their_lists_without_keeping_footprints(cache_backend):
    """An import announces stories by the batch: all their lists are purged at once, and no
    footprint is written per story (each write lists the embedded cache's folder); a story's
    next edit, finding none, purges its lists once more, and later edits only its own key."""
    from django.core.cache import cache

    from articles.site.purge_keys import FOOTPRINT_KEY, REMEMBERED, keys_for
    from changes import Change
    from tests.factories import TagFactory

    section, tag = SectionFactory(name="Harbour", slug="harbour"), TagFactory(name="Ferries", slug="ferries")
    batch = [ArticleFactory(section=section, tags=[tag]).pk for _ in range(REMEMBERED + 5)]
    lists = {f"section-{section.pk}", f"tag-{tag.pk}", "front", "feed"}

    assert lists <= keys_for(Change(articles=frozenset(batch)))
    assert cache.get_many([f"{FOOTPRINT_KEY}:{pk}" for pk in batch]) == {}
    one = frozenset(batch[:1])
    assert lists <= keys_for(Change(articles=one))  # no footprint yet: all its lists
    assert keys_for(Change(articles=one)) == {f"article-{batch[0]}", "sitemap", "search"}  # remembered now
