"""The embedded default (SQLite) takes concurrent writes from several server processes.

Two gunicorn workers serve the API from one SQLite file while threads send creates, edits of
different stories and conflicting edits of the same story at the same moment. No request may
fail with a server error ("database is locked"); of two edits based on the same version exactly
one wins and the other is refused with 412. This runs on its own SQLite file whatever database
the rest of the suite uses: it is about the default every `make run` gets.
"""

import http.client
import json
from collections import Counter

import pytest

from tests.servers import manage, run_together, shell, site_environment, start_gunicorn, stop

CREATES, PAIRS, DISJOINT = 40, 30, 40


class Api:
    """A tiny keep-alive-free API client (one connection per request, as separate browsers)."""

    def __init__(self, port: int, token: str):
        self.port, self.token = port, token

    def call(self, method: str, path: str, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(
                method,
                path,
                body=json.dumps(body) if body is not None else None,
                headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json", **(headers or {})},
            )
            response = connection.getresponse()
            return response.status, response.getheader("ETag"), response.read()
        finally:
            connection.close()


@pytest.fixture
def two_workers(tmp_path):
    env = site_environment(tmp_path, SECRET_KEY="concurrency-test")
    manage(env, "migrate", "--noinput")
    token = shell(
        env,
        (
            "from django.contrib.auth.models import Permission, User\n"
            "from articles.models import Section\n"
            "from rest_framework.authtoken.models import Token\n"
            "user = User.objects.create_user('desk', is_staff=True)\n"
            "user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=['articles', 'media']))\n"
            "Section.objects.create(name='World', slug='world')\n"
            "print(Token.objects.create(user=user).key)\n"
        ),
    )
    holder = {}

    def ready(port):
        holder["api"] = Api(port, token)
        return holder["api"].call("GET", "/api/v1/sections/")[0] == 200

    server, _ = start_gunicorn(env, "--workers", "2", "--threads", "4", ready=ready)
    yield holder["api"]
    print(stop(server)[-5000:])  # shown by pytest when the test fails


def story(title):
    return {
        "title": title,
        "section": "world",
        "kind": "text",
        "summary": "A summary.",
        "body_html": "<p>First paragraph.</p>",
    }


def test_two_workers_take_concurrent_writes_without_a_server_error(two_workers):
    api = two_workers
    statuses = Counter()

    created = run_together(
        [lambda n=n: api.call("POST", "/api/v1/articles/", story(f"Story number {n}")) for n in range(CREATES)]
    )
    statuses.update(status for status, _, _ in created)
    assert statuses == Counter({201: CREATES}), [body[:300] for status, _, body in created if status != 201]
    ids = [json.loads(body)["id"] for _, _, body in created]

    # Different stories edited at the same moment: every edit lands.
    etags = {pk: api.call("GET", f"/api/v1/articles/{pk}/")[1] for pk in ids}
    disjoint = run_together(
        [
            lambda pk=pk: api.call(
                "PATCH", f"/api/v1/articles/{pk}/", {"summary": f"Edited {pk}."}, {"If-Match": etags[pk]}
            )
            for pk in ids[:DISJOINT]
        ]
    )
    assert Counter(status for status, _, _ in disjoint) == Counter({200: DISJOINT}), [
        body[:300] for status, _, body in disjoint if status != 200
    ]

    # Two editors saving the same version of a story at the same moment: one wins, one gets 412.
    pairs = ids[:PAIRS]
    etags = {pk: api.call("GET", f"/api/v1/articles/{pk}/")[1] for pk in pairs}
    conflicting = run_together(
        [
            lambda pk=pk, who=who: api.call(
                "PATCH",
                f"/api/v1/articles/{pk}/",
                {"title": f"Title by editor {who}"},
                {"If-Match": etags[pk]},
            )
            for pk in pairs
            for who in ("A", "B")
        ]
    )
    outcomes = Counter()
    for index in range(len(pairs)):
        pair = sorted(status for status, _, _ in conflicting[2 * index : 2 * index + 2])
        outcomes[tuple(pair)] += 1
    server_errors = [body[:300] for status, _, body in conflicting if status >= 500]
    assert not server_errors, server_errors
    assert outcomes == Counter({(200, 412): PAIRS})
