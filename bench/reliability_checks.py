"""The reliability run's measurements against a running site: concurrent writes (API and
admin), staleness across workers, and media of hidden stories asked for anonymously.
"""

import io
import json
import random
import time
import urllib.parse
from collections import Counter
from datetime import UTC

from reliability_client import AdminSession, Api, etag_of, in_batches, story, try_request

from tests.servers import manage, run_together


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
                lambda pk=pk, who=who, etags=etags: api.call(
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
