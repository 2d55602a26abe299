"""SQL query budgets: the article page stays within 8 queries and list pages do not grow with size.

The article page runs 7 today whatever the number of related links, tags and authors: the
article, its related links, its tags, its byline, the renditions, and the section with its
ancestors for the breadcrumb (cached per generation, so fetched here). The byline's query is
the seventh (issue #15); the budget of 8 leaves room for one more.

Each measurement is of an uncached page in steady state: a first request to another URL warms
what is computed once per content generation (navigation, the next schedule boundary), then the
measured URL is fetched for the first time, so the page cache cannot answer it.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.site import listings
from tests.factories import ArticleFactory, AuthorFactory, BylineFactory, RelatedLinkFactory, TagFactory
from tests.site.conftest import make_image, make_video

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    # A query string the page does not read is not part of its cache key: start a new generation.
    cache.clear()
    client.get("/search/")  # warms navigation and the boundary, costs no article query itself
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response.get("X-Page-Cache") != "hit"
    return len(captured)


def article_with(related_count: int, tag_count: int, tree, author_count: int = 0) -> Article:
    article = ArticleFactory(
        section=tree["mosul"], kind=Article.Kind.VIDEO, lead_media=make_video(), tags=TagFactory.create_batch(tag_count)
    )
    for position, author in enumerate(AuthorFactory.create_batch(author_count)):
        BylineFactory(article=article, author=author, position=position)
    for position in range(related_count):
        media = make_video() if position % 2 else make_image()
        target = ArticleFactory(
            section=tree["mosul"], lead_media=media, kind=Article.Kind.VIDEO if position % 2 else Article.Kind.PHOTO
        )
        RelatedLinkFactory(source=article, target=target, position=position)
    RelatedLinkFactory(source=article, target=ArticleFactory(draft=True), position=999)
    return article


@pytest.mark.parametrize("related_count,tag_count,author_count", [(0, 0, 0), (10, 3, 1), (50, 12, 4)])
def test_article_page_runs_at_most_eight_queries(client, tree, related_count, tag_count, author_count):
    article = article_with(related_count, tag_count, tree, author_count)
    assert queries_for(client, article.get_absolute_url()) <= 8
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('<li class="related-item"') == related_count
    assert html.count('rel="author"') == author_count


def test_home_query_count_does_not_grow_with_the_number_of_stories(client, tree, monkeypatch):
    def measure(count):
        Article.objects.all().delete()
        for i in range(count):
            ArticleFactory(section=(tree["mosul"], tree["syria"])[i % 2], lead_media=make_image())
        return queries_for(client, f"/?probe={count}")

    monkeypatch.setattr(listings, "TOP_STORIES", 2)
    monkeypatch.setattr(listings, "PER_SECTION", 1)
    small = measure(3)
    monkeypatch.setattr(listings, "TOP_STORIES", 8)
    monkeypatch.setattr(listings, "PER_SECTION", 6)
    assert measure(30) == small


@pytest.mark.parametrize(
    "url_of",
    [
        lambda world: "/section/iraq/",
        lambda world: world["tag"].get_absolute_url(),
        lambda world: "/search/?q=crossing",
    ],
    ids=["section", "tag", "search"],
)
def test_list_pages_cost_the_same_whatever_the_page_size(client, tree, monkeypatch, url_of):
    tag = TagFactory()
    for i in range(30):
        ArticleFactory(section=tree["mosul"], tags=[tag], lead_media=make_video() if i % 3 else make_image())
    world = {"tag": tag}
    monkeypatch.setattr(listings, "PAGE_SIZE", 2)
    small = queries_for(client, url_of(world) + ("&" if "?" in url_of(world) else "?") + "size=2")
    monkeypatch.setattr(listings, "PAGE_SIZE", 25)
    large = queries_for(client, url_of(world) + ("&" if "?" in url_of(world) else "?") + "size=25")
    assert large == small


def test_a_far_page_costs_what_the_first_page_costs(client, tree, monkeypatch):
    monkeypatch.setattr(listings, "PAGE_SIZE", 2)
    articles = [ArticleFactory(section=tree["iraq"]) for _ in range(12)]
    first = queries_for(client, "/section/iraq/")
    newest = sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)
    cursor = listings.encode_cursor(newest[9])
    assert queries_for(client, f"/section/iraq/?after={cursor}") == first
