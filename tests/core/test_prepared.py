"""PreparedQuery: SQL compiled once, run with new values, same rows as the plain queryset."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from querykit.prepared import PreparedQuery
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SAMPLE = timezone.now()


def live_by_section(section_id, now):
    return Article.objects.live(now).filter(section_id=section_id).select_related("section").order_by("pk")


def test_rows_match_the_plain_queryset_for_each_value_and_moment():
    now = timezone.now()
    prepared = PreparedQuery(live_by_section, section_id=1, now=SAMPLE)
    first, second = ArticleFactory(), ArticleFactory()
    later = ArticleFactory(section=first.section, published_at=now + timezone.timedelta(hours=1))
    for section_id in (first.section_id, second.section_id, 0):
        for at in (now, now + timezone.timedelta(hours=2)):
            got = list(prepared(section_id=section_id, now=at))
            assert got == list(live_by_section(section_id, at))
    assert later in prepared(section_id=first.section_id, now=now + timezone.timedelta(hours=2))
    assert later not in prepared(section_id=first.section_id, now=now)


def test_select_related_rows_need_no_further_query():
    article = ArticleFactory()
    prepared = PreparedQuery(live_by_section, section_id=1, now=SAMPLE)
    with CaptureQueriesContext(connection) as captured:
        rows = list(prepared(section_id=article.section_id, now=timezone.now()))
        assert rows[0].section.name == article.section.name
    assert len(captured) == 1


def test_the_queryset_is_built_only_while_preparing():
    """Once per value to find its parameters, then never again: later calls reuse the SQL."""
    built = []

    def build(section_id, now):
        built.append(section_id)
        return live_by_section(section_id, now)

    article = ArticleFactory()
    prepared = PreparedQuery(build, section_id=1, now=SAMPLE)
    for _ in range(3):
        assert list(prepared(section_id=article.section_id, now=timezone.now())) == [article]
    assert len(built) == 3  # the samples, then each value changed once


def test_a_value_that_changes_the_sql_is_refused_when_prepared():
    prepared = PreparedQuery(lambda n: Article.objects.order_by("pk")[:n], n=5)
    with pytest.raises(ImproperlyConfigured, match="'n'"):
        list(prepared(n=3))


def test_a_value_of_another_type_or_a_missing_value_is_refused():
    prepared = PreparedQuery(live_by_section, section_id=1, now=SAMPLE)
    with pytest.raises(TypeError, match="'section_id' must be int"):
        prepared(section_id="1", now=timezone.now())
    with pytest.raises(TypeError, match="needed"):
        prepared(section_id=1)


def test_a_tuple_value_fills_an_in_list_element_by_element():
    articles = [ArticleFactory() for _ in range(3)]
    prepared = PreparedQuery(lambda ids: Article.objects.filter(pk__in=ids).order_by("pk"), ids=(1, 2, 3, 4))
    padded = (articles[2].pk, articles[0].pk, 0, 0)  # repeats are fine in the values
    assert list(prepared(ids=padded)) == [articles[0], articles[2]]
    with pytest.raises(TypeError, match="4 elements"):
        prepared(ids=(1, 2))
