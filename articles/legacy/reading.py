"""Find page files and parse them, optionally in a worker process.

Nothing here touches the database or needs Django set up, so a worker started with `spawn`
can import this module alone. Parsing (reading, splitting, escaping, the nh3 pass) is about a
fifth of the work per page; on a machine with a spare core a worker does it while the main
process writes the previous pages. Work is handed out in batches with a bounded number in
flight, so memory holds at most `BATCH × IN_FLIGHT` parsed pages whatever the corpus size.
"""

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo

from articles.legacy.parser import LegacyPage, NotALegacyPage, parse_page
from articles.legacy.report import PageResult

BATCH = 64
IN_FLIGHT = 4


def iter_page_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and `*.txt` under folders (recursively, in name order so runs repeat)."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for folder, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".txt"):
                    yield Path(folder) / name


def too_big(name: str, size: int, max_bytes: int) -> PageResult:
    """The `failed` result of a page file over the size limit (it is not read)."""
    return PageResult(
        name,
        "failed",
        reason=(
            f"the file is {size:,} bytes, more than the page size limit of {max_bytes:,} bytes "
            "(LEGACY_MAX_PAGE_BYTES); skipped"
        ),
    )


def read_page(path: Path, zone: ZoneInfo, max_bytes: int | None = None) -> LegacyPage | PageResult:
    """The parsed page, or a `failed` result naming the file when it cannot be one.

    A file over `max_bytes` is refused from its size, and never read past the limit (a file
    that grows while read is caught too), so one huge file cannot fill the memory.
    """
    name = str(path)
    try:
        if max_bytes is None:
            data = path.read_bytes()
        else:
            size = path.stat().st_size
            if size > max_bytes:
                return too_big(name, size, max_bytes)
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:
                return too_big(name, max(len(data), path.stat().st_size), max_bytes)
        return parse_page(data, name, zone)
    except NotALegacyPage as exc:
        return PageResult(name, "failed", reason=f"not a legacy page: {exc}")
    except OSError as exc:
        return PageResult(name, "failed", reason=f"cannot read the file: {exc.strerror or exc}")


def read_batch(paths: list[Path], zone: ZoneInfo, max_bytes: int | None = None) -> list[LegacyPage | PageResult]:
    return [read_page(path, zone, max_bytes) for path in paths]


def read_pages(
    paths: Iterable[Path], zone: ZoneInfo, *, worker: bool = False, max_bytes: int | None = None
) -> Iterator[LegacyPage | PageResult]:
    """Every page under `paths` in order, parsed here or (with `worker`) in one worker process;
    files over `max_bytes` become `failed` results."""
    files = iter_page_files(paths)
    if not worker:
        for path in files:
            yield read_page(path, zone, max_bytes)
        return
    # `spawn`: the worker starts clean, with no copy of this process's database connections.
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        in_flight: deque = deque()

        def submit() -> bool:
            batch = list(islice(files, BATCH))
            if batch:
                in_flight.append(pool.apply_async(read_batch, (batch, zone, max_bytes)))
            return bool(batch)

        while len(in_flight) < IN_FLIGHT and submit():
            pass
        while in_flight:
            done = in_flight.popleft().get()
            submit()
            yield from done
