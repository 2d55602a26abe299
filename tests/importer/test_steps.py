"""The importer's named steps on their own: which article a page is, the rows it records, the
command's checks and the generator's draws."""

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from articles.audit import entry_values
from articles.legacy import synthetic
from articles.legacy.identity import match_candidates
from articles.legacy.records import PageRecords, fresh_snapshot
from articles.legacy.related import _only_one
from articles.legacy.report import ImportReport, PageResult
from articles.management.commands.import_legacy import check_paths, failure, importing_user, time_zone
from articles.models import Article
from tests.factories import UserFactory


def candidate(pk, *, key=None, stub=False, kind="text"):
    return {"id": pk, "legacy_key": key, "is_stub": stub, "kind": kind}


def test_the_article_holding_the_identity_is_the_page_whatever_else_matches():
    rows = [candidate(1), candidate(2, key="k"), candidate(3, stub=True)]
    assert match_candidates(rows, "k", "text") == (rows[1], None)


def test_else_the_oldest_article_without_identity_that_is_not_a_stub():
    rows = [candidate(1, stub=True), candidate(2, key="other"), candidate(3), candidate(4)]
    assert match_candidates(rows, "k", "text") == (rows[2], None)


def test_else_the_oldest_stub_of_the_same_kind_is_filled():
    rows = [candidate(1, stub=True, kind="video"), candidate(2, stub=True), candidate(3, stub=True, key="x")]
    assert match_candidates(rows, "k", "text") == (None, rows[1])
    assert match_candidates(rows, "k", "photo") == (None, None)
    assert match_candidates([], "k", "text") == (None, None)


def test_a_title_matches_only_when_exactly_one_candidate_is_free():
    taken = {5}
    assert _only_one([5, 7], taken) == 7 and taken == {5, 7}
    assert _only_one([8, 9], taken) is None and _only_one([], taken) is None
    assert taken == {5, 7}


@pytest.mark.django_db
def test_import_audit_entries_have_the_shape_every_entry_has():
    actor = UserFactory()
    records = PageRecords(actor)
    records.audit(article_id=12, title="x" * 400, details={"named_by": "a.txt"})
    expected = entry_values(
        actor=actor, action="import", article_id=12, object_repr="x" * 400, details={"named_by": "a.txt"}
    )
    assert records.entries == [expected]
    assert len(records.entries[0]["object_repr"]) == 300 and records.entries[0]["actor_id"] == actor.pk


def test_a_stub_is_recorded_with_a_revision_and_an_entry_by_the_system():
    records = PageRecords(None)
    row = {"id": 7, "title": "Ferries add a run", "status": Article.Status.DRAFT, "legacy_id": 7101, "version": 1}
    records.stub(row, referenced_by="a.txt")
    assert records.revisions == [
        {
            "article_id": 7,
            "number": 1,
            "created_by_id": None,
            "data": fresh_snapshot(row, []),
            "note": "import: stub for a related item",
        }
    ]
    (entry,) = records.entries
    assert (entry["actor_id"], entry["to_status"], entry["details"]) == (
        None,
        "draft",
        {"legacy_id": 7101, "referenced_by": "a.txt"},
    )


def test_the_command_takes_a_known_time_zone_or_the_newsrooms(settings):
    assert str(time_zone("Europe/Paris")) == "Europe/Paris"
    assert str(time_zone(None)) == settings.TIME_ZONE
    with pytest.raises(CommandError, match="Unknown time zone “Mars/Olympus”"):
        time_zone("Mars/Olympus")


def test_the_command_refuses_missing_paths_and_a_media_root_that_is_no_folder(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text("x")
    check_paths([tmp_path, page], tmp_path)
    with pytest.raises(CommandError, match="No such file or folder: .*nowhere"):
        check_paths([tmp_path / "nowhere"], None)
    with pytest.raises(CommandError, match="is not a folder"):
        check_paths([page], page)


@pytest.mark.django_db
def test_the_command_imports_as_a_user_who_may_publish():
    assert importing_user(None) is None
    editor = UserFactory(username="editor", perms=["articles.publish_article"])
    assert importing_user("editor") == editor
    UserFactory(username="reporter", perms=["articles.add_article"])
    with pytest.raises(CommandError, match="may not publish"):
        importing_user("reporter")
    with pytest.raises(CommandError, match="No user named “nobody”"):
        importing_user("nobody")


def test_a_run_with_failures_ends_in_status_one_naming_ten_of_them():
    report = ImportReport()
    for n in range(12):
        report.add(PageResult(f"{n}.txt", "failed"))
    error = failure(report)
    assert error.returncode == 1
    assert str(error) == "12 page(s) failed: " + ", ".join(f"{n}.txt" for n in range(10)) + " …"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"count": -1}, "count must not be negative"),
        ({"count": synthetic.TITLE_SPACE + 1}, "distinct titles"),
        ({"count": 1, "related": -1}, "related must not be negative"),
        ({"count": 1, "step": 0}, "at least one second"),
        ({"count": 1, "start": datetime(2020, 1, 1), "end": datetime(2021, 1, 1)}, "not both"),
    ],
)
def test_the_generator_refuses_what_it_cannot_do(arguments, message):
    arguments = {"related": 10, "start": None, "end": None, "step": None, **arguments}
    with pytest.raises(ValueError, match=message):
        synthetic.check_arguments(arguments.pop("count"), **arguments)


def test_the_title_permutation_is_one_to_one():
    multiplier, offset = synthetic.title_permutation(random.Random(3))
    titles = {synthetic.title_for(n, multiplier, offset)[0] for n in range(2_000)}
    assert len(titles) == 2_000


def test_a_generated_page_is_labelled_by_its_draw():
    assert synthetic._labelled("Roads reopen", 0.1) == ("VIDEO: Roads reopen", True)
    assert synthetic._labelled("Roads reopen", 0.5) == ("Roads reopen", False)
    assert synthetic._labelled("Roads reopen", 0.97) == ("PHOTOS: Roads reopen", False)


def test_a_generated_run_names_only_earlier_pages(tmp_path: Path):
    run = synthetic._Run(tmp_path, random.Random(1), count=30, related=5, zone=UTC)
    entries = [run.write(n, datetime(2020, 1, 1, n % 24)) for n in range(30)]
    seen: set[str] = set()
    for entry in entries:
        assert set(entry["related"]) <= seen and (tmp_path / entry["file"]).exists()
        seen.add(entry["legacy_id"])
