"""Shared set-up for the working-draft tests: a live story written by a reporter, published by
an editor, with a byline, a tag and a related story, and helpers to read its state."""

import pytest

from articles.models import Article, AuditEntry, Revision, WorkingDraft
from tests.live_story import publish_live_story


@pytest.fixture
def live(people, django_capture_on_commit_callbacks):
    """A published story: written by rita (reporter), published by edith (editor)."""
    with django_capture_on_commit_callbacks(execute=True):
        return publish_live_story(people, summary="The new barrier kept the river out of the old town.")


def fresh(article: Article) -> Article:
    return Article.objects.get(pk=article.pk)


def draft_of(article: Article) -> WorkingDraft | None:
    return WorkingDraft.objects.filter(article_id=article.pk).first()


def story_state(article: Article) -> dict:
    """What a refused draft action must leave alone: the live row, its lists, its revisions,
    the audit log and the draft."""
    row = Article.objects.filter(pk=article.pk).values().first()
    draft = WorkingDraft.objects.filter(article_id=article.pk).values().first()
    return {
        "row": row,
        "tags": sorted(fresh(article).tags.values_list("pk", flat=True)),
        "related": list(fresh(article).related_links.order_by("position").values_list("target_id", flat=True)),
        "revisions": Revision.objects.filter(article_id=article.pk).count(),
        "audit": AuditEntry.objects.count(),
        "draft": draft,
    }


def last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-pk").first()
