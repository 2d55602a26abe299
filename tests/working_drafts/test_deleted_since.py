"""A working draft naming something deleted since it was saved (a tag, a section, an author, a
related story, its lead media) is refused when published, now or at its time, with the reason;
it never breaks the request that happens to publish it. These tests commit for real, as the
database checks its references only then."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from articles import actions
from articles.models import Article, WorkingDraft
from media.ingest import ingest_bytes
from media.samples import draw_photo
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.roles import make_member

T = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def world(transactional_db):
    with time_machine.travel(T - timedelta(hours=2), tick=False):
        chief = make_member("Chief editor", "cara", "C/RA")
        article = ArticleFactory(title="Pier repairs begin", section=SectionFactory(name="Piers", slug="piers"))
        return {"chief": chief, "article": article}


def gone_tag(world):
    tag = TagFactory(name="Soon gone")
    return {"tag_ids": [tag.pk]}, lambda: actions.delete_tag(actor=world["chief"], tag=tag)


def gone_section(world):
    section = SectionFactory(name="Soon gone", slug="soon-gone")
    return {"section_id": section.pk}, lambda: section.delete()


def gone_author(world):
    author = AuthorFactory(name="Soon Gone")
    return {"author_ids": [author.pk]}, lambda: actions.delete_author(actor=world["chief"], author=author)


def gone_related(world):
    target = ArticleFactory(title="Soon deleted")
    return {"related_ids": [target.pk]}, lambda: actions.delete_article(actor=world["chief"], article=target)


def gone_lead_media(world):
    item = ingest_bytes(draw_photo(120, 80, seed=3), filename="pier.jpg", title="Pier")
    return {"lead_media_id": item.pk}, lambda: item.delete()


GONE = [gone_tag, gone_section, gone_author, gone_related, gone_lead_media]


def draft_naming(world, make):
    article = world["article"]
    changes, delete = make(world)
    actions.save_draft(
        actor=world["chief"],
        article=article,
        changes={"title": "Pier reopens", **changes},
        base_version=article.version,
    )
    return delete


@pytest.mark.parametrize("make", GONE, ids=lambda make: make.__name__)
def test_publishing_now_is_refused_with_the_reason(world, make):
    with time_machine.travel(T - timedelta(hours=1), tick=False):
        delete = draft_naming(world, make)
        delete()
        with pytest.raises(ValidationError):
            actions.publish_draft(actor=world["chief"], article=world["article"], draft_version=1)
    assert Article.objects.get(pk=world["article"].pk).title == "Pier repairs begin"
    assert WorkingDraft.objects.filter(article=world["article"]).exists()


@pytest.mark.parametrize("make", GONE, ids=lambda make: make.__name__)
def test_at_its_time_the_request_is_answered_and_the_draft_says_why(world, make):
    article = world["article"]
    with time_machine.travel(T - timedelta(hours=1), tick=False):
        delete = draft_naming(world, make)
        actions.publish_draft(actor=world["chief"], article=article, draft_version=1, at=T)
        delete()
    with time_machine.travel(T, tick=False):
        response = Client().get(article.get_absolute_url())
        assert response.status_code == 200
        assert "Pier repairs begin" in response.content.decode()
        assert Client().get("/").status_code == 200  # and the next one too
    draft = WorkingDraft.objects.get(article=article)
    assert draft.publish_at is None and draft.problem
