"""What the importer announces (`changes.announce`): the articles committed pages wrote, together."""

from zoneinfo import ZoneInfo

import pytest

import changes
from articles.legacy import context as context_module
from articles.legacy.context import ImportContext
from articles.legacy.importer import import_page
from articles.legacy.parser import parse_page
from articles.models import Article
from tests.importer.pages import item, page, write


@pytest.fixture
def announced(monkeypatch):
    """The `Change`s announced during the test, in order (still delivered as usual); a run's
    pages are gathered by count only, however slowly the test machine runs."""
    monkeypatch.setattr(context_module, "ANNOUNCE_EVERY_SECONDS", 3600.0)
    made = []
    real = changes.announce

    def spy(**ids):
        change = real(**ids)
        if change.articles:  # media announce their own changes (media.actions)
            made.append(change)
        return change

    monkeypatch.setattr(changes, "announce", spy)
    return made


def test_a_run_announces_every_article_its_pages_wrote_at_once(
    import_legacy, tmp_path, announced, django_capture_on_commit_callbacks
):
    write(tmp_path, "a.txt", page("Ferry timetable changes", related=[item(7201, "Ferries add an evening run")]))
    write(tmp_path, "b.txt", page("Port cranes arrive", dateline="Mon Feb 06, 2017 08:00:00"))
    with django_capture_on_commit_callbacks(execute=True):
        import_legacy(tmp_path)
    assert Article.objects.count() == 3  # both pages and the stub, announced once
    assert [change.articles for change in announced] == [set(Article.objects.values_list("pk", flat=True))]


def test_an_unchanged_run_announces_nothing(import_legacy, tmp_path, announced):
    write(tmp_path, "a.txt", page("Ferry timetable changes"))
    import_legacy(tmp_path)
    announced.clear()
    import_legacy(tmp_path)
    assert announced == []


def test_a_dry_run_announces_nothing_that_is_delivered(
    import_legacy, tmp_path, announced, django_capture_on_commit_callbacks
):
    write(tmp_path, "a.txt", page("Ferry timetable changes"))
    with django_capture_on_commit_callbacks() as callbacks:
        import_legacy(tmp_path, dry_run=True)
    assert callbacks == [] and not Article.objects.exists()


def test_a_page_imported_alone_is_announced_with_what_it_touched(db, announced):
    parsed = parse_page(
        page("Ferry timetable changes", related=[item(7301, "Ferries add an evening run")]).encode(),
        "a.txt",
        ZoneInfo("UTC"),
    )
    result = import_page(page=parsed)
    stub = Article.objects.get(legacy_id=7301)
    assert [change.articles for change in announced] == [{result.article_id, stub.pk}]


def test_a_long_run_announces_in_batches(db, announced, monkeypatch):
    monkeypatch.setattr(context_module, "ANNOUNCE_EVERY_PAGES", 2)
    context = ImportContext(gather_announcements=True)
    zone = ZoneInfo("UTC")
    ids = []
    for n in range(5):
        text = page(f"Council session number {n}", dateline=f"Mon Feb 06, 2017 0{n}:00:00")
        ids.append(import_page(page=parse_page(text.encode(), f"{n}.txt", zone), context=context).article_id)
    assert [change.articles for change in announced] == [set(ids[:2]), set(ids[2:4])]
    context.announcer.flush()
    assert announced[-1].articles == {ids[4]}


def test_a_failed_page_is_not_announced(db, announced, monkeypatch):
    context = ImportContext(gather_announcements=True)
    parsed = parse_page(page("Ferry timetable changes").encode(), "a.txt", ZoneInfo("UTC"))

    def fail(self, rows, now):
        raise RuntimeError("disk full")

    monkeypatch.setattr("articles.legacy.records.PageRecords.flush", fail)
    with pytest.raises(RuntimeError):
        import_page(page=parsed, context=context)
    context.announcer.flush()
    assert announced == [] and not Article.objects.exists()
