"""Anonymous callers never see an article that is not live, whichever door they try."""

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, RelatedLinkFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

WORD = "quarry"  # every article below mentions it, so search would find them all


@pytest.fixture
def mixed():
    """One live article and one of every kind of hidden article, all alike otherwise."""
    now = timezone.now()
    section, tag = SectionFactory(slug="desk"), TagFactory(slug="quarries")
    common = {"section": section, "tags": [tag], "summary": f"The {WORD} reopened.", "kind": "video"}
    live = ArticleFactory(title=f"Live {WORD} story", legacy_id=1, **common)
    hidden = [
        ArticleFactory(title=f"Draft {WORD}", draft=True, legacy_id=2, **common),
        ArticleFactory(title=f"Review {WORD}", status=Article.Status.REVIEW, published_at=None, legacy_id=3, **common),
        ArticleFactory(title=f"Archived {WORD}", status=Article.Status.ARCHIVED, legacy_id=4, **common),
        ArticleFactory(
            title=f"Scheduled {WORD}", published_at=now + timezone.timedelta(hours=2), legacy_id=5, **common
        ),
        ArticleFactory(
            title=f"Embargoed {WORD}", embargo_until=now + timezone.timedelta(hours=2), legacy_id=6, **common
        ),
        ArticleFactory(title=f"Expired {WORD}", expires_at=now - timezone.timedelta(minutes=1), legacy_id=7, **common),
        ArticleFactory(title=f"Stub {WORD}", draft=True, is_stub=True, legacy_id=8, **common),
    ]
    for position, target in enumerate(hidden):
        RelatedLinkFactory(source=live, target=target, position=position)
    return live, hidden


LIST_QUERIES = [
    {},
    {"section": "desk"},
    {"tag": "quarries"},
    {"kind": "video"},
    {"q": WORD},
    {"published_after": "2000-01-01"},
    {"published_before": "2999-01-01"},
    {"section": "desk", "tag": "quarries", "kind": "video", "q": WORD},
] + [{"legacy_id": n} for n in range(1, 9)]


@pytest.mark.parametrize("params", LIST_QUERIES)
def test_lists_filters_and_search_show_live_articles_only(anon, mixed, params):
    live, _ = mixed
    response = anon.get("/api/v1/articles/", params)
    assert response.status_code == 200
    ids = [a["id"] for a in response.json()["results"]]
    expected = [live.pk] if params.get("legacy_id", 1) == 1 else []
    assert ids == expected


def test_hidden_articles_are_404_in_detail_and_related(anon, mixed):
    live, hidden = mixed
    for article in hidden:
        assert anon.get(f"/api/v1/articles/{article.pk}/").status_code == 404
        assert anon.get(f"/api/v1/articles/{article.pk}/related/").status_code == 404
        assert anon.get(f"/api/v1/articles/{article.pk}/related/?format=legacy").status_code == 404
    assert anon.get(f"/api/v1/articles/{live.pk}/").json()["related"] == []
    assert anon.get(f"/api/v1/articles/{live.pk}/related/").json() == []
    assert anon.get(f"/api/v1/articles/{live.pk}/related/?format=legacy").json() == []


def test_anonymous_status_parameter_reveals_nothing(anon, mixed):
    for status in ("draft", "review", "archived", "published", "all"):
        response = anon.get("/api/v1/articles/", {"status": status})
        assert response.status_code == 401
        assert "results" not in response.json()


def test_editors_see_each_status_when_they_ask(editor_client, mixed):
    live, hidden = mixed
    titles = lambda status: sorted(  # noqa: E731
        a["title"]
        for a in editor_client.get("/api/v1/articles/", {"status": status, "page_size": 50}).json()["results"]
    )
    assert titles("draft") == [f"Draft {WORD}", f"Stub {WORD}"]
    assert titles("review") == [f"Review {WORD}"]
    assert titles("archived") == [f"Archived {WORD}"]
    assert len(titles("all")) == 8
    assert [a["id"] for a in editor_client.get("/api/v1/articles/").json()["results"]] == [live.pk]
    legacy = editor_client.get(f"/api/v1/articles/{live.pk}/related/?format=legacy").json()
    assert [item["id"] for item in legacy] == [str(n) for n in range(2, 9)]
    assert editor_client.get(f"/api/v1/articles/{hidden[0].pk}/").json()["status"] == "draft"
