"""A task that fails is listed, with its error, in the admin's task results, and "Retry" there
runs it again; a video the worker cannot measure carries a problem editors can read, and
nothing answers 500."""

import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from media import actions
from media.models import MediaItem
from media.tasks import make_renditions
from tests.tasks.clips import clip, scrambled_clip

pytestmark = pytest.mark.django_db

RESULTS = "/admin/django_tasks_database/dbtaskresult/"


def upload(editor, data, name="clip.mp4"):
    item, _ = actions.create_media(actor=editor, upload=ContentFile(data, name=name), filename=name, title="Pier")
    return item


def test_an_undecodable_video_is_marked_with_its_problem_and_listed_as_failed(admin_client, editor, commit, worker):
    with commit():
        video = upload(editor, scrambled_clip(seed=21))
    worker()
    video.refresh_from_db()
    assert video.processing == "failed" and video.poster is None
    assert video.problem == "The video could not be decoded (Invalid data found when processing input)."
    [row] = DBTaskResult.objects.all()
    assert row.status == TaskResultStatus.FAILED and row.exception_class_path == "media.processing.VideoProblem"

    item_page = admin_client.get(f"/admin/media/mediaitem/{video.pk}/change/")
    assert item_page.status_code == 200
    assert "Processing failed:" in item_page.content.decode() and video.problem in item_page.content.decode()
    listing = admin_client.get(RESULTS + "?status__exact=FAILED")
    html = listing.content.decode()
    assert listing.status_code == 200 and "process_video" in html
    assert f"VideoProblem: Media item {video.pk}: The video could not be decoded" in html
    assert admin_client.get(f"{RESULTS}{row.pk}/change/").status_code == 200  # the traceback page


def test_retry_from_the_admin_runs_a_failed_task_again(admin_client, editor, commit, worker, settings):
    with commit():
        video = upload(editor, clip(seed=22))
    stored = Path(settings.MEDIA_ROOT) / video.file.name
    aside = stored.with_name("aside.mp4")
    shutil.move(stored, aside)  # the file is away (a storage hiccup) when the worker looks
    worker()
    video.refresh_from_db()
    assert video.processing == "failed" and video.problem == "The stored video file could not be found."
    [row] = DBTaskResult.objects.failed()

    shutil.move(aside, stored)
    with commit():
        response = admin_client.post(RESULTS, {"action": "retry", "_selected_action": [str(row.pk)]}, follow=True)
    assert "1 task(s) put back in the queue." in response.content.decode()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY and row.traceback == ""
    assert worker() == 2  # the video again, then its poster's renditions
    row.refresh_from_db()
    video.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value == "measured"
    assert video.processing == "" and video.problem == "" and video.poster is not None and video.width == 160


def test_retry_leaves_tasks_that_did_not_fail_alone(admin_client, commit, worker):
    with commit():
        make_renditions.enqueue(987654)
    worker()
    [row] = DBTaskResult.objects.all()
    response = admin_client.post(RESULTS, {"action": "retry", "_selected_action": [str(row.pk)]}, follow=True)
    assert "1 task(s) had not failed and were left as they are." in response.content.decode()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value == "gone"


def test_process_again_sends_a_failed_video_back_to_the_worker(admin_client, editor, commit, worker, settings):
    with commit():
        video = upload(editor, clip(seed=23))
    stored = Path(settings.MEDIA_ROOT) / video.file.name
    aside = stored.with_name("aside.mp4")
    shutil.move(stored, aside)
    worker()
    shutil.move(aside, stored)
    with commit():
        response = admin_client.post(
            "/admin/media/mediaitem/", {"action": "process_again", "_selected_action": [str(video.pk)]}, follow=True
        )
    assert "1 video(s) sent to the worker." in response.content.decode()
    worker()
    video.refresh_from_db()
    assert video.processing == "" and video.poster is not None


def test_a_task_whose_queue_cannot_be_reached_leaves_the_upload_stored(editor, commit, monkeypatch, caplog):
    from media import tasks

    def away(*args, **kwargs):
        raise ConnectionError("queue unreachable")

    monkeypatch.setattr(type(tasks.process_video), "enqueue", away)
    with commit():
        video = upload(editor, clip(seed=24))
    assert MediaItem.objects.filter(pk=video.pk, processing="pending").exists()
    assert "Could not enqueue process_video" in caplog.text


def test_an_unexpected_error_in_the_worker_marks_the_video_failed_not_processing_forever(
    editor, commit, worker, monkeypatch
):
    def broken(item):
        raise RuntimeError("decoder crashed")

    with commit():
        video = upload(editor, clip(seed=25))
    monkeypatch.setattr("media.ingest.measure_stored_video", broken)
    worker()
    video.refresh_from_db()
    assert (video.processing, video.problem) == ("failed", "Processing stopped on an unexpected error (RuntimeError).")
    [row] = DBTaskResult.objects.failed()
    assert "RuntimeError: decoder crashed" in row.traceback
