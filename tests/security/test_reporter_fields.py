"""Issue #13 (low): a Reporter could set `pinned` and `legacy_id`. Both are editors' calls: the
API answers 400 naming the field, and the admin form shows them read-only to a Reporter."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article
from tests.factories import SectionFactory
from tests.roles import draft_by, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter():
    return make_member("Reporter", "rita", "R/TA")


@pytest.fixture
def editor_member():
    return make_member("Editor", "edith", "E/DH")


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def new_story(section, **extra):
    return {"title": "Bridge reopens", "section": section.path, "summary": "Traffic flows again.", **extra}


@pytest.mark.parametrize("field, value", [("pinned", True), ("legacy_id", 987654)])
def test_a_reporter_creating_a_story_with_an_editors_field_gets_400_naming_it(reporter, field, value):
    section = SectionFactory()
    response = token_client(reporter).post("/api/v1/articles/", new_story(section, **{field: value}), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert "Only editors" in response.json()[field][0]
    assert not Article.objects.filter(title="Bridge reopens").exists()


@pytest.mark.parametrize("field, value", [("pinned", True), ("legacy_id", 987654)])
def test_a_reporter_changing_an_editors_field_on_their_draft_gets_400(reporter, field, value):
    article = draft_by(reporter, title="Ferry timetable")
    client = token_client(reporter)
    response = client.patch(f"/api/v1/articles/{article.pk}/", {field: value}, format="json", headers={"if-match": "*"})
    assert response.status_code == 400 and field in response.json()
    article.refresh_from_db()
    assert getattr(article, field) == {"pinned": False, "legacy_id": None}[field]
    # Sending the stored value back (a GET then PUT) is fine, and other edits go through.
    ok = client.patch(
        f"/api/v1/articles/{article.pk}/",
        {"pinned": False, "title": "Ferry timetable, revised"},
        format="json",
        headers={"if-match": "*"},
    )
    assert ok.status_code == 200, ok.json()


def test_an_editor_may_pin_and_set_the_legacy_id(editor_member):
    section = SectionFactory()
    response = token_client(editor_member).post(
        "/api/v1/articles/", new_story(section, pinned=True, legacy_id=987654), format="json"
    )
    assert response.status_code == 201, response.json()
    article = Article.objects.get(title="Bridge reopens")
    assert article.pinned and article.legacy_id == 987654


def test_the_admin_form_does_not_offer_pinned_or_legacy_id_to_a_reporter(client, reporter, editor_member):
    article = draft_by(reporter, title="Ferry timetable")
    url = f"/admin/articles/article/{article.pk}/change/"
    client.force_login(reporter)
    html = client.get(url).content.decode()
    assert 'name="pinned"' not in html and 'name="legacy_id"' not in html
    client.force_login(editor_member)
    html = client.get(url).content.decode()
    assert 'name="pinned"' in html
