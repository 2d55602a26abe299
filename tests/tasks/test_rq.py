"""With a Redis queue (TASKS_REDIS_URL, else REDIS_URL) the same tasks go through RQ
(django-tasks-rq): RQ's worker, as scripts/with-worker starts it, measures a video and makes its
poster, and a video it cannot decode ends as a failed job with the problem on the item.

Uses the Redis database TASKS_TEST_REDIS_URL names (default redis://127.0.0.1:6379/5), whose
RQ keys it removes before and after."""

import os
import sys

import pytest
import redis

from tests.servers import manage, shell, site_environment
from tests.tasks.clips import clip, scrambled_clip
from tests.tasks.test_worker_process import Printing

REDIS_URL = os.environ.get("TASKS_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
RQ_WORKER = ["rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default"]


def clear_rq_keys(connection) -> None:
    keys = list(connection.scan_iter("rq:*"))
    if keys:
        connection.delete(*keys)


def emptied_redis():
    """A connection to the tests' Redis database, its RQ keys removed; a skip without Redis."""
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} for the RQ queue tests")
    clear_rq_keys(connection)
    return connection


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    connection = emptied_redis()
    tmp_path = tmp_path_factory.mktemp("rq-site")
    env = site_environment(tmp_path, TASKS_REDIS_URL=REDIS_URL)
    manage(env, "migrate", "--noinput")
    for name, data in (("good.mp4", clip(seed=61)), ("bad.mp4", scrambled_clip(seed=62))):
        (tmp_path / name).write_bytes(data)
    env["CLIPS"] = str(tmp_path)
    yield env
    clear_rq_keys(connection)


def upload(env, name) -> str:
    code = (
        "import os; from django.core.files import File; from media.actions import create_media\n"
        f"path = os.path.join(os.environ['CLIPS'], '{name}')\n"
        "item, _ = create_media(actor=None, upload=File(open(path, 'r+b'), name=path), filename=path, title='Pier')\n"
        "print(item.pk)"
    )
    return shell(env, code)


def test_rqs_worker_measures_the_video_and_a_bad_one_fails_with_its_problem(site):
    good, bad = upload(site, "good.mp4"), upload(site, "bad.mp4")
    output = manage(site, *RQ_WORKER)
    state = shell(
        site,
        "from media.models import MediaItem as M\n"
        f"g, b = M.objects.get(pk={good}), M.objects.get(pk={bad})\n"
        "print(g.processing or 'done', g.width, bool(g.poster_id), '|', b.processing, b.problem)",
    )
    assert state.startswith("done 160 True | failed The video could not be decoded"), output
    failed = shell(
        site,
        "import django_rq; from rq.registry import FailedJobRegistry\n"
        "print(len(FailedJobRegistry(queue=django_rq.get_queue('default'))))",
    )
    assert failed == "1"  # the bad video's job, kept for someone to look at and requeue


def test_with_a_redis_queue_make_serve_starts_rqs_worker(site):
    pair = Printing([sys.executable, "scripts/with-worker", sys.executable, "-c", "import time; time.sleep(4)"], site)
    try:
        pair.wait_for(
            r"task worker `manage\.py rqworker --job-class django_tasks_rq\.Job --with-scheduler default` started, "
            r"pid \d+"
        )
        assert pair.process.wait(timeout=60) == 0
    finally:
        pair.stop()


@pytest.fixture
def failed_redis_job(monkeypatch):
    """A job that failed on a real RQ queue (Redis database of TASKS_TEST_REDIS_URL), shown by
    the admin as the Redis task backend's queue."""
    from rq import Queue, SimpleWorker

    connection = emptied_redis()
    queue = Queue("admin-test", connection=connection)
    job = queue.enqueue("builtins.int", "not a number")
    SimpleWorker([queue], connection=connection).work(burst=True)
    monkeypatch.setattr("media.admin_tasks.redis_queues", lambda: [queue])
    yield queue, job
    clear_rq_keys(connection)


REDIS_PAGE = "/admin/django_tasks_database/dbtaskresult/redis-failed/"


def test_failed_redis_jobs_are_listed_in_the_admin_and_retried_from_there(admin_client, failed_redis_job):
    queue, job = failed_redis_job
    assert queue.job_ids == []  # failed: out of the queue
    listing = admin_client.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    assert f'href="{REDIS_PAGE}">Failed jobs on the Redis queue</a>' in listing
    page = admin_client.get(REDIS_PAGE).content.decode()
    assert (
        "builtins.int" in page
        and "ValueError: invalid literal for int() with base 10: &#x27;not a number&#x27;" in page
    )
    response = admin_client.post(REDIS_PAGE, {"job": [job.id]}, follow=True)
    assert "1 job(s) put back in the queue." in response.content.decode()
    assert queue.job_ids == [job.id]
    assert "No failed job on the Redis queue." in admin_client.get(REDIS_PAGE).content.decode()


def test_the_redis_failures_page_is_for_staff_with_the_permission(people, failed_redis_job):
    from django.test import Client

    queue, job = failed_redis_job
    anonymous = Client().get(REDIS_PAGE)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
    reporter = Client()
    reporter.force_login(people["author"])
    assert reporter.get(REDIS_PAGE).status_code == 403
    assert reporter.post(REDIS_PAGE, {"job": [job.id]}).status_code == 403
    assert queue.job_ids == []
