"""Reliability run for issue #13: the figures measured from outside, measured again.

Usage: .venv/bin/python bench/reliability_run.py [--quick]

Every figure comes from real gunicorn servers (2 workers, DEBUG=1, as `make serve` starts them)
on 127.0.0.1, each on a throwaway database: a temporary SQLite file, and a temporary PostgreSQL
database created on postgres://postgres@127.0.0.1:5432 and dropped afterwards. It measures

1. concurrent writes, on SQLite and PostgreSQL: pairs of API edits of one story sent at the same
   moment with the same If-Match (5xx answers; pairs where exactly one got 412), edits of
   different stories, creates, and two signed-in admin sessions posting one change form at once;
2. staleness across workers: a live story's page is warmed in both workers, the story is
   unpublished through the API, and the page is polled until no request answers 200;
3. leaked media: photos used only by a draft, an embargoed and a scheduled story, then every URL
   an editor's API answer names plus sequential ids, asked anonymously (200s counted);
4. executable feed pairs: hostile text in each article field, the running server's RSS and Atom
   feeds read as a feed reader does (the check of tests/syndication/test_hostile_feeds.py);
5. outage: a server whose database accepts connections and never answers; seconds until a page,
   the API and the admin login answer 503 (with Retry-After).

It prints one table, "before (issue #13) | now | target". Every loop is bounded and every
request has a timeout, so a regression shows as a figure, never as a hang.
"""

import argparse
import http.client
import io
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from datetime import UTC
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "Reliability-run-2026!"


# --- servers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(database_url: str, media_root: Path, **extra) -> dict:
    """The environment of a server (and of its manage.py commands), with no .env values leaking in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        DEBUG="1",
        SECRET_KEY="reliability-run",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        LOG_LEVEL="ERROR",
        # The API throttle would answer 429 long before these samples end, hiding what is measured.
        API_ANON_RATE="1000000/minute",
        API_USER_RATE="1000000/minute",
        **extra,
    )
    return env


def manage(env: dict, *args) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


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
    """gunicorn serving the site on a free loopback port until stop()."""

    def __init__(self, env: dict, workers: int = 2, ready_path: str = "/api/v1/sections/"):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "newsroom.wsgi:application",
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "90",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                request(self.port, "GET", ready_path, timeout=5)
                break
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.process.stdout.read()[-3000:]}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("gunicorn did not answer within 60 s")
            time.sleep(0.2)

    def stop(self) -> str:
        self.process.terminate()
        try:
            output, _ = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        return output or ""


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


def run_together(jobs):
    """Start every job at the same moment (a barrier), each on its own thread; their results."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        barrier.wait()
        results[index] = job()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


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


# --- 1. concurrent writes -----------------------------------------------------------------------


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


def change_forms(env, ids) -> dict:
    """The admin change form of each story as a browser would post it (tests/workflow/helpers.py)."""
    out = manage(
        env,
        "shell",
        "-c",
        (
            "import json\n"
            "from articles.models import Article\n"
            "from tests.workflow.helpers import change_data\n"
            f"forms = {{a.pk: change_data(a) for a in Article.objects.filter(pk__in={list(ids)!r})}}\n"
            "print('FORMS' + json.dumps(forms, default=str))\n"
        ),
    )
    line = next(line for line in out.splitlines() if line.startswith("FORMS"))
    return {
        int(pk): {k: ("" if v is None else v) for k, v in form.items()} for pk, form in json.loads(line[5:]).items()
    }


def etag_of(api: Api, pk: int) -> str:
    answer = api.call("GET", f"/api/v1/articles/{pk}/")
    if answer.status != 200 or not answer.header("ETag"):
        raise RuntimeError(f"reading story {pk} answered {answer.status} without an ETag: {answer.body[:300]!r}")
    return answer.header("ETag")


def concurrent_writes(api: Api, env: dict, sizes: dict) -> dict:
    batch = 50  # requests released at one moment; more only queue in gunicorn's backlog
    result = {}

    created = []
    for group in in_batches(range(sizes["creates"]), batch):
        created += run_together([lambda n=n: api.call("POST", "/api/v1/articles/", story(f"Story {n}")) for n in group])
    result["creates"] = (sum(a.status >= 500 for a in created), sizes["creates"])
    ids = [a.json()["id"] for a in created if a.status == 201]

    disjoint_ids = ids[: sizes["disjoint"]]
    etags = {pk: etag_of(api, pk) for pk in disjoint_ids}
    disjoint = []
    for group in in_batches(disjoint_ids, batch):
        disjoint += run_together(
            [
                lambda pk=pk: api.call(
                    "PATCH", f"/api/v1/articles/{pk}/", {"summary": f"Edited {pk}."}, {"If-Match": etags[pk]}
                )
                for pk in group
            ]
        )
    result["disjoint"] = (sum(a.status >= 500 for a in disjoint), len(disjoint_ids))

    pair_ids = ids[: sizes["pairs"]]
    server_errors = one_412 = 0
    for group in in_batches(pair_ids, batch // 2):
        etags = {pk: etag_of(api, pk) for pk in group}
        answers = run_together(
            [
                lambda pk=pk, who=who: api.call(
                    "PATCH", f"/api/v1/articles/{pk}/", {"title": f"Title by {who}"}, {"If-Match": etags[pk]}
                )
                for pk in group
                for who in ("A", "B")
            ]
        )
        for index in range(len(group)):
            pair = sorted(a.status for a in answers[2 * index : 2 * index + 2])
            server_errors += any(status >= 500 for status in pair)
            one_412 += pair == [200, 412]
    result["pairs"] = (server_errors, len(pair_ids))
    result["pairs_one_412"] = (one_412, len(pair_ids))

    admin_ids = ids[-sizes["admin"] :]
    forms = change_forms(env, admin_ids)
    first, second = AdminSession(api.port), AdminSession(api.port)
    for session in (first, second):  # a csrftoken cookie for each, as opening the form gives
        session.get(f"/admin/articles/article/{admin_ids[0]}/change/")
    admin_errors = one_saved = 0
    for group in in_batches(admin_ids, batch // 2):
        answers = run_together(
            [
                lambda pk=pk, session=session, who=who: session.post(
                    f"/admin/articles/article/{pk}/change/", {**forms[pk], "title": f"Admin title by {who}"}
                )
                for pk in group
                for session, who in ((first, "A"), (second, "B"))
            ]
        )
        for index in range(len(group)):
            pair = sorted(a.status for a in answers[2 * index : 2 * index + 2])
            admin_errors += any(status >= 500 for status in pair)
            one_saved += pair == [200, 302]  # one saved (redirect), the other shown the conflict screen
    result["admin"] = (admin_errors, len(admin_ids))
    result["admin_one_saved"] = (one_saved, len(admin_ids))
    return result


# --- 2. staleness across workers ----------------------------------------------------------------


def staleness(api: Api, limit: float) -> float | None:
    """Seconds from the unpublish's answer until the last 200 for the story's page (0 when none);
    None when it was still served when `limit` seconds had passed."""
    made = api.call("POST", "/api/v1/articles/", story("Harbour ferry keeps its winter timetable", status="published"))
    if made.status != 201:
        raise RuntimeError(f"publishing answered {made.status}: {made.body[:300]!r}")
    path = urllib.parse.urlsplit(made.json()["url"]).path
    for _ in range(60):  # 60 fresh connections: both workers serve (and cache) the page
        warm = try_request(api.port, "GET", path)
        if warm.status != 200:
            raise RuntimeError(f"the live story's page answered {warm.status}")
    etag = etag_of(api, made.json()["id"])
    done = api.call("PATCH", f"/api/v1/articles/{made.json()['id']}/", {"status": "draft"}, {"If-Match": etag})
    if done.status != 200:
        raise RuntimeError(f"unpublishing answered {done.status}: {done.body[:300]!r}")
    unpublished = time.monotonic()
    last_200 = None
    while time.monotonic() - unpublished < limit:
        answers = run_together([lambda: try_request(api.port, "GET", path) for _ in range(4)])
        if any(a.status == 200 for a in answers):
            last_200 = time.monotonic() - unpublished
        elif last_200 is None and time.monotonic() - unpublished > 3:
            return 0.0  # 3 s of nothing but 404 from both workers
        elif last_200 is not None and time.monotonic() - unpublished - last_200 > 3:
            return last_200
        time.sleep(0.05)
    return None if last_200 is not None else 0.0


# --- 3. leaked media ----------------------------------------------------------------------------


def photo(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (480, 320), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(480), rng.randrange(320)
        draw.rectangle(
            (x, y, x + rng.randrange(20, 160), y + rng.randrange(20, 120)),
            fill=tuple(rng.randrange(256) for _ in range(3)),
        )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def upload(api: Api, data: bytes, name: str) -> dict:
    boundary = f"----reliability{random.randrange(10**12)}"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    answer = try_request(
        api.port,
        "POST",
        "/api/v1/media/",
        body,
        {"Authorization": f"Token {api.token}", "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    if answer.status not in (200, 201):
        raise RuntimeError(f"upload answered {answer.status}: {answer.body[:300]!r}")
    return answer.json()


def named_urls(value, found):
    if isinstance(value, dict):
        for inner in value.values():
            named_urls(inner, found)
    elif isinstance(value, list):
        for inner in value:
            named_urls(inner, found)
    elif isinstance(value, str) and value.startswith("http://127.0.0.1"):
        parts = urllib.parse.urlsplit(value)
        found.add(parts.path + (f"?{parts.query}" if parts.query else ""))


def leaked_media(api: Api, per_state: int) -> tuple[int, int, int]:
    """(items with any URL answering 200 to an anonymous reader, items, the anonymous answers' statuses)."""
    from datetime import datetime, timedelta

    now = datetime.now(UTC).replace(microsecond=0)
    hidden = {
        "draft": {"status": "draft"},
        "embargoed": {
            "status": "published",
            "published_at": (now - timedelta(hours=1)).isoformat(),
            "embargo_until": (now + timedelta(days=1)).isoformat(),
        },
        "scheduled": {"status": "published", "published_at": (now + timedelta(days=1)).isoformat()},
    }
    items = []
    for state, fields in hidden.items():
        for n in range(per_state):
            item = upload(api, photo(hash((state, n, time.time_ns())) & 0xFFFFFFF), f"{state}-{n}.jpg")
            lead = api.call("POST", "/api/v1/articles/", story(f"Hidden {state} story {n}", lead_media=item["id"]))
            inline = api.call(
                "POST",
                "/api/v1/articles/",
                story(
                    f"Hidden {state} inline {n}",
                    body_html=f'<p>Before.</p><img data-media-id="{item["id"]}" alt="x" src="/x.jpg"><p>After.</p>',
                ),
            )
            for made in (lead, inline):
                if made.status != 201:
                    raise RuntimeError(f"creating a {state} story answered {made.status}: {made.body[:300]!r}")
                pk = made.json()["id"]
                if state != "draft":
                    moved = api.call("PATCH", f"/api/v1/articles/{pk}/", fields, {"If-Match": etag_of(api, pk)})
                    if moved.status != 200:
                        raise RuntimeError(f"making a story {state} answered {moved.status}: {moved.body[:300]!r}")
            items.append(item["id"])
    asked = Counter()
    leaked = set()
    highest = max(items)
    for pk in items:
        urls = set()
        named_urls(api.call("GET", f"/api/v1/media/{pk}/").json(), urls)
        for url in sorted(u for u in urls if u.startswith("/media-renditions/"))[:4]:
            made = api.call("GET", url)  # as the editor: the rendition's file now exists on disk
            if made.status in (301, 302) and made.header("Location"):
                named_urls({"x": urllib.parse.urljoin(f"http://127.0.0.1:{api.port}/", made.header("Location"))}, urls)
        named_urls(api.call("GET", f"/api/v1/media/{pk}/").json(), urls)
        if not any(url.startswith("/media/") for url in urls):
            raise RuntimeError(f"the editor's answer for media {pk} names no stored file: {sorted(urls)}")
        for url in sorted(urls):
            status = try_request(api.port, "GET", url).status
            asked[status] += 1
            if status == 200:
                leaked.add(pk)
    for pk in range(1, highest + 3):  # guessed sequential ids
        for url in (f"/api/v1/media/{pk}/", f"/media-renditions/{pk}/w320.jpeg", f"/media-renditions/{pk}/w640.webp"):
            status = try_request(api.port, "GET", url).status
            asked[status] += 1
            if status == 200 and pk in items:
                leaked.add(pk)
    listing = try_request(api.port, "GET", "/api/v1/media/")
    asked[listing.status] += 1
    if listing.status == 200:
        leaked.update(entry["id"] for entry in listing.json().get("results", []) if entry["id"] in items)
    return len(leaked), len(items), asked


# --- 4. executable feed pairs -------------------------------------------------------------------


def feed_child(port: int):
    """Runs in a child process set up for the server's database: hostile text in one field at a
    time, the server's feeds read as a reader reads them; prints the executable pair count."""
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from articles.models import Article, Section, Tag
    from tests.factories import SectionFactory
    from tests.syndication import test_hostile_feeds as hostile

    executable, checked, stale = set(), set(), 0
    for field in hostile.FIELDS:
        top = SectionFactory(name="Hostile waters", slug="hostile-waters")
        sections = [hostile.hostile_article(field, payload, n, top) for n, payload in enumerate(hostile.PAYLOADS)]
        time.sleep(1.2)  # the staleness bound; the run measures that separately
        urls = ["/feeds/rss/", "/feeds/atom/", "/feeds/section/hostile-waters/rss/"]
        urls += [f"/feeds/section/{section.path}/rss/" for section in sections]
        for url in urls:
            answer = try_request(port, "GET", url)
            if answer.status != 200:
                executable.add((field, f"{url} answered {answer.status}"))
                continue
            if url == "/feeds/rss/" and b"Harbour notice" not in answer.body and b"Cranes are back" not in answer.body:
                stale += 1
            surface = "section feed" if "/section/" in url else url.strip("/").split("/")[-1]
            for element, source in hostile.html_fields(answer.body, surface):
                checked.add((field, element))
                if hostile.executable_parts(source):
                    executable.add((field, element))
        Article.objects.all().delete()
        Section.objects.filter(parent=top).delete()
        top.delete()
        Tag.objects.all().delete()
    print(
        "FEEDS"
        + json.dumps(
            {
                "executable": len(executable),
                "checked": len(checked),
                "stale": stale,
                "pairs": sorted(" → ".join(pair) for pair in executable),
            }
        )
    )


def feed_pairs(env: dict, port: int) -> dict:
    done = subprocess.run(
        [PYTHON, __file__, "--feed-child", str(port)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    line = next((line for line in done.stdout.splitlines() if line.startswith("FEEDS")), None)
    if line is None:
        raise RuntimeError(f"feed check failed:\n{done.stderr[-3000:]}")
    return json.loads(line[5:])


# --- 5. outage ----------------------------------------------------------------------------------


class SilentDatabase:
    """A loopback socket that accepts connections and never sends a byte."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.held, self.stopping = [], threading.Event()
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self):
        while not self.stopping.is_set():
            try:
                self.held.append(self.listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    def close(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        for connection in self.held:
            connection.close()
        self.listener.close()


def outage(media_root: Path) -> dict:
    """Each of a page, the API and the admin login: (status, seconds, Retry-After)."""
    silent = SilentDatabase()
    env = site_env(f"postgres://newsroom@127.0.0.1:{silent.port}/newsroom", media_root)
    server = Server(env, ready_path="/static/none.txt")
    found = {}
    try:
        for name, path in (("page", "/"), ("API", "/api/v1/articles/")):
            answer = try_request(server.port, "GET", path, timeout=70)
            found[name] = (answer.status, answer.seconds, answer.header("Retry-After"))
        login = try_request(server.port, "GET", "/admin/login/", timeout=70)
        if login.status == 200:  # the form needs no database; signing in does
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', login.body)[1].decode()
            login = try_request(
                server.port,
                "POST",
                "/admin/login/",
                urllib.parse.urlencode(
                    {"csrfmiddlewaretoken": token, "username": "desk", "password": PASSWORD, "next": "/admin/"}
                ),
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={login.cookies().get('csrftoken', '')}",
                    "Referer": f"http://127.0.0.1:{server.port}/admin/login/",
                },
                timeout=70,
            )
        found["admin login"] = (login.status, login.seconds, login.header("Retry-After"))
    finally:
        server.stop()
        silent.close()
    return found


# --- the run ------------------------------------------------------------------------------------


def postgres_database():
    """A fresh PostgreSQL database; (its URL, a function dropping it)."""
    import psycopg

    name = f"newsroom_reliability_{os.getpid()}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{POSTGRES}/{name}", drop


def ratio(pair) -> str:
    return f"{pair[0]}/{pair[1]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller samples (about 5 minutes)")
    parser.add_argument("--feed-child", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.feed_child:
        return feed_child(options.feed_child)

    sizes = (
        {"pairs": 100, "disjoint": 50, "creates": 100, "admin": 50, "media": 3, "stale": 20}
        if options.quick
        else {"pairs": 300, "disjoint": 200, "creates": 400, "admin": 150, "media": 11, "stale": 30}
    )
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="reliability-"))
    rows = []
    try:
        writes = {}
        for engine in ("SQLite", "PostgreSQL"):
            drop = None
            if engine == "SQLite":
                url = f"sqlite:///{scratch / 'site.sqlite3'}"
            else:
                url, drop = postgres_database()
            env = site_env(url, scratch / f"media-{engine}")
            try:
                token = prepare_site(env)
                server = Server(env)
                try:
                    api = Api(server.port, token)
                    print(f"[{time.monotonic() - started:5.0f} s] {engine}: concurrent writes", flush=True)
                    writes[engine] = concurrent_writes(api, env, sizes)
                    if engine == "SQLite":
                        print(f"[{time.monotonic() - started:5.0f} s] staleness across workers", flush=True)
                        stale = staleness(api, sizes["stale"])
                        print(f"[{time.monotonic() - started:5.0f} s] leaked media", flush=True)
                        media = leaked_media(api, sizes["media"])
                        print(f"[{time.monotonic() - started:5.0f} s] feeds", flush=True)
                        feeds = feed_pairs(env, server.port)
                finally:
                    log = server.stop()
                    if "Traceback" in log:
                        print(f"--- {engine} server log (last lines) ---\n{log[-2000:]}")
            finally:
                if drop:
                    drop()
        print(f"[{time.monotonic() - started:5.0f} s] outage", flush=True)
        down = outage(scratch / "media-outage")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    sq, pg = writes["SQLite"], writes["PostgreSQL"]
    rows += [
        ("5xx, conflicting API edit pairs (SQLite)", "624/1000", ratio(sq["pairs"]), "0"),
        ("  pairs with exactly one 412 (SQLite)", "-", ratio(sq["pairs_one_412"]), "all"),
        ("5xx, disjoint API edits (SQLite)", "156/200", ratio(sq["disjoint"]), "0"),
        ("5xx, concurrent creates (SQLite)", "165/400", ratio(sq["creates"]), "0"),
        ("5xx, admin save pairs (SQLite)", "286/300", ratio(sq["admin"]), "0"),
        ("  admin pairs: one saved, one conflict (SQLite)", "-", ratio(sq["admin_one_saved"]), "all"),
        ("5xx, conflicting API edit pairs (PostgreSQL)", "0", ratio(pg["pairs"]), "0"),
        ("  pairs with exactly one 412 (PostgreSQL)", "1000/1000", ratio(pg["pairs_one_412"]), "all"),
        ("5xx, disjoint API edits (PostgreSQL)", "0", ratio(pg["disjoint"]), "0"),
        ("5xx, concurrent creates (PostgreSQL)", "0", ratio(pg["creates"]), "0"),
        ("5xx, admin save pairs (PostgreSQL)", "0", ratio(pg["admin"]), "0"),
        ("  admin pairs: one saved, one conflict (PostgreSQL)", "-", ratio(pg["admin_one_saved"]), "all"),
        (
            "unpublished story served by a worker for",
            "299.7 s",
            f"> {sizes['stale']} s" if stale is None else f"{stale:.2f} s",
            "<= 1 s",
        ),
        (
            "hidden stories' media served publicly",
            "32/32",
            f"{media[0]}/{media[1]} ({sum(media[2].values())} requests: "
            + ", ".join(f"{n} x {status}" for status, n in sorted(media[2].items()))
            + ")",
            "0",
        ),
        ("executable feed field x element pairs", "113", f"{feeds['executable']} (of {feeds['checked']})", "0"),
    ]
    for name, (status, seconds, retry) in down.items():
        rows.append(
            (
                f"DB not answering: {name}",
                "60 s, bare error",
                f"{status} in {seconds:.1f} s, Retry-After {retry or 'none'}",
                "503 <= 10 s",
            )
        )
    widths = [max(len(row[i]) for row in rows + [("figure", "before (issue #13)", "now", "target")]) for i in range(4)]
    print()
    for row in [("figure", "before (issue #13)", "now", "target"), tuple("-" * w for w in widths)] + rows:
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    if feeds["pairs"]:
        print("executable feed pairs:", "; ".join(feeds["pairs"][:10]))
    if feeds["stale"]:
        print(f"note: /feeds/rss/ lacked the new items {feeds['stale']} time(s) (a stale cache)")
    print(f"\n{'quick' if options.quick else 'full'} run, {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
