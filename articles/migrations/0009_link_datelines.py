"""The article's dateline copied onto its tag links and byline rows, indexed for listings.

Tag and author pages ask for "the newest live stories with tag T / by author A"; ordered by the
article's own dateline the database either walked the whole archive's date index or read every
story of the tag. With the dateline on the link row, (tag, dateline, article) and (author,
dateline, article) indexes give the newest first, joined to the articles by primary key.

The tag links become a model of their own (`TagLink`) on the table the plain many-to-many field
made (`articles_article_tags`): the table, its rows and ids stay; only Django's idea of it
changes (no SQL), then the new column and indexes are added. The dateline is copied in batches
of BATCH link rows, each batch its own transaction (the migration is not atomic), so a large
archive never holds one long transaction on the link tables: about a minute and a half for a
million stories on PostgreSQL (docs/deployment.md).
"""

import django.db.models.deletion
from django.db import migrations, models, transaction
from django.db.models import OuterRef, Subquery

BATCH = 20_000


def copy_datelines(apps, schema_editor):
    """Each link row's published_at := its article's, BATCH rows (by id) at a time."""
    article = apps.get_model("articles", "Article")
    database = schema_editor.connection.alias
    for name in ("TagLink", "Byline"):
        links = apps.get_model("articles", name).objects.using(database)
        dateline = Subquery(article.objects.using(database).filter(pk=OuterRef("article_id")).values("published_at"))
        last = links.aggregate(last=models.Max("id"))["last"] or 0
        for start in range(0, last, BATCH):
            with transaction.atomic(using=database):
                links.filter(id__gt=start, id__lte=start + BATCH).update(published_at=dateline)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0008_stored_search_vector"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TagLink",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="tag_links",
                                to="articles.article",
                            ),
                        ),
                        (
                            "tag",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="links", to="articles.tag"
                            ),
                        ),
                    ],
                    options={"db_table": "articles_article_tags", "unique_together": {("article", "tag")}},
                ),
                migrations.AlterField(
                    model_name="article",
                    name="tags",
                    field=models.ManyToManyField(
                        blank=True, related_name="articles", through="articles.TagLink", to="articles.tag"
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="taglink",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, help_text="The article's dateline.", null=True),
        ),
        migrations.AddField(
            model_name="byline",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, help_text="The article's dateline.", null=True),
        ),
        migrations.RunPython(copy_datelines, migrations.RunPython.noop, elidable=True),
        # The unique pair as a named constraint; the lone tag index gives way to the listing one.
        migrations.AlterUniqueTogether(name="taglink", unique_together=set()),
        migrations.AddConstraint(
            model_name="taglink",
            constraint=models.UniqueConstraint(fields=("article", "tag"), name="tag_link_once"),
        ),
        migrations.AlterField(
            model_name="taglink",
            name="tag",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="links", to="articles.tag"
            ),
        ),
        migrations.AddIndex(
            model_name="taglink",
            index=models.Index(fields=["tag", "-published_at", "-article"], name="tag_link_listing_idx"),
        ),
        migrations.RemoveIndex(model_name="byline", name="byline_author_idx"),
        migrations.AlterField(
            model_name="byline",
            name="author",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="bylines",
                to="articles.author",
            ),
        ),
        migrations.AddIndex(
            model_name="byline",
            index=models.Index(fields=["author", "-published_at", "-article"], name="byline_listing_idx"),
        ),
    ]
