"""Search at scale: stored vectors kept by the database, each story's language, bounded
ranking and counting, hostile input on the page, no leaks, constant queries; SQLite and PostgreSQL."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import actions, search
from articles.models import Article
from articles.site import search_page
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"


def found(q):
    return list(search.search_articles(Article.objects.live(), q))


def ago(**kwargs):
    return timezone.now() - timezone.timedelta(**kwargs)


def heading(client, q, **params) -> str:
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return re.search(r'<h1 class="page-title">(.*?)</h1>', response.content.decode(), re.S).group(1)


# --- the stored vector follows edits ---------------------------------------------------------------


def test_a_changed_title_is_found_by_its_new_word_and_not_by_the_old_one():
    article = ArticleFactory(title="Lighthouse keeper retires", summary="", body="<p>After forty years.</p>")
    assert found("lighthouse") == [article]
    article.title = "Ferry captain retires"
    actions.save_article(actor=None, article=article)
    assert found("lighthouse") == []
    assert found("ferry") == [article]


def test_changes_to_summary_and_body_are_searchable_at_once():
    article = ArticleFactory(title="Council meeting", summary="Budget agreed.", body="<p>Nothing else.</p>")
    article.summary = "Orchard subsidies agreed."
    article.body = "<p>The quarry will close.</p>"
    actions.save_article(actor=None, article=article)
    assert found("orchard") == [article]
    assert found("quarry") == [article]
    assert found("budget") == []


@pytest.mark.skipif(not ON_POSTGRESQL, reason="stored tsvector columns exist on PostgreSQL only")
def test_the_stored_vectors_are_not_model_fields_and_never_reach_the_api(client):
    article = ArticleFactory(title="Granary fire contained")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text, title_vector::text FROM articles_article WHERE id = %s", [article.pk]
        )
        vector, title_vector = cursor.fetchone()
    assert "'granari':1A" in vector and "'granari':1" in title_vector  # filled by the database, title weight A
    names = {f.column for f in Article._meta.concrete_fields}
    assert not names & {"search_vector", "title_vector"}
    detail = client.get(f"/api/v1/articles/{article.pk}/").content.decode()
    listing = client.get("/api/v1/articles/", {"q": "granary"}).json()
    assert [row["id"] for row in listing["results"]] == [article.pk]
    for text in (detail, str(listing)):
        assert "search_vector" not in text and "title_vector" not in text and "granari" not in text


# --- each story's language -----------------------------------------------------------------------


@pytest.mark.skipif(not ON_POSTGRESQL, reason="per-language stemming is PostgreSQL's (FTS5 stems English only)")
def test_a_french_story_is_found_by_a_french_form_of_its_word(settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("ar", "Arabic")]
    french = ArticleFactory(title="Les chevaux du haras vendus aux enchères", language="fr", summary="", body="")
    english = ArticleFactory(title="Chevaux is a word this English story uses", language="en", summary="", body="")
    # French stemming makes "cheval" and "chevaux" one word; English stemming does not.
    assert found("cheval") == [french]
    assert set(found("chevaux")) == {french, english}


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the configuration table is a PostgreSQL function")
def test_the_database_and_python_agree_on_each_languages_configuration():
    codes = [*search.LANGUAGE_CONFIGS, "EN-gb", "fa", "xx", ""]
    with connection.cursor() as cursor:
        for code in codes:
            cursor.execute("SELECT article_search_config(%s)::text", [code])
            assert cursor.fetchone()[0] == search.search_config(code), code


@pytest.mark.skipif(not ON_POSTGRESQL, reason="stored tsvector columns exist on PostgreSQL only")
def test_changing_the_language_reparses_the_story(settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]
    article = ArticleFactory(title="Les chevaux rentrent", language="en", summary="", body="")
    assert found("cheval") == []
    article.language = "fr"
    actions.save_article(actor=None, article=article)
    assert found("cheval") == [article]


def test_a_story_in_an_unlisted_language_is_found_by_its_exact_words():
    article = ArticleFactory(title="Kooperativa gradi novi most", language="hr", summary="", body="")
    assert found("kooperativa") == [article]


# --- bounded ranking ------------------------------------------------------------------------------


@pytest.fixture
def small_bounds(monkeypatch):
    """Bounds small enough for a handful of stories to overflow them."""
    monkeypatch.setattr(search, "CANDIDATES", 3)
    monkeypatch.setattr(search, "TITLE_CANDIDATES", 2)
    monkeypatch.setattr(search, "MAX_RANKED", 5)
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    monkeypatch.setattr(search_page, "COUNT_LIMIT", 3)


def body_matches(n, word="turbine"):
    """`n` stories holding `word` in their body only, returned newest first but written oldest
    first, as a newsroom writes them (on SQLite the bounded ranking takes the newest ids)."""
    stories = [
        ArticleFactory(
            title=f"Regional roundup {i}",
            summary="",
            body=f"<p>Also: the {word} again.</p>",
            published_at=ago(hours=i + 1),
        )
        for i in reversed(range(n))
    ]
    return stories[::-1]


def test_an_old_title_match_still_ranks_first_beyond_the_newest_candidates(small_bounds, monkeypatch):
    monkeypatch.setattr(search, "MAX_RANKED", 20)  # SQLite's outer bound on the ranked id range
    old_title_match = ArticleFactory(
        title="Turbine hall reopens", summary="", body="<p>Visitors return.</p>", published_at=ago(days=30)
    )
    newer = body_matches(8)
    results = found("turbine")
    assert results[0] == old_title_match
    assert results[1:4] == newer[:3]  # then the newest body matches, newest first on equal ranks


def test_ranking_is_bounded_to_the_candidates(small_bounds):
    newer = body_matches(12)
    results = found("turbine")
    assert results[:3] == newer[:3]
    assert len(results) <= 5  # never all twelve ranked


def test_a_rare_word_ranks_every_match(small_bounds):
    stories = body_matches(2, word="sluice")
    assert found("sluice") == stories


def test_title_matches_rank_above_body_matches_among_recent_stories():
    body_only = ArticleFactory(
        title="Morning briefing", summary="", body="<p>Pylon pylon pylon work.</p>", published_at=ago(minutes=5)
    )
    by_title = ArticleFactory(
        title="Pylon repairs finished", summary="", body="<p>Crews left.</p>", published_at=ago(hours=5)
    )
    by_summary = ArticleFactory(
        title="Evening briefing", summary="The pylon stands.", body="<p>Done.</p>", published_at=ago(hours=1)
    )
    assert found("pylon") == [by_title, by_summary, body_only]


# --- the count the page shows ------------------------------------------------------------------


def test_more_matches_than_counted_are_shown_as_such(client, small_bounds, monkeypatch):
    monkeypatch.setattr(search_page, "PAGE_SIZE", 2)
    body_matches(7)
    assert heading(client, "turbine") == "More than 3 results for “turbine”"
    html = client.get("/search/", {"q": "turbine", "page": "9"}).content.decode()
    assert "No more results: the best are on the earlier pages." in html


def test_a_count_within_the_bound_is_exact(client, small_bounds, monkeypatch):
    monkeypatch.setattr(search_page, "PAGE_SIZE", 2)
    body_matches(3)
    assert heading(client, "turbine") == "3 results for “turbine”"
    assert search.count_matches(Article.objects.live(), "turbine") == 3
    assert search.count_matches(Article.objects.live(), "turbine", limit=1) == 2  # "more than 1"


# --- what the page never shows -----------------------------------------------------------------


@pytest.mark.parametrize("bounded", [False, True], ids=["all-ranked", "bounded"])
def test_drafts_embargoed_scheduled_and_expired_stories_are_never_found(client, monkeypatch, bounded):
    if bounded:
        monkeypatch.setattr(search, "CANDIDATES", 2)
        monkeypatch.setattr(search, "TITLE_CANDIDATES", 1)
        monkeypatch.setattr(search, "MAX_RANKED", 3)
    live = [ArticleFactory(title=f"Hidden marmalade live {i}", published_at=ago(days=i + 1)) for i in (2, 1)]
    hidden = [
        ArticleFactory(title="Hidden marmalade draft", draft=True),
        ArticleFactory(title="Hidden marmalade embargoed", embargo_until=timezone.now() + timezone.timedelta(hours=3)),
        ArticleFactory(title="Hidden marmalade scheduled", published_at=timezone.now() + timezone.timedelta(hours=3)),
        ArticleFactory(title="Hidden marmalade expired", expires_at=ago(minutes=1)),
        ArticleFactory(title="Hidden marmalade archived", status=Article.Status.ARCHIVED),
    ]
    live.append(ArticleFactory(title="Hidden marmalade live 0", published_at=ago(hours=2)))  # the newest id
    results = found("marmalade")
    assert results and set(results) <= set(live)
    html = client.get("/search/", {"q": "marmalade"}).content.decode()
    for article in hidden:
        assert article.title not in html and article.get_absolute_url() not in html
    api = client.get("/api/v1/articles/", {"q": "marmalade"}).json()
    assert {row["id"] for row in api["results"]} == {a.pk for a in live}


# --- hostile input ---------------------------------------------------------------------------------

HOSTILE = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "'; DROP TABLE articles_article; --",
    "\x00",
    "nul\x00byte",
    "x" * 5000,
    "word " * 400,
    "!!! ??? ... ---",
    "&&& ||| !!",
    "'",
    "\\",
    ":*",
    "<->",
    "a:A & b:*",
    '"unclosed phrase',
    "-only -excluded",
    "{title} : x",
    "NEAR(a b)",
    "\u202e\u200b\ufeff",
    "🔥" * 50,
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_give_a_clean_page(client, q):
    ArticleFactory(title="Ordinary words about a word and a script")
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "\x00" not in html
    api = client.get("/api/v1/articles/", {"q": q[:200]})
    assert api.status_code in (200, 400)  # 400: the API refuses NUL and over-long queries by name


def test_a_query_of_only_punctuation_finds_nothing_and_says_so(client):
    ArticleFactory(title="Anything at all")
    assert heading(client, "!!! ???") == "No results for “!!! ???”"


# --- queries per page ----------------------------------------------------------------------------


def page_queries(client, q) -> int:
    client.get("/search/", {"q": q})  # navigation fragment and boundary cached, connection warm
    client.get("/search/", {"q": "warmup"})
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/search/", {"q": q, "page": "2"}).status_code == 200
    return len(captured)


def test_sql_queries_per_search_page_do_not_grow_with_the_matches(client, monkeypatch, settings):
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(search_page, "PAGE_SIZE", 2)
    monkeypatch.setattr(search, "CANDIDATES", 10)
    for i in range(6):
        ArticleFactory(title=f"Silo report {i}")
    for i in range(40):
        ArticleFactory(title=f"Windmill report {i}", body="<p>Windmill windmill.</p>")
    few, many = page_queries(client, "silo"), page_queries(client, "windmill")
    assert few == many
