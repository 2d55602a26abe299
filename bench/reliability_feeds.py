"""The reliability run's last two figures: executable feed pairs read from the running server,
and how a server answers when its database accepts connections and never says a word.

`python bench/reliability_feeds.py PORT` is the feed check's child process: it runs with the
server's settings (so it writes to the server's database) and prints one FEEDS{...} line.
"""

import json
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from reliability_client import BASE_DIR, PASSWORD, Server, site_env, try_request

from tests.servers import SilentServer


def read_feed(port: int, url: str, field: str, found: dict) -> None:
    """Read one feed as a feed reader does; record in `found` each element checked, each one
    whose text would run as script, and whether the main feed lacked the new stories."""
    from tests.syndication import test_hostile_feeds as hostile

    answer = try_request(port, "GET", url)
    if answer.status != 200:
        found["executable"].add((field, f"{url} answered {answer.status}"))
        return
    if url == "/feeds/rss/" and b"Harbour notice" not in answer.body and b"Cranes are back" not in answer.body:
        found["stale"] += 1
    surface = "section feed" if "/section/" in url else url.strip("/").split("/")[-1]
    for element, source in hostile.html_fields(answer.body, surface):
        found["checked"].add((field, element))
        if hostile.executable_parts(source):
            found["executable"].add((field, element))


def feed_child(port: int):
    """Runs in a child process set up for the server's database: hostile text in one field at a
    time, the server's feeds read as a reader reads them; prints the executable pair count."""
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from articles.models import Article, Section, Tag
    from tests.factories import SectionFactory
    from tests.syndication import test_hostile_feeds as hostile

    found = {"executable": set(), "checked": set(), "stale": 0}
    for field in hostile.FIELDS:
        top = SectionFactory(name="Hostile waters", slug="hostile-waters")
        sections = [hostile.hostile_article(field, payload, n, top) for n, payload in enumerate(hostile.PAYLOADS)]
        time.sleep(1.2)  # the staleness bound; the run measures that separately
        urls = ["/feeds/rss/", "/feeds/atom/", "/feeds/section/hostile-waters/rss/"]
        for url in urls + [f"/feeds/section/{section.path}/rss/" for section in sections]:
            read_feed(port, url, field, found)
        Article.objects.all().delete()
        Section.objects.filter(parent=top).delete()
        top.delete()
        Tag.objects.all().delete()
    summary = {
        "executable": len(found["executable"]),
        "checked": len(found["checked"]),
        "stale": found["stale"],
        "pairs": sorted(" → ".join(pair) for pair in found["executable"]),
    }
    print("FEEDS" + json.dumps(summary))


def feed_pairs(env: dict, port: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, str(port)],
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


def outage(media_root: Path) -> dict:
    """Each of a page, the API and the admin login: (status, seconds, Retry-After)."""
    silent = SilentServer()
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


if __name__ == "__main__":
    feed_child(int(sys.argv[1]))
