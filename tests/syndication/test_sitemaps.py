"""Sitemap index, sitemap pages, the Google News sitemap and robots.txt."""

from pathlib import Path
from xml.etree import ElementTree

import pytest
import time_machine
import xmlschema
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.site import sitemaps
from tests.factories import ArticleFactory, BylineFactory, SectionFactory, TagFactory
from tests.syndication.conftest import PUBLIC_HOST, assert_no_marker

pytestmark = pytest.mark.django_db

XSD = Path(__file__).parent / "xsd"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(scope="module")
def schemas():
    return {
        "urlset": xmlschema.XMLSchema(XSD / "sitemap.xsd"),
        "index": xmlschema.XMLSchema(XSD / "siteindex.xsd"),
        "news": xmlschema.XMLSchema(
            XSD / "sitemap.xsd", locations=[("http://www.google.com/schemas/sitemap-news/0.9", "sitemap-news.xsd")]
        ),
    }


def fetch_valid(client, url, schema):
    """GET `url`, check it is XML valid against `schema`, return the parsed root."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    assert response["Content-Type"].startswith("application/xml")
    schema.validate(response.content.decode())
    return ElementTree.fromstring(response.content)


def locs(root, entry="url"):
    return [el.findtext(f"{SM}loc") for el in root.iter(f"{SM}{entry}")]


def test_index_lists_every_sitemap_on_the_public_host(client, schemas):
    BylineFactory(article=ArticleFactory(tags=[TagFactory()]))
    root = fetch_valid(client, "/sitemap.xml", schemas["index"])
    assert locs(root, "sitemap") == [
        f"{PUBLIC_HOST}/sitemap-articles.xml",
        f"{PUBLIC_HOST}/sitemap-sections.xml",
        f"{PUBLIC_HOST}/sitemap-tags.xml",
        f"{PUBLIC_HOST}/sitemap-authors.xml",
    ]
    assert all(el.findtext(f"{SM}lastmod") for el in root.iter(f"{SM}sitemap"))


def test_index_pages_a_sitemap_larger_than_its_limit(client, schemas, monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    articles = ArticleFactory.create_batch(5)
    root = fetch_valid(client, "/sitemap.xml", schemas["index"])
    assert [loc for loc in locs(root, "sitemap") if "articles" in loc] == [
        f"{PUBLIC_HOST}/sitemap-articles.xml",
        f"{PUBLIC_HOST}/sitemap-articles.xml?p=2",
        f"{PUBLIC_HOST}/sitemap-articles.xml?p=3",
    ]
    seen = []
    for page in (1, 2, 3):
        seen += locs(fetch_valid(client, f"/sitemap-articles.xml?p={page}", schemas["urlset"]))
    assert sorted(seen) == sorted(PUBLIC_HOST + a.get_absolute_url() for a in articles)
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
    assert client.get("/sitemap-articles.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_article_sitemap_lists_live_articles_with_lastmod(client, schemas, hidden_world):
    live = hidden_world["live"]
    response = client.get("/sitemap-articles.xml")
    assert_no_marker(response.content.decode(), "article sitemap")
    root = fetch_valid(client, "/sitemap-articles.xml", schemas["urlset"])
    urls = list(root.iter(f"{SM}url"))
    assert [u.findtext(f"{SM}loc") for u in urls] == [PUBLIC_HOST + live.get_absolute_url()]
    assert urls[0].findtext(f"{SM}lastmod") == timezone.localdate(live.updated_at).isoformat()
    hidden_urls = {PUBLIC_HOST + a.get_absolute_url() for a in hidden_world["hidden"].values()}
    assert not hidden_urls & set(locs(root))


def test_section_sitemap_lists_sections_with_live_articles_in_their_subtree(client, schemas):
    iraq = SectionFactory(name="Iraq", slug="iraq")
    mosul = SectionFactory(name="Mosul", slug="mosul", parent=iraq)
    SectionFactory(name="Empty desk", slug="empty-desk")
    draft_only = SectionFactory(name="Drafts only", slug="drafts-only")
    ArticleFactory(section=mosul)
    ArticleFactory(section=draft_only, draft=True)
    root = fetch_valid(client, "/sitemap-sections.xml", schemas["urlset"])
    assert locs(root) == [f"{PUBLIC_HOST}/section/iraq/", f"{PUBLIC_HOST}/section/iraq/mosul/"]


def test_a_section_lastmod_is_the_newest_change_in_its_subtree(client, schemas):
    iraq = SectionFactory(name="Iraq", slug="iraq")
    mosul = SectionFactory(name="Mosul", slug="mosul", parent=iraq)
    older = ArticleFactory(section=iraq)
    newer = ArticleFactory(section=mosul)
    Article.objects.filter(pk=older.pk).update(updated_at=timezone.now() - timezone.timedelta(days=3))
    Article.objects.filter(pk=newer.pk).update(updated_at=timezone.now() - timezone.timedelta(days=1))
    newer.refresh_from_db()
    root = fetch_valid(client, "/sitemap-sections.xml", schemas["urlset"])
    lastmods = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.iter(f"{SM}url")}
    # Django's sitemap template writes the date part (W3C Datetime allows it), in the newsroom's zone.
    assert lastmods == {
        f"{PUBLIC_HOST}/section/iraq/": timezone.localdate(newer.updated_at).isoformat(),
        f"{PUBLIC_HOST}/section/iraq/mosul/": timezone.localdate(newer.updated_at).isoformat(),
    }


def test_section_subtree_match_does_not_swallow_sibling_prefixes(client, schemas):
    """A live article in "iraqi-kurdistan" does not make the "iraq" section look alive."""
    SectionFactory(name="Iraq", slug="iraq")
    kurdistan = SectionFactory(name="Iraqi Kurdistan", slug="iraqi-kurdistan")
    ArticleFactory(section=kurdistan)
    root = fetch_valid(client, "/sitemap-sections.xml", schemas["urlset"])
    assert locs(root) == [f"{PUBLIC_HOST}/section/iraqi-kurdistan/"]


def test_tag_sitemap_lists_tags_of_live_articles_only(client, schemas, hidden_world):
    only_on_draft = TagFactory(name="Unreleased", slug="unreleased")
    hidden_world["hidden"]["draft"].tags.add(only_on_draft)
    root = fetch_valid(client, "/sitemap-tags.xml", schemas["urlset"])
    assert locs(root) == [f"{PUBLIC_HOST}/tag/shipping/"]


@pytest.mark.parametrize(
    "url",
    ["/sitemap.xml", "/sitemap-articles.xml", "/sitemap-sections.xml", "/sitemap-tags.xml", "/sitemap-authors.xml"],
)
def test_sitemap_query_count_does_not_grow_with_articles(client, url):
    def make(n):
        for _ in range(n):
            BylineFactory(article=ArticleFactory(section=SectionFactory(), tags=[TagFactory()]))

    def count():
        client.get(url)  # the page cache's once-per-generation look-ups happen here
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    make(2)
    few = count()
    make(25)
    assert count() == few


def _news_titles(client, schemas):
    root = fetch_valid(client, "/sitemap-news.xml", schemas["news"])
    return [url.findtext(f"{NEWS}news/{NEWS}title") for url in root.iter(f"{SM}url")]


def test_news_sitemap_holds_only_the_last_48_hours(client, schemas):
    now = timezone.now()
    ArticleFactory(title="Fresh", published_at=now - timezone.timedelta(hours=1))
    ArticleFactory(title="Two days less an hour", published_at=now - timezone.timedelta(hours=47))
    ArticleFactory(title="Three days old", published_at=now - timezone.timedelta(hours=72))

    with time_machine.travel(now, tick=False):
        assert _news_titles(client, schemas) == ["Fresh", "Two days less an hour"]
    with time_machine.travel(now + timezone.timedelta(hours=2), tick=False):
        assert _news_titles(client, schemas) == ["Fresh"]


def test_news_sitemap_entry_carries_publication_date_and_title(client, schemas):
    article = ArticleFactory(title='Crews say "done" <script>alert(1)</script> & leave', language="ar")
    response = client.get("/sitemap-news.xml")
    assert b"<script>" not in response.content
    root = fetch_valid(client, "/sitemap-news.xml", schemas["news"])
    (url,) = root.iter(f"{SM}url")
    news = url.find(f"{NEWS}news")
    assert url.findtext(f"{SM}loc") == PUBLIC_HOST + article.get_absolute_url()
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Newsroom"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "ar"
    assert news.findtext(f"{NEWS}title") == article.title
    published = news.findtext(f"{NEWS}publication_date")
    assert timezone.datetime.fromisoformat(published) == article.published_at.replace(microsecond=0)


def test_news_sitemap_holds_at_most_1000_articles(client, schemas):
    section = SectionFactory()
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"Bulletin {n}",
            slug=f"bulletin-{n}",
            section=section,
            status="published",
            published_at=now - timezone.timedelta(seconds=n + 1),
        )
        for n in range(1005)
    )
    titles = _news_titles(client, schemas)
    assert len(titles) == 1000
    assert titles[0] == "Bulletin 0" and titles[-1] == "Bulletin 999"


def test_news_sitemap_hides_unpublished_and_runs_one_query(
    client, schemas, hidden_world, django_assert_max_num_queries
):
    client.get("/sitemap-news.xml")  # the page cache's once-per-generation look-ups happen here
    with django_assert_max_num_queries(1):
        response = client.get("/sitemap-news.xml")
    assert_no_marker(response.content.decode(), "news sitemap")
    assert _news_titles(client, schemas) == [hidden_world["live"].title]


def test_robots_txt_names_both_sitemaps_and_keeps_crawlers_out_of_private_areas(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {PUBLIC_HOST}/sitemap.xml" in lines
    assert f"Sitemap: {PUBLIC_HOST}/sitemap-news.xml" in lines
    for path in ("/admin/", "/preview/", "/api/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines
