"""Indexes for the home page's pinned stories and for the next scheduled change of the live set.

`live().filter(pinned=True)` ordered by date otherwise reads the status/date index over every
published article to find the few (often no) pinned ones: ~90 ms at 100,000 articles on SQLite.
The index covers every column live() reads: SQLite's statistics cannot tell that pinned
stories are rare, and only a covering index beats the status/date index for it then.
`next_boundary()` (the next embargo end and expiry, once per content generation) otherwise
reads every published article twice: ~0.3 s on SQLite, ~25 ms on PostgreSQL at 100,000.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_search_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["pinned", "status", "-published_at", "is_stub", "embargo_until", "expires_at"],
                name="article_pinned_pub_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["status", "embargo_until"], name="article_status_embargo_idx"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["status", "expires_at"], name="article_status_expiry_idx"),
        ),
    ]
