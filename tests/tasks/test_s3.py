"""The worker reads a video from S3-compatible storage (moto's server on 127.0.0.1): it is
fetched to a temporary file, measured, and its poster and renditions stored in the bucket."""

import pytest
from django.core.files.base import ContentFile

from media import actions
from media.models import MediaItem
from media.renditions import ALL_SPECS, FORMATS
from tests.media.test_s3 import keys, s3_endpoint, s3_storage  # noqa: F401 (fixtures)
from tests.tasks.clips import clip

pytestmark = pytest.mark.django_db


def test_a_video_stored_in_s3_is_measured_by_the_worker(s3_storage, editor, commit, worker):  # noqa: F811
    with commit():
        video, _ = actions.create_media(
            actor=editor, upload=ContentFile(clip(seed=71), name="v.mp4"), filename="v.mp4", title="Bay"
        )
    assert keys(s3_storage) == [video.file.name]  # stored; nothing made yet
    assert worker() == 2
    video = MediaItem.objects.select_related("poster").get(pk=video.pk)
    assert (video.width, video.height, video.processing) == (160, 120, "")
    stored = keys(s3_storage)
    assert video.poster.file.name in stored
    made = [name for name in stored if name.startswith(f"renditions/{video.poster_id}/")]
    assert len(made) == len(ALL_SPECS) * len(FORMATS)
