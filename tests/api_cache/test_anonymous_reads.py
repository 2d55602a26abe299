"""The API's anonymous article list and detail come from the page cache, as the site's pages do:
a hit is the same document with the same validators and keys, costs no query, and is never
given to (nor made from) a caller with credentials; an edit is fresh at once, in any process."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles import actions, public_cache
from articles.models import Article
from caching import purges
from hardening.throttling import AnonymousThrottle
from tests.factories import ArticleFactory, RelatedLinkFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    europe = SectionFactory(name="Europe", slug="europe")
    asia = SectionFactory(name="Asia", slug="asia")
    floods = TagFactory(name="Floods", slug="floods")
    edited = ArticleFactory(title="Dam holds after storm", section=europe, tags=[floods])
    other = ArticleFactory(title="Rice harvest begins", section=asia)
    RelatedLinkFactory(source=edited, target=other)
    return {"europe": europe, "asia": asia, "edited": edited, "other": other}


def detail(article) -> str:
    return f"/api/v1/articles/{article.pk}/"


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["results"]]


def test_a_second_read_is_a_hit_with_the_same_document_validators_and_keys(stories):
    anon = APIClient()
    for url in (detail(stories["edited"]), "/api/v1/articles/"):
        first = anon.get(url)
        again = anon.get(url)
        assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit"), url
        assert again.content == first.content and again["Content-Type"] == "application/json"
        assert again["ETag"] == first["ETag"] and again["Surrogate-Key"] == first["Surrogate-Key"]
        assert "s-maxage=" in again["Cache-Control"] and "Authorization" in again["Vary"]
        revalidated = anon.get(url, headers={"if-none-match": again["ETag"]})
        assert revalidated.status_code == 304 and revalidated.content == b""


def test_the_detail_keeps_its_versioned_etag(stories):
    """The ETag names the article's version (If-Match reads it back), hit or miss."""
    anon = APIClient()
    anon.get(detail(stories["edited"]))
    assert anon.get(detail(stories["edited"]))["ETag"].startswith(f'"a{stories["edited"].pk}v')


def test_a_hit_costs_no_query(stories, django_assert_num_queries):
    anon = APIClient()
    for url in (detail(stories["edited"]), "/api/v1/articles/", "/api/v1/articles/?section=europe"):
        anon.get(url)
        with django_assert_num_queries(0):
            assert anon.get(url)["X-Page-Cache"] == "hit", url


def test_only_the_parameters_the_list_reads_make_another_copy(stories):
    anon = APIClient()
    anon.get("/api/v1/articles/")
    tracked = anon.get("/api/v1/articles/?utm_source=mail&fbclid=x")
    assert tracked["X-Page-Cache"] == "hit"
    assert "utm_source" not in tracked.content.decode()
    narrowed = anon.get("/api/v1/articles/?section=europe")
    assert narrowed["X-Page-Cache"] == "miss" and titles(narrowed) == ["Dam holds after storm"]
    paged = anon.get("/api/v1/articles/?page_size=1")
    assert paged["X-Page-Cache"] == "miss" and len(titles(paged)) == 1
    following = anon.get(paged.json()["next"].removeprefix("http://testserver"))
    assert following["X-Page-Cache"] == "miss" and len(titles(following)) == 1
    assert titles(following) != titles(paged)


def test_staff_never_get_the_anonymous_copy(stories, editor):
    url = detail(stories["edited"])
    anon = APIClient()
    anon.get(url)
    assert anon.get(url)["X-Page-Cache"] == "hit"
    for staff in (token_client(editor), _session_client(editor)):
        answer = staff.get(url)
        assert answer.status_code == 200 and "X-Page-Cache" not in answer
        assert answer.json()["has_draft"] is False  # staff-only facts, made for them
        assert "s-maxage" not in answer.get("Cache-Control", "") and "Surrogate-Key" not in answer


def test_a_staff_answer_is_never_kept_for_anonymous_callers(stories, editor):
    url = detail(stories["edited"])
    for staff in (token_client(editor), _session_client(editor)):
        staff.get(url)
        staff.get(url)
    first = APIClient().get(url)
    assert first["X-Page-Cache"] == "miss" and "has_draft" not in first.json()
    assert "has_draft" not in APIClient().get(url).json()


def test_a_caller_the_api_authenticates_otherwise_is_not_served_the_copy(stories, editor):
    """DRF's own view of the caller counts too (here a test's forced user, with no header)."""
    url = detail(stories["edited"])
    APIClient().get(url)
    forced = APIClient()
    forced.force_authenticate(editor)
    answer = forced.get(url)
    assert "X-Page-Cache" not in answer and answer.json()["has_draft"] is False


def _session_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_an_edit_is_fresh_at_once_and_an_unrelated_story_stays_cached(stories, cache_backend, committed):
    edited, unrelated = stories["edited"], ArticleFactory(title="Port strike ends")
    urls = [detail(edited), detail(unrelated), "/api/v1/articles/"]
    anon = APIClient()
    for url in urls:
        anon.get(url)
    edited.title = "Dam gives way after storm"
    committed(actions.save_article, actor=None, article=edited)
    for url in (detail(edited), "/api/v1/articles/"):
        answer = anon.get(url)
        assert answer["X-Page-Cache"] == "miss" and "Dam gives way after storm" in answer.content.decode(), url
    assert anon.get(detail(unrelated))["X-Page-Cache"] == "hit"


def test_another_process_serves_the_edit_at_once(stories, cache_backend, committed):
    """Process B holds the detail in memory; process A edits the story; B answers the new title."""
    edited, unrelated = stories["edited"], ArticleFactory(title="Port strike ends")
    anon = APIClient()
    anon.get(detail(edited)), anon.get(detail(unrelated))
    b_view, b_memory = purges.view, public_cache.memory
    purges.view, public_cache.memory = purges.View(), public_cache._Memory()  # process A
    try:
        edited.title = "Dam gives way after storm"
        committed(actions.save_article, actor=None, article=edited)
    finally:
        purges.view, public_cache.memory = b_view, b_memory
    assert anon.get(detail(edited)).json()["title"] == "Dam gives way after storm"
    assert anon.get(detail(unrelated))["X-Page-Cache"] == "hit"


def test_a_story_moved_into_a_section_shows_on_that_sections_cached_list(stories, committed):
    anon = APIClient()
    assert titles(anon.get("/api/v1/articles/?section=asia")) == ["Rice harvest begins"]
    moved = stories["edited"]
    moved.section = stories["asia"]
    committed(actions.save_article, actor=None, article=moved)
    assert sorted(titles(anon.get("/api/v1/articles/?section=asia"))) == [
        "Dam holds after storm",
        "Rice harvest begins",
    ]


def test_a_related_story_published_shows_on_the_cached_detail(stories, editor, committed):
    source, hidden = stories["edited"], ArticleFactory(title="Levee report", draft=True)
    RelatedLinkFactory(source=source, target=hidden, position=1)
    anon = APIClient()
    anon.get(detail(source))
    assert anon.get(detail(source))["X-Page-Cache"] == "hit"
    committed(actions.publish, actor=editor, article=hidden)
    assert "Levee report" in [item["title"] for item in anon.get(detail(source)).json()["related"]]


def test_a_draft_is_never_shown_nor_its_refusal_kept(stories):
    draft = ArticleFactory(title="Unfinished draft", draft=True)
    anon = APIClient()
    for _ in range(2):
        missing = anon.get(detail(draft))
        assert missing.status_code == 404 and "X-Page-Cache" not in missing
        assert "Unfinished draft" not in anon.get("/api/v1/articles/").content.decode()


def test_errors_are_not_kept(stories):
    anon = APIClient()
    for url in ("/api/v1/articles/999999/", "/api/v1/articles/?section=nowhere", "/api/v1/articles/?cursor=bad"):
        statuses = [anon.get(url) for _ in range(2)]
        assert [answer.status_code for answer in statuses] in ([404, 404], [400, 400]), url
        assert all("X-Page-Cache" not in answer for answer in statuses), url


def test_anonymous_status_lists_are_still_refused(stories):
    """`status` is read by the list (editors only): it is not dropped as an unknown parameter."""
    anon = APIClient()
    anon.get("/api/v1/articles/")
    assert anon.get("/api/v1/articles/?status=draft").status_code == 401


def test_the_anonymous_throttle_counts_hits_too(stories, monkeypatch):
    monkeypatch.setattr(AnonymousThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "1000/minute"})
    anon = APIClient(REMOTE_ADDR="203.0.113.77")
    answers = [anon.get(detail(stories["edited"])) for _ in range(5)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429, 429]
    assert answers[1]["X-Page-Cache"] == "hit"
    assert APIClient(REMOTE_ADDR="203.0.113.78").get(detail(stories["edited"]))["X-Page-Cache"] == "hit"


def test_a_caller_not_accepting_json_is_refused_not_served_the_copy(stories):
    url = detail(stories["edited"])
    anon = APIClient()
    anon.get(url)
    assert anon.get(url, headers={"accept": "text/html"}).status_code == 406
    for _ in range(2):  # made for this caller each time, and not kept for others
        indented = anon.get(url, headers={"accept": "application/json; indent=4"})
        assert indented.status_code == 200 and "X-Page-Cache" not in indented
        assert indented.content.startswith(b'{\n    "')
    plain = anon.get(url, headers={"accept": "application/json"})
    assert plain["X-Page-Cache"] == "hit" and plain.content.startswith(b'{"id":')


T = datetime(2031, 5, 4, 9, 0, tzinfo=UTC)


def test_a_scheduled_story_joins_the_cached_list_at_its_second(settings):
    settings.PAGE_CACHE_SECONDS = 3600
    with time_machine.travel(T - timedelta(hours=1), tick=False):
        ArticleFactory(title="Already out")
        ArticleFactory(title="Embargoed budget", published_at=T)
        anon = APIClient()
        anon.get("/api/v1/articles/")
    with time_machine.travel(T - timedelta(seconds=1), tick=False):
        cached = anon.get("/api/v1/articles/")
        assert cached["X-Page-Cache"] == "hit" and titles(cached) == ["Already out"]
    with time_machine.travel(T, tick=False):
        assert titles(anon.get("/api/v1/articles/")) == ["Embargoed budget", "Already out"]
        assert Article.objects.live().count() == 2
