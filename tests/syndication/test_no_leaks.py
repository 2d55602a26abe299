"""Draft, review, archived, future-dated, embargoed, expired and stub articles reach no public surface.

One live article shares a section and a tag with one hidden article of every kind and links to
each of them in its related list. Every public surface is fetched; each must show the live
article (so an empty page cannot pass) and neither the marker word of any hidden article nor
a link to one.
"""

import re

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
        for url in (
            f"/search/?q={marker}",
            f"/api/v1/articles/?q={marker}",
            f"/api/v1/articles/?legacy_id={article.legacy_id}",
        ):
            response = client.get(url)
            assert response.status_code == 200, f"{url} answered {response.status_code}"
            leaked = [link for link in links if link in response.content.decode()]
            assert not leaked, f"{url} finds the {name} article"
        for url in (
            f"/news/{article.pk}/{article.slug}/",
            f"/legacy/{article.legacy_id}/",
            f"/api/v1/articles/{article.pk}/",
            f"/api/v1/articles/{article.pk}/related/",
        ):
            response = client.get(url)
            assert response.status_code == 404, f"{url} (the {name} article) answered {response.status_code}"


# A stored file or rendition URL (absolute or not); the API's own /api/v1/media/ paths are not.
MEDIA_URL_RE = re.compile(r"""(?:https?://[^/"'\s]+)?(?<!/api/v1)(/media(?:-renditions)?/[^"'\s<>),]+)""")


@pytest.fixture
def media_world(hidden_world):
    """The hidden world with pictures: the live article and every hidden one get a lead photo,
    and each hidden one shows a second photo inline in its body."""
    from media.ingest import ingest_bytes
    from media.samples import draw_photo

    def photo(seed, title):
        return ingest_bytes(draw_photo(240, 160, seed=seed), filename=f"{seed}.jpg", title=title)

    live = hidden_world["live"]
    live.lead_media = photo(500, "Live harbour")
    live.save()
    hidden_media = {}
    for number, (name, article) in enumerate(hidden_world["hidden"].items(), start=1):
        lead, inline = photo(500 + 2 * number, f"{name} lead"), photo(501 + 2 * number, f"{name} inline")
        article.lead_media = lead
        article.body += f'<p><img data-media-id="{inline.pk}" alt="" src="/x.jpg"></p>'
        article.save()
        hidden_media[name] = [lead, inline]
    return {**hidden_world, "live_media": live.lead_media, "hidden_media": hidden_media}


def test_media_of_hidden_articles_reach_no_reader(client, media_world, editor):
    """Every media URL on every public surface works and names no hidden article's media; every
    URL an editor's API answer names for a hidden article's media, and its sequential rendition
    URL, is a 404 to readers."""
    hidden_ids = {item.pk for items in media_world["hidden_media"].values() for item in items}
    seen = set()
    for url, _ in public_surfaces(media_world):
        seen.update(MEDIA_URL_RE.findall(client.get(url).content.decode()))
    seen.update(MEDIA_URL_RE.findall(client.get("/api/v1/media/").content.decode()))
    assert any(f"/media-renditions/{media_world['live_media'].pk}/" in url for url in seen), "no live media shown"
    for url in sorted(seen):
        assert client.get(url).status_code in (200, 302), f"{url} is broken for readers"
        parts = url.split("/")
        if url.startswith("/media-renditions/"):
            assert int(parts[2]) not in hidden_ids, f"{url} shows a hidden article's media"
    listed = {entry["id"] for entry in client.get("/api/v1/media/").json()["results"]}
    assert media_world["live_media"].pk in listed and not listed & hidden_ids

    staff = type(client)()
    staff.force_login(editor)
    leaked = []
    for name, items in media_world["hidden_media"].items():
        for item in items:
            answer = staff.get(f"/api/v1/media/{item.pk}/").content.decode()
            named = set(MEDIA_URL_RE.findall(answer)) | {f"/api/v1/media/{item.pk}/"}
            for rendition in [u for u in named if u.startswith("/media-renditions/")][:2]:
                named.add(staff.get(rendition)["Location"].split("news.example.org")[-1])
            named.add(f"/media-renditions/{item.pk}/w320.jpeg")
            leaked += [(name, url) for url in sorted(named) if client.get(url).status_code != 404]
    assert not leaked, f"hidden articles' media reach readers: {leaked}"
