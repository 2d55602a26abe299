"""Media edits follow the roles of the stories using them, and every change is audited
(issue #13, item 9): a Reporter could change the picture and caption of a published story with
no revision and no audit entry.
"""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import AuditEntry
from media.ingest import ingest_bytes
from media.models import MediaItem
from media.samples import draw_photo, encode_clip
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = importlib.import_module("articles.migrations.0002_roles").ROLES
CHANGELIST = "/admin/media/mediaitem/"
VTT = b"WEBVTT\n\n00:00.000 --> 00:01.000\nGulls over the quay\n"


def member(role: str, username: str):
    group, _ = Group.objects.get_or_create(name=role)
    if not group.permissions.exists():
        for dotted in ROLES[role]:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(group)
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def reporter(db):
    return member("Reporter", "rita")


@pytest.fixture
def desk_editor(db):
    return member("Editor", "edith")


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def patch(client, item, **fields):
    return client.patch(f"/api/v1/media/{item.pk}/", fields, format="json")


@pytest.fixture
def published_photo(db):
    photo = ingest_bytes(draw_photo(300, 200, seed=3), filename="quay.jpg", caption="The quay at dawn")
    ArticleFactory(lead_media=photo)
    return photo


def media_audit():
    return list(AuditEntry.objects.filter(action__startswith="media_").order_by("id"))


def test_reporter_may_not_change_the_media_of_a_published_story_through_the_api(reporter, published_photo):
    client = api(reporter)
    for fields in ({"caption": "Something else"}, {"alt": "Other"}, {"focal_x": 0.1}, {"title": "New"}):
        response = patch(client, published_photo, **fields)
        assert response.status_code == 403, fields
        assert "may not edit" in response.json()["detail"]
    published_photo.refresh_from_db()
    assert (published_photo.caption, published_photo.focal_x) == ("The quay at dawn", 0.5)
    assert media_audit() == []


def test_reporter_may_not_change_or_remove_captions_of_a_published_video(reporter):
    video = ingest_bytes(encode_clip(seconds=1.0, width=160, height=120), filename="v.mp4", title="Quay")
    ArticleFactory(lead_media=video)
    client = api(reporter)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.put(
        f"/api/v1/media/{video.pk}/captions/", {"file": SimpleUploadedFile("c.vtt", VTT)}, format="multipart"
    )
    assert response.status_code == 403
    assert client.delete(f"/api/v1/media/{video.pk}/captions/").status_code == 403
    video.refresh_from_db()
    assert not video.captions


def test_editor_changes_are_audited_with_the_fields_that_changed(desk_editor, published_photo):
    response = patch(api(desk_editor), published_photo, caption="Fishing boats return", focal_x=0.3)
    assert response.status_code == 200, response.content
    [entry] = media_audit()
    assert (entry.action, entry.actor, entry.object_repr) == ("media_edit", desk_editor, str(published_photo))
    assert entry.details == {"media_id": published_photo.pk, "fields": ["caption", "focal_x"]}
    # Sending what is already stored changes nothing and records nothing.
    assert patch(api(desk_editor), published_photo, caption="Fishing boats return").status_code == 200
    assert len(media_audit()) == 1


def test_reporter_may_change_media_of_their_own_draft_and_it_is_audited(reporter):
    from articles import actions

    photo = ingest_bytes(draw_photo(300, 200, seed=4), filename="draft.jpg")
    article = ArticleFactory.build(draft=True, lead_media=photo, section=ArticleFactory().section)
    actions.save_article(actor=reporter, article=article)
    assert patch(api(reporter), photo, caption="Draft caption").status_code == 200
    assert [(e.action, e.actor) for e in media_audit()] == [("media_edit", reporter)]


def test_captions_changes_are_audited(desk_editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    video = ingest_bytes(encode_clip(seconds=1.0, width=160, height=120), filename="v.mp4", title="Quay")
    client = api(desk_editor)
    response = client.put(
        f"/api/v1/media/{video.pk}/captions/", {"file": SimpleUploadedFile("c.vtt", VTT)}, format="multipart"
    )
    assert response.status_code == 200
    assert client.delete(f"/api/v1/media/{video.pk}/captions/").status_code == 200
    assert [e.details["fields"] for e in media_audit()] == [["captions", "captions_language"], ["captions"]]


def test_deletion_is_audited_and_outlives_the_item(desk_editor):
    chief = member("Chief editor", "carl")
    photo = ingest_bytes(draw_photo(300, 200, seed=5), filename="gone.jpg", title="Gone tomorrow")
    assert api(chief).delete(f"/api/v1/media/{photo.pk}/").status_code == 204
    [entry] = media_audit()
    assert (entry.action, entry.actor, entry.object_repr) == ("media_delete", chief, "Gone tomorrow")
    assert entry.details == {"media_id": photo.pk}
    assert not MediaItem.objects.filter(pk=photo.pk).exists()


def test_admin_shows_a_published_storys_media_read_only_to_a_reporter(client, reporter, published_photo):
    client.force_login(reporter)
    page = client.get(f"{CHANGELIST}{published_photo.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    forged = client.post(
        f"{CHANGELIST}{published_photo.pk}/change/", {"title": "Forged", "focal_x": "0.5", "focal_y": "0.5"}
    )
    assert forged.status_code == 403
    published_photo.refresh_from_db()
    assert published_photo.title != "Forged"
    assert media_audit() == []


def test_admin_edits_by_an_editor_are_audited(client, desk_editor, published_photo):
    client.force_login(desk_editor)
    data = {"title": "Quay", "caption": "Boats at the quay", "focal_x": "0.5", "focal_y": "0.5"}
    assert client.post(f"{CHANGELIST}{published_photo.pk}/change/", data).status_code == 302
    [entry] = media_audit()
    assert entry.actor == desk_editor and {"title", "caption"} <= set(entry.details["fields"])


def test_only_publishers_mark_media_public_in_the_admin(client, reporter, desk_editor):
    photo = ingest_bytes(draw_photo(300, 200, seed=6), filename="unused.jpg")
    client.force_login(reporter)
    listing = client.get(CHANGELIST).content.decode()
    assert "mark_public" not in listing
    client.post(CHANGELIST, {"action": "mark_public", "_selected_action": [photo.pk]})
    photo.refresh_from_db()
    assert not photo.public
    client.force_login(desk_editor)
    assert "mark_public" in client.get(CHANGELIST).content.decode()
    client.post(CHANGELIST, {"action": "mark_public", "_selected_action": [photo.pk]})
    photo.refresh_from_db()
    assert photo.public
    assert [(e.action, e.actor, e.details["fields"]) for e in media_audit()] == [
        ("media_edit", desk_editor, ["public"])
    ]
