"""The byline on the article page: names in order linking to author pages, NewsArticle JSON-LD
`author` as Persons (the source as an Organization when there is no byline), escaping, and a
query count that does not depend on the number of authors."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.site.article_page import render_article_page
from tests.authors.site_support import HOST, credit, json_ld_blocks, structure_problems
from tests.factories import ArticleFactory, AuthorFactory, RelatedLinkFactory, SectionFactory, TagFactory
from tests.site.conftest import make_image, make_video

pytestmark = pytest.mark.django_db

HOSTILE_NAME = 'Sam </script><script>alert("name")</script> & Co'


@pytest.fixture(autouse=True)
def _public_host(settings):
    settings.SITE_URL = HOST
    settings.PAGE_CACHE_SECONDS = 0


def get_page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def byline(html: str) -> str:
    return re.search(r'<p class="byline"[^>]*>.*?</p>', html, re.S).group(0)


def byline_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", byline(html))


def authors_named(*names):
    return [AuthorFactory(name=name) for name in names]


@pytest.mark.parametrize(
    "names,text",
    [
        (["Sara Hamidi"], "By Sara Hamidi"),
        (["Sara Hamidi", "Omar Khalil"], "By Sara Hamidi and Omar Khalil"),
        (["Sara Hamidi", "Omar Khalil", "Lina Haddad"], "By Sara Hamidi, Omar Khalil and Lina Haddad"),
    ],
)
def test_byline_names_the_authors_in_order_each_linking_to_their_page(client, names, text):
    authors = authors_named(*names)
    # Saved in another order than the byline's: the position decides.
    article = ArticleFactory(title="Dam repairs finish")
    for position, author in reversed(list(enumerate(authors))):
        credit_at(article, author, position)
    html = get_page(client, article)
    assert byline_text(html) == text
    links = re.findall(r'<a href="([^"]+)" rel="author"><bdi>([^<]+)</bdi></a>', byline(html))
    assert links == [(author.get_absolute_url(), author.name) for author in authors]
    assert html.index('class="story-title"') < html.index('class="byline"') < html.index('class="dateline"')
    assert structure_problems(html) == []


def credit_at(article, author, position):
    from articles.models import Byline

    Byline.objects.create(article=article, author=author, position=position)


def test_a_story_without_byline_shows_none(client):
    html = get_page(client, ArticleFactory())
    assert 'class="byline"' not in html and 'rel="author"' not in html


def test_json_ld_author_is_the_list_of_persons_in_byline_order(client, settings):
    sara, omar = authors_named("Sara Hamidi", "Omar Khalil")
    article = credit(ArticleFactory(title="Joint story"), omar, sara)
    news = json_ld_blocks(get_page(client, article))[0]
    assert news["author"] == [
        {"@type": "Person", "name": "Omar Khalil", "url": f"{HOST}{omar.get_absolute_url()}"},
        {"@type": "Person", "name": "Sara Hamidi", "url": f"{HOST}{sara.get_absolute_url()}"},
    ]


def test_json_ld_author_falls_back_to_the_source_organization(client):
    news = json_ld_blocks(get_page(client, ArticleFactory(source="Wire Agency")))[0]
    assert news["author"] == {"@type": "Organization", "name": "Wire Agency"}
    news = json_ld_blocks(get_page(client, ArticleFactory(source="")))[0]
    assert news["author"] == {"@type": "Organization", "name": "Newsroom"}


def test_whole_news_article_json_ld_with_two_authors(client):
    sara, omar = authors_named("Sara Hamidi", "Omar Khalil")
    article = credit(ArticleFactory(title="Bridge reopens", summary="Crews finished.", source="Newsroom"), sara, omar)
    canonical = f"{HOST}{article.get_absolute_url()}"
    assert json_ld_blocks(get_page(client, article))[0] == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Bridge reopens",
        "description": "Crews finished.",
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
        "inLanguage": "en",
        "articleSection": [article.section.name],
        "keywords": [],
        "publisher": {"@type": "Organization", "name": "Newsroom", "url": f"{HOST}/"},
        "author": [
            {"@type": "Person", "name": "Sara Hamidi", "url": f"{HOST}{sara.get_absolute_url()}"},
            {"@type": "Person", "name": "Omar Khalil", "url": f"{HOST}{omar.get_absolute_url()}"},
        ],
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
    }


def test_hostile_author_name_is_text_in_the_byline_and_json_ld(client):
    article = credit(ArticleFactory(), AuthorFactory(name=HOSTILE_NAME, slug="hostile"))
    html = get_page(client, article)
    assert "<script>alert" not in html
    assert "<bdi>Sam &lt;/script&gt;&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; Co</bdi>" in byline(html)
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        assert "<" not in block and ">" not in block and "&" not in block
    assert json_ld_blocks(html)[0]["author"][0]["name"] == HOSTILE_NAME
    assert html.count("</script>") == 2  # the NewsArticle and BreadcrumbList blocks only


def queries_for(client, url) -> list[str]:
    cache.clear()
    client.get("/search/")  # warms navigation and the boundary
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured]


def story_with(author_count: int, section) -> Article:
    """A video story with related links and tags, credited to `author_count` authors (some with
    portraits, which the article page must not read)."""
    tags = TagFactory.create_batch(3)
    article = ArticleFactory(section=section, kind="video", lead_media=make_video(), tags=tags)
    for position in range(3):
        RelatedLinkFactory(source=article, target=ArticleFactory(lead_media=make_image()), position=position)
    authors = [AuthorFactory(photo=make_image() if i % 2 else None) for i in range(author_count)]
    return credit(article, *authors)


def test_article_page_query_count_is_the_same_for_one_and_four_authors(client):
    section = SectionFactory(parent=SectionFactory())
    counts = {n: queries_for(client, story_with(n, section).get_absolute_url()) for n in (0, 1, 4)}
    assert len(counts[1]) == len(counts[4]) == len(counts[0])
    # The byline costs one query, and only one reads the authors.
    assert sum("articles_author" in sql for sql in counts[4]) == 1


def test_preview_shows_the_byline_it_is_given():
    request = RequestFactory().get("/preview/x/")
    request.user = AnonymousUser()
    draft = Article(title="Unsaved draft", section=SectionFactory(), body="<p>Draft.</p>")
    sara = AuthorFactory(name="Sara Hamidi")
    html = render_article_page(request, draft, related=[], tags=[], authors=[sara], preview=True).content.decode()
    assert byline_text(html) == "By Sara Hamidi"
    html = render_article_page(request, draft, related=[], tags=[], preview=True).content.decode()
    assert 'class="byline"' not in html
