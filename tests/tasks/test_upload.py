"""Slow work leaves the request: an upload answers once the file is stored, and the worker
measures a video, makes its poster and makes renditions ahead of the first page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from media.models import MediaItem, Rendition
from media.renditions import ALL_SPECS, FORMATS
from media.samples import draw_photo
from tests.tasks.clips import clip

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/media/mediaitem/upload/file/"


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


def send(client, name, data):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)})


def queued(task_name):
    return [row for row in DBTaskResult.objects.all() if row.task_path == f"media.tasks.{task_name}"]


def test_a_video_upload_answers_without_probing_and_queues_the_work(desk, commit, monkeypatch):
    def no_decoding_here(*args, **kwargs):
        raise AssertionError("the request decoded the video's frames")

    monkeypatch.setattr("media.ingest.probe_video", no_decoding_here)
    monkeypatch.setattr("media.probe.probe_video", no_decoding_here)
    with commit():
        response = send(desk, "harbour.mp4", clip(seed=2))
    assert response.status_code == 201, response.content
    assert response.json()["thumbnail"] == ""  # no poster yet
    video = MediaItem.objects.get()
    assert video.processing == "pending" and video.poster is None
    assert (video.width, video.height, video.duration, video.codec) == (None, None, None, "")
    [row] = queued("process_video")
    assert row.status == TaskResultStatus.READY and row.args_kwargs["args"] == [video.pk]


def test_nothing_is_queued_for_an_upload_that_rolls_back(desk, commit):
    with commit():
        response = send(desk, "notes.mp4", b"<html>not a video</html>")
    assert response.status_code == 400
    assert not DBTaskResult.objects.exists() and not MediaItem.objects.exists()


def test_the_worker_fills_in_the_facts_and_the_poster_and_its_renditions(desk, commit, worker):
    with commit():
        send(desk, "harbour_at_dawn.mp4", clip(seed=3))
    assert worker() == 2  # the video, then its poster's renditions
    video = MediaItem.objects.select_related("poster").get(kind="video")
    assert (video.width, video.height, video.codec, video.processing, video.problem) == (160, 120, "h264", "", "")
    assert video.duration == pytest.approx(1.0, abs=0.2)
    assert (video.poster.title, video.poster.width, video.poster.height) == ("Poster: harbour at dawn", 160, 120)
    renditions = len(ALL_SPECS) * len(FORMATS)
    assert Rendition.objects.filter(media=video.poster).count() == renditions
    results = {row.task_path.rsplit(".", 1)[1]: row for row in DBTaskResult.objects.all()}
    assert {name: row.status for name, row in results.items()} == {
        "process_video": TaskResultStatus.SUCCESSFUL,
        "make_renditions": TaskResultStatus.SUCCESSFUL,
    }
    assert results["process_video"].return_value == "measured"
    assert results["make_renditions"].return_value == f"{renditions} renditions"


def test_running_the_video_task_again_changes_nothing(desk, commit, worker):
    from media.tasks import process_video

    with commit():
        send(desk, "clip.mp4", clip(seed=8))
    worker()
    video = MediaItem.objects.get(kind="video")
    with commit():
        process_video.enqueue(video.pk)
    assert worker() == 1
    assert MediaItem.objects.count() == 2  # the video and its one poster
    assert DBTaskResult.objects.order_by("-enqueued_at").first().return_value == "nothing to do"


def test_an_image_upload_has_its_renditions_made_by_the_worker(desk, commit, worker):
    with commit():
        assert send(desk, "quay.jpg", draw_photo(800, 600, seed=4)).status_code == 201
    photo = MediaItem.objects.get()
    assert not Rendition.objects.exists()  # the upload did not make them
    assert worker() == 1
    assert Rendition.objects.filter(media=photo).count() == len(ALL_SPECS) * len(FORMATS)
    [row] = DBTaskResult.objects.all()
    assert row.return_value == f"{len(ALL_SPECS) * len(FORMATS)} renditions"


def test_a_page_still_makes_a_rendition_the_worker_has_not_made_yet(client, desk, commit):
    with commit():
        send(desk, "quay.jpg", draw_photo(800, 600, seed=5))
    photo = MediaItem.objects.get()
    response = desk.get(f"/media-renditions/{photo.pk}/w320.jpeg")
    assert response.status_code == 302
    assert Rendition.objects.filter(media=photo, spec="w320", format="jpeg").exists()


def test_moving_the_focal_point_has_the_new_crops_made_by_the_worker(editor, commit, worker):
    from media import actions

    with commit():
        photo, _ = actions.create_media(actor=editor, data=draw_photo(900, 600, seed=6), filename="wide.jpg")
    worker()
    with commit():
        actions.set_focal_point(actor=editor, item=photo, x=0.9, y=0.5)
    assert not Rendition.objects.filter(media=photo, spec__contains="-").exists()
    assert worker() == 1
    assert Rendition.objects.filter(media=photo).count() == len(ALL_SPECS) * len(FORMATS)


def test_the_api_upload_of_a_video_answers_before_it_is_measured(api, editor, commit, worker):
    with commit():
        response = api(editor).post("/api/v1/media/", {"file": SimpleUploadedFile("clip.mp4", clip(seed=7))})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["width"] is None and body["duration"] is None
    worker()
    again = api(editor).get(f"/api/v1/media/{body['id']}/").json()
    assert (again["width"], again["height"]) == (160, 120) and again["duration"]


@pytest.mark.parametrize(("permissions", "mode"), [(0o644, 0o644), (0o640, 0o640), (None, 0o644)])
def test_a_video_spilled_to_disk_is_stored_whole_with_the_storages_permissions(
    desk, commit, worker, settings, permissions, mode
):
    """A large upload arrives in a temporary file (private to the server's user); it is linked
    into storage, not copied, and must end up with the mode stored files get, whole."""
    from pathlib import Path

    from tests.tasks.clips import clip as make_clip

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.FILE_UPLOAD_PERMISSIONS = permissions
    data = make_clip(seed=9)
    with commit():
        assert send(desk, "big.mp4", data).status_code == 201
    video = MediaItem.objects.get()
    stored = Path(settings.MEDIA_ROOT) / video.file.name
    assert stored.stat().st_mode & 0o777 == mode
    assert stored.stat().st_size == len(data) == video.file_size
    assert not list(stored.parent.glob(".*.partial"))
    worker()
    video.refresh_from_db()
    assert video.poster is not None and video.width == 160
