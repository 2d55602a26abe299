"""The project's generator of synthetic legacy pages (articles/legacy/synthetic.py): what it
writes, and importing it checked against its index.json."""

import json
import random
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from articles.legacy import synthetic
from articles.legacy.parser import split_title
from articles.models import Article, RelatedLink


@pytest.fixture
def generated(tmp_path):
    out = tmp_path / "pages"
    synthetic.generate(out, 50, seed=11, zone=settings.TIME_ZONE)
    return out, json.loads((out / "index.json").read_text(encoding="utf-8"))


def referenced_ids(folder: Path) -> set[int]:
    """Legacy ids that appear in some page's related list (only those can be learnt)."""
    ids = set()
    for path in folder.glob("*.txt"):
        last = path.read_text(encoding="utf-8").rstrip().rsplit("\n", 1)[-1]
        if last.startswith("string("):
            ids |= {int(i["id"]) for i in json.loads(last[last.index('"') + 1 : -1])}
    return ids


def check_against_index(index, referenced):
    assert Article.objects.filter(is_stub=False).count() == len(index)
    assert Article.objects.stubs().count() == 0
    for entry in index:
        title, kind = split_title(entry["title"])
        article = Article.objects.get(title=title)
        assert article.kind == kind and article.status == Article.Status.PUBLISHED
        assert article.published_at.replace(tzinfo=None) == _as_utc(entry["published"])
        expected_id = int(entry["legacy_id"]) if int(entry["legacy_id"]) in referenced else None
        assert article.legacy_id == expected_id, entry["file"]


def _as_utc(naive_iso: str):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    local = datetime.fromisoformat(naive_iso).replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def test_fifty_generated_pages_match_the_ground_truth(generated, import_legacy):
    folder, index = generated
    run = import_legacy(folder)
    assert run.exit_code == 0, run.output
    assert "50 created, 0 updated, 0 unchanged, 0 failed" in run.output
    check_against_index(index, referenced_ids(folder))
    # Every related item became a link to the page it names, in sort order.
    by_legacy = dict(Article.objects.filter(legacy_id__isnull=False).values_list("legacy_id", "pk"))
    for entry in index:
        text = (folder / entry["file"]).read_text(encoding="utf-8").rstrip()
        last = text.rsplit("\n", 1)[-1]
        expected = (
            [by_legacy[int(i["id"])] for i in json.loads(last[last.index('"') + 1 : -1])]
            if last.startswith("string(")
            else []
        )
        source = Article.objects.get(title=split_title(entry["title"])[0])
        assert list(source.related_links.values_list("target_id", flat=True)) == expected


def test_generated_pages_in_shuffled_order_give_the_same_archive(generated, import_legacy, tmp_path):
    folder, index = generated
    shuffled = tmp_path / "shuffled"
    shuffled.mkdir()
    files = sorted(folder.glob("*.txt"))
    random.Random(5).shuffle(files)
    for n, path in enumerate(files):
        (shuffled / f"{n:03d}.txt").write_bytes(path.read_bytes())
    assert import_legacy(shuffled).exit_code == 0
    check_against_index(index, referenced_ids(folder))
    links = RelatedLink.objects.count()
    again = import_legacy(folder)
    assert "0 created, 0 updated, 50 unchanged, 0 failed" in again.output
    assert RelatedLink.objects.count() == links


def test_parsing_in_a_worker_process_gives_the_same_archive(generated, db, monkeypatch):
    """Long runs parse in a worker process; the pages and their order must be the same."""
    from zoneinfo import ZoneInfo

    from articles.legacy import reading
    from articles.legacy.reading import read_pages
    from articles.legacy.run import run_import

    monkeypatch.setattr(reading, "BATCH", 7)  # several batches in flight

    folder, index = generated
    zone = ZoneInfo(settings.TIME_ZONE)
    here = list(read_pages([folder], zone))
    there = list(read_pages([folder], zone, worker=True))
    assert [p.name for p in there] == [p.name for p in here] and there == here
    report = run_import([folder], zone=zone, parse_in_worker=True)
    assert report.counts["created"] == 50 and report.failed == 0
    check_against_index(index, referenced_ids(folder))


# -- the generator itself --------------------------------------------------------------------


def test_generated_pages_with_default_times_are_all_live_now(tmp_path, import_legacy):
    """Default datelines end at today's midnight in the legacy zone: every page is on the site."""
    out = tmp_path / "pages"
    synthetic.generate(out, 30, seed=3, zone=settings.TIME_ZONE)
    run = import_legacy(out)
    assert "30 created, 0 updated, 0 unchanged, 0 failed" in run.output, run.output
    assert Article.objects.live().count() == 30
    assert Article.objects.filter(published_at__gt=timezone.now()).count() == 0
    # Every page named by a related list got that list's picture as its lead media.
    referenced = {int(i) for e in json.loads((out / "index.json").read_text()) for i in e["related"]}
    assert referenced
    for article in Article.objects.filter(legacy_id__in=referenced):
        assert article.lead_media is not None and article.lead_media.legacy_path.startswith("/")


def test_the_same_seed_writes_the_same_bytes_and_another_seed_other_pages(tmp_path):
    start = datetime(2021, 5, 3, 7, 30)
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        synthetic.generate(tmp_path / name, 25, seed=seed, start=start)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(files) == 26 and "index.json" in files
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert (tmp_path / "a" / "index.json").read_bytes() != (tmp_path / "c" / "index.json").read_bytes()


def test_start_and_step_set_the_datelines(tmp_path):
    start = datetime(2019, 2, 1, 6, 0)
    synthetic.generate(tmp_path, 40, seed=2, start=start, step=600, growth=1)
    times = [datetime.fromisoformat(e["published"]) for e in json.loads((tmp_path / "index.json").read_text())]
    assert times[0] == start
    gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    assert all(300 <= gap <= 900 for gap in gaps)
    first = (tmp_path / "page_000000.txt").read_text(encoding="utf-8").split("\n\n")
    assert first[2] == "Fri Feb 01, 2019 06:00:00"


def test_an_end_time_is_the_last_dateline(tmp_path):
    end = datetime(2024, 8, 30, 18, 45, 10)
    synthetic.generate(tmp_path, 12, seed=4, end=end, step=3600)
    entries = json.loads((tmp_path / "index.json").read_text())
    assert entries[-1]["published"] == "2024-08-30T18:45:10"
    assert entries[0]["published"] < entries[-1]["published"]


def test_a_million_pages_with_default_spacing_lie_in_the_past_within_ten_years():
    """The spacing a 1,000,000-page run gets by default keeps every dateline before now."""
    zone = ZoneInfo(settings.TIME_ZONE)
    now = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
    end = synthetic.default_end(zone, now)
    assert end.replace(tzinfo=zone) <= now
    count, first, last = 0, None, None
    for moment in synthetic.timeline(1_000_000, seed=7, step=synthetic.default_step(1_000_000), end=end):
        count += 1
        first = first or moment
        last = moment
    assert count == 1_000_000 and last == end
    assert (end - first).days < 11 * 365


def test_titles_never_repeat(tmp_path):
    titles = {synthetic.title_for(n, 1_234_567, 89)[0] for n in range(100_000)}
    assert len(titles) == 100_000
    with pytest.raises(ValueError, match="distinct titles"):
        synthetic.generate(tmp_path, synthetic.TITLE_SPACE + 1)


def test_the_command_line_writes_pages_and_refuses_bad_options(tmp_path):
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "articles.legacy.synthetic", *map(str, args)],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
        )

    done = run(tmp_path / "out", "--count", 3, "--start", "2020-01-01T10:00:00", "--step", 60)
    assert done.returncode == 0, done.stderr
    assert "3 pages in" in done.stdout
    assert len(list((tmp_path / "out").glob("*.txt"))) == 3
    both = run(tmp_path / "x", "--start", "2020-01-01T10:00", "--end", "2020-02-01T10:00")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
    zone = run(tmp_path / "x", "--zone", "Mars/Olympus")
    assert zone.returncode == 2 and "unknown time zone" in zone.stderr
    when = run(tmp_path / "x", "--start", "yesterday")
    assert when.returncode == 2 and "is not a date and time" in when.stderr
    step = run(tmp_path / "x", "--step", 0)
    assert step.returncode == 2 and "step must be at least one second" in step.stderr
