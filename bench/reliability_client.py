"""The reliability run's side of the wire: sites to serve, requests, an API client and an admin
session, each request on its own connection (as separate browsers would send them).

Servers, ports and manage.py come from tests/servers.py, which the tests' own server fixtures use.
"""

import http.client
import json
import re
import sys
import time
import urllib.parse
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from tests.servers import manage, site_environment, start_gunicorn, stop  # noqa: E402

PASSWORD = "Reliability-run-2026!"


def site_env(database_url: str, media_root: Path, **extra) -> dict:
    """The environment of a server (and of its manage.py commands), with no .env values leaking in."""
    return site_environment(
        media_root.parent,
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        SECRET_KEY="reliability-run",
        # The API throttle would answer 429 long before these samples end, hiding what is measured.
        API_ANON_RATE="1000000/minute",
        API_USER_RATE="1000000/minute",
        **extra,
    )


def prepare_site(env: dict) -> str:
    """Migrate, create the desk user (staff, every articles/media permission, a password and an
    API token) and a section; the token."""
    manage(env, "migrate", "--noinput")
    out = manage(
        env,
        "shell",
        "-c",
        (
            "from django.contrib.auth.models import Permission, User\n"
            "from articles.models import Section\n"
            "from rest_framework.authtoken.models import Token\n"
            f"user = User.objects.create_user('desk', password={PASSWORD!r}, is_staff=True)\n"
            "user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=['articles', 'media']))\n"
            "Section.objects.create(name='World', slug='world')\n"
            "print(Token.objects.create(user=user).key)\n"
        ),
    )
    return out.strip().splitlines()[-1]


class Server:
    """gunicorn serving the site (2 workers, 4 threads each) on a free loopback port until stop()."""

    def __init__(self, env: dict, workers: int = 2, ready_path: str = "/api/v1/sections/"):
        self.process, self.port = start_gunicorn(
            env,
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--timeout",
            "90",
            ready=lambda port: request(port, "GET", ready_path, timeout=5),
        )

    def stop(self) -> str:
        return stop(self.process)


class Answer:
    def __init__(self, status, headers, body, seconds):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def cookies(self) -> dict:
        found = {}
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                found[name.strip()] = rest.split(";", 1)[0]
        return found

    def json(self):
        return json.loads(self.body)


def request(port, method, path, body=None, headers=None, timeout=60) -> Answer:
    """One request on its own connection (as separate browsers would send them)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return Answer(response.status, response.getheaders(), data, time.monotonic() - started)
    finally:
        connection.close()


def try_request(*args, **kwargs) -> Answer:
    """As request(), but a dropped or timed-out connection counts as a 5xx answer (status 599)."""
    try:
        return request(*args, **kwargs)
    except (OSError, http.client.HTTPException) as exc:
        return Answer(599, [], str(exc).encode(), 0.0)


class Api:
    def __init__(self, port: int, token: str | None):
        self.port, self.token = port, token

    def call(self, method, path, data=None, headers=None) -> Answer:
        sent = {"Content-Type": "application/json", **(headers or {})}
        if self.token:
            sent["Authorization"] = f"Token {self.token}"
        return try_request(self.port, method, path, json.dumps(data) if data is not None else None, sent)


def in_batches(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def story(title, **fields):
    return {
        "title": title,
        "section": "world",
        "kind": "text",
        "summary": "A summary.",
        "body_html": "<p>First paragraph.</p>",
        **fields,
    }


class AdminSession:
    """A browser signed in to the admin: its cookies, and form posts with the CSRF token."""

    def __init__(self, port):
        self.port, self.cookies = port, {}
        page = self.get("/admin/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)[1].decode()
        done = self.post(
            "/admin/login/",
            {"csrfmiddlewaretoken": token, "username": "desk", "password": PASSWORD, "next": "/admin/"},
            csrf=False,
        )
        if done.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"admin login answered {done.status}: {done.body[:500]!r}")

    def _headers(self):
        return {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": f"http://127.0.0.1:{self.port}/admin/",
        }

    def get(self, path) -> Answer:
        answer = request(self.port, "GET", path, headers=self._headers())
        self.cookies.update(answer.cookies())
        return answer

    def post(self, path, data, csrf=True) -> Answer:
        if csrf:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        headers = {**self._headers(), "Content-Type": "application/x-www-form-urlencoded"}
        answer = try_request(self.port, "POST", path, urllib.parse.urlencode(data, doseq=True), headers)
        self.cookies.update(answer.cookies())
        return answer


def etag_of(api: Api, pk: int) -> str:
    answer = api.call("GET", f"/api/v1/articles/{pk}/")
    if answer.status != 200 or not answer.header("ETag"):
        raise RuntimeError(f"reading story {pk} answered {answer.status} without an ETag: {answer.body[:300]!r}")
    return answer.header("ETag")
