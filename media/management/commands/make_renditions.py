"""Make every rendition of library images ahead of time (pages otherwise make them on first view)."""

from django.core.management.base import BaseCommand, CommandError

from media.models import MediaItem
from media.renditions import FORMATS, RenditionUnavailable, make_all


class Command(BaseCommand):
    help = "Make the missing renditions (all widths and crops, WebP and JPEG) of library images."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Only these media item ids (a video means its poster).")
        parser.add_argument(
            "--format", choices=FORMATS, action="append", dest="formats", help="Only this format (repeatable)."
        )

    def handle(self, *args, ids=(), formats=None, verbosity=1, **options):
        items = MediaItem.objects.filter(file_missing=False).exclude(file="").select_related("poster")
        if ids:
            items = items.filter(pk__in=ids)
            missing = set(ids) - set(items.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No media item with a file has id {', '.join(map(str, sorted(missing)))}.")
        made = skipped = 0
        for item in items.iterator(chunk_size=200):
            if item.is_video and not ids:
                continue  # its poster is an image item of its own
            try:
                made += len(make_all(item, formats=tuple(formats or FORMATS)))
            except (RenditionUnavailable, OSError) as exc:
                skipped += 1
                self.stderr.write(f"Item {item.pk}: {exc}")
        if verbosity:
            self.stdout.write(f"{made} renditions in place; {skipped} items skipped.")
