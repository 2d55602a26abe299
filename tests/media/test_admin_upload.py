"""Many files at once in the media library admin: the page, the one-file endpoint (JSON per
file, refusals naming why), who may use it, CSRF, and the form describing all new items."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.models import AuditEntry
from media.ingest import ingest_bytes
from media.models import MediaItem
from media.samples import draw_photo, encode_clip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/admin/media/mediaitem/upload/"
ENDPOINT = "/admin/media/mediaitem/upload/file/"
DESCRIBE = "/admin/media/mediaitem/upload/describe/"


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def send(client, name, data, **extra):
    return client.post(ENDPOINT, {"file": SimpleUploadedFile(name, data)}, **extra)


def test_the_page_is_linked_from_the_changelist_and_loads_its_scripts(admin_client):
    changelist = admin_client.get("/admin/media/mediaitem/").content.decode()
    assert f'href="{PAGE}"' in changelist
    page = admin_client.get(PAGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-endpoint="/admin/media/mediaitem/upload/file/"' in html
    assert '<label for="id_files">' in html and 'type="file" id="id_files" name="file" multiple' in html
    assert "media/bulk_upload.js" in html and "media/upload_client.js" in html
    assert "<script>" not in html  # CSP: scripts only as files


def test_a_valid_image_is_stored_through_the_action(admin_client, editor):
    response = send(admin_client, "harbour_at-dawn.jpg", draw_photo(320, 240, seed=301))
    assert response.status_code == 201
    item = MediaItem.objects.get()
    body = response.json()
    assert body == {
        "file": "harbour_at-dawn.jpg",
        "id": item.pk,
        "title": "harbour at dawn",
        "kind": "image",
        "created": True,
        "thumbnail": f"/media-renditions/{item.pk}/w320.jpeg",
        "change_url": f"/admin/media/mediaitem/{item.pk}/change/",
    }
    entry = AuditEntry.objects.get(action="media_add")
    assert entry.actor == editor and entry.details["media_id"] == item.pk


def test_a_video_is_stored_at_once_and_given_its_poster_by_the_worker(admin_client, commit, worker):
    with commit():
        response = send(admin_client, "clip.mp4", encode_clip(seconds=1, seed=302))
    assert response.status_code == 201 and response.json()["kind"] == "video"
    assert MediaItem.objects.videos().get().poster is None  # not yet: the upload did not wait
    worker()
    video = MediaItem.objects.videos().get()
    assert video.poster is not None and not video.processing


def test_the_same_file_twice_answers_the_existing_item(admin_client):
    data = draw_photo(200, 150, seed=303)
    first = send(admin_client, "a.jpg", data).json()
    again = send(admin_client, "b.jpg", data)
    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["created"] is False
    assert MediaItem.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        (
            "page.jpg",
            b"<html><body>hi</body></html>",
            "“page.jpg” is an HTML or XML document, whatever its name says: "
            "neither a JPEG, PNG or WebP image nor an MP4 video.",
        ),
        (
            "anim.gif",
            b"GIF89a" + b"\0" * 40,
            "“anim.gif” is a GIF image; upload a JPEG, PNG or WebP image or an MP4 video.",
        ),
        ("empty.jpg", b"", "The file is empty."),
    ],
)
def test_a_bad_file_is_refused_with_its_reason(admin_client, name, data, error):
    response = send(admin_client, name, data)
    assert response.status_code == 400
    assert response.json() == {"file": name, "error": error}
    assert not MediaItem.objects.exists()


def test_a_file_over_the_limit_is_refused_naming_the_limit(admin_client, settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 500
    response = send(admin_client, "big.jpg", draw_photo(300, 300, seed=304))
    assert response.status_code == 400
    assert response.json()["error"].endswith("more than the limit of 500 bytes.")
    assert not MediaItem.objects.exists()


def test_a_body_over_the_limit_is_413_before_the_view(admin_client, settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 10
    response = admin_client.post(ENDPOINT, data=b"x", content_type="application/octet-stream", CONTENT_LENGTH="5000000")
    assert response.status_code == 413
    assert "more than the upload limit of 10 bytes" in response.content.decode()


def test_no_file_is_a_clear_error(admin_client):
    response = admin_client.post(ENDPOINT, {})
    assert response.status_code == 400
    assert response.json() == {"file": "", "error": "No file came with the request: choose a file to upload."}


def test_get_is_not_allowed(admin_client):
    assert admin_client.get(ENDPOINT).status_code == 405


def test_only_users_who_may_add_media(client):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename__in=["view_mediaitem", "change_mediaitem"]))
    client.force_login(viewer)
    response = send(client, "a.jpg", draw_photo(100, 80, seed=305))
    assert response.status_code == 403
    assert response.json() == {"file": "a.jpg", "error": "You do not have permission to add media."}
    assert client.get(PAGE).status_code == 403
    assert "upload/" not in client.get("/admin/media/mediaitem/").content.decode().split("object-tools")[1][:400]
    assert not MediaItem.objects.exists()


def test_anonymous_callers_are_sent_to_the_login(client):
    response = send(client, "a.jpg", draw_photo(100, 80, seed=306))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not MediaItem.objects.exists()


def test_csrf_is_required(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    refused = send(client, "a.jpg", draw_photo(100, 80, seed=307))
    assert refused.status_code == 403 and not MediaItem.objects.exists()
    page = client.get(PAGE)
    token = page.cookies["csrftoken"].value
    accepted = send(client, "a.jpg", draw_photo(100, 80, seed=307), HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


# --- describing them all at once ----------------------------------------------------------------


def two_items():
    return [
        ingest_bytes(draw_photo(200, 150, seed=310 + n), filename=f"p{n}.jpg", title=f"p{n}", credit="Old")
        for n in range(2)
    ]


def test_the_describing_form_lists_the_items(admin_client):
    first, second = two_items()
    response = admin_client.get(f"{DESCRIBE}?ids={first.pk},{second.pk},{first.pk},junk,{2**70}")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["item"] for row in rows] == [first, second]
    html = response.content.decode()
    assert '<label for="id_items-0-alt_text">Alt text:</label>' in html
    assert '<label for="id_credit">Credit for all:</label>' in html


def test_the_describing_form_sets_credit_for_all_and_each_title_and_alt_text(admin_client, editor):
    first, second = two_items()
    data = {
        "credit": "Agency",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "2",
        "items-0-id": str(first.pk),
        "items-0-title": "Harbour",
        "items-0-alt_text": "Boats at dawn",
        "items-1-id": str(second.pk),
        "items-1-title": "Market",
        "items-1-alt_text": "Stalls in the rain",
    }
    response = admin_client.post(f"{DESCRIBE}?ids={first.pk},{second.pk}", data)
    assert response.status_code == 302 and response["Location"] == "/admin/media/mediaitem/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.title, first.alt_text, first.credit) == ("Harbour", "Boats at dawn", "Agency")
    assert (second.title, second.alt_text, second.credit) == ("Market", "Stalls in the rain", "Agency")
    entries = AuditEntry.objects.filter(action="media_edit").order_by("pk")
    assert [(e.actor, e.details["media_id"], e.details["fields"]) for e in entries] == [
        (editor, first.pk, ["alt_text", "credit", "title"]),
        (editor, second.pk, ["alt_text", "credit", "title"]),
    ]


def test_an_empty_credit_keeps_each_items_own(admin_client):
    first, second = two_items()
    data = {
        "credit": "",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-0-id": str(first.pk),
        "items-0-title": "p0",
        "items-0-alt_text": "Alt",
    }
    admin_client.post(f"{DESCRIBE}?ids={first.pk}", data)
    first.refresh_from_db()
    assert (first.credit, first.alt_text) == ("Old", "Alt")


def test_an_item_not_asked_for_is_left_alone(admin_client):
    first, second = two_items()
    data = {
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-0-id": str(second.pk),
        "items-0-title": "Hijacked",
        "items-0-alt_text": "",
    }
    admin_client.post(f"{DESCRIBE}?ids={first.pk}", data)
    second.refresh_from_db()
    assert second.title == "p1"


def test_too_long_alt_text_is_a_field_error(admin_client):
    (first, _) = two_items()
    data = {
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-0-id": str(first.pk),
        "items-0-title": "t",
        "items-0-alt_text": "x" * 501,
    }
    response = admin_client.post(f"{DESCRIBE}?ids={first.pk}", data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["alt_text"]
    first.refresh_from_db()
    assert first.alt_text == ""
