"""Writing through the API: actions only, If-Match versions, strict input, nothing half-written."""

import io

import pytest

from articles.models import Article, AuditEntry, RelatedLink, Revision
from media.models import MediaItem
from tests.factories import ArticleFactory, ImageFactory, SectionFactory, TagFactory, UserFactory, jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    section = SectionFactory(slug="economy")
    return {
        "section": section,
        "targets": [ArticleFactory(title=f"Earlier story {i}") for i in range(3)],
        "tag": TagFactory(slug="markets"),
        "article": ArticleFactory(title="Bank cuts rates", section=section),
    }


def url(article):
    return f"/api/v1/articles/{article.pk}/"


def state(article):
    """Everything a write could touch, to prove a refused one touched nothing."""
    article.refresh_from_db()
    return (
        article.title,
        article.summary,
        article.status,
        article.version,
        list(article.related_links.values_list("target_id", flat=True)),
        Revision.objects.filter(article=article).count(),
        AuditEntry.objects.count(),
    )


def test_create_with_tags_related_order_and_publish(editor_client, desk, editor):
    first, second, third = desk["targets"]
    body = {
        "title": "Markets steady after the cut",
        "section": "economy",
        "kind": "text",
        "summary": "Traders shrugged.",
        "body_html": "<p>Traders <em>shrugged</em>.</p>",
        "tags": ["markets"],
        "related_ids": [third.pk, first.pk, second.pk],
        "status": "published",
    }
    response = editor_client.post("/api/v1/articles/", body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    article = Article.objects.get(pk=data["id"])
    assert response["Location"] == url(article)
    assert response["ETag"].startswith(f'"a{article.pk}v{article.version}-')
    assert article.is_live() and article.created_by == editor and article.published_by == editor
    assert [r["id"] for r in data["related"]] == [third.pk, first.pk, second.pk]
    assert data["tags"] == [{"name": desk["tag"].name, "slug": "markets"}]
    assert data["body_html"] == "<p>Traders <em>shrugged</em>.</p>"
    assert list(AuditEntry.objects.filter(article=article).order_by("id").values_list("action", flat=True)) == [
        "create",
        "publish",
    ]


def test_edit_needs_if_match_and_refuses_stale_versions(editor_client, desk):
    article = desk["article"]
    etag = editor_client.get(url(article))["ETag"]
    before = state(article)

    missing = editor_client.patch(url(article), {"title": "Rates cut"}, format="json")
    assert missing.status_code == 428
    assert "If-Match" in missing.json()["detail"]
    assert state(article) == before

    ok = editor_client.patch(url(article), {"title": "Rates cut"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.json()["title"] == "Rates cut"
    assert ok["ETag"] != etag and ok["ETag"].startswith(f'"a{article.pk}v2-')

    stale = editor_client.patch(url(article), {"title": "Rates slashed"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2 and stale.json()["your_version"] == 1
    assert "changed by someone else" in stale.json()["detail"]
    article.refresh_from_db()
    assert article.title == "Rates cut"

    chained = editor_client.patch(url(article), {"summary": "Again."}, format="json", HTTP_IF_MATCH=ok["ETag"])
    assert chained.status_code == 200


def test_if_match_for_another_article_is_refused(editor_client, desk):
    other = desk["targets"][0]
    etag = editor_client.get(url(other))["ETag"]
    response = editor_client.patch(url(desk["article"]), {"title": "X"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 428
    assert desk["article"].title == Article.objects.get(pk=desk["article"].pk).title


def test_put_replaces_and_delete_needs_the_current_version(editor_client, desk):
    article = desk["article"]
    etag = editor_client.get(url(article))["ETag"]
    put = editor_client.put(url(article), {"title": "Rates", "section": "economy"}, format="json", HTTP_IF_MATCH=etag)
    assert put.status_code == 200

    assert editor_client.delete(url(article)).status_code == 428
    assert editor_client.delete(url(article), HTTP_IF_MATCH=etag).status_code == 412
    assert Article.objects.filter(pk=article.pk).exists()
    assert editor_client.delete(url(article), HTTP_IF_MATCH=put["ETag"]).status_code == 204
    assert not Article.objects.filter(pk=article.pk).exists()
    assert AuditEntry.objects.filter(action="delete", details__article_id=article.pk).exists()


def test_status_changes_go_through_the_workflow(editor_client, desk):
    article = desk["article"]
    etag = editor_client.get(url(article))["ETag"]
    response = editor_client.patch(url(article), {"status": "archived"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200 and response.json()["status"] == "archived"
    assert AuditEntry.objects.filter(article=article, action="archive").exists()
    stale = editor_client.patch(url(article), {"status": "published"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    article.refresh_from_db()
    assert article.status == "archived"


def test_a_refused_status_change_rolls_back_the_content_change_too(desk):
    from rest_framework.test import APIClient

    reporter = UserFactory(perms=["articles.add_article", "articles.change_article", "articles.view_article"])
    client = APIClient()
    client.force_authenticate(reporter)
    draft = ArticleFactory(draft=True, created_by=reporter, title="My draft")
    etag = client.get(url(draft))["ETag"]
    before = state(draft)

    response = client.patch(url(draft), {"title": "Retitled", "status": "published"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 403
    assert response.json() == {"detail": "You may not publish articles."}
    assert state(draft) == before


def test_publishing_a_stub_is_400_and_changes_nothing(editor_client):
    stub = ArticleFactory(draft=True, is_stub=True, legacy_id=555)
    etag = editor_client.get(url(stub))["ETag"]
    before = state(stub)
    response = editor_client.patch(
        url(stub), {"summary": "Filled", "status": "published"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400
    assert "stub" in response.json()["detail"]
    assert state(stub) == before


BAD_WRITES = [
    ({"related_ids": [999999]}, "related_ids", "999999"),
    ({"related_ids": ["SELF"]}, "related_ids", "itself"),
    ({"related_ids": ["T0", "T0"]}, "related_ids", "more than once"),
    ({"related_ids": "1,2"}, "related_ids", ""),
    ({"colour": "red"}, "colour", "Unknown field"),
    ({"id": 5}, "id", "read-only"),
    ({"version": 9}, "version", "Unknown field"),
    ({"body_html": "<script>alert(1)</script>"}, "body_html", ""),
    ({"section": "no/such"}, "section", ""),
    ({"tags": ["no-such-tag"]}, "tags", ""),
    ({"lead_media": 999999}, "lead_media", ""),
    ({"kind": "podcast"}, "kind", ""),
    ({"status": "deleted"}, "status", ""),
    ({"signoff": "<b>"}, "signoff", ""),
    ({"title": ""}, "title", ""),
    ({"published_at": "soon"}, "published_at", ""),
    ({"legacy_id": "T0-legacy"}, "legacy_id", ""),
]


@pytest.mark.parametrize(("patch", "field", "words"), BAD_WRITES)
def test_bad_writes_are_400_naming_the_field_and_write_nothing(editor_client, desk, patch, field, words):
    article, target = desk["article"], desk["targets"][0]
    Article.objects.filter(pk=target.pk).update(legacy_id=4242)
    RelatedLink.objects.create(source=article, target=desk["targets"][1], position=0)
    swap = {"SELF": article.pk, "T0": target.pk, "T0-legacy": 4242}
    patch = {
        k: [swap.get(v, v) for v in val] if isinstance(val, list) else swap.get(val, val) for k, val in patch.items()
    }
    etag = editor_client.get(url(article))["ETag"]
    before = state(article)

    response = editor_client.patch(url(article), {**patch, "summary": "Changed"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body and field in body["detail"]
    assert words in body["detail"]
    assert state(article) == before


def test_malformed_json_and_non_object_bodies_are_400(editor_client, desk):
    article = desk["article"]
    etag = editor_client.get(url(article))["ETag"]
    broken = editor_client.generic(
        "PATCH", url(article), '{"title": ', content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert broken.status_code == 400 and "JSON" in broken.json()["detail"]
    listed = editor_client.patch(url(article), ["title"], format="json", HTTP_IF_MATCH=etag)
    assert listed.status_code == 400 and listed.json()["detail"]
    created = editor_client.post("/api/v1/articles/", {"section": "economy"}, format="json")
    assert created.status_code == 400 and "title" in created.json()


def test_media_upload_is_checked_like_the_admin(editor_client):
    refused = editor_client.post(
        "/api/v1/media/", {"file": io.BytesIO(b"<html>not a picture</html>")}, format="multipart"
    )
    assert refused.status_code == 400
    assert "file" in refused.json() and "file" in refused.json()["detail"]
    assert MediaItem.objects.count() == 0

    data = jpeg_bytes(120, 90)
    created = editor_client.post(
        "/api/v1/media/", {"file": io.BytesIO(data), "alt": "Trading floor", "credit": "Desk"}, format="multipart"
    )
    assert created.status_code == 201, created.content
    item = created.json()
    assert (item["kind"], item["width"], item["height"], item["alt"], item["credit"]) == (
        "image",
        120,
        90,
        "Trading floor",
        "Desk",
    )
    again = editor_client.post("/api/v1/media/", {"file": io.BytesIO(data)}, format="multipart")
    assert again.status_code == 200 and again.json()["id"] == item["id"]
    assert MediaItem.objects.count() == 1

    unknown = editor_client.post("/api/v1/media/", {"file": io.BytesIO(data), "owner": "me"}, format="multipart")
    assert unknown.status_code == 400 and "owner" in unknown.json()
    no_file = editor_client.post("/api/v1/media/", {"alt": "x"}, format="multipart")
    assert no_file.status_code == 400 and "file" in no_file.json()


def test_media_descriptions_are_editable_and_measured_fields_are_not(editor_client):
    item = ImageFactory(credit="")
    ok = editor_client.patch(f"/api/v1/media/{item.pk}/", {"credit": "Agency", "focal_x": 0.25}, format="json")
    assert ok.status_code == 200 and ok.json()["credit"] == "Agency" and ok.json()["focal_x"] == 0.25
    for bad in ({"width": 5}, {"focal_y": 3}, {"file_missing": True}):
        response = editor_client.patch(f"/api/v1/media/{item.pk}/", bad, format="json")
        assert response.status_code == 400 and next(iter(bad)) in response.json()
    item.refresh_from_db()
    assert (item.width, item.focal_y, item.file_missing) == (64, 0.5, False)


def test_media_in_use_cannot_be_deleted(editor_client):
    item = ImageFactory()
    article = ArticleFactory(lead_media=item, title="Uses the photo")
    response = editor_client.delete(f"/api/v1/media/{item.pk}/")
    assert response.status_code == 400
    assert "Uses the photo" in response.json()["detail"]
    assert MediaItem.objects.filter(pk=item.pk).exists()
    article.delete()
    assert editor_client.delete(f"/api/v1/media/{item.pk}/").status_code == 204
