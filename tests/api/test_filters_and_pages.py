"""Filters combine; cursor pages stay stable while news is published; bad parameters are 400s."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.actions import publish
from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return [a["id"] for a in response.json()["results"]]


def test_filters_combine(anon):
    iraq = SectionFactory(name="Iraq", slug="iraq")
    mosul = SectionFactory(
        name="Mosul", slug="mosul", parent=SectionFactory(name="Conflict", slug="conflict", parent=iraq)
    )
    elsewhere = SectionFactory(slug="sport")
    floods, aid = TagFactory(slug="floods"), TagFactory(slug="aid")
    day = lambda d: datetime(2016, 3, d, 12, tzinfo=UTC)  # noqa: E731
    match = ArticleFactory(
        section=mosul, kind="video", tags=[floods], published_at=day(10), title="River rises near dam"
    )
    ArticleFactory(section=mosul, kind="text", tags=[floods], published_at=day(10), title="River rises again")
    ArticleFactory(section=mosul, kind="video", tags=[aid], published_at=day(10), title="River convoy")
    ArticleFactory(section=elsewhere, kind="video", tags=[floods], published_at=day(10), title="River sport")
    ArticleFactory(section=mosul, kind="video", tags=[floods], published_at=day(20), title="River late")
    dam = ArticleFactory(section=mosul, kind="video", tags=[floods], published_at=day(11), title="Dam inspected")

    params = {
        "section": "iraq",
        "tag": "floods",
        "kind": "video",
        "published_after": "2016-03-05",
        "published_before": "2016-03-15T00:00:00+00:00",
        "q": "river",
    }
    assert ids(anon.get("/api/v1/articles/", params)) == [match.pk]
    assert len(ids(anon.get("/api/v1/articles/", {"section": "iraq/conflict"}))) == 5
    assert ids(anon.get("/api/v1/articles/", {"section": "iraq/conflict/mosul", "q": "dam", "tag": "floods"})) == [
        dam.pk,
        match.pk,
    ]


def test_search_results_come_newest_first(anon):
    older = ArticleFactory(title="Harbour cranes", published_at=timezone.now() - timedelta(days=2))
    newer = ArticleFactory(
        title="Harbour cranes and harbour cranes again", published_at=timezone.now() - timedelta(days=1)
    )
    assert ids(anon.get("/api/v1/articles/", {"q": "harbour cranes"})) == [newer.pk, older.pk]


def test_cursor_pages_walk_forward_and_back_without_gaps(anon):
    base = timezone.now() - timedelta(days=1)
    made = [ArticleFactory(published_at=base + timedelta(minutes=i // 2)) for i in range(25)]  # ties on purpose
    expected = [a.pk for a in sorted(made, key=lambda a: (a.published_at, a.pk), reverse=True)]

    seen, pages, url = [], [], "/api/v1/articles/?page_size=10"
    while url:
        body = anon.get(url).json()
        pages.append(body)
        seen += [a["id"] for a in body["results"]]
        url = body["next"]
    assert seen == expected
    assert [len(p["results"]) for p in pages] == [10, 10, 5]
    assert pages[0]["previous"] is None

    back = anon.get(pages[2]["previous"]).json()
    assert [a["id"] for a in back["results"]] == expected[10:20]
    first = anon.get(back["previous"]).json()
    assert [a["id"] for a in first["results"]] == expected[:10]
    assert first["previous"] is None


def test_pages_stay_stable_while_new_articles_are_published(anon, editor):
    base = timezone.now() - timedelta(days=1)
    made = [ArticleFactory(published_at=base + timedelta(minutes=i)) for i in range(12)]
    expected = [a.pk for a in reversed(made)]
    first = anon.get("/api/v1/articles/?page_size=5").json()

    # Meanwhile the desk publishes two new stories (one now, one backdated between pages).
    fresh = ArticleFactory(draft=True)
    publish(actor=editor, article=fresh)
    backdated = ArticleFactory(draft=True)
    publish(actor=editor, article=backdated, at=base + timedelta(minutes=8, seconds=30))

    second = anon.get(first["next"]).json()
    third = anon.get(second["next"]).json()
    walked = [a["id"] for page in (first, second, third) for a in page["results"]]
    assert walked[:5] == expected[:5]
    assert [i for i in walked if i != backdated.pk] == expected  # nothing repeated, nothing skipped
    assert len(walked) == len(set(walked))
    assert fresh.pk not in walked  # newer than the reader's starting point: it is on a fresh first page
    assert ids(anon.get("/api/v1/articles/?page_size=1")) == [fresh.pk]


def test_page_size_defaults_to_20_and_is_capped_at_100(anon):
    ArticleFactory.create_batch(105)
    assert len(ids(anon.get("/api/v1/articles/"))) == 20
    assert len(ids(anon.get("/api/v1/articles/?page_size=7"))) == 7
    assert len(ids(anon.get("/api/v1/articles/?page_size=500"))) == 100


BAD_PARAMETERS = [
    ({"page_size": "ten"}, "page_size"),
    ({"page_size": "0"}, "page_size"),
    ({"page_size": "-3"}, "page_size"),
    ({"page_size": "2.5"}, "page_size"),
    ({"cursor": "bm90IGEgY3Vyc29y"}, "cursor"),
    ({"published_after": "yesterday"}, "published_after"),
    ({"published_before": "2016-13-45"}, "published_before"),
    ({"published_after": "2016-03-10", "published_before": "2016-03-01"}, "published_before"),
    ({"kind": "podcast"}, "kind"),
    ({"section": "no/such/section"}, "section"),
    ({"tag": "no-such-tag"}, "tag"),
    ({"legacy_id": "abc"}, "legacy_id"),
    ({"legacy_id": "-1"}, "legacy_id"),
    ({"legacy_id": "99999999999999999999999"}, "legacy_id"),
    ({"q": "x" * 500}, "q"),
    ({"q": "nul\x00byte"}, "q"),
]


@pytest.mark.parametrize(("params", "name"), BAD_PARAMETERS)
def test_bad_parameters_are_400_naming_them(anon, params, name):
    ArticleFactory()
    response = anon.get("/api/v1/articles/", params)
    assert response.status_code == 400
    body = response.json()
    assert name in body and name in body["detail"]


def test_a_tampered_cursor_is_refused(anon):
    ArticleFactory.create_batch(3)
    link = anon.get("/api/v1/articles/?page_size=1").json()["next"]
    token = link.split("cursor=")[1].split("&")[0]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = anon.get("/api/v1/articles/", {"cursor": forged, "page_size": 1})
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_a_cursor_from_another_list_is_refused(anon, editor_client):
    ArticleFactory.create_batch(3)
    ArticleFactory(draft=True)
    link = editor_client.get("/api/v1/articles/?status=all&page_size=1").json()["next"]
    token = link.split("cursor=")[1].split("&")[0]
    assert anon.get(f"/api/v1/articles/?cursor={token}").status_code == 400
    assert anon.get(f"/api/v1/tags/?cursor={token}").status_code == 400


def test_unknown_related_format_is_400(anon):
    article = ArticleFactory()
    response = anon.get(f"/api/v1/articles/{article.pk}/related/?format=xml")
    assert response.status_code == 400 and "format" in response.json()


def test_media_list_filters_by_kind(anon):
    from tests.factories import ImageFactory

    photo = ImageFactory(public=True)  # readers see public media only (tests/media/test_privacy.py)
    ImageFactory(kind="video", public=True)
    assert ids(anon.get("/api/v1/media/?kind=image")) == [photo.pk]
    assert anon.get("/api/v1/media/?kind=audio").status_code == 400


def test_editor_status_pages_include_undated_drafts(editor_client):
    drafts = ArticleFactory.create_batch(3, draft=True)
    dated = ArticleFactory(status=Article.Status.ARCHIVED)
    seen, url = [], "/api/v1/articles/?status=all&page_size=2"
    while url:
        body = editor_client.get(url).json()
        seen += [a["id"] for a in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted([a.pk for a in drafts] + [dated.pk])
