"""`manage.py copy_link_datelines --since <moment>`: give the tag links and byline rows of every
article changed since `moment` their article's dateline again (articles.link_dates).

For the release that brought the copy (migration articles.0009): the old release keeps serving
between the migration and the restart, and the tags, bylines and datelines it writes meanwhile
leave the copy behind (a story missing from, or misplaced in, its tag and author pages). Run it
once after the restart with the moment the migration started; any saved article (`updated_at`)
is taken, a hundred to a transaction.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.link_dates import copy_dateline
from articles.models import Article

BATCH = 100


class Command(BaseCommand):
    help = "Copy each article's dateline onto its tag links and byline rows, for articles changed since a moment."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="ISO 8601 date-time, e.g. 2026-12-01T20:00:00+00:00.")

    def handle(self, *args, since, **options):
        moment = parse_datetime(since)
        if moment is None:
            raise CommandError(f"--since: use an ISO 8601 date-time, not “{since}”.")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        ids = list(Article.objects.filter(updated_at__gte=moment).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                for article in Article.objects.filter(pk__in=ids[start : start + BATCH]).only("pk", "published_at"):
                    copy_dateline(article)
        self.stdout.write(f"{len(ids)} articles changed since {moment.isoformat()}: link rows carry their dateline.")
