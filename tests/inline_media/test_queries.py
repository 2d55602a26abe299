"""All the inline items of an article page cost a fixed number of queries, whatever their
number; the page stays within the article page's budget of eight."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.inline_media.conftest import figure, set_body, story
from tests.site.conftest import make_image, make_video

pytestmark = pytest.mark.django_db


def body_with(count: int) -> str:
    """A body of `count` inline items: photos, a portrait, videos with posters."""
    makers = [make_image, make_video, lambda: make_image(width=600, height=900), make_video, make_image, make_image]
    items = [makers[n % len(makers)]() for n in range(count)]
    return "".join(f"<p>Paragraph {n}.</p>{figure(item, f'Caption {n}.')}" for n, item in enumerate(items))


def warm(client):
    """A new content generation, then a page that warms what is read once per generation."""
    cache.clear()
    client.get("/search/")


def page_queries(client, article) -> int:
    warm(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and response.get("X-Page-Cache") != "hit"
    return len(captured)


def test_the_article_page_costs_the_same_for_one_or_six_inline_items(client, django_assert_num_queries):
    one, six = story(body_with(1)), story(body_with(6))
    expected = page_queries(client, one)
    assert expected <= 8
    warm(client)
    with django_assert_num_queries(expected):
        html = client.get(six.get_absolute_url()).content.decode()
    assert html.count('class="inline-media ') == 6
    assert html.count("<video ") == 2 and html.count("<picture>") >= 4


def test_figures_cost_one_query_and_none_without_them(client):
    lead = make_image()
    plain, illustrated = story("<p>Only words.</p>", lead_media=lead), story(body_with(3), lead_media=lead)
    assert page_queries(client, illustrated) == page_queries(client, plain) + 1


def test_the_fullest_article_page_stays_within_its_budget(client, tree):
    from tests.site.test_query_budget import article_with

    article = set_body(article_with(50, 12, tree), body_with(6))
    assert page_queries(client, article) <= 8
