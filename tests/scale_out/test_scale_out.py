"""Several app servers behind Varnish share everything a reader or an editor notices.

The deployment of docs/deployment.md on loopback (tests/scale_out/cluster.py): Varnish with the
shipped VCL in front of two gunicorn servers, A and B, which share PostgreSQL, Redis (cache and
task queue) and an S3-compatible bucket (moto), plus a task worker. Each test acts on A and
looks through Varnish or on B, as two requests of one editor or reader may land on either.
"""

import io
import re
import time

import pytest
import requests
from PIL import Image

from media.samples import draw_photo, encode_clip
from tests.scale_out.cluster import BUCKET, PASSWORD, printed, s3_client, wait_for

FRESH_WITHIN = 1.0  # seconds: the contract for an edit showing everywhere


def url(port: int, path: str) -> str:
    return f"http://127.0.0.1:{port}{path}"


def token(cluster) -> dict:
    return {"Authorization": f"Token {cluster.data['token']}"}


def get(port: int, path: str, **kwargs) -> requests.Response:
    return requests.get(url(port, path), timeout=10, allow_redirects=False, **kwargs)


def warm(cluster, showing_the_story: list[str], unrelated: list[str], story_path: str) -> None:
    """Every page kept by Varnish (a hit on the third request) and by the site's page cache."""
    for path in showing_the_story + unrelated:
        for _ in range(2):
            assert get(cluster.varnish, path).status_code == 200, path
        assert get(cluster.varnish, path).headers["X-Cache"] == "hit", f"{path} is not kept by Varnish"
    for path in (story_path, *unrelated):  # and B's own page cache, which is shared with A
        for _ in range(2):
            assert get(cluster.app_b, path).status_code == 200, path


def edit_title_on_a(cluster, api_path: str, title: str) -> float:
    """The story retitled through server A's API; the moment its answer came."""
    etag = get(cluster.app_a, api_path, headers=token(cluster)).headers["ETag"]
    changed = requests.patch(
        url(cluster.app_a, api_path), json={"title": title}, headers={**token(cluster), "If-Match": etag}, timeout=10
    )
    edited_at = time.monotonic()
    assert changed.status_code == 200, changed.text
    return edited_at


def seconds_until_shown(cluster, port: int, path: str, text: str, since: float) -> float:
    where = "Varnish" if port == cluster.varnish else "server B"
    wait_for(lambda: text in get(port, path).text, f"{text!r} on {where} at {path}", seconds=5)
    return time.monotonic() - since


def test_an_edit_on_one_server_is_fresh_everywhere_within_a_second_and_unrelated_pages_stay_cached(cluster):
    edited, other = cluster.data["edited"], cluster.data["other"]
    showing_the_story = [edited["url"], edited["section"], "/"]
    unrelated = [other["url"], other["section"]]
    api_path = f"/api/v1/articles/{edited['id']}/"
    warm(cluster, showing_the_story, unrelated, edited["url"])

    edited_at = edit_title_on_a(cluster, api_path, "Bridge reopens to traffic")

    places = [(cluster.varnish, path) for path in showing_the_story]
    places += [(cluster.app_b, edited["url"]), (cluster.app_b, api_path)]
    for port, path in places:
        seconds = seconds_until_shown(cluster, port, path, "Bridge reopens to traffic", since=edited_at)
        assert seconds < FRESH_WITHIN, f"{path} on port {port} showed the edit only after {seconds:.2f} s"
    for path in unrelated:
        answer = get(cluster.varnish, path)
        assert answer.headers["X-Cache"] == "hit", f"{path} does not show the story, yet Varnish dropped it"
        assert "Harvest festival opens" in answer.text
        answer = get(cluster.app_b, path)
        assert answer.headers["X-Page-Cache"] == "hit", f"{path} does not show the story, yet B's cache dropped it"


def test_an_upload_on_one_server_is_served_by_the_other(cluster):
    photo = draw_photo(640, 480, seed=17)
    uploaded = requests.post(
        url(cluster.app_a, "/api/v1/media/"),
        files={"file": ("harbour.jpg", photo, "image/jpeg")},
        data={"title": "Harbour at dawn"},
        headers=token(cluster),
        timeout=30,
    )
    assert uploaded.status_code == 201, uploaded.text
    item = uploaded.json()

    seen = get(cluster.app_b, f"/api/v1/media/{item['id']}/", headers=token(cluster))
    assert seen.status_code == 200 and seen.json()["title"] == "Harbour at dawn"
    path = "/" + item["url"].split("/", 3)[3]  # the site's own gated address of the file
    redirect = get(cluster.app_b, path, headers=token(cluster))
    assert redirect.status_code == 302
    assert redirect.headers["Location"].startswith(f"{cluster.s3_endpoint}/{BUCKET}/")
    stored = Image.open(io.BytesIO(requests.get(redirect.headers["Location"], timeout=10).content))
    assert (stored.format, stored.size) == ("JPEG", (640, 480))
    assert get(cluster.app_b, path).status_code == 404, "an unused upload is not public"


def test_a_login_on_one_server_is_valid_on_the_other(cluster):
    browser = requests.Session()
    form = browser.get(url(cluster.app_a, "/admin/login/"), timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    signed_in = browser.post(
        url(cluster.app_a, "/admin/login/?next=/admin/"),
        data={"username": cluster.data["username"], "password": PASSWORD, "csrfmiddlewaretoken": csrf},
        headers={"Referer": url(cluster.app_a, "/admin/login/")},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/admin/", signed_in.text[:500]
    assert "sessionid" in browser.cookies

    for port in (cluster.app_b, cluster.varnish):
        admin = browser.get(url(port, "/admin/"), allow_redirects=False, timeout=10)
        assert admin.status_code == 200, f"port {port} answered {admin.status_code}"
        assert "Site administration" in admin.text or "Newsdesk" in admin.text
    anonymous = get(cluster.app_b, "/admin/")
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous.headers["Location"]


def test_a_videos_poster_is_made_by_the_worker(cluster):
    uploaded = requests.post(
        url(cluster.app_a, "/api/v1/media/"),
        files={"file": ("launch.mp4", encode_clip(seconds=1.0, width=160, height=120, seed=3), "video/mp4")},
        data={"title": "Launch"},
        headers=token(cluster),
        timeout=30,
    )
    assert uploaded.status_code == 201, uploaded.text
    item_path = f"/api/v1/media/{uploaded.json()['id']}/"
    assert uploaded.json()["poster"] is None
    assert get(cluster.app_b, item_path, headers=token(cluster)).json()["poster"] is None, (
        "no server made the poster in the request"
    )

    worker = cluster.start_worker()
    poster = wait_for(
        lambda: get(cluster.app_b, item_path, headers=token(cluster)).json()["poster"],
        "the poster made by the worker",
        seconds=30,
        process=worker,
    )
    assert f"media.tasks.process_video({uploaded.json()['id']})" in printed(worker), "the worker ran the task"
    poster_item = get(cluster.app_b, f"/api/v1/media/{poster}/", headers=token(cluster)).json()
    assert poster_item["kind"] == "image" and (poster_item["width"], poster_item["height"]) == (160, 120)
    stored = [entry["Key"] for entry in s3_client(cluster.s3_endpoint).list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert any(key.endswith(poster_item["url"].rsplit("/", 1)[1]) for key in stored), "the poster is in the bucket"


@pytest.fixture(autouse=True)
def _show_time(request):
    """How long each part took (printed, shown with -s or on failure)."""
    started = time.monotonic()
    yield
    print(f"{request.node.name}: {time.monotonic() - started:.1f} s")
