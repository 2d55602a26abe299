"""A real Varnish (deploy/varnish/newsroom.vcl) in front of a gunicorn site: an edit is fresh
through Varnish within a second, an unrelated page stays a Varnish hit, and a PURGE from an
address outside the ACL is refused."""

import http.client
import os
import time

import pytest

from tests.purge.varnish_server import start_varnish, stop_varnish, varnishd_missing_reason
from tests.servers import free_port, manage, shell, site_environment, start_gunicorn, stop


def get(port: int, path: str, source: str = "127.0.0.1"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


@pytest.fixture
def behind_varnish(tmp_path):
    missing = varnishd_missing_reason()
    if missing:
        if os.environ.get("NEWSROOM_REQUIRE_VARNISH"):
            pytest.fail(f"{missing}; .ci/run installs them")
        pytest.skip(missing)
    varnish_port = free_port()
    env = site_environment(tmp_path, SECRET_KEY="varnish-test", VARNISH_URLS=f"http://127.0.0.1:{varnish_port}")
    manage(env, "migrate", "--noinput")
    urls = shell(
        env,
        "from articles import actions\nfrom articles.models import Article, Section\n"
        "world = Section.objects.create(name='World', slug='world')\n"
        "a = Article.objects.create(title='Bridge reopens', slug='bridge', section=world, summary='S.',"
        " body='<p>T.</p>', status='draft')\n"
        "b = Article.objects.create(title='Harvest begins', slug='harvest', section=world, summary='S.',"
        " body='<p>T.</p>', status='draft')\n"
        "actions.publish(actor=None, article=a)\nactions.publish(actor=None, article=b)\n"
        "print(a.get_absolute_url(), b.get_absolute_url())\n",
    ).split()
    server, app_port = start_gunicorn(env, "--workers", "2", ready=lambda port: get(port, urls[0])[0] == 200)
    varnish = None
    try:
        varnish = start_varnish(varnish_port, [app_port])
        deadline = time.monotonic() + 20
        while True:
            try:
                if get(varnish_port, urls[0])[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "varnishd did not answer"
            time.sleep(0.2)
        yield {"env": env, "port": varnish_port, "edited": urls[0], "other": urls[1]}
    finally:
        if varnish:
            stop_varnish(varnish)
        print(stop(server)[-2000:])


def test_an_edit_is_fresh_through_varnish_and_other_pages_stay_cached(behind_varnish):
    port = behind_varnish["port"]
    for path in (behind_varnish["edited"], behind_varnish["other"], "/"):
        get(port, path)
    status, headers, _ = get(port, behind_varnish["other"])
    assert headers["X-Cache"] == "hit" and len(headers["X-Varnish"].split()) == 2
    shell(
        behind_varnish["env"],
        "from articles import actions\nfrom articles.models import Article\n"
        "a = Article.objects.get(slug='bridge')\na.title = 'Bridge reopens to traffic'\n"
        "actions.save_article(actor=None, article=a)\n",
    )
    edited_at = time.monotonic()
    for path in (behind_varnish["edited"], "/"):
        _, headers, body = get(port, path)
        assert "Bridge reopens to traffic" in body, path
    assert time.monotonic() - edited_at < 1.0
    _, headers, _ = get(port, behind_varnish["other"])
    assert headers["X-Cache"] == "hit", "a page not showing the story was purged"


def test_purge_from_an_address_outside_the_acl_is_refused(behind_varnish):
    port = behind_varnish["port"]
    get(port, behind_varnish["other"])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=("127.0.0.2", 0))
    connection.request("PURGE", "/", headers={"xkey-purge": "front"})
    assert connection.getresponse().status == 403
    connection.close()
    assert get(port, behind_varnish["other"])[1]["X-Cache"] == "hit"
