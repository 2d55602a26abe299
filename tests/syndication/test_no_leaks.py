"""Draft, review, archived, future-dated, embargoed, expired and stub articles reach no public surface.

One live article shares a section and a tag with one hidden article of every kind and links to
each of them in its related list. Every public surface is fetched; each must show the live
article (so an empty page cannot pass) and neither the marker word of any hidden article nor
a link to one.
"""

import pytest

from tests.syndication.conftest import HIDDEN_MARKERS, assert_no_marker

pytestmark = pytest.mark.django_db


def public_surfaces(world):
    """(url, text that proves the live article or its list is there) for every public surface."""
    live = world["live"]
    live_url = live.get_absolute_url()
    section, tag = world["section"], world["tag"]
    return [
        ("/", live.title),
        (section.get_absolute_url(), live.title),
        (tag.get_absolute_url(), live.title),
        (live_url, live.title),
        ("/feeds/rss/", live.title),
        ("/feeds/atom/", live.title),
        (f"/feeds/section/{section.path}/rss/", live.title),
        ("/sitemap.xml", "/sitemap-articles.xml"),
        ("/sitemap-articles.xml", live_url),
        ("/sitemap-sections.xml", section.get_absolute_url()),
        ("/sitemap-tags.xml", tag.get_absolute_url()),
        ("/sitemap-news.xml", live.title),
        ("/search/?q=Harbour", "reopens after storm"),  # the match is highlighted
        ("/api/v1/articles/", live.title),
        (f"/api/v1/articles/?section={section.path}", live.title),
        (f"/api/v1/articles/?tag={tag.slug}", live.title),
        ("/api/v1/articles/?q=Harbour", live.title),
        (f"/api/v1/articles/{live.pk}/", live.title),
        (f"/api/v1/articles/{live.pk}/related/", "[]"),
        (f"/api/v1/articles/{live.pk}/related/?format=legacy", "[]"),
    ]


def hidden_links(world) -> set[str]:
    return {
        link
        for article in world["hidden"].values()
        for link in (f"/news/{article.pk}/", f"/api/v1/articles/{article.pk}/", f'"{article.legacy_id}"')
    }


def test_hidden_articles_appear_on_no_public_surface(client, hidden_world):
    links = hidden_links(hidden_world)
    for url, proof in public_surfaces(hidden_world):
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        text = response.content.decode()
        assert proof in text, f"{url} does not show the live article, so it proves nothing"
        assert_no_marker(text, url)
        leaked = [link for link in links if link in text]
        assert not leaked, f"{url} links to hidden articles {leaked}"

    for name, article in hidden_world["hidden"].items():
        marker = HIDDEN_MARKERS[name]
        # Searching for the marker itself finds nothing (the page may echo the query, so look for links).
        for url in (f"/search/?q={marker}", f"/api/v1/articles/?q={marker}",
                    f"/api/v1/articles/?legacy_id={article.legacy_id}"):
            response = client.get(url)
            assert response.status_code == 200, f"{url} answered {response.status_code}"
            leaked = [link for link in links if link in response.content.decode()]
            assert not leaked, f"{url} finds the {name} article"
        for url in (f"/news/{article.pk}/{article.slug}/", f"/legacy/{article.legacy_id}/",
                    f"/api/v1/articles/{article.pk}/", f"/api/v1/articles/{article.pk}/related/"):
            response = client.get(url)
            assert response.status_code == 404, f"{url} (the {name} article) answered {response.status_code}"
