"""A page's legacy identity: kept in a unique column, so re-imports after editors' changes and
imports running at the same time never make a second copy; oversized pages are refused."""

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from articles import actions
from articles.legacy.rows import Rows
from articles.models import Article, RelatedLink, Revision
from tests.factories import ArticleFactory
from tests.importer.pages import item, page, write

pytestmark = pytest.mark.django_db

TITLE = "Ferry timetable changes for the winter"


def editor_saves(article: Article, **fields) -> Article:
    """An editor's change through the action layer, as the admin and the API make it."""
    article.refresh_from_db()
    for name, value in fields.items():
        setattr(article, name, value)
    return actions.save_article(actor=None, article=article, base_version=article.version)


def test_reimport_after_an_editor_retitles_the_story_changes_nothing(import_legacy, tmp_path):
    path = write(tmp_path, "a.txt", page(TITLE, related=[item(7801, "Ferries add an evening run")]))
    assert import_legacy(path).lines[0].startswith("created")
    article = Article.objects.get(title=TITLE)
    editor_saves(article, title="Winter ferry timetable: fewer morning sailings")
    article.refresh_from_db()
    version, revisions = article.version, Revision.objects.count()

    again = import_legacy(path)

    assert again.exit_code == 0
    assert again.lines[0].startswith("unchanged"), again.output
    assert "0 created, 0 updated, 1 unchanged, 0 failed" in again.output
    assert Article.objects.filter(is_stub=False).count() == 1
    article.refresh_from_db()
    assert article.title == "Winter ferry timetable: fewer morning sailings"
    assert article.version == version and Revision.objects.count() == revisions


def test_reimport_keeps_an_editors_body_and_related_order(import_legacy, tmp_path):
    path = write(tmp_path, "a.txt", page(TITLE, related=[item(7811, "First related"), item(7812, "Second related")]))
    import_legacy(path)
    article = Article.objects.get(title=TITLE)
    first, second = (Article.objects.get(legacy_id=n) for n in (7811, 7812))
    saved = editor_saves(article, body="<p>Rewritten by the desk.</p>")
    actions.save_article(
        actor=None,
        article=Article.objects.get(pk=article.pk),
        base_version=saved.version,
        related_ids=[second.pk, first.pk],
    )

    assert import_legacy(path).lines[0].startswith("unchanged")

    article.refresh_from_db()
    assert article.body == "<p>Rewritten by the desk.</p>"
    assert list(article.related_links.values_list("target_id", flat=True)) == [second.pk, first.pk]


def test_a_changed_page_updates_an_unedited_article_but_not_an_edited_one(import_legacy, tmp_path):
    untouched = write(tmp_path, "a.txt", page("Untouched story", paragraphs=("Old text.",)))
    edited = write(tmp_path, "b.txt", page("Edited story", paragraphs=("Old text.",)))
    import_legacy(untouched, edited)
    editor_saves(Article.objects.get(title="Edited story"), title="Edited story, retitled")
    write(tmp_path, "a.txt", page("Untouched story", paragraphs=("New text from the old site.",)))
    write(tmp_path, "b.txt", page("Edited story", paragraphs=("New text from the old site.",)))

    run = import_legacy(untouched, edited)

    assert run.line_for("a.txt").startswith("updated")
    line = run.line_for("b.txt")
    assert line.startswith("unchanged") and "editors have changed the article" in line
    assert Article.objects.get(title="Untouched story").body == "<p>New text from the old site.</p>"
    kept = Article.objects.get(title="Edited story, retitled")
    assert kept.body == "<p>Old text.</p>"
    assert Article.objects.count() == 2


def test_an_article_imported_before_identities_were_kept_is_found_and_takes_one(import_legacy, tmp_path):
    path = write(tmp_path, "a.txt", page(TITLE, related=[item(7831, "Ferries add an evening run")]))
    import_legacy(path)
    Article.objects.filter(title=TITLE).update(legacy_key=None, legacy_digest="")  # as before migration 0005

    again = import_legacy(path)

    assert again.lines[0].startswith("unchanged") and Article.objects.filter(is_stub=False).count() == 1
    article = Article.objects.get(title=TITLE)
    assert article.legacy_key and article.legacy_digest
    editor_saves(article, title="Retitled after the upgrade")
    assert import_legacy(path).lines[0].startswith("unchanged")
    assert list(Article.objects.filter(is_stub=False).values_list("title", flat=True)) == ["Retitled after the upgrade"]


def test_the_database_refuses_two_articles_with_one_legacy_identity(import_legacy, tmp_path):
    import_legacy(write(tmp_path, "a.txt", page(TITLE)))
    key = Article.objects.get(title=TITLE).legacy_key
    assert key
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(title="Another", legacy_key=key)


def test_an_identity_inserted_by_another_import_meanwhile_counts_as_already_there(import_legacy, tmp_path, monkeypatch):
    """Another import commits the same page between this page's look-up and its insert: the
    unique column refuses the insert, and the page is looked up again instead of failing."""
    path = write(tmp_path, "a.txt", page(TITLE, related=[item(7821, "Ferries add an evening run")]))
    import_legacy(path)
    real = Rows.identity_candidates
    calls = []

    def not_seen_yet(self, *args):
        calls.append(args)
        return [] if len(calls) == 1 else real(self, *args)

    monkeypatch.setattr(Rows, "identity_candidates", not_seen_yet)
    run = import_legacy(path)
    assert len(calls) == 2
    assert run.exit_code == 0 and run.lines[0].startswith("unchanged"), run.output
    assert Article.objects.filter(is_stub=False).count() == 1 and Article.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_corpus_at_once_make_no_duplicate(tmp_path):
    """Two runs over the same pages, each on its own connection, started together."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers on separate connections: PostgreSQL (SQLite runs one writer at a time)")
    from zoneinfo import ZoneInfo

    from articles.legacy.run import run_import

    for n in range(40):
        related = [item(7900 + (n + k) % 45, f"Shared story {(n + k) % 45}") for k in range(4)]
        write(
            tmp_path,
            f"{n:03}.txt",
            page(f"Story number {n}", dateline=f"Mon Feb 06, 2017 10:{n:02}:00", related=related),
        )
    start = threading.Barrier(2)
    reports, errors = [], []

    def run():
        try:
            start.wait()
            reports.append(run_import([tmp_path], zone=ZoneInfo("UTC")))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [report.failed for report in reports] == [0, 0], [r.failed_names for r in reports]
    assert Article.objects.filter(is_stub=False).count() == 40
    assert Article.objects.filter(title__startswith="Story number").values("title").distinct().count() == 40
    assert sum(report.counts["created"] for report in reports) >= 40
    assert RelatedLink.objects.count() == 160


def test_a_page_over_the_size_limit_is_skipped_and_named(import_legacy, tmp_path, settings):
    settings.LEGACY_MAX_PAGE_BYTES = 2_000
    big = write(tmp_path, "big.txt", page("Huge page", paragraphs=("word " * 1_000,)))
    write(tmp_path, "small.txt", page("Small page"))

    run = import_legacy(tmp_path)

    assert run.exit_code == 1
    line = run.line_for("big.txt")
    assert (
        line.startswith("failed")
        and f"{big.stat().st_size:,} bytes" in line
        and "2,000" in line
        and "LEGACY_MAX_PAGE_BYTES" in line
    )
    assert run.line_for("small.txt").startswith("created")
    assert list(Article.objects.values_list("title", flat=True)) == ["Small page"]


def test_identity_look_up_reads_two_indexes_not_every_article_without_an_identity():
    """The look-up goes by the identity index and the title index; a condition on the identity
    being empty would make SQLite read every article without one (a cost that grows)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite query plan")
    rows = Rows()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + rows._identity[0], ["key", "Title", "2017-02-06 10:00:00", True])
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert "(legacy_key=?)" in plan and "article_title_idx (title=?)" in plan, plan
    assert plan.count("legacy_key") == 1, plan
