"""`manage.py cleanup_media [--delete] [--grace-hours H]`: find stored files that no row names.

An upload killed midway (or a transaction rolled back after its file was written) can leave a
file in storage that no media item, poster, rendition or captions row points at, or a
`.partial` file of a write cut short. This lists them (a dry run by default) and, with
`--delete`, removes them. Files changed within the grace period are left alone whatever they
are: an upload in progress has written its file before its row is committed.
"""

from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models
from django.utils import timezone

DEFAULT_GRACE_HOURS = 24


def referenced_names() -> set[str]:
    """Every file name a row of any model holds in a file field (media files, posters are media
    items too, renditions, captions)."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                rows = model._default_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
                names.update(rows.values_list(field.name, flat=True).iterator(chunk_size=2_000))
    return names


def stored_names(storage, folder: str = ""):
    """Every file name in `storage` under `folder`, walking sub-folders (an absent root: none)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


class Command(BaseCommand):
    help = "List (or with --delete remove) stored media files that no row names, older than a grace period."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the files listed (default: only list them).")
        parser.add_argument(
            "--grace-hours",
            type=float,
            default=DEFAULT_GRACE_HOURS,
            help=f"Leave files changed within this many hours (uploads in progress); default {DEFAULT_GRACE_HOURS}.",
        )

    def handle(self, *args, delete=False, grace_hours=DEFAULT_GRACE_HOURS, **options):
        if grace_hours < 0:
            raise CommandError("--grace-hours must be 0 or more.")
        storage = default_storage
        cutoff = timezone.now() - timedelta(hours=grace_hours)
        # Names first, files second: a file stored after this read is younger than the cutoff
        # unless the grace period is 0, which is the caller's explicit choice.
        known = referenced_names()
        count = size = recent = 0
        for name in stored_names(storage):
            if name in known:
                continue
            try:
                modified = storage.get_modified_time(name)
                length = storage.size(name)
            except FileNotFoundError:
                continue  # gone meanwhile
            if modified > cutoff:
                recent += 1
                continue
            count += 1
            size += length
            self.stdout.write(
                f"{'deleting' if delete else 'orphan'}  {name} ({length:,} bytes, "
                f"changed {modified:%Y-%m-%d %H:%M} UTC)"
            )
            if delete:
                storage.delete(name)
        age = f"unchanged for {grace_hours:g} hour(s) or more"
        if delete:
            summary = f"Deleted {count} orphan file(s), {size:,} bytes, {age}."
        else:
            summary = f"{count} orphan file(s), {size:,} bytes, {age}. Dry run: nothing was deleted (use --delete)."
        if recent:
            summary += f" {recent} newer file(s) that no row names were left alone (uploads may be in progress)."
        self.stdout.write(summary)
