"""A run imports its pages a hundred to a transaction (articles.legacy.run, `import_batch`):
the archive it writes is the one page-by-page imports write, a failing page loses only itself,
and the number of transactions and record inserts follows the batches, not the pages.

These tests commit for real (transaction=True): inside a test's own transaction a run takes
the page-by-page path, as a dry run does.
"""

from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.legacy import importer, synthetic
from articles.legacy.run import BATCH_PAGES, run_import
from articles.models import Article, AuditEntry, RelatedLink, Revision
from media.models import MediaItem
from tests.importer.pages import item, page, write

pytestmark = pytest.mark.django_db(transaction=True)
ZONE = ZoneInfo(settings.TIME_ZONE)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """250 synthetic pages: two full batches and a part one."""
    out = tmp_path_factory.mktemp("batches") / "pages"
    synthetic.generate(out, 250, seed=21, zone=settings.TIME_ZONE)
    return out


def archive() -> dict:
    """What an import wrote, without ids or time stamps (which differ between two runs)."""
    legacy = dict(Article.objects.values_list("pk", "legacy_id"))
    titles = dict(Article.objects.values_list("pk", "title"))
    return {
        "articles": sorted(
            Article.objects.values_list("title", "kind", "status", "is_stub", "legacy_id", "published_at", "version")
        ),
        "links": sorted(
            (titles[s], legacy[t], p) for s, t, p in RelatedLink.objects.values_list("source", "target", "position")
        ),
        "lead_media": sorted(
            Article.objects.filter(lead_media__isnull=False).values_list("title", "lead_media__legacy_path")
        ),
        "revisions": sorted(Revision.objects.values_list("article__title", "number", "note")),
        "audit": sorted(AuditEntry.objects.values_list("action", "object_repr", "from_status", "to_status")),
        "media": MediaItem.objects.count(),
    }


def wipe() -> None:
    AuditEntry.objects.all().delete()
    Revision.objects.all().delete()
    RelatedLink.objects.all().delete()
    Article.objects.all().delete()
    MediaItem.objects.all().delete()


def test_batches_write_the_archive_page_by_page_imports_write(pages):
    report = run_import([pages], zone=ZONE, batch_pages=1)
    assert report.counts["created"] == 250 and report.failed == 0
    one_by_one = archive()
    wipe()
    report = run_import([pages], zone=ZONE)
    assert report.counts["created"] == 250 and report.failed == 0
    assert archive() == one_by_one
    assert len(one_by_one["revisions"]) == 250 and len(one_by_one["audit"]) >= 250


def test_importing_again_in_batches_changes_nothing(pages):
    run_import([pages], zone=ZONE)
    before = archive()
    report = run_import([pages], zone=ZONE)
    assert report.counts["unchanged"] == 250 and report.total == 250
    assert archive() == before


def test_a_failing_page_loses_only_itself(pages, monkeypatch):
    """The batch holding the failing page is rolled back and imported again page by page: every
    other page of it is imported, the failing one is reported with its reason."""
    real_run = importer._PageWriter.run

    def run(writer):
        if writer.page.name.endswith("page_000130.txt"):
            raise ValueError("the disk is on fire")
        return real_run(writer)

    monkeypatch.setattr(importer._PageWriter, "run", run)
    results = []
    report = run_import([pages], zone=ZONE, on_result=results.append)
    assert report.failed == 1 and report.counts["created"] == 249
    (failed,) = [r for r in results if r.status == "failed"]
    assert failed.name.endswith("page_000130.txt") and "the disk is on fire" in failed.reason
    assert [r.name for r in results] == sorted(r.name for r in results)  # in the pages' order
    assert Article.objects.filter(is_stub=False).count() == 249
    monkeypatch.setattr(importer._PageWriter, "run", real_run)
    report = run_import([pages], zone=ZONE)
    assert report.counts["created"] == 1 and report.counts["unchanged"] == 249


def statements_of(folder, **options) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        report = run_import([folder], zone=ZONE, **options)
    assert report.counts["created"] == 200
    return [q["sql"].lstrip().upper() for q in queries.captured_queries]


def test_transactions_and_record_inserts_follow_batches_not_pages(pages):
    """200 pages: two transactions, two revision inserts and two audit inserts, where a
    transaction a page made 200 of each; the look-ups a page needs stay as they were."""
    folder = pages.parent / "two-hundred"
    folder.mkdir(exist_ok=True)
    for path in sorted(pages.glob("page_*.txt"))[:200]:
        (folder / path.name).write_bytes(path.read_bytes())
    one_by_one = statements_of(folder, batch_pages=1)
    wipe()
    batched = statements_of(folder)
    batches = 200 // BATCH_PAGES

    def count(statements, *starts):
        return len([s for s in statements if s.startswith(starts)])

    assert count(one_by_one, "COMMIT") == 200
    assert count(batched, "COMMIT") == batches
    assert count(batched, 'INSERT INTO "ARTICLES_REVISION"', 'INSERT INTO "ARTICLES_AUDITENTRY"') == 2 * batches
    # Besides those, new pages skip their identity look-up and their links wait for the batch's end.
    assert len(batched) <= len(one_by_one) - 5 * 200 + 12 * batches


def test_pages_of_one_batch_see_what_the_earlier_ones_wrote(tmp_path):
    """In one batch: a stub made for a related item is filled when its page comes later, and the
    same page met twice is unchanged the second time, as page-by-page imports have it."""
    folder = tmp_path / "pages"
    folder.mkdir()
    write(folder, "1.txt", page("Harbour reopens", related=[item(7001, "Dockers vote to return")]))
    stub_page = page("Dockers vote to return", dateline="Sun Feb 05, 2017 09:00:00")
    write(folder, "2.txt", stub_page)
    write(folder, "3.txt", stub_page)
    results = []
    report = run_import([folder], zone=ZONE, on_result=results.append)
    assert [r.status for r in results] == ["created", "created", "unchanged"]
    assert report.failed == 0
    dockers = Article.objects.get(title="Dockers vote to return")
    assert not dockers.is_stub and dockers.status == Article.Status.PUBLISHED and dockers.legacy_id == 7001
    harbour = Article.objects.get(title="Harbour reopens")
    assert list(harbour.related_links.values_list("target_id", flat=True)) == [dockers.pk]
    assert Article.objects.count() == 2
    assert sorted(Revision.objects.filter(article=dockers).values_list("number", flat=True)) == [1, 2]
