"""Tasks for items deleted, or given another file, before the worker reached them end quietly:
no failure listed, nothing recreated."""

import pytest
from django.core.files.base import ContentFile
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from media import actions
from media.models import MediaItem, Rendition
from media.samples import draw_photo
from tests.tasks.clips import clip

pytestmark = pytest.mark.django_db


def test_a_video_deleted_before_the_worker_came_ends_its_task_quietly(editor, commit, worker):
    with commit():
        video, _ = actions.create_media(actor=editor, upload=ContentFile(clip(seed=31), name="v.mp4"), filename="v.mp4")
    with commit():
        actions.delete_media(actor=editor, item=video)
    assert worker() == 1
    [row] = DBTaskResult.objects.all()
    assert (row.status, row.return_value) == (TaskResultStatus.SUCCESSFUL, "gone")
    assert not MediaItem.objects.exists()  # no poster made for a video that is gone


def test_a_picture_deleted_before_its_renditions_were_made_ends_quietly(editor, commit, worker):
    with commit():
        photo, _ = actions.create_media(actor=editor, data=draw_photo(400, 300, seed=32), filename="p.jpg")
    with commit():
        actions.delete_media(actor=editor, item=photo)
    worker()
    [row] = DBTaskResult.objects.all()
    assert (row.status, row.return_value) == (TaskResultStatus.SUCCESSFUL, "gone")
    assert not Rendition.objects.exists()


def test_a_video_given_a_new_file_before_the_worker_came_is_measured_once(editor, commit, worker):
    with commit():
        video, _ = actions.create_media(actor=editor, upload=ContentFile(clip(seed=33), name="v.mp4"), filename="v.mp4")
    with commit():
        actions.replace_file(
            actor=editor, item=video, upload=ContentFile(clip(seed=34)[:-1] + b"\0", name="w.mp4")
        )  # another file (its last byte differs), stored pending in its turn
    worker()
    video.refresh_from_db()
    assert video.processing == "" and video.poster is not None
    assert MediaItem.objects.filter(kind="image").count() == 1  # one poster, from the file it has now
    outcomes = sorted(
        DBTaskResult.objects.filter(task_path="media.tasks.process_video").values_list("return_value", flat=True)
    )
    assert outcomes == ["measured", "nothing to do"]
