"""`import_legacy --media-root DIR` names every file a page refers to that DIR does not hold."""

from pathlib import Path

import pytest

from articles.models import Article
from media.models import MediaItem
from tests.factories import jpeg_bytes
from tests.importer.pages import (
    FOUND_PICTURES,
    LIGHTHOUSE,
    MISSING_MEDIA_PAGES,
    NOT_FOUND,
    item,
    page,
    partial_media_root,
    write,
)

pytestmark = pytest.mark.django_db(transaction=False)

PAGES = Path(__file__).parent / MISSING_MEDIA_PAGES


def test_report_names_each_missing_file_once_with_the_page_that_named_it(import_legacy, tmp_path):
    root = partial_media_root(tmp_path)
    run = import_legacy(PAGES, media_root=str(root))
    assert run.exit_code == 0
    missing = [line for line in run.lines if line.startswith("missing")]
    expected = [f"missing   {path} (named by {PAGES / name})" for name, paths in NOT_FOUND.items() for path in paths]
    assert missing == expected  # in page order, each file once (coastal road is named by both pages)
    assert len(missing) == 7
    assert run.lines[-1] == (
        f"2 page(s): 2 created, 0 updated, 0 unchanged, 0 failed; 0 warning(s). 7 media file(s) not found under {root}."
    )
    # Each missing line follows the line of its page.
    for name in NOT_FOUND:
        start = run.lines.index(run.line_for(name))
        assert run.lines[start + 1 : start + 1 + len(NOT_FOUND[name])] == [
            line for line in expected if line.endswith(f"{name})")
        ]
    for path in FOUND_PICTURES:
        assert not MediaItem.objects.get(legacy_path=path).file_missing
    for path in (p for paths in NOT_FOUND.values() for p in paths):
        assert MediaItem.objects.get(legacy_path=path).file_missing
    lighthouse = Article.objects.get(title=LIGHTHOUSE)
    assert lighthouse.kind == "video" and lighthouse.lead_media.legacy_path == NOT_FOUND["coast_guard.txt"][0]


def test_a_second_run_names_the_files_still_missing_and_none_found_since(import_legacy, tmp_path):
    root = partial_media_root(tmp_path)
    import_legacy(PAGES, media_root=str(root))
    arrived = NOT_FOUND["lighthouse.txt"][1]
    (root / arrived.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
    (root / arrived.lstrip("/")).write_bytes(jpeg_bytes(120, 90))
    run = import_legacy(PAGES, media_root=str(root))
    missing = [line.split()[1] for line in run.lines if line.startswith("missing")]
    assert len(missing) == 6 and arrived not in missing
    assert "6 media file(s) not found" in run.lines[-1]
    assert not MediaItem.objects.get(legacy_path=arrived).file_missing


def test_dry_run_names_missing_files_too(import_legacy, tmp_path):
    run = import_legacy(PAGES, media_root=str(partial_media_root(tmp_path)), dry_run=True)
    assert sum(line.startswith("missing") for line in run.lines) == 7
    assert "7 media file(s) not found" in run.output and "Dry run: nothing was saved." in run.output
    assert MediaItem.objects.count() == 0


def test_without_a_media_root_nothing_is_looked_for_or_named(import_legacy):
    run = import_legacy(PAGES)
    assert not any(line.startswith("missing") for line in run.lines)
    assert "not found under" not in run.output


def test_refused_and_unsafe_files_are_warnings_not_missing_lines(import_legacy, tmp_path):
    root = tmp_path / "legacy-media"
    bad = "/2017/02/04/desk_2_25f_4x3.jpg"
    (root / "2017/02/04").mkdir(parents=True)
    (root / bad.lstrip("/")).write_bytes(b"this is not an image at all")
    write(
        tmp_path,
        "a.txt",
        page(
            "Ferry timetable changes",
            related=[
                item(7402, "Ferry fares rise", pic=bad),
                item(7403, "Ferry crews train", pic="/../../outside/secret.jpg"),
                item(7404, "Ferry crews strike", pic="/2017/02/05/desk_3_25f_4x3.jpg"),
            ],
        ),
    )
    run = import_legacy(tmp_path / "a.txt", media_root=str(root))
    assert [line for line in run.lines if line.startswith("missing")] == [
        f"missing   /2017/02/05/desk_3_25f_4x3.jpg (named by {tmp_path / 'a.txt'})"
    ]
    assert "refused" in run.lines[0] and "leaves the media folder" in run.lines[0]
    assert "1 media file(s) not found" in run.lines[-1]
