"""What an attacker or a broken client may send to the draft routes: refused plainly, never stored."""

import pytest

from articles.models import WorkingDraft
from tests.drafts_api.conftest import url

pytestmark = pytest.mark.django_db

HUGE = 2**70


@pytest.fixture
def client(api, people):
    return api(people["editor"])


@pytest.fixture
def draft_etag(client, story):
    etag = client.get(url(story))["ETag"]
    return client.patch(url(story, "draft/"), {"summary": "Start."}, format="json", HTTP_IF_MATCH=etag)["ETag"]


@pytest.mark.parametrize(
    ("method", "tail"),
    [("get", "draft/"), ("patch", "draft/"), ("delete", "draft/"), ("post", "draft/publish/"), ("get", "revisions/")],
)
def test_huge_ids_are_json_404s(client, method, tail):
    response = getattr(client, method)(f"/api/v1/articles/{HUGE}/{tail}", {}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_markup_in_the_title_is_kept_as_text_and_unsafe_body_markup_is_refused(client, story, draft_etag):
    title = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    saved = client.patch(url(story, "draft/"), {"title": title}, format="json", HTTP_IF_MATCH=draft_etag)
    assert saved.status_code == 200
    assert saved.json()["title"] == title  # JSON text: whoever shows it escapes it
    for body in ("<p>Hi</p><script>alert(1)</script>", '<p onclick="alert(1)">Hi</p>', '<a href="javascript:x">a</a>'):
        refused = client.patch(url(story, "draft/"), {"body_html": body}, format="json", HTTP_IF_MATCH=saved["ETag"])
        assert refused.status_code == 400, body
        assert "body_html" in refused.json()
    assert WorkingDraft.objects.get(article=story).data["body"] == "<p>Traffic resumed by noon.</p>"


def test_a_huge_request_is_refused(client, story, draft_etag):
    body = {"body_html": "<p>" + "x" * (11 * 1024 * 1024) + "</p>"}
    response = client.patch(url(story, "draft/"), body, format="json", HTTP_IF_MATCH=draft_etag)
    assert response.status_code in (400, 413)
    assert WorkingDraft.objects.get(article=story).version == 1


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"status": "archived"}, "status", "Unknown field."),
        ({"evil": 1}, "evil", "Unknown field."),
        ({"version": 99}, "version", "This field is read-only."),
        ({"live_changes": []}, "live_changes", "This field is read-only."),
        ({"related_ids": [HUGE]}, "related_ids", None),
        ({"section": "no/such/section"}, "section", None),
        ({"title": ""}, "title", None),
        ({"title": "x" * 301}, "title", None),
        ({"lead_media": HUGE}, "lead_media", None),
    ],
)
def test_bad_fields_are_400s_naming_the_field(client, story, draft_etag, body, field, message):
    response = client.patch(url(story, "draft/"), body, format="json", HTTP_IF_MATCH=draft_etag)
    assert response.status_code == 400, response.content
    assert field in response.json()
    if message:
        assert response.json()[field] == [message]
    assert WorkingDraft.objects.get(article=story).version == 1


def test_a_body_that_is_not_an_object_is_a_400(client, story, draft_etag):
    for body in ([1, 2], "title", 5):
        response = client.patch(url(story, "draft/"), body, format="json", HTTP_IF_MATCH=draft_etag)
        assert response.status_code == 400
    response = client.post(url(story, "draft/publish/"), {"at": "tomorrow"}, format="json", HTTP_IF_MATCH=draft_etag)
    assert response.status_code == 400 and "at" in response.json()


def test_a_garbled_if_match_is_428(client, story, draft_etag):
    for header in ('"a1d1v1"', "W/", '"a{}d{}v{}-zz"', ",,,", '"' + "9" * 500 + '"'):
        response = client.patch(url(story, "draft/"), {"summary": "x"}, format="json", HTTP_IF_MATCH=header)
        assert response.status_code == 428, header
