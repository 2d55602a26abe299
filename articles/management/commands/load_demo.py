"""`manage.py load_demo`: a sample newsroom of some forty stories in six sections, with drawn
pictures, captioned video clips, tags, related lists, an Arabic story and a story imported from
legacy page files (see `articles.demo`).

Idempotent: a second run finds everything in place and creates nothing. The text is written for
this demo; the media are drawn and encoded on the fly.
"""

from django.core.management.base import BaseCommand

from articles.demo.loader import load_demo
from articles.models import Article, Section
from media.models import MediaItem


class Command(BaseCommand):
    help = "Create a sample newsroom (idempotent)."

    def handle(self, *args, **options):
        outcome = load_demo()
        self.stdout.write(
            f"Demo content: {outcome.created} stor{'y' if outcome.created == 1 else 'ies'} created, "
            f"{outcome.present} already present; {Section.objects.count()} sections, "
            f"{Article.objects.live().count()} live articles, {MediaItem.objects.count()} media items."
        )
