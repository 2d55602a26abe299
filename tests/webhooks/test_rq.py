"""With the Redis queue (django-tasks-rq), RQ's worker sends the webhooks as the database worker
does, and a failed attempt is a job scheduled for its retry (which is why scripts/with-worker
starts RQ's worker `--with-scheduler`). Real processes: a site on a SQLite file, RQ's worker in
burst mode, the receiver in this process."""

import pytest

from tests.servers import manage, shell, site_environment
from tests.tasks.test_rq import REDIS_URL, clear_rq_keys, emptied_redis

RQ_WORKER = ["rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "--with-scheduler", "default"]

PUBLISH = """
from articles import actions
from articles.models import Article, Section
section = Section.objects.get_or_create(name="News", slug="news")[0]
story = actions.save_article(actor=None, article=Article(title="{title}", section=section, body="<p>Text.</p>"))
actions.publish(actor=None, article=story)
print(story.pk)
"""


@pytest.fixture
def rq_site(tmp_path, receiver):
    connection = emptied_redis()
    env = site_environment(tmp_path, TASKS_REDIS_URL=REDIS_URL, WEBHOOK_ALLOW_PRIVATE_HOSTS="1")
    manage(env, "migrate", "--noinput")
    shell(
        env,
        "from webhooks.actions import create_endpoint\n"
        f"print(create_endpoint(actor=None, url='{receiver.url}', secret='{receiver.secret}', "
        "events=['article.published']).pk)",
    )
    yield env
    clear_rq_keys(connection)


def test_rqs_worker_delivers_and_schedules_the_retry(rq_site, receiver):
    first = int(shell(rq_site, PUBLISH.format(title="Sent through RQ")))
    manage(rq_site, *RQ_WORKER)
    assert receiver.types == ["article.published"]
    assert receiver.accepted[0]["body"]["data"]["id"] == first
    assert receiver.bad_signatures == 0

    receiver.down = True
    shell(rq_site, PUBLISH.format(title="Receiver down"))
    manage(rq_site, *RQ_WORKER)
    assert len(receiver.tried) == 2
    retry_in = float(
        shell(
            rq_site,
            "import time, django_rq\n"
            "from rq.registry import ScheduledJobRegistry\n"
            "registry = ScheduledJobRegistry(queue=django_rq.get_queue('default'))\n"
            "[job_id] = registry.get_job_ids()\n"
            "print(registry.get_scheduled_time(job_id).timestamp() - time.time())",
        )
    )
    assert 0 < retry_in <= 60  # the first retry, within a minute
    state = shell(rq_site, "from webhooks.models import Delivery as D; print(D.objects.order_by('pk').last().status)")
    assert state == "retrying"
