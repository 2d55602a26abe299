"""Media privacy: a `public` flag, and an index to find an item by its stored file name.

Until now every item was public. Items that readers could already see (lead or inline media
of a story live when this runs, and those videos' posters) are marked public, so nothing a
reader has seen disappears if its story is later unpublished; every other item (media of drafts,
scheduled and embargoed stories, unused uploads) becomes visible to staff only until a live
story uses it or an editor marks it public.
"""

import re

from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

import media.models

INLINE = re.compile(r'data-media-id="([0-9]+)"')


def mark_media_of_live_stories_public(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    MediaItem = apps.get_model("media", "MediaItem")
    now = timezone.now()
    live = Article.objects.filter(
        Q(embargo_until__isnull=True) | Q(embargo_until__lte=now),
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        status="published",
        published_at__lte=now,
        is_stub=False,
    )
    ids = set(live.filter(lead_media__isnull=False).values_list("lead_media_id", flat=True))
    for body in live.filter(body__contains="data-media-id=").values_list("body", flat=True).iterator():
        ids.update(int(found) for found in INLINE.findall(body))
    ids = sorted(ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        MediaItem.objects.filter(pk__in=chunk).update(public=True)
        posters = MediaItem.objects.filter(pk__in=chunk, poster__isnull=False).values_list("poster_id", flat=True)
        MediaItem.objects.filter(pk__in=list(posters)).update(public=True)


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0002_video_captions"),
        ("articles", "0005_article_legacy_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="mediaitem",
            name="public",
            field=models.BooleanField(
                default=False,
                help_text="Readers may see it even before a live story uses it. Items used by a live story "
                "are public anyway; until then only staff can open them.",
            ),
        ),
        migrations.AlterField(
            model_name="mediaitem",
            name="file",
            field=models.FileField(
                blank=True,
                db_index=True,
                max_length=255,
                upload_to=media.models.media_upload_to,
                help_text="JPEG, PNG or WebP image, or MP4 video. Checked by content, not by name.",
            ),
        ),
        migrations.RunPython(mark_media_of_live_stories_public, migrations.RunPython.noop),
    ]
