"""querykit.keyset: pages after or before an edge row, in one query each, stable while rows come and go."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from querykit import keyset
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NEWEST_FIRST = (("published_at", True), ("id", True))


def test_order_by_and_its_reverse():
    assert keyset.order_by(NEWEST_FIRST) == ["-published_at", "-id"]
    assert keyset.order_by(NEWEST_FIRST, backwards=True) == ["published_at", "id"]
    assert keyset.order_by((("name", False),)) == ["name"]


def test_pages_walk_forward_and_back_over_equal_dates_once_each():
    at = timezone.now() - timezone.timedelta(hours=1)
    articles = [ArticleFactory(published_at=at) for _ in range(3)]  # the id breaks the tie
    articles += [ArticleFactory(published_at=at - timezone.timedelta(minutes=n)) for n in (1, 2)]
    expected = sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)
    seen, after = [], None
    while True:
        with CaptureQueriesContext(connection) as captured:
            rows, more = keyset.fetch(Article.objects.all(), NEWEST_FIRST, size=2, after=after)
        assert len(captured) == 1
        seen += rows
        if not more:
            break
        after = keyset.edge_values(NEWEST_FIRST, rows[-1])
    assert seen == expected
    before, more = keyset.fetch(
        Article.objects.all(), NEWEST_FIRST, size=2, after=keyset.edge_values(NEWEST_FIRST, expected[3]), backwards=True
    )
    assert before == expected[1:3] and more  # in display order, and expected[0] lies before them


def test_a_row_published_meanwhile_does_not_shift_the_next_page():
    old = [ArticleFactory(published_at=timezone.now() - timezone.timedelta(hours=h)) for h in (1, 2, 3)]
    first, _ = keyset.fetch(Article.objects.all(), NEWEST_FIRST, size=1)
    ArticleFactory(published_at=timezone.now())
    second, more = keyset.fetch(
        Article.objects.all(), NEWEST_FIRST, size=1, after=keyset.edge_values(NEWEST_FIRST, first[-1])
    )
    assert (first, second, more) == ([old[0]], [old[1]], True)


def test_beyond_needs_one_value_per_ordering_field():
    with pytest.raises(ValueError):
        keyset.beyond(NEWEST_FIRST, [timezone.now()])
