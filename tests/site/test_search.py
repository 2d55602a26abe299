"""Full-text search: matching, ranking, highlighting and hostile input, on SQLite and PostgreSQL."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import actions
from articles.models import Article
from articles.search import (
    count_matches,
    fts_match_expression,
    highlight,
    parse_query,
    plain_text,
    search_articles,
    snippet,
)
from articles.site import search_page
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
        title="Wheat harvest begins in the north",
        body="<p>Farmers started early.</p>",
        published_at=timezone.now() - timezone.timedelta(days=3),
    )
    newer_body_hit = ArticleFactory(
        title="Regional roundup",
        body="<p>Elsewhere, the wheat price rose.</p>",
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
    [
        '"',
        '""',
        "AND",
        "OR",
        "NOT",
        "NEAR(",
        "title:x",
        "*",
        "^",
        "a AND OR b",
        ")(",
        "-",
        "-word",
        "''",
        "\x00",
        "x" * 5000,
        'سلام "',
        "(((",
        "col:umn: NEAR/2",
    ],
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
    assert html == ("<mark>Floods</mark> &amp; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>flooding</mark>")
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
            "articles_article_fts_ai",
            "articles_article_fts_ad",
            "articles_article_fts_au",
        }


# --- snippets keep words and paragraphs apart -----------------------------------------------------


def excerpts(client, q) -> list[str]:
    html = client.get("/search/", {"q": q}).content.decode()
    return re.findall(r'<p class="summary"[^>]*>(.*?)</p>', html, re.S)


def test_snippets_do_not_run_paragraphs_together(client):
    ArticleFactory(
        title="Ministry statement",
        summary="",
        body="<p>The minister said.</p><p>Officials denied that <em>reservoir</em> levels had fallen.</p>",
    )
    [excerpt] = excerpts(client, "reservoir")
    assert "said. Officials denied that <mark>reservoir</mark> levels had fallen." in excerpt
    assert "said.Officials" not in excerpt


def test_headings_list_items_and_line_breaks_separate_their_texts(client):
    ArticleFactory(
        title="Ministry statement",
        summary="",
        body="<h2>Background</h2><p>Reservoir levels fell</p><ul><li>pumps</li><li>pipes</li></ul>"
        "<p>Dam road<br>Closed</p>",
    )
    [excerpt] = excerpts(client, "reservoir")
    assert excerpt == "Background · <mark>Reservoir</mark> levels fell · pumps · pipes · Dam road · Closed"


def test_plain_text_keeps_words_within_inline_markup_and_decodes_entities():
    assert plain_text("<p><b>un</b>likely &amp; <a href='/x'>odd</a></p>\n<p>Next.</p>") == "unlikely & odd · Next."
    assert plain_text("<p>He said “yes.”</p><p>قال الوزير؟</p><p>ثم غادر.</p>") == "He said “yes.” قال الوزير؟ ثم غادر."
    assert plain_text("<table><tr><th>Town</th><td>Mosul</td></tr></table>") == "Town · Mosul"
    assert plain_text("") == ""


def test_a_cut_snippet_does_not_start_or_end_on_a_separator():
    body = "".join(f"<h3>Heading {n}</h3>" for n in range(60)) + "<p>The harbour reopened.</p>"
    text = snippet(body, "harbour")
    assert text.startswith("… ") and not text.startswith("… ·")
    assert "<mark>harbour</mark> reopened." in text
    text = snippet("<p>The harbour reopened.</p>" + "".join(f"<h3>Heading {n}</h3>" for n in range(60)), "harbour")
    assert text.endswith(" …") and not text.endswith("· …")


# --- how many results -------------------------------------------------------------------------


def heading(client, q, **params) -> str:
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return re.search(r'<h1 class="page-title">(.*?)</h1>', response.content.decode()).group(1)


def test_the_page_says_how_many_results_there_are(client, monkeypatch):
    monkeypatch.setattr(search_page, "PAGE_SIZE", 10)
    for n in range(23):
        ArticleFactory(title=f"Reservoir report {n}")
    ArticleFactory(title="Reservoir draft", draft=True)
    ArticleFactory(title="Reservoir pipes", body="<p>Pipes.</p>")
    ArticleFactory(title="Aqueduct", body="<p>A single reservoir-free story about canals.</p>")
    assert heading(client, "reservoir -pipes") == "24 results for “reservoir -pipes”"  # "reservoir-free" counts
    assert heading(client, "reservoir -pipes", page="2") == "24 results for “reservoir -pipes”"
    assert heading(client, "reservoir -pipes", page="3") == "24 results for “reservoir -pipes”"  # the last page
    assert heading(client, "canals") == "1 result for “canals”"
    assert heading(client, "zeppelin") == "No results for “zeppelin”"
    html = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "Nothing matches “zeppelin”. Try fewer or different words" in html


def test_a_page_past_the_last_still_gives_the_count(client, monkeypatch):
    monkeypatch.setattr(search_page, "PAGE_SIZE", 2)
    for n in range(3):
        ArticleFactory(title=f"Reservoir report {n}")
    html = client.get("/search/", {"q": "reservoir", "page": "4"}).content.decode()
    assert re.search(r'<h1 class="page-title">3 results for “reservoir”</h1>', html)
    assert "No more results: all 3 are on the earlier pages." in html
    assert 'href="?q=reservoir">Back to the first results</a>' in html


def test_large_counts_are_grouped(client, monkeypatch):
    monkeypatch.setattr(search_page, "PAGE_SIZE", 1)
    monkeypatch.setattr(search_page, "COUNT_LIMIT", 5000)
    monkeypatch.setattr(search_page, "count_matches", lambda queryset, q: 1234)
    ArticleFactory.create_batch(2, title="Reservoir report")
    assert heading(client, "reservoir") == "1,234 results for “reservoir”"


def test_count_matches_counts_what_search_finds():
    for n in range(5):
        ArticleFactory(title=f"Reservoir report {n}", body="<p>Dam.</p>" if n % 2 else "<p>Canal.</p>")
    ArticleFactory(title="Reservoir draft", draft=True)
    live = Article.objects.live()
    assert count_matches(live, "reservoir") == len(search_articles(live, "reservoir")) == 5
    assert count_matches(live, "reservoir -dam") == 3
    assert count_matches(live, '"report 3"') == 1
    assert count_matches(live, "") == count_matches(live, "!!!") == 0


def test_the_count_is_one_cheap_query(client, monkeypatch):
    monkeypatch.setattr(search_page, "PAGE_SIZE", 2)
    for n in range(30):
        ArticleFactory(title=f"Reservoir report {n}")
    client.get("/search/")  # navigation and the boundary, cached
    with CaptureQueriesContext(connection) as captured:
        assert heading(client, "reservoir") == "30 results for “reservoir”"
    counts = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1  # bounded (COUNT_LIMIT); PostgreSQL's search reuses it
    for sql in counts:
        assert "bm25" not in sql and "ts_rank" not in sql  # nothing ranked just to count
        assert "body" not in sql.split("WHERE")[0]  # and no column read
        assert "LIMIT" in sql.upper()


@pytest.mark.django_db
def test_full_text_index_structures_survive_every_migration():
    """A migration that rebuilds the article table (SQLite's way to add a unique column) drops
    its triggers; each such migration must put them back, or search stops seeing edits."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles_article'")
            expected = {"articles_article_fts_ai", "articles_article_fts_ad", "articles_article_fts_au"}
        else:  # PostgreSQL searches through an expression index instead, which a rebuild must keep too
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'articles_article'")
            expected = {"article_search_gin"}
        names = {row[0] for row in cursor.fetchall()}
    assert expected <= names
