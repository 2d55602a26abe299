"""A batch reads the rows its pages can ask about once and writes its rows set-based
(`articles.legacy.batch_state`): what it writes is what page-by-page imports write, related
lists come out in their order whichever page arrives first, a re-import writes nothing, and a
batch costs the same statements however many related items its pages list.
"""

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.legacy import context as import_context
from articles.legacy import run as run_module
from articles.legacy.batch_state import StaleBatch
from articles.legacy.context import ImportContext
from articles.legacy.importer import import_batch
from articles.legacy.parser import parse_page
from articles.legacy.rows import Rows
from articles.legacy.run import run_import
from articles.models import Article, AuditEntry
from tests.importer.pages import item, page, write

ZONE = ZoneInfo(settings.TIME_ZONE)
WRITES = ("INSERT", "UPDATE", "DELETE")


def parsed(name: str, text: str):
    return parse_page(text.encode(), name, ZONE)


def dateline(n: int) -> str:
    return f"Mon Feb 06, 2017 {n // 60 + 8:02d}:{n % 60:02d}:00"


def earlier_pages(count: int) -> list:
    return [parsed(f"e{n:03d}.txt", page(f"Earlier story {n}", dateline=dateline(n))) for n in range(count)]


def naming(name: str, title: str, n: int, targets: list[int], forward: int | None = None):
    """A page whose related list names the earlier stories `targets` (by legacy id 1000 + n and
    title), and a story still to come (`forward`) if given."""
    related = [item(1000 + t, f"Earlier story {t}") for t in targets]
    if forward is not None:
        related.append(item(5000 + forward, f"Story to come {forward}"))
    return parsed(name, page(title, dateline=dateline(100 + n), related=related))


def statements(pages, context) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        results = import_batch(pages, context=context)
    assert results is not None and {r.status for r in results} == {"created"}, results
    return [q["sql"].lstrip().upper() for q in queries.captured_queries]


@pytest.mark.django_db
def test_a_batch_costs_the_same_statements_whatever_its_related_lists_hold(monkeypatch):
    """Twenty pages naming one earlier story each, then twenty naming eight each and a story
    still to come (a stub): the second batch reads, matches by title, makes pictures and stubs
    for eight times the items, in as many statements as the first."""
    monkeypatch.setattr(import_context, "ANNOUNCE_EVERY_SECONDS", 3600.0)  # no announcement mid-test
    context = ImportContext(gather_announcements=True)
    assert import_batch(earlier_pages(40), context=context) is not None
    few = statements([naming(f"a{n:02d}.txt", f"Few links {n}", n, [n]) for n in range(20)], context)
    many_pages = [
        naming(f"b{n:02d}.txt", f"Many links {n}", 20 + n, [(2 * n + k) % 40 for k in range(8)], forward=n)
        for n in range(20)
    ]
    many = statements(many_pages, context)
    assert len(many) == len(few), (few, many)
    assert len(few) <= 16
    for found in (few, many):
        assert len([s for s in found if s.startswith('INSERT INTO "ARTICLES_ARTICLE"')]) == 1
        assert len([s for s in found if s.startswith('UPDATE "ARTICLES_ARTICLE"')]) == 1  # legacy ids, pictures
    # What the statements wrote: every item's target, in order, with its legacy id.
    source = Article.objects.get(title="Many links 3")
    targets = list(source.related_links.order_by("position").values_list("target__legacy_id", flat=True))
    assert targets == [1000 + 6 + k for k in range(8)] + [5003]
    assert Article.objects.filter(is_stub=True).count() == 20
    assert Article.objects.filter(legacy_id__isnull=False, is_stub=False).count() == 40
    assert not Article.objects.filter(title__startswith="Earlier story", lead_media__isnull=True).exists()


@pytest.mark.django_db
def test_importing_a_batch_again_writes_nothing_in_a_few_statements(monkeypatch):
    monkeypatch.setattr(import_context, "ANNOUNCE_EVERY_SECONDS", 3600.0)
    context = ImportContext(gather_announcements=True)
    earlier = earlier_pages(40)
    later = [
        naming(f"b{n:02d}.txt", f"Many links {n}", n, [(2 * n + k) % 40 for k in range(8)], forward=n)
        for n in range(20)
    ]
    import_batch(earlier, context=context)
    import_batch(later, context=context)
    entries = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        first = import_batch(earlier, context=context)
        second = import_batch(later, context=context)
    assert {r.status for r in first + second} == {"unchanged"}
    found = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    assert not [s for s in found if s.startswith(WRITES)], found
    assert len(found) <= 2 * 8
    assert AuditEntry.objects.count() == entries


FORWARD_AND_BACK = {
    # name: (title, related items); the pages arrive in this order. A related list comes out in
    # the order of its targets' legacy sort keys (503, 502, 501 here), whatever order it lists them.
    "1.txt": ("Port strike begins", [item(501, "Ferries cancelled", sort=20)]),  # names a page still to come
    "2.txt": ("Ferries cancelled", []),  # fills the stub made for 501
    "3.txt": (
        "Unions meet ministers",
        [
            item(502, "Port strike begins", sort=10),
            item(501, "Ferries cancelled", sort=20),
            item(503, "Talks collapse", sort=5),
        ],
    ),
    "4.txt": ("Talks collapse", []),
    "5.txt": (
        "Strike ends",
        [
            item(501, "Ferries cancelled", sort=20),
            item(503, "Talks collapse", sort=5),
            item(502, "Port strike begins", sort=10),
        ],
    ),
}


def related_titles() -> dict[str, list[str]]:
    return {
        article.title: [link.target.title for link in article.related_links.order_by("position")]
        for article in Article.objects.prefetch_related("related_links__target")
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("batch_pages", [1, 2, 100])
def test_related_links_forward_and_back_come_out_in_order(tmp_path, batch_pages):
    """Pages naming pages still to come (stubs, filled when they arrive) and pages already
    imported (matched by title, taking their legacy id), within one batch and across batches."""
    for n, (name, (title, related)) in enumerate(FORWARD_AND_BACK.items()):
        write(tmp_path, name, page(title, dateline=dateline(n), related=related))
    report = run_import([tmp_path], zone=ZONE, batch_pages=batch_pages)
    assert report.counts["created"] == 5 and report.failed == 0
    assert related_titles() == {
        "Port strike begins": ["Ferries cancelled"],
        "Ferries cancelled": [],
        "Unions meet ministers": ["Talks collapse", "Port strike begins", "Ferries cancelled"],
        "Talks collapse": [],
        "Strike ends": ["Talks collapse", "Port strike begins", "Ferries cancelled"],
    }
    legacy = dict(Article.objects.values_list("title", "legacy_id"))
    assert legacy == {
        "Port strike begins": 502,
        "Ferries cancelled": 501,
        "Unions meet ministers": None,
        "Talks collapse": 503,
        "Strike ends": None,
    }
    assert not Article.objects.filter(is_stub=True).exists()
    again = run_import([tmp_path], zone=ZONE, batch_pages=batch_pages)
    assert again.counts["unchanged"] == 5


@pytest.mark.django_db(transaction=True)
def test_a_batch_whose_articles_changed_under_it_is_imported_page_by_page(tmp_path, monkeypatch):
    """The batch's one UPDATE of articles imported before it finds one no longer as read
    (another import, an editor): the batch rolls back and its pages are imported one by one,
    none lost."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    for n, (name, (title, related)) in enumerate(FORWARD_AND_BACK.items()):
        write(first if n < 2 else second, name, page(title, dateline=dateline(n), related=related))
    assert run_import([first], zone=ZONE).counts["created"] == 2
    real = Rows._write_changes
    calls = []

    def changed_under_it(self, changes):
        calls.append(sorted(changes))
        if len(calls) == 1:
            raise StaleBatch("changed under the batch")
        return real(self, changes)

    monkeypatch.setattr(Rows, "_write_changes", changed_under_it)
    results = []
    report = run_import([second], zone=ZONE, on_result=results.append)
    strike = Article.objects.get(title="Port strike begins")
    assert calls[0] == [strike.pk]  # it takes legacy id 502 and its picture
    assert report.counts["created"] == 3 and report.failed == 0
    assert [Path(r.name).name for r in results] == ["3.txt", "4.txt", "5.txt"]
    assert related_titles()["Strike ends"] == ["Talks collapse", "Port strike begins", "Ferries cancelled"]
    assert strike.legacy_id == 502 and strike.lead_media_id is not None
    assert Article.objects.count() == 5 and not Article.objects.filter(is_stub=True).exists()


def test_a_long_run_refreshes_planner_statistics_as_the_tables_grow(monkeypatch):
    """At 1,000 pages and at each doubling since: a batch's look-ups by lists of titles keep
    their indexes however large the archive grew since the run began."""
    refreshed = []
    monkeypatch.setattr(run_module, "refresh_planner_statistics", lambda: refreshed.append(statistics.pages))
    statistics = run_module.GrowingStatistics(enabled=True)
    for _ in range(90):
        statistics.imported(100)
    assert refreshed == [1_000, 2_000, 4_000, 8_000]
    quiet = run_module.GrowingStatistics(enabled=False)  # SQLite, a dry run
    quiet.imported(5_000)
    assert refreshed == [1_000, 2_000, 4_000, 8_000]
