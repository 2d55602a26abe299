"""Tag and author lists read their stories through the link rows' copy of the dateline
(`ArticleQuerySet.tagged` / `.credited_to`): the page, the author's feed and the API's ?tag=
list show exactly the live stories newest first (drafts, embargoed, scheduled and expired ones
left out), follow a dateline that moves, and run as many queries for a long list as a short one."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import actions
from articles.models import Article
from articles.site import listings
from tests.factories import ArticleFactory, AuthorFactory, BylineFactory, TagFactory

pytestmark = pytest.mark.django_db
URLS = ["/tag/water/", "/authors/sara-hamidi/"]


def titles(html: str) -> list[str]:
    return re.findall(r'class="card-title"[^>]*><a href="[^"]+">(.*?)</a>', html)


def page(client, url) -> tuple[list[str], int, str]:
    """(titles listed, queries run, the next page's link or "") of an uncached page."""
    cache.clear()
    client.get("/search/")  # navigation and the schedule boundary, read once per generation
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r'href="[^"?]*(\?after=[^"]+)" rel="next"', html)
    return titles(html), len(captured), found.group(1).replace("&amp;", "&") if found else ""


def tagged_story(tag, author, title, **fields):
    story = ArticleFactory(title=title, tags=[tag], **fields)
    BylineFactory(article=story, author=author, position=0)
    return story


@pytest.fixture
def lists(db):
    """Live stories 1h…4h old (two of them at the same second: the id breaks the tie) with a tag
    and an author, and a draft, an embargoed, a scheduled and an expired story with both."""
    tag, author = TagFactory(name="Water", slug="water"), AuthorFactory(name="Sara Hamidi", slug="sara-hamidi")
    now = timezone.now().replace(microsecond=0)
    for hours in (3, 1, 4, 2):
        tagged_story(tag, author, f"Story {hours}h", published_at=now - timedelta(hours=hours))
    tagged_story(tag, author, "Story 2h twin", published_at=now - timedelta(hours=2))
    tagged_story(tag, author, "Hidden draft", draft=True)
    tagged_story(tag, author, "Hidden embargo", embargo_until=now + timedelta(hours=1))
    tagged_story(tag, author, "Hidden schedule", published_at=now + timedelta(hours=1))
    tagged_story(tag, author, "Hidden expired", expires_at=now - timedelta(minutes=1))
    return tag, author


def newest_first(**match) -> list[str]:
    return list(Article.objects.live().filter(**match).newest_first().values_list("title", flat=True))


@pytest.mark.parametrize("url", URLS)
def test_the_list_is_the_live_stories_newest_first_in_pages(client, lists, monkeypatch, url):
    tag, author = lists
    expected = newest_first(tags=tag)
    assert expected == ["Story 1h", "Story 2h twin", "Story 2h", "Story 3h", "Story 4h"]
    assert newest_first(bylines__author=author) == expected
    monkeypatch.setattr(listings, "PAGE_SIZE", 3)
    first, first_queries, after = page(client, url)
    rest, rest_queries, none = page(client, url + after)
    assert first + rest == expected and none == ""
    assert rest_queries == first_queries


@pytest.mark.parametrize("url", URLS)
def test_a_long_list_runs_the_queries_of_a_short_one(client, lists, url):
    short = page(client, url)[1]
    tag, author = lists
    for n in range(30):
        tagged_story(tag, author, f"Older {n}", published_at=timezone.now() - timedelta(days=n + 1))
    found, queries, after = page(client, url)
    assert len(found) == listings.PAGE_SIZE and after
    assert queries == short


def test_the_lists_follow_a_dateline_that_moves(client, lists, people):
    tag, author = lists
    oldest = Article.objects.get(title="Story 4h")
    actions.set_timeline(actor=people["editor"], article=oldest, published_at=timezone.now() - timedelta(minutes=5))
    assert page(client, "/tag/water/")[0][:2] == ["Story 4h", "Story 1h"]
    assert page(client, "/authors/sara-hamidi/")[0][:2] == ["Story 4h", "Story 1h"]
    feed = client.get("/authors/sara-hamidi/feed/").content.decode()
    assert re.findall(r"<title>(Story [^<]*)</title>", feed)[:2] == ["Story 4h", "Story 1h"]
    api = client.get("/api/v1/articles/?tag=water").json()["results"]
    assert [item["title"] for item in api][:2] == ["Story 4h", "Story 1h"]
    actions.unpublish(actor=people["editor"], article=oldest)
    assert "Story 4h" not in page(client, "/tag/water/")[0]


def test_the_api_tag_list_pages_through_the_live_stories(client, lists):
    expected = newest_first(tags=lists[0])
    first = client.get("/api/v1/articles/?tag=water&page_size=2").json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    back = client.get(third["previous"]).json()
    found = [item["title"] for answer in (first, second, third) for item in answer["results"]]
    assert found == expected and third["next"] is None
    assert [item["title"] for item in back["results"]] == expected[2:4]


def test_the_author_feed_lists_the_live_stories_newest_first(client, lists):
    feed = client.get("/authors/sara-hamidi/feed/").content.decode()
    assert re.findall(r"<title>(Story [^<]*)</title>", feed) == newest_first(bylines__author=lists[1])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN output is SQLite's")
@pytest.mark.parametrize(
    ("url", "index"), [("/tag/water/", "tag_link_listing_idx"), ("/authors/sara-hamidi/", "byline_listing_idx")]
)
def test_the_list_walks_its_own_index_in_date_order(client, lists, url, index):
    cache.clear()
    client.get("/search/")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    (sql,) = [q["sql"] for q in captured if "listed_at" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = "\n".join(row[-1] for row in cursor.fetchall())
    assert f"INDEX {index} (" in plan, plan
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan  # the index gives the order
    assert "USING INTEGER PRIMARY KEY" in plan, plan  # each story by primary key


def test_the_api_tag_list_narrowed_by_a_search_keeps_its_order(client, lists):
    tag = lists[0]
    ArticleFactory(title="Story elsewhere", published_at=timezone.now() - timedelta(minutes=1))  # not tagged
    answer = client.get("/api/v1/articles/?tag=water&q=story")
    assert answer.status_code == 200
    assert [item["title"] for item in answer.json()["results"]] == newest_first(tags=tag)
