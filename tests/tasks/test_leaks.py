"""What the worker makes follows the media rules, and the task results are for staff with the
permission: a draft's video and the poster the worker made stay hidden from readers until the
story is live; embargoed likewise; task results (their arguments, tracebacks) never public."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from articles import actions as article_actions
from articles.models import Article
from media import actions
from tests.factories import ArticleFactory
from tests.tasks.clips import clip

pytestmark = pytest.mark.django_db

RESULTS = "/admin/django_tasks_database/dbtaskresult/"


def video_made_by_worker(editor, commit, worker, seed):
    with commit():
        video, _ = actions.create_media(
            actor=editor, upload=ContentFile(clip(seed=seed), name="v.mp4"), filename="v.mp4", title="Clip"
        )
    worker()
    video.refresh_from_db()
    assert video.poster is not None
    return video


def reader_urls(video):
    return [
        video.url,
        video.poster.url,
        f"/media-renditions/{video.poster_id}/w320.jpeg",
        f"/api/v1/media/{video.pk}/",
        f"/api/v1/media/{video.poster_id}/",
    ]


def test_a_drafts_video_and_the_poster_the_worker_made_stay_hidden_until_it_is_published(
    editor, people, commit, worker
):
    video = video_made_by_worker(editor, commit, worker, seed=41)
    story = ArticleFactory(lead_media=video, status=Article.Status.DRAFT, published_at=None)
    reader = Client()
    assert [reader.get(url).status_code for url in reader_urls(video)] == [404] * 5
    with commit():
        article_actions.publish(actor=people["chief"], article=story)
    assert all(reader.get(url).status_code in (200, 302) for url in reader_urls(video))


def test_an_embargoed_storys_poster_stays_hidden(editor, commit, worker):
    video = video_made_by_worker(editor, commit, worker, seed=42)
    now = timezone.now()
    ArticleFactory(
        lead_media=video,
        published_at=now - timezone.timedelta(hours=1),
        embargo_until=now + timezone.timedelta(hours=1),
    )
    assert [Client().get(url).status_code for url in reader_urls(video)] == [404] * 5


def test_task_results_are_for_staff_with_the_permission_only(people, admin_client, commit, worker):
    from django_tasks_db.models import DBTaskResult

    from media.tasks import make_renditions

    with commit():
        make_renditions.enqueue(424242)
    worker()
    reporter = Client()
    reporter.force_login(people["author"])  # staff, but without the task results' permissions
    for url in (RESULTS, f"{RESULTS}{DBTaskResult.objects.get().pk}/change/"):
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
        assert reporter.get(url).status_code == 403
        assert admin_client.get(url).status_code == 200
    DBTaskResult.objects.update(status="FAILED")  # as if it had failed
    row = DBTaskResult.objects.get()
    reporter.post(RESULTS, {"action": "retry", "_selected_action": [str(row.pk)]})
    assert DBTaskResult.objects.get().status == "FAILED"  # not put back in the queue by them
    admin_client.post(RESULTS, {"action": "retry", "_selected_action": [str(row.pk)]})
    assert DBTaskResult.objects.get().status == "READY"
