"""The admin's doors for state changes: on the change form the publishing desk's buttons (and
nothing else), on the list the bulk actions; each calls the action functions. "Publish now" is
not offered for a story already live, and is refused if a stale page still posts it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import actions
from articles.models import Article, AuditEntry
from tests.roles import draft_by

pytestmark = pytest.mark.django_db


def offered(client, article) -> str:
    return client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()


def state_url(article, name: str) -> str:
    return reverse("admin:articles_article_state", args=[article.pk, name])


def test_publish_now_is_offered_for_a_draft_and_a_scheduled_story_not_a_live_one(people, login):
    client = login(people["editor"])
    draft = draft_by(people["author"])
    assert state_url(draft, "publish") in offered(client, draft)

    scheduled = actions.schedule(
        actor=people["editor"], article=draft_by(people["author"]), at=timezone.now() + timedelta(hours=2)
    )
    assert state_url(scheduled, "publish") in offered(client, scheduled)

    live = actions.publish(actor=people["editor"], article=draft_by(people["author"]))
    page = offered(client, live)
    assert state_url(live, "publish") not in page and "Publish now" not in page
    # Its other doors stay: reschedule, unpublish, archive.
    for name in ("schedule", "unpublish", "archive"):
        assert state_url(live, name) in page


def test_publish_now_posted_for_a_live_story_keeps_its_dateline(people, login):
    live = actions.publish(
        actor=people["editor"], article=draft_by(people["author"]), at=timezone.now() - timedelta(hours=5)
    )
    dateline, entries = live.published_at, AuditEntry.objects.count()
    response = login(people["editor"]).post(state_url(live, "publish"), follow=True)
    assert "already published" in response.content.decode()
    live.refresh_from_db()
    assert live.published_at == dateline and AuditEntry.objects.count() == entries


def test_bulk_publish_skips_live_stories_and_publishes_the_rest(people, login):
    live = actions.publish(
        actor=people["editor"], article=draft_by(people["author"]), at=timezone.now() - timedelta(hours=5)
    )
    draft = draft_by(people["author"])
    dateline = live.published_at
    response = login(people["editor"]).post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [live.pk, draft.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 article(s) published." in page and "already published" in page
    live.refresh_from_db()
    draft.refresh_from_db()
    assert live.published_at == dateline
    assert draft.status == Article.Status.PUBLISHED


def test_scheduling_from_the_desk_goes_through_the_action(people, login):
    article = draft_by(people["author"])
    at = timezone.localtime(timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    login(people["editor"]).post(state_url(article, "schedule"), {"at": at.strftime("%Y-%m-%dT%H:%M")})
    article.refresh_from_db()
    assert (article.status, article.published_at) == ("published", at)
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.actor, entry.article_id) == ("schedule", people["editor"], article.pk)


def test_an_unknown_state_change_changes_nothing(people, login):
    article = draft_by(people["author"])
    response = login(people["editor"]).post(state_url(article, "promote"), follow=True)
    assert "Unknown state change" in response.content.decode()
    article.refresh_from_db()
    assert article.status == "draft"
