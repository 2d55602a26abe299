"""Captions through the API: PUT a WebVTT file on a video, DELETE it; checked like the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from media.ingest import ingest_bytes
from media.models import MediaItem
from media.samples import encode_clip
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nA ferry leaves the quay.\n"


@pytest.fixture
def video(db):
    return ingest_bytes(encode_clip(seconds=1, seed=71), filename="ferry.mp4", title="Ferry")


def url(item):
    return f"/api/v1/media/{item.pk}/captions/"


def test_an_editor_sets_and_removes_a_videos_captions(editor_client, video):
    response = editor_client.put(
        url(video), {"file": SimpleUploadedFile("ferry.vtt", VTT), "language": "en"}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    video.refresh_from_db()
    assert response.json()["captions"] == {"url": f"http://testserver{video.captions.url}", "language": "en"}
    assert video.captions.storage.open(video.captions.name).read() == VTT
    removed = editor_client.delete(url(video))
    assert removed.status_code == 200 and removed.json()["captions"] is None
    assert not MediaItem.objects.get(pk=video.pk).captions


def test_a_bad_file_or_language_is_a_field_error_and_nothing_changes(editor_client, video):
    srt = SimpleUploadedFile("ferry.srt", b"1\n00:00:00,000 --> 00:00:02,000\nA ferry\n")
    response = editor_client.put(url(video), {"file": srt}, format="multipart")
    assert response.status_code == 400
    assert 'Line 1 must start with "WEBVTT"' in str(response.json())
    bad_language = editor_client.put(
        url(video), {"file": SimpleUploadedFile("f.vtt", VTT), "language": "English"}, format="multipart"
    )
    assert bad_language.status_code == 400 and "not a language code" in str(bad_language.json())
    assert not MediaItem.objects.get(pk=video.pk).captions


def test_an_image_has_no_captions(editor_client):
    photo = ImageFactory()
    response = editor_client.put(url(photo), {"file": SimpleUploadedFile("f.vtt", VTT)}, format="multipart")
    assert response.status_code == 400 and "Only a video has captions" in str(response.json())


def test_captions_need_the_change_permission(anon, plain_client, video):
    for client in (anon, plain_client):
        assert client.put(url(video), {"file": SimpleUploadedFile("f.vtt", VTT)}, format="multipart").status_code in (
            401,
            403,
        )
        assert client.delete(url(video)).status_code in (401, 403)
    assert not MediaItem.objects.get(pk=video.pk).captions
