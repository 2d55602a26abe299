"""Absolute URLs name the scheme, host and port that answered, unless SITE_URL names the public host.

Every surface that hands out absolute URLs is fetched and every absolute URL in its body is
checked, so a URL built some other way shows up here: feeds, sitemaps, robots.txt, canonical
links, OpenGraph and JSON-LD, the API's `web_url` and its media URLs.
"""

import json
import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from articles import actions
from articles.models import Article
from tests.factories import ArticleFactory, TagFactory
from tests.site.conftest import make_video
from urlkit.absolute_urls import FALLBACK_ORIGIN, absolute_url

pytestmark = pytest.mark.django_db

PORT_HOST = "127.0.0.1:8123"
PUBLIC = "https://news.example.org"

# Absolute URLs in the bodies that are names of formats, not links: left out of the check.
VOCABULARIES = (
    "http://www.w3.org/",
    "http://purl.org/",
    "http://www.sitemaps.org/",
    "http://www.google.com/schemas/",
    "https://schema.org",
)
ABSOLUTE = re.compile(r"""https?://[^\s"'<>\\]+""")


@pytest.fixture
def story(tree):
    """A live video story three sections deep with a tag: every kind of absolute URL has a source."""
    video = make_video()
    tag = TagFactory(name="Bridges", slug="bridges")
    return ArticleFactory(
        section=tree["mosul"],
        kind=Article.Kind.VIDEO,
        lead_media=video,
        tags=[tag],
        title="Bridge towed into place",
        summary="Crews moved the span at dawn.",
    )


def surfaces(story) -> dict[str, list[str]]:
    """{address: paths that must be among its absolute URLs}."""
    article = story.get_absolute_url()
    video = story.lead_media
    mosul = "/section/iraq/conflict/mosul/"
    return {
        "/feeds/rss/": ["/", "/feeds/rss/", article, video.url],
        "/feeds/atom/": ["/", "/feeds/atom/", article, video.url],
        "/feeds/section/iraq/rss/": ["/section/iraq/", "/feeds/section/iraq/rss/", article],
        "/sitemap.xml": ["/sitemap-articles.xml", "/sitemap-sections.xml", "/sitemap-tags.xml"],
        "/sitemap-articles.xml": [article],
        "/sitemap-sections.xml": ["/section/iraq/", mosul],
        "/sitemap-tags.xml": ["/tag/bridges/"],
        "/sitemap-news.xml": [article],
        "/robots.txt": ["/sitemap.xml", "/sitemap-news.xml"],
        article: [article, video.url, mosul, "/"],
        "/": ["/"],
        mosul: [mosul],
        "/tag/bridges/": ["/tag/bridges/"],
        "/api/v1/articles/": [article, mosul, video.url, video.poster.url],
        f"/api/v1/articles/{story.pk}/": [article, mosul, video.url],
        "/api/v1/sections/": [mosul],
        "/api/v1/tags/": ["/tag/bridges/"],
    }


def links(response) -> list[str]:
    """Every absolute URL in the body that is a link (not a format's namespace)."""
    body = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        body = json.dumps(response.json())  # the same text, with escapes undone
    return [url for url in ABSOLUTE.findall(body) if not url.startswith(VOCABULARIES)]


def assert_every_link_on(client, story, origin: str, **headers) -> None:
    for address, expected in surfaces(story).items():
        response = client.get(address, headers=headers)
        assert response.status_code == 200, f"{address} answered {response.status_code}"
        found = links(response)
        elsewhere = sorted({url for url in found if not url.startswith(origin + "/")})
        assert not elsewhere, f"{address} names another origin than {origin}: {elsewhere}"
        missing = [path for path in expected if origin + path not in found]
        assert not missing, f"{address} lacks {[origin + path for path in missing]}"


def canonical(client, path: str, **headers) -> str:
    html = client.get(path, headers=headers).content.decode()
    return re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)


def test_without_site_url_every_absolute_url_names_the_host_and_port_that_answered(client, settings, story):
    settings.SITE_URL = ""
    assert_every_link_on(client, story, f"http://{PORT_HOST}", host=PORT_HOST)


def test_article_head_names_the_requested_host_in_canonical_og_url_and_json_ld(client, settings, story):
    settings.SITE_URL = ""
    url = f"http://{PORT_HOST}{story.get_absolute_url()}"
    html = client.get(story.get_absolute_url(), headers={"host": PORT_HOST}).content.decode()
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    news = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert news["url"] == url and news["publisher"]["url"] == f"http://{PORT_HOST}/"


def test_site_url_wins_over_the_host_that_answered(client, settings, story):
    settings.SITE_URL = PUBLIC
    assert_every_link_on(client, story, PUBLIC, host=PORT_HOST)


def test_https_behind_a_proxy_comes_from_x_forwarded_proto(client, settings, story):
    settings.SITE_URL = ""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert_every_link_on(client, story, f"https://{PORT_HOST}", host=PORT_HOST, x_forwarded_proto="https")


@pytest.mark.parametrize("kind", ["feed", "sitemap", "article page"])
def test_a_page_cached_for_one_host_is_never_served_to_another(client, settings, story, kind):
    """Two hosts of the same server, each asking twice: the second answer of each is a cache
    hit, and still names its own host."""
    settings.SITE_URL = ""
    settings.PAGE_CACHE_SECONDS = 300
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    path = {"feed": "/feeds/rss/", "sitemap": "/sitemap-articles.xml", "article page": story.get_absolute_url()}[kind]
    hosts = ["127.0.0.1:8123", "localhost:8123"]
    for expected_cache in ("miss", "hit"):
        for host in hosts:
            response = client.get(path, headers={"host": host})
            assert response["X-Page-Cache"] == expected_cache, f"{host}, request {expected_cache}"
            assert f"http://{host}{story.get_absolute_url()}" in links(response), host
            other = next(h for h in hosts if h != host)
            assert not [url for url in links(response) if other in url], f"{host} got {other}'s URLs"


def test_listing_canonical_links_follow_the_host(client, settings, story):
    settings.SITE_URL = ""
    assert canonical(client, "/", host=PORT_HOST) == f"http://{PORT_HOST}/"
    # A parameter the tag page does not read is not part of the page (nor of its cache key).
    assert canonical(client, "/tag/bridges/?page=1", host=PORT_HOST) == f"http://{PORT_HOST}/tag/bridges/"
    settings.SITE_URL = PUBLIC
    assert canonical(client, "/section/iraq/", host=PORT_HOST) == f"{PUBLIC}/section/iraq/"


def test_a_host_outside_allowed_hosts_gets_400_not_a_page_naming_it(client, settings, story):
    settings.SITE_URL = ""
    response = client.get("/feeds/rss/", headers={"host": "attacker.example"})
    assert response.status_code == 400
    assert b"attacker.example" not in response.content


def test_code_outside_a_request_uses_site_url_else_the_documented_fallback(settings):
    settings.SITE_URL = ""
    assert absolute_url("/feeds/rss/") == f"{FALLBACK_ORIGIN}/feeds/rss/" == "http://127.0.0.1:8000/feeds/rss/"
    settings.SITE_URL = PUBLIC
    assert absolute_url("/feeds/rss/") == f"{PUBLIC}/feeds/rss/"
    # Storage URLs that already name a host are kept; a scheme-relative one takes the origin's scheme.
    assert absolute_url("http://files.example.org/a.jpg") == "http://files.example.org/a.jpg"
    assert absolute_url("//cdn.example.org/a.jpg") == "https://cdn.example.org/a.jpg"
    assert absolute_url("") == ""


@pytest.mark.parametrize("value", ["news.example.org", "https://news.example.org/site", "ftp://news.example.org"])
def test_a_site_url_that_is_not_an_origin_stops_start_up_with_a_clear_message(value):
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'newsroom.settings'; django.setup()"
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "SITE_URL": value}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SITE_URL must be scheme://host[:port] with no path, e.g. https://news.example.org" in result.stderr


@pytest.mark.parametrize("origin", ["", PUBLIC])
def test_api_page_links_and_share_links_follow_the_same_rule(client, settings, editor, story, origin):
    """The API's `next` link and the share-preview link an editor copies name the public host when
    SITE_URL is set, else the host that answered."""
    settings.SITE_URL = origin
    expected = origin or f"http://{PORT_HOST}"
    ArticleFactory()
    listing = client.get("/api/v1/articles/?page_size=1", headers={"host": PORT_HOST}).json()
    assert listing["next"].startswith(f"{expected}/api/v1/articles/?")

    assert client.login(username="editor", password="pass-word-123")
    draft = ArticleFactory(draft=True)
    draft.summary = "Written at the desk."
    actions.save_article(actor=editor, article=draft)  # a revision to share
    response = client.post(
        f"/admin/articles/article/{draft.pk}/share/",
        headers={"host": PORT_HOST},
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    assert any(f"{expected}/preview/" in message for message in shown), shown
