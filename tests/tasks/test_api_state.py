"""A program sees in the media API what editors see in the library: a video waiting for the
worker is `processing: "pending"`, a measured one `""`, one the worker could not read
`"failed"` — and only people who may see the whole library are told why (`problem`; null
for anyone else)."""

import pytest
from django.core.files.base import ContentFile

from media import actions
from media.models import MediaItem
from tests.tasks.clips import clip, scrambled_clip

pytestmark = pytest.mark.django_db


def upload(editor, data, name="clip.mp4"):
    item, _ = actions.create_media(actor=editor, upload=ContentFile(data, name=name), filename=name, title="Quay")
    return item


def detail(client, item):
    response = client.get(f"/api/v1/media/{item.pk}/")
    assert response.status_code == 200
    return response.json()


def test_a_video_is_pending_until_the_worker_has_measured_it(api, editor, commit, worker):
    with commit():
        video = upload(editor, clip(seed=31))
    before = detail(api(editor), video)
    assert (before["processing"], before["problem"], before["poster"]) == ("pending", "", None)

    worker()
    after = detail(api(editor), video)
    assert (after["processing"], after["problem"]) == ("", "")
    assert after["poster"] is not None and after["duration"] > 0


def test_a_failed_video_names_its_problem_to_library_staff_only(api, editor, commit, worker):
    with commit():
        video = upload(editor, scrambled_clip(seed=32))
    worker()
    MediaItem.objects.filter(pk=video.pk).update(public=True)  # readers may open it

    staff = detail(api(editor), video)
    assert staff["processing"] == "failed"
    assert staff["problem"] == "The video could not be decoded (Invalid data found when processing input)."

    reader = detail(api(None), video)
    assert reader["processing"] == "failed"
    assert reader["problem"] is None
    assert "decoded" not in str(reader)


def test_processing_and_problem_cannot_be_written(api, editor):
    item = MediaItem.objects.create(kind="image", title="Crane", public=True)
    for field, value in (("processing", "failed"), ("problem", "Forged")):
        response = api(editor).patch(f"/api/v1/media/{item.pk}/", {field: value}, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()
    item.refresh_from_db()
    assert (item.processing, item.problem) == ("", "")
