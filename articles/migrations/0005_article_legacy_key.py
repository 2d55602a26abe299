# Legacy identity of imported articles (issue #13): a unique key per legacy page, and a digest of what the importer wrote.

import importlib

from django.db import migrations, models

_search = importlib.import_module("articles.migrations.0003_search_index")


def restore_sqlite_search_triggers(apps, schema_editor):
    """SQLite adds a unique column by rebuilding the table, which drops its triggers: the
    full-text index would stop following the articles. Put the triggers back and re-read the
    table into the index."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in _search.SQLITE_DROP[:3] + [s for s in _search.SQLITE_CREATE if "TRIGGER" in s or "rebuild" in s]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_pinned_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="legacy_digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="article",
            name="legacy_key",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Identity of the legacy page this article was imported from.",
                max_length=64,
                null=True,
                unique=True,
            ),
        ),
        migrations.RunPython(restore_sqlite_search_triggers, migrations.RunPython.noop),
    ]
