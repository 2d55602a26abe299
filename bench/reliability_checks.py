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


BATCH = 50  # requests released at one moment; more only queue in gunicorn's backlog


def server_errors(answers) -> int:
    return sum(a.status >= 500 for a in answers)


def pair_outcomes(answers, pairs: int, wanted: list[int]) -> tuple[int, int]:
    """Of answers sent two by two: (pairs with a 5xx, pairs whose sorted statuses are `wanted`)."""
    errors = matched = 0
    for index in range(pairs):
        pair = sorted(a.status for a in answers[2 * index : 2 * index + 2])
        errors += any(status >= 500 for status in pair)
        matched += pair == wanted
    return errors, matched


def creates(api: Api, count: int) -> list:
    """`count` stories created through the API, BATCH at a time; the answers."""
    created = []
    for group in in_batches(range(count), BATCH):
        created += run_together([lambda n=n: api.call("POST", "/api/v1/articles/", story(f"Story {n}")) for n in group])
    return created


def disjoint_edits(api: Api, ids: list[int]) -> list:
    """One PATCH of each story in `ids`, BATCH at a time; the answers."""
    etags = {pk: etag_of(api, pk) for pk in ids}
    answers = []
    for group in in_batches(ids, BATCH):
        answers += run_together(
            [
                lambda pk=pk: api.call(
                    "PATCH", f"/api/v1/articles/{pk}/", {"summary": f"Edited {pk}."}, {"If-Match": etags[pk]}
                )
                for pk in group
            ]
        )
    return answers


def conflicting_edits(api: Api, ids: list[int]) -> tuple[int, int]:
    """Two PATCHes of each story with the same If-Match at one moment: (pairs with a 5xx, pairs
    where one was saved and the other refused with 412)."""
    errors = one_412 = 0
    for group in in_batches(ids, BATCH // 2):
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
        found = pair_outcomes(answers, len(group), [200, 412])
        errors, one_412 = errors + found[0], one_412 + found[1]
    return errors, one_412


def admin_saves(api: Api, env: dict, ids: list[int]) -> tuple[int, int]:
    """Two signed-in sessions posting each story's change form at once: (pairs with a 5xx, pairs
    where one was saved (a redirect) and the other shown the conflict screen)."""
    forms = change_forms(env, ids)
    first, second = AdminSession(api.port), AdminSession(api.port)
    for session in (first, second):  # a csrftoken cookie for each, as opening the form gives
        session.get(f"/admin/articles/article/{ids[0]}/change/")
    errors = one_saved = 0
    for group in in_batches(ids, BATCH // 2):
        answers = run_together(
            [
                lambda pk=pk, session=session, who=who: session.post(
                    f"/admin/articles/article/{pk}/change/", {**forms[pk], "title": f"Admin title by {who}"}
                )
                for pk in group
                for session, who in ((first, "A"), (second, "B"))
            ]
        )
        found = pair_outcomes(answers, len(group), [200, 302])
        errors, one_saved = errors + found[0], one_saved + found[1]
    return errors, one_saved


def concurrent_writes(api: Api, env: dict, sizes: dict) -> dict:
    """Each figure as (count, out of)."""
    created = creates(api, sizes["creates"])
    ids = [a.json()["id"] for a in created if a.status == 201]
    disjoint = disjoint_edits(api, ids[: sizes["disjoint"]])
    pair_ids, admin_ids = ids[: sizes["pairs"]], ids[-sizes["admin"] :]
    pair_errors, one_412 = conflicting_edits(api, pair_ids)
    admin_errors, one_saved = admin_saves(api, env, admin_ids)
    return {
        "creates": (server_errors(created), sizes["creates"]),
        "disjoint": (server_errors(disjoint), len(disjoint)),
        "pairs": (pair_errors, len(pair_ids)),
        "pairs_one_412": (one_412, len(pair_ids)),
        "admin": (admin_errors, len(admin_ids)),
        "admin_one_saved": (one_saved, len(admin_ids)),
    }


def published_and_warm(api: Api) -> tuple[int, str]:
    """A published story whose page both workers have served (and cached); (its id, its path)."""
    made = api.call("POST", "/api/v1/articles/", story("Harbour ferry keeps its winter timetable", status="published"))
    if made.status != 201:
        raise RuntimeError(f"publishing answered {made.status}: {made.body[:300]!r}")
    path = urllib.parse.urlsplit(made.json()["url"]).path
    for _ in range(60):  # 60 fresh connections: both workers serve (and cache) the page
        warm = try_request(api.port, "GET", path)
        if warm.status != 200:
            raise RuntimeError(f"the live story's page answered {warm.status}")
    return made.json()["id"], path


def staleness(api: Api, limit: float) -> float | None:
    """Seconds from the unpublish's answer until the last 200 for the story's page (0 when none);
    None when it was still served when `limit` seconds had passed."""
    pk, path = published_and_warm(api)
    done = api.call("PATCH", f"/api/v1/articles/{pk}/", {"status": "draft"}, {"If-Match": etag_of(api, pk)})
    if done.status != 200:
        raise RuntimeError(f"unpublishing answered {done.status}: {done.body[:300]!r}")
    unpublished = time.monotonic()
    last_200 = None
    while (elapsed := time.monotonic() - unpublished) < limit:
        answers = run_together([lambda: try_request(api.port, "GET", path) for _ in range(4)])
        if any(a.status == 200 for a in answers):
            last_200 = time.monotonic() - unpublished
        elif elapsed - (last_200 or 0.0) > 3:
            return last_200 or 0.0  # 3 s of nothing but 404 from both workers
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


def hidden_states() -> dict[str, dict]:
    """API fields that keep a story from readers: a draft, an embargo, a date in the future."""
    from datetime import datetime, timedelta

    now = datetime.now(UTC).replace(microsecond=0)
    return {
        "draft": {"status": "draft"},
        "embargoed": {
            "status": "published",
            "published_at": (now - timedelta(hours=1)).isoformat(),
            "embargo_until": (now + timedelta(days=1)).isoformat(),
        },
        "scheduled": {"status": "published", "published_at": (now + timedelta(days=1)).isoformat()},
    }


def hidden_story(api: Api, state: str, fields: dict, **content) -> None:
    """A story made through the API, then put in `state` with `fields` (drafts stay as made)."""
    made = api.call("POST", "/api/v1/articles/", story(**content))
    if made.status != 201:
        raise RuntimeError(f"creating a {state} story answered {made.status}: {made.body[:300]!r}")
    pk = made.json()["id"]
    if state != "draft":
        moved = api.call("PATCH", f"/api/v1/articles/{pk}/", fields, {"If-Match": etag_of(api, pk)})
        if moved.status != 200:
            raise RuntimeError(f"making a story {state} answered {moved.status}: {moved.body[:300]!r}")


def hidden_items(api: Api, per_state: int) -> list[int]:
    """Photos each used only by hidden stories (as lead media and inline); their ids."""
    items = []
    for state, fields in hidden_states().items():
        for n in range(per_state):
            item = upload(api, photo(hash((state, n, time.time_ns())) & 0xFFFFFFF), f"{state}-{n}.jpg")
            inline = f'<p>Before.</p><img data-media-id="{item["id"]}" alt="x" src="/x.jpg"><p>After.</p>'
            hidden_story(api, state, fields, title=f"Hidden {state} story {n}", lead_media=item["id"])
            hidden_story(api, state, fields, title=f"Hidden {state} inline {n}", body_html=inline)
            items.append(item["id"])
    return items


def editors_urls(api: Api, pk: int) -> set[str]:
    """Every URL the editor's API answer names for item `pk`, after asking for four renditions
    (so that their files exist on disk)."""
    urls = set()
    named_urls(api.call("GET", f"/api/v1/media/{pk}/").json(), urls)
    for url in sorted(u for u in urls if u.startswith("/media-renditions/"))[:4]:
        made = api.call("GET", url)
        if made.status in (301, 302) and made.header("Location"):
            named_urls({"x": urllib.parse.urljoin(f"http://127.0.0.1:{api.port}/", made.header("Location"))}, urls)
    named_urls(api.call("GET", f"/api/v1/media/{pk}/").json(), urls)
    if not any(url.startswith("/media/") for url in urls):
        raise RuntimeError(f"the editor's answer for media {pk} names no stored file: {sorted(urls)}")
    return urls


def anonymous_200(api: Api, urls, asked: Counter) -> bool:
    """Ask each URL without credentials, counting statuses in `asked`; whether any answered 200."""
    statuses = [try_request(api.port, "GET", url).status for url in sorted(urls)]
    asked.update(statuses)
    return 200 in statuses


def leaked_media(api: Api, per_state: int) -> tuple[int, int, Counter]:
    """(items with any URL answering 200 to an anonymous reader, items, the anonymous answers' statuses)."""
    items = hidden_items(api, per_state)
    asked = Counter()
    leaked = {pk for pk in items if anonymous_200(api, editors_urls(api, pk), asked)}
    for pk in range(1, max(items) + 3):  # guessed sequential ids
        guesses = (f"/api/v1/media/{pk}/", f"/media-renditions/{pk}/w320.jpeg", f"/media-renditions/{pk}/w640.webp")
        if anonymous_200(api, guesses, asked) and pk in items:
            leaked.add(pk)
    listing = try_request(api.port, "GET", "/api/v1/media/")
    asked[listing.status] += 1
    if listing.status == 200:
        leaked.update(entry["id"] for entry in listing.json().get("results", []) if entry["id"] in items)
    return len(leaked), len(items), asked
