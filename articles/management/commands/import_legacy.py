"""`manage.py import_legacy PATH [PATH ...]`: bring legacy site pages into the archive.

Prints one line per page (created / updated / unchanged / failed + reason), with --media-root
one `missing` line per file a page refers to that is not in that folder, and a summary;
exits with status 1 when any page failed. A progress bar is shown only on a terminal.
"""

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from articles.legacy.reading import iter_page_files
from articles.legacy.report import ImportReport, PageResult
from articles.legacy.run import run_import

WORKER_FROM_PAGES = 2_000


def time_zone(name: str | None) -> ZoneInfo:
    """The zone of the datelines: `name`, or the newsroom's (the TIME_ZONE setting)."""
    name = name or settings.TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CommandError(f"Unknown time zone “{name}” (use a name like Asia/Tehran).") from exc


def check_paths(paths: list[Path], media_root: Path | None) -> None:
    """Refuse page paths that do not exist and a media root that is not a folder."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise CommandError("No such file or folder: " + ", ".join(missing))
    if media_root is not None and not media_root.is_dir():
        raise CommandError(f"--media-root “{media_root}” is not a folder.")


def importing_user(username: str | None):
    """The user named `username`, who must be allowed to publish; None (the system) without a name."""
    if not username:
        return None
    actor = get_user_model().objects.filter(username=username).first()
    if actor is None:
        raise CommandError(f"No user named “{username}”.")
    if not actor.has_perm("articles.publish_article"):
        raise CommandError(f"“{username}” may not publish articles, so may not import them.")
    return actor


def failure(report: ImportReport) -> CommandError:
    """The error that ends a run in which pages failed (exit status 1), naming the first ten."""
    names = ", ".join(report.failed_names[:10]) + (" …" if report.failed > 10 else "")
    return CommandError(f"{report.failed} page(s) failed: {names}", returncode=1)


class Command(BaseCommand):
    help = "Import legacy site pages (files, or folders searched recursively for *.txt)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Page files or folders of *.txt pages.")
        parser.add_argument("--dry-run", action="store_true", help="Do everything, then roll it all back.")
        parser.add_argument("--media-root", type=Path, help="Folder holding legacy media under their legacy paths.")
        parser.add_argument(
            "--timezone", help="Time zone of the datelines (default: the newsroom's, the TIME_ZONE setting)."
        )
        parser.add_argument("--user", help="Import as this user (needs the publish permission); default: the system.")

    def handle(self, *args, paths, dry_run, media_root, timezone, user, **options):
        zone = time_zone(timezone)
        paths = [Path(p) for p in paths]
        media_root = Path(media_root) if media_root else None
        check_paths(paths, media_root)
        actor = importing_user(user)
        total = sum(1 for _ in iter_page_files(paths))
        # A worker process parses ahead on long runs, when there is a second core for it.
        parse_in_worker = total >= WORKER_FROM_PAGES and (os.cpu_count() or 1) > 1
        self.bar = self._progress_bar(total)
        try:
            report = run_import(
                paths,
                actor=actor,
                zone=zone,
                media_root=media_root,
                dry_run=dry_run,
                on_result=self._show,
                parse_in_worker=parse_in_worker,
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if self.bar is not None:
                self.bar.close()
        self._finish(report, dry_run=dry_run, media_root=media_root)

    def _progress_bar(self, total: int):
        """A progress bar on a terminal (lines are written above it), else None."""
        if not self.stdout.isatty():
            return None
        from tqdm import tqdm

        return tqdm(total=total, unit="page", dynamic_ncols=True)

    def _show(self, result: PageResult) -> None:
        """The page's line and its `missing` lines: above the bar, or coloured by outcome."""
        line, missing = result.line(), result.missing_lines()
        if self.bar is not None:
            for text in (line, *missing):
                self.bar.write(text)
            self.bar.update(1)
            return
        if result.status == "failed":
            self.stdout.write(self.style.ERROR(line))
        elif result.warnings:
            self.stdout.write(self.style.WARNING(line))
        else:
            self.stdout.write(line)
        for text in missing:
            self.stdout.write(self.style.WARNING(text))

    def _finish(self, report: ImportReport, *, dry_run: bool, media_root: Path | None) -> None:
        """The summary; exit status 1 when any page failed."""
        summary = report.summary(dry_run=dry_run, media_root=media_root)
        if report.failed:
            self.stdout.write(self.style.ERROR(summary))
            raise failure(report)
        self.stdout.write(self.style.SUCCESS(summary))
