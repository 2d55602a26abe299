"""Who may do what: anonymous / signed in without permissions / editor × every route and method."""

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article
from media.models import MediaItem
from tests.factories import ArticleFactory, ImageFactory, SectionFactory, TagFactory, UserFactory, jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    section = SectionFactory(slug="world")
    tag = TagFactory()
    article = ArticleFactory(section=section, tags=[tag])
    return {"section": section, "article": article, "tag": tag, "media": ImageFactory(public=True)}


def etag_of(client, article) -> str:
    return APIClient().get(f"/api/v1/articles/{article.pk}/")["ETag"] if article.is_live() else ""


def request(client, method, route, world):
    """Make one call with a body that is valid for an editor, so only the caller decides the answer."""
    article, media = world["article"], world["media"]
    if_match = {"HTTP_IF_MATCH": etag_of(client, article)}
    new_article = {"title": "Ferry service returns", "section": "world"}
    calls = {
        ("articles", "GET"): lambda: client.get("/api/v1/articles/"),
        ("articles", "POST"): lambda: client.post("/api/v1/articles/", new_article, format="json"),
        ("article", "GET"): lambda: client.get(f"/api/v1/articles/{article.pk}/"),
        ("article", "PUT"): lambda: client.put(
            f"/api/v1/articles/{article.pk}/", {"title": "Ferry line", "section": "world"}, format="json", **if_match
        ),
        ("article", "PATCH"): lambda: client.patch(
            f"/api/v1/articles/{article.pk}/", {"summary": "Boats again."}, format="json", **if_match
        ),
        ("article", "DELETE"): lambda: client.delete(f"/api/v1/articles/{article.pk}/", **if_match),
        ("related", "GET"): lambda: client.get(f"/api/v1/articles/{article.pk}/related/"),
        ("media", "GET"): lambda: client.get("/api/v1/media/"),
        ("media", "POST"): lambda: client.post(
            "/api/v1/media/",
            {"file": io.BytesIO(jpeg_bytes(color=(9, 9, 9))), "alt": "Dark square"},
            format="multipart",
        ),
        ("media-item", "GET"): lambda: client.get(f"/api/v1/media/{media.pk}/"),
        ("media-item", "PUT"): lambda: client.put(f"/api/v1/media/{media.pk}/", {"credit": "Desk"}, format="json"),
        ("media-item", "PATCH"): lambda: client.patch(f"/api/v1/media/{media.pk}/", {"credit": "Desk"}, format="json"),
        ("media-item", "DELETE"): lambda: client.delete(f"/api/v1/media/{media.pk}/"),
        ("sections", "GET"): lambda: client.get("/api/v1/sections/"),
        ("sections", "POST"): lambda: client.post("/api/v1/sections/", {"name": "X"}, format="json"),
        ("section", "GET"): lambda: client.get(f"/api/v1/sections/{world['section'].pk}/"),
        ("tags", "GET"): lambda: client.get("/api/v1/tags/"),
        ("tags", "POST"): lambda: client.post("/api/v1/tags/", {"name": "X"}, format="json"),
        ("tag", "GET"): lambda: client.get(f"/api/v1/tags/{world['tag'].pk}/"),
    }
    return calls[(route, method)]()


READS = [
    ("articles", "GET"),
    ("article", "GET"),
    ("related", "GET"),
    ("media", "GET"),
    ("media-item", "GET"),
    ("sections", "GET"),
    ("section", "GET"),
    ("tags", "GET"),
    ("tag", "GET"),
]
WRITES = {
    ("articles", "POST"): 201,
    ("article", "PUT"): 200,
    ("article", "PATCH"): 200,
    ("article", "DELETE"): 204,
    ("media", "POST"): 201,
    ("media-item", "PUT"): 200,
    ("media-item", "PATCH"): 200,
    ("media-item", "DELETE"): 204,
    ("sections", "POST"): 405,
    ("tags", "POST"): 405,
}
MATRIX = (
    [("anonymous", *call, 200) for call in READS]
    + [("no_perms", *call, 200) for call in READS]
    + [("editor", *call, 200) for call in READS]
    + [("anonymous", *call, 401) for call in WRITES]
    + [("no_perms", *call, 403) for call in WRITES]
    + [("editor", *call, status) for call, status in WRITES.items()]
)


@pytest.mark.parametrize(("who", "route", "method", "expected"), MATRIX)
def test_permission_matrix(who, route, method, expected, world, anon, plain_client, editor_client):
    client = {"anonymous": anon, "no_perms": plain_client, "editor": editor_client}[who]
    articles_before, media_before = Article.objects.count(), MediaItem.objects.count()

    response = request(client, method, route, world)

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert set(response.json()) == {"detail"} and response.json()["detail"]
        assert (Article.objects.count(), MediaItem.objects.count()) == (articles_before, media_before)
        world["article"].refresh_from_db()
        assert world["article"].version == 1
    if expected == 401:
        assert response["WWW-Authenticate"] == "Token"


def test_a_reporter_may_not_edit_a_published_article(world):
    reporter = UserFactory(perms=["articles.add_article", "articles.change_article", "articles.view_article"])
    client = APIClient()
    client.force_authenticate(reporter)
    article = world["article"]
    etag = client.get(f"/api/v1/articles/{article.pk}/")["ETag"]
    response = client.patch(f"/api/v1/articles/{article.pk}/", {"title": "Mine now"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 403
    assert response.json() == {"detail": "You may not edit this article."}
    article.refresh_from_db()
    assert article.title != "Mine now"


def test_status_lists_need_the_view_permission(world, anon, plain_client, editor_client):
    assert anon.get("/api/v1/articles/?status=draft").status_code == 401
    refused = plain_client.get("/api/v1/articles/?status=draft")
    assert refused.status_code == 403
    assert "articles.view_article" in refused.json()["detail"]
    assert editor_client.get("/api/v1/articles/?status=draft").status_code == 200


def test_session_auth_needs_the_csrf_token(world, editor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    body = {"title": "Harbour cranes repaired", "section": "world"}

    refused = client.post("/api/v1/articles/", body, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not Article.objects.filter(title=body["title"]).exists()

    client.get("/admin/")  # an admin page sets the CSRF cookie, as in a browser session
    token = client.cookies["csrftoken"].value
    accepted = client.post("/api/v1/articles/", body, format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201, accepted.content


def test_api_token_command_prints_a_stable_key_that_authenticates(world, editor):
    out = io.StringIO()
    call_command("api_token", "editor", stdout=out)
    key = out.getvalue().strip()
    again = io.StringIO()
    call_command("api_token", "editor", stdout=again)
    assert again.getvalue().strip() == key == Token.objects.get(user=editor).key

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/articles/?status=all").status_code == 200

    rotated = io.StringIO()
    call_command("api_token", "editor", "--rotate", stdout=rotated)
    assert rotated.getvalue().strip() != key
    assert client.get("/api/v1/articles/?status=all").status_code == 401


def test_api_token_command_names_an_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("api_token", "nobody")


def test_a_wrong_token_is_401_with_a_json_body(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    response = client.get("/api/v1/articles/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_anonymous_reads_are_throttled_and_token_callers_are_not(world, anon, editor_client, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    answers = [anon.get("/api/v1/articles/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = anon.get("/api/v1/tags/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["detail"].lower()
    assert all(editor_client.get("/api/v1/articles/").status_code == 200 for _ in range(5))
