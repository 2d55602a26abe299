"""Lead media references of related items (`pic`): decode, find or create, copy the file in.

A legacy path looks like `/2016/03/06/alalam_635929008798548103_25f_4x3.mp4`: the number is a
.NET tick count (100 ns units since 0001-01-01) that gives the upload time.
"""

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone

from media.actions import create_references, replace_file
from media.ingest import validate_bytes
from media.models import MediaItem

TICKS_AT_UNIX_EPOCH = 621_355_968_000_000_000
KIND_BY_EXTENSION = {
    "mp4": MediaItem.Kind.VIDEO,
    "m4v": MediaItem.Kind.VIDEO,
    "mov": MediaItem.Kind.VIDEO,
    "jpg": MediaItem.Kind.IMAGE,
    "jpeg": MediaItem.Kind.IMAGE,
    "png": MediaItem.Kind.IMAGE,
    "webp": MediaItem.Kind.IMAGE,
}
TICKS = re.compile(r"_(\d{17,19})_")
DATE_FOLDERS = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/")
MAX_PATH = 255


def ticks_to_datetime(ticks: int) -> datetime | None:
    """.NET ticks → aware UTC datetime, or None when out of any plausible range."""
    try:
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=(ticks - TICKS_AT_UNIX_EPOCH) // 10)
    except OverflowError:
        return None
    return moment if 1990 <= moment.year <= 2100 else None


def upload_time(path: str) -> datetime | None:
    """From the ticks in the name, else midnight UTC of the date folders, else None."""
    match = TICKS.search(path.rsplit("/", 1)[-1])
    if match:
        moment = ticks_to_datetime(int(match.group(1)))
        if moment:
            return moment
    folders = DATE_FOLDERS.match(path)
    if folders:
        try:
            return datetime(*(int(g) for g in folders.groups()), tzinfo=UTC)
        except ValueError:
            return None
    return None


def media_kind(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    return KIND_BY_EXTENSION.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None


@lru_cache(maxsize=8192)  # a picture is named by every item pointing at its article: ~10 times in an archive
def check_path(path: str) -> str | None:
    """Why `path` cannot be a media reference, or None when it can."""
    if not path.startswith("/") or len(path) > MAX_PATH:
        return f"picture “{path[:60]}” is not an absolute legacy path of at most {MAX_PATH} characters"
    if any(part in {"..", "."} for part in path.split("/")) or "\\" in path or "\x00" in path:
        return f"picture “{path[:60]}” leaves the media folder; ignored"
    if media_kind(path) is None:
        return f"picture “{path[:60]}” is neither an image nor a video by its extension; ignored"
    return None


def source_file(media_root: Path | None, path: str) -> Path | None:
    """The file for legacy `path` inside `media_root`, if it exists there and stays inside it."""
    if media_root is None:
        return None
    candidate = (media_root / path.lstrip("/")).resolve()
    root = media_root.resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def usable_paths(paths: list[str], warnings: list[str]) -> list[str]:
    """The distinct non-empty `paths` that can be media references, in order; a warning for each other one."""
    usable = []
    for path in dict.fromkeys(p for p in paths if p):
        problem = check_path(path)
        if problem:
            warnings.append(problem)
        else:
            usable.append(path)
    return usable


def reference(path: str) -> dict:
    """The field values of the item known only by legacy `path` until its file arrives."""
    return {
        "kind": media_kind(path),
        "legacy_path": path,
        "title": path.rsplit("/", 1)[-1][:255],
        "uploaded_at": upload_time(path) or timezone.now(),
    }


class MediaResolver:
    """Finds or creates the MediaItems for a page's pictures: one query to look them up, one
    multi-row insert for the new ones (`media.actions.create_references`); files are copied in
    (`media.actions.replace_file`) only when a media root is given."""

    def __init__(self, media_root: Path | None, dry_run: bool = False, actor=None, announce=None):
        self.media_root = media_root
        self.dry_run = dry_run
        self.actor = actor
        # Called with the ids of new references in place of announcing them at once (the run
        # gathers them with its articles); None: each page's are announced as it commits.
        self.announce = announce
        # Legacy paths looked for under the media root in this run and not found there: each is
        # named once in the report (by the first page that refers to it), and not looked for again.
        self.not_found: set[str] = set()

    def items_for(
        self,
        rows,
        paths: list[str],
        warnings: list[str],
        stored: list[str],
        missing: list[str] | None = None,
        record=None,
    ) -> tuple[dict[str, int], int]:
        """{legacy path: item id} for the usable `paths`, and how many items were created or given files.

        A file found under the media root is validated like an upload; one that fails keeps its
        item `file_missing` and adds a warning. Names of stored files go into `stored`, so a
        page that fails can remove them again. With a media root, the paths of files not found
        there go into `missing`, each once per run. `record`: the page's writer of audit entries
        (written with the page's own, in one statement); `media.usage.record` when None.
        """
        usable = usable_paths(paths, warnings)
        if not usable:
            return {}, 0
        found, without_file = self._known(rows, usable)
        changes = self._create(rows, [path for path in usable if path not in found], found, without_file, record)
        if self.media_root is not None and without_file:
            changes += self._copy_files(rows, usable, found, without_file, warnings, stored, missing)
        return found, changes

    def _known(self, rows, usable: list[str]) -> tuple[dict[str, int], set[int]]:
        """{path: id} of the items already holding these paths, and the ids of those without a file."""
        found: dict[str, int] = {}
        without_file: set[int] = set()
        for pk, path, file_missing, _kind in rows.media_by_legacy_path(usable):
            found[path] = pk
            if file_missing:
                without_file.add(pk)
        return found, without_file

    def _create(self, rows, new_paths: list[str], found: dict[str, int], without_file: set[int], record) -> int:
        """Items for `new_paths`, known by reference, in one multi-row insert; how many."""
        if not new_paths:
            return 0
        ids = create_references(
            actor=self.actor,
            references=[reference(path) for path in new_paths],
            insert=rows.insert_media.rows,
            record=record,
            announce=self.announce,
        )
        for path, pk in zip(new_paths, ids, strict=True):
            found[path] = pk
            without_file.add(pk)
        return len(ids)

    def _copy_files(self, rows, usable, found, without_file, warnings, stored, missing) -> int:
        """Copy in the files of the items without one; how many were. Paths already looked for
        in this run are not looked for again (nor their rows read); reported in the page's order."""
        look_for = [path for path in usable if found[path] in without_file and path not in self.not_found]
        if not look_for:
            return 0
        rows.forget_media(look_for)  # read and changed below through the ORM
        order = {path: index for index, path in enumerate(look_for)}
        items = MediaItem.objects.filter(pk__in=[found[path] for path in look_for])
        copied = 0
        for item in sorted(items, key=lambda i: order[i.legacy_path]):
            copied += self._copy_one(item, warnings, stored, missing)
        return copied

    def _copy_one(self, item: MediaItem, warnings: list[str], stored: list[str], missing: list[str] | None) -> bool:
        source = source_file(self.media_root, item.legacy_path)
        if source is None:
            self.not_found.add(item.legacy_path)
            if missing is not None:
                missing.append(item.legacy_path)
            return False
        return self._copy(item, source, warnings, stored)

    def _copy(self, item: MediaItem, source: Path, warnings: list[str], stored: list[str]) -> bool:
        data = source.read_bytes()
        try:
            if self.dry_run:
                validate_bytes(data, filename=item.legacy_path)
                return True
            replace_file(actor=self.actor, item=item, data=data)
        except ValidationError as exc:
            warnings.append(f"media file {item.legacy_path} refused ({'; '.join(exc.messages)}); kept as missing")
            return False
        if item.file:
            stored.append(item.file.name)
        return True
