"""No lost update through the API, live or draft: 1,000 randomised pairs of writers race.

Each pair is two editors who read the same ETag (of a live story or of its working draft) and
then write at the same moment, each in a thread of its own with its own database connection,
released together by a barrier. Whatever the kinds of the two writes (live PATCH against live
PATCH, draft PATCH against draft PATCH, two first saves starting a draft, a draft PATCH against
publishing or discarding the draft), exactly one succeeds, the other is answered 412, and what
is stored afterwards is the winner's: nothing the loser sent, nothing the winner sent lost.

Runs on PostgreSQL (row locks) and on SQLite (a file with the newsroom's settings: WAL,
BEGIN IMMEDIATE, busy timeout; see conftest.py).
"""

import queue
import random
import threading
from dataclasses import dataclass, field

import pytest
from django.db import connections
from rest_framework.test import APIClient

from articles import actions
from articles.models import Article, WorkingDraft
from tests.factories import ArticleFactory, SectionFactory
from tests.roles import make_member

PAIRS = 1000
ARTICLES = 8
KINDS = ["live/live", "draft/draft", "start/start", "draft/publish", "draft/discard"]


@dataclass
class Write:
    """One side of a pair: a request to send with If-Match, and what it means to store."""

    method: str
    path: str
    body: dict | None = None
    answer: int | None = None
    detail: str = field(default="", repr=False)


class Writer(threading.Thread):
    """An editor's client in a thread of its own (its own database connection), sending one
    write per pair once the barrier lets both writers of the pair go."""

    def __init__(self, user):
        super().__init__(daemon=True)
        self.user = user
        self.jobs: queue.Queue = queue.Queue()
        self.done: queue.Queue = queue.Queue()

    def run(self):
        client = APIClient()
        client.force_authenticate(self.user)
        try:
            while (job := self.jobs.get()) is not None:
                barrier, write, etag = job
                try:
                    barrier.wait(timeout=30)
                    send = getattr(client, write.method)
                    response = send(write.path, write.body, format="json", HTTP_IF_MATCH=etag)
                    write.answer, write.detail = response.status_code, response.content.decode()[:300]
                except Exception as exc:  # noqa: BLE001 — the pair's check reports it
                    write.answer, write.detail = -1, repr(exc)
                self.done.put(write)
        finally:
            connections.close_all()


def url(article_id: int, tail: str = "") -> str:
    return f"/api/v1/articles/{article_id}/{tail}"


def prepare(kind: str, article_id: int, rng: random.Random) -> None:
    """Bring the story into the state the pair needs (a draft or none), outside the race."""
    article = Article.objects.get(pk=article_id)
    has_draft = WorkingDraft.objects.filter(article_id=article_id).exists()
    if kind in ("start/start", "draft/publish") and has_draft:  # publishing: a fresh draft, so no conflict
        actions.discard_draft(actor=None, article=article, any_version=True)
        has_draft = False
    if kind.startswith("draft/") and not has_draft:
        changes = {"summary": f"prepared summary {rng.random()}"}
        actions.save_draft(actor=None, article=article, changes=changes, base_version=article.version)


def writes(kind: str, article_id: int, pair: int) -> tuple[Write, Write]:
    text = [f"{kind} {pair} by {side}" for side in ("ana", "ben")]
    if kind == "live/live":
        return tuple(Write("patch", url(article_id), {"title": t}) for t in text)
    if kind in ("draft/draft", "start/start"):
        field_name = "summary" if kind == "draft/draft" else "title"
        return tuple(Write("patch", url(article_id, "draft/"), {field_name: t}) for t in text)
    patch = Write("patch", url(article_id, "draft/"), {"summary": text[0]})
    if kind == "draft/publish":
        return patch, Write("post", url(article_id, "draft/publish/"), {})
    return patch, Write("delete", url(article_id, "draft/"))


@dataclass
class Before:
    """What the pair's writers read: the live row and the draft (None if none)."""

    title: str
    summary: str
    version: int
    draft: dict | None
    draft_version: int | None


def before(article_id: int) -> Before:
    article = Article.objects.get(pk=article_id)
    draft = WorkingDraft.objects.filter(article_id=article_id).first()
    return Before(
        article.title,
        article.summary,
        article.version,
        draft.data if draft else None,
        draft.version if draft else None,
    )


def check_pair(kind: str, article_id: int, then: Before, sent: tuple[Write, Write]) -> None:
    answers = sorted(write.answer for write in sent)
    won = [write for write in sent if write.answer in (200, 201, 204)]
    assert len(won) == 1 and answers.count(412) == 1, f"{kind}: {[(w.answer, w.detail) for w in sent]}"
    winner = won[0]
    article = Article.objects.get(pk=article_id)
    draft = WorkingDraft.objects.filter(article_id=article_id).first()
    if kind == "live/live":
        assert (article.title, article.version) == (winner.body["title"], then.version + 1)
    elif kind == "draft/draft":
        assert (draft.data["summary"], draft.version) == (winner.body["summary"], then.draft_version + 1)
        assert (article.title, article.summary, article.version) == (then.title, then.summary, then.version)
    elif kind == "start/start":
        assert (draft.data["title"], draft.version) == (winner.body["title"], 1)
        assert (article.title, article.version) == (then.title, then.version)
    elif winner.method == "patch":  # the draft was changed: neither published nor discarded
        assert (draft.data["summary"], draft.version) == (winner.body["summary"], then.draft_version + 1)
        assert (article.summary, article.version) == (then.summary, then.version)
    elif winner.method == "post":  # published as it was read, and gone
        assert draft is None
        assert (article.summary, article.version) == (then.draft["summary"], then.version + 1)
    else:  # discarded as it was read; the live story untouched
        assert draft is None
        assert (article.summary, article.version) == (then.summary, then.version)


def etag_for(client: APIClient, kind: str, article_id: int) -> str:
    """The ETag both writers of the pair read: the article's, or its draft's."""
    path = url(article_id) if kind in ("live/live", "start/start") else url(article_id, "draft/")
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response["ETag"]


@pytest.mark.django_db(transaction=True)
def test_thousand_concurrent_pairs_lose_no_update(shared_database):
    rng = random.Random(20261201)
    writers = [Writer(make_member("Editor", name, initials)) for name, initials in (("ana", "A/NA"), ("ben", "B/EN"))]
    reader = APIClient()
    reader.force_authenticate(writers[0].user)
    section = SectionFactory(slug="race")
    ids = [ArticleFactory(section=section).pk for _ in range(ARTICLES)]
    for writer in writers:
        writer.start()
    counts = dict.fromkeys(KINDS, 0)
    try:
        for pair in range(PAIRS):
            kind, article_id = rng.choice(KINDS), rng.choice(ids)
            prepare(kind, article_id, rng)
            then = before(article_id)
            etag = etag_for(reader, kind, article_id)
            sent = writes(kind, article_id, pair)
            order = rng.sample(writers, 2)  # who sends which side changes from pair to pair
            barrier = threading.Barrier(2)
            for writer, write in zip(order, sent, strict=True):
                writer.jobs.put((barrier, write, etag))
            for writer in order:
                writer.done.get(timeout=60)
            check_pair(kind, article_id, then, sent)
            counts[kind] += 1
    finally:
        for writer in writers:
            writer.jobs.put(None)
        for writer in writers:
            writer.join(timeout=30)
    assert sum(counts.values()) == PAIRS and all(counts.values()), counts
