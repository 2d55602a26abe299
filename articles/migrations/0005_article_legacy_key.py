# Legacy identity of imported articles (issue #13): a unique key per legacy page, and a digest of what the importer wrote.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0004_pinned_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='legacy_digest',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='article',
            name='legacy_key',
            field=models.CharField(blank=True, editable=False, help_text='Identity of the legacy page this article was imported from.', max_length=64, null=True, unique=True),
        ),
    ]
