"""Authors in the API: the article's `authors`, /api/v1/authors/ (whole documents asserted),
who sees which author, writing a byline with `author_ids`, and query counts that do not grow."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import actions
from articles.cache_lifetime import shared_cache_seconds
from articles.models import Article, AuditEntry, Author, Byline
from tests.api.test_contract import SMALL_PHOTO, renditions
from tests.factories import ArticleFactory, AuthorFactory, BylineFactory, ImageFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2016, 3, 24, 14, 18, 9, tzinfo=UTC)
SITE = "http://testserver"
API = "http://testserver/api/v1"


def credit(article, *authors):
    for position, author in enumerate(authors):
        BylineFactory(article=article, author=author, position=position)


@pytest.fixture
def newsroom():
    """Two authors on one live story (Sara first), one on a draft only, one on an embargoed story
    only, one on nothing at all."""
    photo = ImageFactory(title="Portrait", alt_text="Sara Hamidi in Baghdad", credit="Staff")
    sara = AuthorFactory(
        name="Sara Hamidi",
        slug="sara-hamidi",
        job_title="Baghdad correspondent",
        bio="Covers Iraq since 2009.",
        photo=photo,
        signoff="S/SH",
    )
    omar = AuthorFactory(name="Omar Said", slug="omar-said", job_title="", bio="")
    drafter = AuthorFactory(name="Dana Draft", slug="dana-draft")
    embargoed = AuthorFactory(name="Emil Embargo", slug="emil-embargo")
    idle = AuthorFactory(name="Ida Idle", slug="ida-idle")
    live = ArticleFactory(title="Bridge reopens", section=SectionFactory(name="Iraq", slug="iraq"))
    credit(live, sara, omar)
    credit(ArticleFactory(draft=True), drafter)
    credit(ArticleFactory(embargo_until=datetime.now(UTC) + timedelta(days=1)), embargoed)
    return {
        "sara": sara,
        "omar": omar,
        "drafter": drafter,
        "embargoed": embargoed,
        "idle": idle,
        "live": live,
        "photo": photo,
    }


def sara_document(newsroom) -> dict:
    photo = newsroom["photo"]
    return {
        "id": newsroom["sara"].pk,
        "name": "Sara Hamidi",
        "slug": "sara-hamidi",
        "job_title": "Baghdad correspondent",
        "bio": "Covers Iraq since 2009.",
        "photo": {
            "id": photo.pk,
            "kind": "image",
            "url": f"http://testserver{photo.file.url}",
            "width": 64,
            "height": 48,
            "duration": None,
            "poster_url": None,
            "alt": "Sara Hamidi in Baghdad",
            "credit": "Staff",
            "renditions": renditions(photo.pk, SMALL_PHOTO),
            "captions": None,
        },
        "web_url": f"{SITE}/authors/sara-hamidi/",
    }


def byline_document(author) -> dict:
    return {"id": author.pk, "name": author.name, "slug": author.slug, "web_url": f"{SITE}/authors/{author.slug}/"}


# Reading -----------------------------------------------------------------------------------------


def test_the_article_names_its_authors_in_byline_order(anon, newsroom, django_capture_on_commit_callbacks):
    live = newsroom["live"]
    expected = [byline_document(newsroom["sara"]), byline_document(newsroom["omar"])]
    assert expected == [
        {
            "id": newsroom["sara"].pk,
            "name": "Sara Hamidi",
            "slug": "sara-hamidi",
            "web_url": f"{SITE}/authors/sara-hamidi/",
        },
        {"id": newsroom["omar"].pk, "name": "Omar Said", "slug": "omar-said", "web_url": f"{SITE}/authors/omar-said/"},
    ]
    assert anon.get(f"/api/v1/articles/{live.pk}/").json()["authors"] == expected
    [listed] = anon.get("/api/v1/articles/").json()["results"]
    assert listed["authors"] == expected
    # Reordered by the desk (an action, announced): the API follows at once.
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_article(actor=None, article=live, author_ids=[newsroom["omar"].pk, newsroom["sara"].pk])
    assert anon.get(f"/api/v1/articles/{live.pk}/").json()["authors"] == expected[::-1]


def test_author_detail_is_exactly_the_documented_document(anon, newsroom):
    response = anon.get(f"/api/v1/authors/{newsroom['sara'].pk}/")
    assert response.status_code == 200
    assert response.json() == sara_document(newsroom)
    assert response["Content-Type"] == "application/json" and response["ETag"]
    omar = anon.get(f"/api/v1/authors/{newsroom['omar'].pk}/").json()
    assert omar == {
        "id": newsroom["omar"].pk,
        "name": "Omar Said",
        "slug": "omar-said",
        "job_title": "",
        "bio": "",
        "photo": None,
        "web_url": f"{SITE}/authors/omar-said/",
    }


def test_the_public_list_holds_only_authors_of_live_stories(anon, newsroom):
    response = anon.get("/api/v1/authors/")
    assert response.status_code == 200
    omar = anon.get(f"/api/v1/authors/{newsroom['omar'].pk}/").json()
    assert response.json() == {"next": None, "previous": None, "results": [omar, sara_document(newsroom)]}


@pytest.mark.parametrize("who", ["drafter", "embargoed", "idle"])
def test_authors_without_a_live_story_are_404_to_anonymous_callers(anon, plain_client, newsroom, who):
    author = newsroom[who]
    for client in (anon, plain_client):
        response = client.get(f"/api/v1/authors/{author.pk}/")
        assert response.status_code == 404
        assert author.name not in response.content.decode()


def test_an_embargoed_story_becomes_public_with_its_author(anon, newsroom):
    author = newsroom["embargoed"]
    assert anon.get(f"/api/v1/authors/{author.pk}/").status_code == 404
    with time_machine.travel(datetime.now(UTC) + timedelta(days=2)):
        assert anon.get(f"/api/v1/authors/{author.pk}/").status_code == 200


def test_editors_see_every_author(editor_client, newsroom):
    names = [a["name"] for a in editor_client.get("/api/v1/authors/").json()["results"]]
    assert names == ["Dana Draft", "Emil Embargo", "Ida Idle", "Omar Said", "Sara Hamidi"]
    assert editor_client.get(f"/api/v1/authors/{newsroom['idle'].pk}/").status_code == 200


def test_authors_page_by_name_with_signed_cursors(editor_client, newsroom):
    first = editor_client.get("/api/v1/authors/", {"page_size": 2}).json()
    assert [a["name"] for a in first["results"]] == ["Dana Draft", "Emil Embargo"]
    second = editor_client.get(first["next"]).json()
    assert [a["name"] for a in second["results"]] == ["Ida Idle", "Omar Said"]
    third = editor_client.get(second["next"]).json()
    assert [a["name"] for a in third["results"]] == ["Sara Hamidi"] and third["next"] is None
    assert editor_client.get(third["previous"]).json()["results"] == second["results"]
    assert editor_client.get("/api/v1/authors/", {"cursor": "forged"}).status_code == 400


@pytest.mark.parametrize("pk", ["0", "9223372036854775807", "9223372036854775808", str(10**40), "-1", "1.5", "x"])
def test_huge_or_odd_ids_are_404(anon, editor_client, newsroom, pk):
    for client in (anon, editor_client):
        response = client.get(f"/api/v1/authors/{pk}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


def test_hostile_names_come_back_as_plain_json_strings(anon, newsroom):
    sara = newsroom["sara"]
    sara.name = '<script>alert("x")</script> & Co'
    sara.bio = "<img src=x onerror=alert(1)>"
    sara.save()
    data = anon.get(f"/api/v1/authors/{sara.pk}/").json()
    assert data["name"] == '<script>alert("x")</script> & Co' and data["bio"] == "<img src=x onerror=alert(1)>"
    response = anon.get(f"/api/v1/authors/{sara.pk}/")
    assert response["Content-Type"] == "application/json"


# Query counts ------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    # The cache lifetime's look-ups (next boundary, next due change) are made once per content
    # generation, not per page: made before counting.
    shared_cache_seconds()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_article_list_and_detail_cost_the_same_for_1_and_5_authors(anon, settings):
    settings.PAGE_CACHE_SECONDS = 0  # what a miss costs: the view's queries
    section = SectionFactory()
    authors = AuthorFactory.create_batch(5)
    one, five = ArticleFactory(section=section), ArticleFactory(section=section)
    credit(one, authors[0])
    credit(five, *authors)
    detail_one = count_queries(anon, f"/api/v1/articles/{one.pk}/")
    detail_five = count_queries(anon, f"/api/v1/articles/{five.pk}/")
    assert detail_one == detail_five
    list_small = count_queries(anon, f"/api/v1/articles/?section={section.path}&page_size=1")
    list_both = count_queries(anon, f"/api/v1/articles/?section={section.path}")
    assert list_small == list_both
    for _ in range(8):
        credit(ArticleFactory(section=section), *AuthorFactory.create_batch(5))
    assert count_queries(anon, f"/api/v1/articles/?section={section.path}") == list_both


def test_author_list_costs_the_same_for_2_and_20_authors(anon):
    section = SectionFactory()

    def add(count):
        for _ in range(count):
            credit(ArticleFactory(section=section), AuthorFactory(photo=ImageFactory()))

    add(2)
    small = count_queries(anon, "/api/v1/authors/")
    add(18)
    assert count_queries(anon, "/api/v1/authors/") == small <= 4


# Writing a byline --------------------------------------------------------------------------------


def test_an_editor_writes_a_byline_in_order(editor_client, editor, newsroom):
    sara, omar = newsroom["sara"], newsroom["omar"]
    body = {"title": "Markets steady", "section": "iraq", "author_ids": [omar.pk, sara.pk]}
    created = editor_client.post("/api/v1/articles/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["authors"] == [byline_document(omar), byline_document(sara)]
    article = Article.objects.get(pk=data["id"])
    assert article.revisions.get().data["author_ids"] == [omar.pk, sara.pk]

    url = f"/api/v1/articles/{article.pk}/"
    changed = editor_client.patch(url, {"author_ids": [sara.pk]}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert changed.status_code == 200, changed.content
    assert changed.json()["authors"] == [byline_document(sara)]
    assert AuditEntry.objects.filter(article=article, action="edit").count() == 1
    # Writing back what was read changes nothing.
    again = editor_client.patch(url, {"author_ids": [sara.pk]}, format="json", HTTP_IF_MATCH=changed["ETag"])
    assert again.status_code == 200 and again["ETag"] == changed["ETag"]
    assert article.revisions.count() == 2


@pytest.mark.parametrize(
    "ids, words",
    [
        (["UNKNOWN"], "No author has the id 999999."),
        (["SARA", "SARA"], "Listed more than once"),
        ([2**63], "less than or equal"),
        ([0], "greater than or equal"),
        (["x"], "valid integer"),
        ("1,2", ""),
        (list(range(1, 30)), "no more than 20"),
    ],
)
def test_bad_author_ids_are_400_naming_the_field(editor_client, newsroom, ids, words):
    live = newsroom["live"]
    swap = {"UNKNOWN": 999999, "SARA": newsroom["sara"].pk}
    ids = [swap.get(i, i) for i in ids] if isinstance(ids, list) else ids
    url = f"/api/v1/articles/{live.pk}/"
    etag = editor_client.get(url)["ETag"]
    response = editor_client.patch(url, {"author_ids": ids, "title": "Changed"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400, response.content
    body = response.json()
    assert "author_ids" in body and "author_ids" in body["detail"] and words in body["detail"]
    assert Article.objects.get(pk=live.pk).title == "Bridge reopens"
    assert list(Byline.objects.filter(article=live).order_by("position").values_list("author_id", flat=True)) == [
        newsroom["sara"].pk,
        newsroom["omar"].pk,
    ]


def test_a_reporter_may_credit_their_own_draft_but_nobody_else_writes_authors(newsroom, token_client):
    reporter = UserFactory(perms=["articles.add_article", "articles.change_article", "articles.view_article"])
    client = token_client(reporter)
    response = client.post(
        "/api/v1/articles/", {"title": "Notes", "section": "iraq", "author_ids": [newsroom["omar"].pk]}, format="json"
    )
    assert response.status_code == 201, response.content
    assert [a["id"] for a in response.json()["authors"]] == [newsroom["omar"].pk]
    # The authors API is read-only: editors add authors in the admin.
    assert client.post("/api/v1/authors/", {"name": "New"}, format="json").status_code in (403, 405)
    assert not Author.objects.filter(name="New").exists()
