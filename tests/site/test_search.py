"""Full-text search: matching, ranking, highlighting and hostile input, on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.utils import timezone

from articles import actions
from articles.models import Article
from articles.search import fts_match_expression, highlight, parse_query, search_articles, snippet
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def search(q):
    return list(search_articles(Article.objects.live(), q))


def test_finds_articles_by_title_summary_and_body_words():
    by_title = ArticleFactory(title="Flood barriers raised along the Tigris", summary="", body="<p>Nothing else.</p>")
    by_body = ArticleFactory(title="Morning briefing", summary="", body="<p>Crews checked the flood barriers.</p>")
    ArticleFactory(title="Election results delayed", summary="", body="<p>Counting continues.</p>")
    assert set(search("flood barriers")) == {by_title, by_body}


def test_title_match_ranks_above_body_match_and_rank_is_annotated():
    older_title_hit = ArticleFactory(
        title="Wheat harvest begins in the north", body="<p>Farmers started early.</p>",
        published_at=timezone.now() - timezone.timedelta(days=3),
    )
    newer_body_hit = ArticleFactory(
        title="Regional roundup", body="<p>Elsewhere, the wheat price rose.</p>",
        published_at=timezone.now() - timezone.timedelta(hours=1),
    )
    results = search("wheat")
    assert results == [older_title_hit, newer_body_hit]
    assert results[0].rank > results[1].rank


def test_equal_ranks_come_newest_first():
    old = ArticleFactory(title="Port strike ends", published_at=timezone.now() - timezone.timedelta(days=2))
    new = ArticleFactory(title="Port strike ends", published_at=timezone.now() - timezone.timedelta(hours=2))
    assert search("port strike") == [new, old]


def test_english_word_forms_match():
    article = ArticleFactory(title="Bridges reopened after repairs")
    assert search("bridge") == [article]
    assert search("reopening") == [article]


def test_excluded_words_and_phrases():
    near = ArticleFactory(title="Talks resume in Geneva", body="<p>Delegates met.</p>")
    far = ArticleFactory(title="Talks resume in Vienna", body="<p>Delegates met.</p>")
    assert search("talks -vienna") == [near]
    assert search('"resume in vienna"') == [far]


def test_only_live_articles_of_the_given_queryset_are_found():
    live = ArticleFactory(title="Marker zebracrossing live")
    ArticleFactory(title="Marker zebracrossing draft", draft=True)
    ArticleFactory(title="Marker zebracrossing future", published_at=timezone.now() + timezone.timedelta(hours=5))
    ArticleFactory(title="Marker zebracrossing stub", status=Article.Status.DRAFT, is_stub=True)
    ArticleFactory(title="Marker zebracrossing archived", status=Article.Status.ARCHIVED)
    assert search("zebracrossing") == [live]


def test_index_follows_edits_and_deletes():
    article = ArticleFactory(title="Quiet day in the capital")
    assert search("capital") == [article]
    article.title = "Busy night downtown"
    actions.save_article(actor=None, article=article)
    assert search("capital") == []
    assert search("downtown") == [article]
    actions.delete_article(actor=None, article=article)
    assert search("downtown") == []


@pytest.mark.parametrize(
    "q",
    ['"', '""', "AND", "OR", "NOT", "NEAR(", "title:x", "*", "^", "a AND OR b", ")(", "-", "-word", "''", "\x00",
     "x" * 5000, "سلام \"", "(((", "col:umn: NEAR/2"],
)
def test_hostile_input_never_errors(q):
    ArticleFactory(title="Ordinary words here")
    search(q)  # must not raise


def test_empty_or_punctuation_only_query_matches_nothing():
    ArticleFactory(title="Anything at all")
    assert search("") == []
    assert search("  !!! ?? ") == []
    assert search("-anything") == []


def test_arabic_text_is_searchable():
    article = ArticleFactory(title="انتخابات البرلمان في بغداد", language="ar")
    assert search("بغداد") == [article]


def test_parse_and_fts_expression_quote_everything():
    parsed = parse_query('flood "river bank" -mosul NEAR(x)')
    assert parsed.required == ["flood", "river bank", "near x"]  # punctuation joins words into a phrase
    assert parsed.excluded == ["mosul"]
    assert fts_match_expression(parsed) == '("flood" AND "river bank" AND "near x") NOT "mosul"'


def test_highlight_marks_terms_and_escapes_everything_else():
    html = highlight('Floods & <script>alert("x")</script> flooding', "flood")
    assert html == (
        "<mark>Floods</mark> &amp; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>flooding</mark>"
    )
    assert highlight("<b>plain</b>", "") == "&lt;b&gt;plain&lt;/b&gt;"
    assert highlight("a <mark>", "mark") == "a &lt;<mark>mark</mark>&gt;"


def test_snippet_centres_on_first_hit_and_strips_markup():
    body = "<p>" + "filler words " * 40 + "the <em>harbour</em> &amp; docks " + "tail words " * 40 + "</p>"
    text = snippet(body, "harbour")
    assert "<mark>harbour</mark> &amp; docks" in text
    assert "<em>" not in text
    assert text.startswith("… ") and text.endswith(" …")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN index exists on PostgreSQL only")
def test_postgresql_uses_the_gin_index():
    ArticleFactory.create_batch(3)
    qs = search_articles(Article.objects.all(), "bridge")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = qs.explain()
        cursor.execute("RESET enable_seqscan")
    assert "article_search_gin" in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table exists on SQLite only")
def test_sqlite_fts_triggers_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'articles_article_fts_%'")
        assert {row[0] for row in cursor.fetchall()} == {
            "articles_article_fts_ai", "articles_article_fts_ad", "articles_article_fts_au",
        }

