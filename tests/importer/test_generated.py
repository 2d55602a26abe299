"""Import pages written by ../shared/tools/gen_legacy_pages.py and check them against its index.json."""

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from articles.legacy.parser import split_title
from articles.models import Article, RelatedLink

GENERATOR = Path(settings.BASE_DIR).parent / "shared" / "tools" / "gen_legacy_pages.py"


@pytest.fixture
def generated(tmp_path):
    if not GENERATOR.exists():
        pytest.skip(f"the page generator is not here: {GENERATOR} (../shared is missing)")
    out = tmp_path / "pages"
    subprocess.run([sys.executable, str(GENERATOR), str(out), "--count", "50", "--seed", "11"], check=True)
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

    local = datetime.fromisoformat(naive_iso).replace(tzinfo=ZoneInfo(settings.LEGACY_TIME_ZONE))
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
        expected = [by_legacy[int(i["id"])] for i in json.loads(last[last.index('"') + 1 : -1])] \
            if last.startswith("string(") else []
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
    zone = ZoneInfo(settings.LEGACY_TIME_ZONE)
    here = list(read_pages([folder], zone))
    there = list(read_pages([folder], zone, worker=True))
    assert [p.name for p in there] == [p.name for p in here] and there == here
    report = run_import([folder], zone=zone, parse_in_worker=True)
    assert report.counts["created"] == 50 and report.failed == 0
    check_against_index(index, referenced_ids(folder))
