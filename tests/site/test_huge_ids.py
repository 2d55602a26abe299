"""Ids too large for a 64-bit column are "not found", never a server error, on every route that
takes one: the public site, renditions and the editors' desk in the admin (the API's own routes
are covered in tests/api/test_conformance.py)."""

import pytest

from articles import actions
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

LARGEST = 2**63 - 1
TOO_BIG = 2**63


@pytest.mark.parametrize(
    "path",
    [
        f"/news/{TOO_BIG}/x/",
        f"/news/{10**40}/bridge-reopens/",
        f"/news/{LARGEST}/x/",
        f"/legacy/{TOO_BIG}/",
        f"/legacy/{LARGEST}/",
        f"/media-renditions/{TOO_BIG}/w640.jpeg",
        f"/media-renditions/{LARGEST}/w640.webp",
    ],
)
def test_public_routes_answer_the_designed_404(client, path):
    ArticleFactory(legacy_id=7)
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Page not found" in response.content.decode()


def test_ordinary_ids_still_reach_their_pages(client):
    article = ArticleFactory(title="Bridge reopens", legacy_id=4242)
    assert client.get(article.get_absolute_url()).status_code == 200
    legacy = client.get("/legacy/4242/")
    assert legacy.status_code == 301 and legacy["Location"] == article.get_absolute_url()
    assert client.get(f"/news/{article.pk}/old-slug/")["Location"] == article.get_absolute_url()


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    article = ArticleFactory(title="Bridge reopens")
    actions.save_article(actor=editor, article=article, base_version=article.version, note="first")
    return article


def test_admin_desk_routes_with_huge_numbers_are_not_found(client, desk):
    base = f"/admin/articles/article/{desk.pk}"
    assert client.get(f"{base}/revisions/{TOO_BIG}/preview/").status_code == 404
    assert client.post(f"{base}/revisions/{TOO_BIG}/restore/").status_code == 404
    assert client.post(f"{base}/share/{TOO_BIG}/revoke/").status_code == 404


def test_admin_compare_with_a_huge_revision_number_asks_for_two_revisions(client, desk):
    response = client.get(f"/admin/articles/article/{desk.pk}/revisions/compare/?a={TOO_BIG}&b=1", follow=True)
    assert response.status_code == 200
    assert "Choose two revisions to compare." in response.content.decode()


def test_rendition_of_a_real_item_still_works(client):
    item = ImageFactory()
    ArticleFactory(lead_media=item)  # the lead photo of a live story
    response = client.get(f"/media-renditions/{item.pk}/w320.jpeg")
    assert response.status_code == 302
