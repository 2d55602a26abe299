"""A tag or author with few stories is listed by primary key (ArticleQuerySet.among), one with
many by the date-ordered walk (a section names its tree's ids either way): readers see the same
page, newest first, hidden stories left out, with the same number of queries and working
next-page links."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import querysets
from articles.site import listings
from tests.factories import ArticleFactory, AuthorFactory, BylineFactory, TagFactory

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def stories(tree):
    """Four live stories in Mosul with a tag and an author, newest first, and a hidden draft."""
    tag, author = TagFactory(name="Water", slug="water"), AuthorFactory(name="Sara Hamidi", slug="sara-hamidi")
    made = []
    for hours in (1, 2, 3, 4):
        story = ArticleFactory(
            title=f"Story {hours}h",
            section=tree["mosul"],
            tags=[tag],
            published_at=timezone.now() - timezone.timedelta(hours=hours),
        )
        BylineFactory(article=story, author=author, position=0)
        made.append(story)
    draft = ArticleFactory(title="Hidden draft", section=tree["mosul"], tags=[tag], draft=True)
    BylineFactory(article=draft, author=author, position=0)
    return [s.title for s in made]


@pytest.mark.parametrize(
    "url", ["/section/iraq/", "/section/iraq/conflict/mosul/", "/tag/water/", "/authors/sara-hamidi/"]
)
def test_few_and_many_stories_give_the_same_page(client, stories, monkeypatch, url):
    monkeypatch.setattr(listings, "PAGE_SIZE", 3)
    monkeypatch.setattr(querysets, "FEW", 100)  # five candidates: read by primary key
    few, few_queries, few_next = page(client, url)
    monkeypatch.setattr(querysets, "FEW", 2)  # more candidates than that: the walk
    many, many_queries, many_next = page(client, url)
    assert few == many == stories[:3]
    assert few_queries == many_queries
    # The second page, through the cursor, on the small path.
    monkeypatch.setattr(querysets, "FEW", 100)
    assert few_next == many_next
    rest, rest_queries, _ = page(client, url + few_next)
    assert rest == stories[3:] and rest_queries == few_queries
