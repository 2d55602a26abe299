"""PreparedQuery: SQL compiled once, run with new values, same rows as the plain queryset."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from querykit.prepared import PreparedQuery, PreparedQueryError
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


# --- what a prepared query refuses, instead of running its fixed SQL regardless --------------


@pytest.mark.parametrize(
    "step, named",
    [
        (lambda rows: rows.filter(pk=0), r"\.filter\(\)"),
        (lambda rows: rows.exclude(pk=0), r"\.exclude\(\)"),
        (lambda rows: rows.order_by("-pk"), r"\.order_by\(\)"),
        (lambda rows: rows.count(), r"\.count\(\).*len\(rows\)"),
        (lambda rows: rows.exists(), r"\.exists\(\).*bool\(rows\)"),
        (lambda rows: rows.first(), r"\.first\(\)"),
        (lambda rows: rows.get(pk=1), r"\.get\(\)"),
        (lambda rows: rows.values("pk"), r"\.values\(\)"),
        (lambda rows: rows.select_related("lead_media"), r"\.select_related\(\)"),
        (lambda rows: rows.update(title="x"), r"\.update\(\)"),
        (lambda rows: rows.delete(), r"\.delete\(\)"),
        (lambda rows: rows[:1], "cannot be sliced"),
        (lambda rows: rows[0], "cannot be indexed"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_step_the_fixed_sql_would_ignore_is_refused_by_name(step, named):
    article = ArticleFactory()
    rows = PreparedQuery(live_by_section, section_id=1, now=SAMPLE)(section_id=article.section_id, now=timezone.now())
    with pytest.raises(PreparedQueryError, match=named):
        step(rows)
    assert Article.objects.filter(pk=article.pk, title=article.title).exists()  # nothing was updated or deleted


def test_refusals_are_type_errors_and_other_names_stay_attribute_errors():
    rows = PreparedQuery(live_by_section, section_id=1, now=SAMPLE)(section_id=1, now=timezone.now())
    assert issubclass(PreparedQueryError, TypeError)
    assert not hasattr(rows, "no_such_thing")  # AttributeError, as for any object


def test_rows_can_be_iterated_counted_tested_and_searched_reading_once():
    articles = [ArticleFactory(), ArticleFactory()]
    prepared = PreparedQuery(lambda ids: Article.objects.filter(pk__in=ids).order_by("pk"), ids=(1, 2))
    rows = prepared(ids=(articles[0].pk, articles[1].pk))
    with CaptureQueriesContext(connection) as captured:
        assert len(rows) == 2 and bool(rows) and articles[1] in rows and list(rows) == articles
    assert len(captured) == 1
    assert not prepared(ids=(0, 0))
    assert "2 rows" in repr(rows)


def test_a_builder_that_does_not_return_a_queryset_is_refused():
    prepared = PreparedQuery(lambda pk: list(Article.objects.filter(pk=pk)), pk=1)
    with pytest.raises(ImproperlyConfigured, match="must return a QuerySet, not list"):
        prepared(pk=1)


def test_running_compiles_nothing_once_prepared(monkeypatch):
    """What _CompiledQuery relies on in Django (a queryset's iterable asks query.get_compiler();
    execute_sql() asks the compiler's as_sql(); a compiled compiler copied keeps what maps the
    columns back): still true when this passes. Compiling is switched off after preparing, and
    the rows, their select_related objects and their converted values still come back."""
    article = ArticleFactory()
    prepared = PreparedQuery(live_by_section, section_id=1, now=SAMPLE)
    list(prepared(section_id=0, now=timezone.now()))  # prepares
    published_at = Article.objects.get(pk=article.pk).published_at

    def no_compiling(*args, **kwargs):
        raise AssertionError("the SQL was compiled again")

    monkeypatch.setattr(SQLCompiler, "as_sql", no_compiling)
    with CaptureQueriesContext(connection) as captured:
        rows = list(prepared(section_id=article.section_id, now=timezone.now()))
        assert rows == [article]
        assert rows[0].section.name == article.section.name
        assert rows[0].published_at == published_at  # converted back to an aware datetime
    assert len(captured) == 1
    with pytest.raises(AssertionError, match="compiled again"):
        list(Article.objects.all())  # the switch works: a plain queryset does compile
