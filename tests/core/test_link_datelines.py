"""Tag links and byline rows carry a copy of their article's dateline (articles.link_dates),
which tag and author pages read in index order: after every action that publishes, schedules,
moves the dateline, unpublishes, changes tags or the byline, restores a revision or publishes
a working draft, every link row's date equals its article's, checked in the database."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from articles import actions
from articles.models import Article, Byline, TagLink
from tests.factories import AuthorFactory, SectionFactory, TagFactory
from tests.live_story import publish_live_story

pytestmark = pytest.mark.django_db


def out_of_step() -> list[tuple[str, int, int]]:
    """(table, article id, link id) of every link row whose date is not its article's."""
    dated = Q(published_at__isnull=False, article__published_at__isnull=False)
    differs = (
        (dated & ~Q(published_at=F("article__published_at")))
        | Q(published_at__isnull=True, article__published_at__isnull=False)
        | Q(published_at__isnull=False, article__published_at__isnull=True)
    )
    return [
        (model._meta.db_table, article_id, pk)
        for model in (TagLink, Byline)
        for article_id, pk in model.objects.filter(differs).values_list("article_id", "pk")
    ]


def test_every_action_keeps_the_link_datelines(people):
    editor = people["editor"]
    water, floods = TagFactory(name="Water", slug="water"), TagFactory(name="Floods", slug="floods")
    sara, omar = AuthorFactory(name="Sara"), AuthorFactory(name="Omar")
    story = Article(title="Dams", section=SectionFactory(), body="<p>Dams.</p>")
    steps = []

    def step(name, call):
        call()
        story.refresh_from_db()
        steps.append((name, story.published_at, TagLink.objects.count() + Byline.objects.count(), out_of_step()))

    step("create", lambda: actions.save_article(actor=editor, article=story, tags=[water], author_ids=[sara.pk]))
    step("publish", lambda: actions.publish(actor=editor, article=story))
    later = timezone.now().replace(microsecond=0) + timedelta(days=2)
    step("schedule", lambda: actions.schedule(actor=editor, article=story, at=later))
    earlier = timezone.now().replace(microsecond=0) - timedelta(days=30)
    step("set_timeline", lambda: actions.set_timeline(actor=editor, article=story, published_at=earlier))

    def edit():
        story.published_at = earlier - timedelta(days=1)
        actions.save_article(
            actor=editor,
            article=story,
            base_version=story.version,
            tags=[water, floods],
            author_ids=[omar.pk, sara.pk],
        )

    step("save with a new dateline, tags and byline", edit)
    step("unpublish", lambda: actions.unpublish(actor=editor, article=story))
    step("publish again", lambda: actions.publish(actor=editor, article=story, at=earlier))
    first = story.revisions.order_by("number").first()
    step("restore revision", lambda: actions.restore_revision(actor=editor, article=story, revision=first))
    step("archive", lambda: actions.archive(actor=editor, article=story))

    datelines = [dateline for _, dateline, _, _ in steps]
    assert None in datelines and later in datelines and earlier - timedelta(days=1) in datelines  # it moved
    assert [count for _, _, count, _ in steps][-5:] == [4, 4, 4, 2, 2]  # links came and went
    assert [(name, wrong) for name, _, _, wrong in steps if wrong] == []


def test_publishing_a_working_draft_keeps_the_link_datelines(people):
    editor = people["editor"]
    story = publish_live_story(people)
    actions.set_timeline(actor=editor, article=story, published_at=story.published_at - timedelta(days=3))
    story.refresh_from_db()
    tag, author = TagFactory(name="Dams", slug="dams"), AuthorFactory(name="Nour")
    changes = {"tag_ids": [tag.pk], "author_ids": [author.pk]}
    draft = actions.save_draft(actor=editor, article=story, changes=changes, base_version=story.version)
    actions.publish_draft(actor=editor, article=story, draft_version=draft.version)
    assert set(TagLink.objects.filter(article=story).values_list("tag_id", "published_at")) == {
        (tag.pk, story.published_at)
    }
    assert list(Byline.objects.filter(article=story).values_list("author_id", flat=True)) == [author.pk]
    assert out_of_step() == []


def test_the_migration_copies_the_datelines_in_batches(people, monkeypatch):
    """Link rows written before the column existed get their article's dateline, batch by batch."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("articles.migrations.0009_link_datelines")
    story = publish_live_story(people)
    TagLink.objects.update(published_at=None)
    Byline.objects.update(published_at=None)
    assert len(out_of_step()) == 2
    monkeypatch.setattr(migration, "BATCH", 1)  # one row a batch: every batch boundary is crossed

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.copy_datelines(apps, editor)
    assert out_of_step() == []
    assert TagLink.objects.get(article=story).published_at == story.published_at


def test_the_command_repairs_rows_the_old_release_wrote(people):
    """Between the migration and the restart the old code writes link rows without the date."""
    from io import StringIO

    from django.core.management import call_command

    before = timezone.now()
    story = publish_live_story(people)
    TagLink.objects.filter(article=story).update(published_at=None)
    Byline.objects.filter(article=story).update(published_at=None)
    out = StringIO()
    call_command("copy_link_datelines", since=before.isoformat(), stdout=out)
    assert out_of_step() == []
    assert out.getvalue().startswith("2 articles")  # the story and its related one
