"""The embedded default cache is shared by every server process: a change is seen by all at once.

Two gunicorn workers serve one SQLite site with no CACHE_URL (the embedded default). Both are
warmed with many requests for a story's page, then the story is unpublished, embargoed or
retitled from another process (`manage.py shell`, through articles.actions, as an editor's
admin request in a third worker would). Every request answered after that call returns must
show the change, whichever worker answers it. With a per-process cache the other worker went
on serving the old page for up to PAGE_CACHE_SECONDS (299.7 s measured).
"""

import http.client
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.servers import manage, shell, site_environment, start_gunicorn, stop

FOLLOWING_SECONDS = 1.5  # requests keep coming after each change for this long
FOLLOWING_REQUESTS = 40  # and at least this many (so that both workers answer some)


def get(port: int, path: str):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.fixture
def site(tmp_path):
    """A migrated SQLite site with one live story, served by two gunicorn workers."""
    env = site_environment(tmp_path, SECRET_KEY="shared-cache-test", PAGE_CACHE_SECONDS="300")
    manage(env, "migrate", "--noinput")
    url = shell(
        env,
        (
            "from django.utils import timezone\n"
            "from articles import actions\n"
            "from articles.models import Article, Section\n"
            "world = Section.objects.create(name='World', slug='world')\n"
            "story = Article.objects.create(title='Bridge reopens', slug='bridge-reopens', section=world,\n"
            "    summary='A summary.', body='<p>Text.</p>', status='draft')\n"
            "actions.publish(actor=None, article=story)\n"
            "print(story.get_absolute_url())\n"
        ),
    )
    server, port = start_gunicorn(
        # Which worker answered each request: its pid, in the access log.
        env,
        "--workers",
        "2",
        "--access-logfile",
        "-",
        "--access-logformat",
        "%(p)s %(U)s %(s)s",
        ready=lambda port: get(port, url)[0] == 200,
    )
    site = {"env": env, "port": port, "url": url, "server": server}
    yield site
    if server.poll() is None:
        site["log"] = stop(server)
    print(site.get("log", "")[-3000:])  # shown by pytest when the test fails


def pids_answering(site, status: int) -> set:
    """Stop the server; the pids of the workers that answered `status` (from its access log)."""
    output = site["log"] = stop(site["server"])
    return {pid for pid, code in re.findall(r"^<(\d+)> \S+ (\d+)$", output, re.MULTILINE) if int(code) == status}


def requests_after(site, change: str, seconds: float = FOLLOWING_SECONDS):
    """Warm both workers, make `change` from another process, then request the page for `seconds`
    (and at least FOLLOWING_REQUESTS times): the (status, body) answers."""
    for _ in range(200):
        status, _ = get(site["port"], site["url"])
        assert status == 200
    shell(site["env"], change)
    answers = []
    end = time.monotonic() + seconds
    # Four requests at a time: two single-threaded workers must both answer some, however the
    # machine schedules them.
    with ThreadPoolExecutor(max_workers=4) as pool:
        while time.monotonic() < end or len(answers) < FOLLOWING_REQUESTS:
            answers.extend(pool.map(lambda _: get(site["port"], site["url"]), range(4)))
    return answers


STORY = "from articles.models import Article\nstory = Article.objects.get(slug='bridge-reopens')\n"


def test_unpublishing_is_seen_by_every_worker_at_once(site):
    answers = requests_after(
        site, STORY + "from articles import actions\nactions.unpublish(actor=None, article=story)\n"
    )
    stale = [status for status, _ in answers if status != 404]
    assert stale == [], f"{len(stale)} of {len(answers)} requests after unpublishing still got the story"
    assert len(pids_answering(site, 404)) == 2, "both workers answered after the change"


def test_an_embargo_is_seen_by_every_worker_at_once(site):
    change = STORY + (
        "from datetime import timedelta\nfrom django.utils import timezone\nfrom articles import actions\n"
        "actions.embargo(actor=None, article=story, until=timezone.now() + timedelta(hours=2))\n"
    )
    answers = requests_after(site, change)
    stale = [status for status, _ in answers if status != 404]
    assert stale == [], f"{len(stale)} of {len(answers)} requests after the embargo still got the story"
    assert len(pids_answering(site, 404)) == 2, "both workers answered after the change"


def test_an_edit_is_seen_by_every_worker_at_once(site):
    change = STORY + (
        "from articles import actions\nstory.title = 'Bridge reopens to traffic'\n"
        "actions.save_article(actor=None, article=story)\n"
    )
    answers = requests_after(site, change)
    stale = [body for status, body in answers if "Bridge reopens to traffic" not in body]
    assert len(stale) == 0, f"{len(stale)} of {len(answers)} answers still had the old title"


def get_cache_state(port: int, path: str) -> tuple[str, str]:
    """(X-Page-Cache, body) of one request."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.getheader("X-Page-Cache", ""), response.read().decode()
    finally:
        connection.close()


def test_an_edit_leaves_other_pages_cached_in_every_worker(site):
    """Precise purges across processes: both workers drop their memory copy of the edited page
    only; another story's page stays a hit in both (tests/purge tells which keys)."""
    other = shell(
        site["env"],
        "from articles import actions\nfrom articles.models import Article, Section\n"
        "story = Article.objects.create(title='Harvest begins', slug='harvest-begins',\n"
        "    section=Section.objects.get(slug='world'), summary='S.', body='<p>T.</p>', status='draft')\n"
        "actions.publish(actor=None, article=story)\nprint(story.get_absolute_url())\n",
    )
    for _ in range(100):  # both workers hold both pages
        get(site["port"], site["url"])
        get(site["port"], other)
    shell(
        site["env"],
        STORY + "from articles import actions\nstory.title = 'Bridge reopens to traffic'\n"
        "actions.save_article(actor=None, article=story)\n",
    )
    with ThreadPoolExecutor(max_workers=4) as pool:
        edited = list(pool.map(lambda _: get_cache_state(site["port"], site["url"]), range(40)))
        unrelated = list(pool.map(lambda _: get_cache_state(site["port"], other), range(40)))
    assert all("Bridge reopens to traffic" in body for _, body in edited)
    assert [state for state, _ in unrelated] == ["hit"] * 40
    assert len(pids_answering(site, 200)) == 2, "both workers answered"
