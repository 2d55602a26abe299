"""An edit purges exactly the keys it touched: pages showing the story are made again with the
new text, pages not showing it stay hits; in this process, in another one (its memory copies),
on the embedded cache and on Redis."""

import pytest

from articles import actions, public_cache
from caching import purges
from tests.factories import ArticleFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(cache_backend):
    europe = SectionFactory(name="Europe", slug="europe")
    asia = SectionFactory(name="Asia", slug="asia")
    floods = TagFactory(name="Floods", slug="floods")
    edited = ArticleFactory(title="Dam holds after storm", section=europe, tags=[floods])
    other = ArticleFactory(title="Rice harvest begins", section=asia)
    return {"europe": europe, "asia": asia, "edited": edited, "other": other}


def warm(client, urls):
    for url in urls:
        client.get(url)
    assert all(client.get(url)["X-Page-Cache"] == "hit" for url in urls)


def test_a_text_edit_purges_the_pages_showing_the_story_and_no_other(client, site, committed):
    edited, other = site["edited"], site["other"]
    showing = [edited.get_absolute_url(), "/", "/section/europe/", "/tag/floods/", "/feeds/rss/"]
    not_showing = [other.get_absolute_url(), "/section/asia/"]
    warm(client, showing + not_showing)
    edited.title = "Dam gives way after storm"
    committed(actions.save_article, actor=None, article=edited)
    for url in showing:
        page = client.get(url)
        assert page["X-Page-Cache"] == "miss", url
        assert "Dam gives way after storm" in page.content.decode(), url
    for url in not_showing:
        assert client.get(url)["X-Page-Cache"] == "hit", url


def test_publishing_purges_the_lists_the_story_joins(client, site, committed):
    story = ArticleFactory(draft=True, title="Ferry service resumes", section=site["asia"])
    warm(client, ["/", "/section/asia/", "/section/europe/", site["edited"].get_absolute_url()])
    committed(actions.publish, actor=None, article=story)
    for url in ("/", "/section/asia/"):
        page = client.get(url)
        assert page["X-Page-Cache"] == "miss" and "Ferry service resumes" in page.content.decode(), url
    assert client.get("/section/europe/")["X-Page-Cache"] == "hit"
    assert client.get(site["edited"].get_absolute_url())["X-Page-Cache"] == "hit"


def test_moving_a_story_purges_its_new_section(client, site, committed):
    edited = site["edited"]
    warm(client, ["/section/asia/", "/section/europe/"])
    edited.section = site["asia"]
    committed(actions.save_article, actor=None, article=edited)
    assert "Dam holds after storm" in client.get("/section/asia/").content.decode()
    assert "Dam holds after storm" not in client.get("/section/europe/").content.decode()


def test_another_process_drops_its_memory_copy_of_a_purged_page_only(client, site, committed):
    """Process B holds memory copies; process A edits. B serves the new text at once, and its
    other copies stay hits."""
    edited, other = site["edited"], site["other"]
    warm(client, [edited.get_absolute_url(), other.get_absolute_url()])
    b_view, b_memory = purges.view, public_cache.memory
    a_view, a_memory = purges.View(), public_cache._Memory()
    purges.view, public_cache.memory = a_view, a_memory  # process A
    try:
        edited.title = "Dam gives way after storm"
        committed(actions.save_article, actor=None, article=edited)
    finally:
        purges.view, public_cache.memory = b_view, b_memory  # back in process B
    page = client.get(edited.get_absolute_url())
    assert page["X-Page-Cache"] == "miss" and "Dam gives way after storm" in page.content.decode()
    assert client.get(other.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_new_process_trusts_pages_stored_by_others_unless_purged_since(client, site, committed):
    edited, other = site["edited"], site["other"]
    warm(client, [edited.get_absolute_url(), other.get_absolute_url()])
    edited.title = "Dam gives way after storm"
    committed(actions.save_article, actor=None, article=edited)
    purges.view, public_cache.memory = purges.View(), public_cache._Memory()  # a worker just started
    assert client.get(other.get_absolute_url())["X-Page-Cache"] == "hit"
    assert "Dam gives way after storm" in client.get(edited.get_absolute_url()).content.decode()


def test_a_section_change_purges_every_page(client, site, committed, editor):
    """Every page's header lists the sections: renaming one purges everything."""
    warm(client, [site["other"].get_absolute_url(), "/section/asia/"])
    site["europe"].name = "Western Europe"
    committed(actions.save_section, actor=editor, section=site["europe"])
    page = client.get(site["other"].get_absolute_url())
    assert page["X-Page-Cache"] == "miss" and "Western Europe" in page.content.decode()
