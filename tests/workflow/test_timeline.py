"""One timeline, no cron: a scheduled article appears at its second, an embargo lifts at its
second, an expiry removes the article at its second, on every public surface, cached or not."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles import actions
from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

T = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def public_surfaces(client, article: Article) -> dict[str, bool]:
    """Whether each public surface shows `article` right now (as an anonymous reader)."""
    url = article.get_absolute_url()
    section = article.section

    def lists(path, *, gone_when_empty=False):
        response = client.get(path)
        if gone_when_empty and response.status_code == 404:
            return False  # a section with no live story is not public at all
        assert response.status_code == 200, path
        return url in response.content.decode()

    return {
        "live()": Article.objects.live().filter(pk=article.pk).exists(),
        "article page": client.get(url).status_code == 200,
        "home": lists(reverse("home")),
        "section page": lists(reverse("section", kwargs={"path": section.path}), gone_when_empty=True),
        "rss": lists(reverse("feed-rss")),
        "atom": lists(reverse("feed-atom")),
        "section feed": lists(reverse("feed-section", kwargs={"path": section.path}), gone_when_empty=True),
        "sitemap": lists(reverse("sitemap-section", kwargs={"section": "articles"})),
        "news sitemap": lists(reverse("sitemap-news")),
        "API list": article.pk in [item["id"] for item in client.get(reverse("article-list")).json()["results"]],
        "API detail": client.get(reverse("article-detail", kwargs={"pk": article.pk})).status_code == 200,
    }


def shown_everywhere(client, article):
    surfaces = public_surfaces(client, article)
    assert all(surfaces.values()), f"missing from: {[k for k, v in surfaces.items() if not v]}"


def shown_nowhere(client, article):
    surfaces = public_surfaces(client, article)
    assert not any(surfaces.values()), f"leaks on: {[k for k, v in surfaces.items() if v]}"


@pytest.fixture
def draft(editor):
    with time_machine.travel(T - timedelta(hours=2), tick=False):
        article = ArticleFactory.build(draft=True, section=SectionFactory(), title="Dam inspection report released")
        return actions.save_article(actor=editor, article=article)


def test_scheduled_article_goes_live_at_its_second(client, editor, draft):
    with time_machine.travel(T - timedelta(hours=1), tick=False):
        actions.schedule(actor=editor, article=draft, at=T)
    with time_machine.travel(T - SECOND, tick=False):
        shown_nowhere(client, draft)
    with time_machine.travel(T, tick=False):
        shown_everywhere(client, draft)


def test_embargo_holds_a_published_article_back_until_its_second(client, editor, draft):
    with time_machine.travel(T - timedelta(hours=1), tick=False):
        actions.publish(actor=editor, article=draft)
        actions.embargo(actor=editor, article=draft, until=T)
        shown_nowhere(client, draft)
    with time_machine.travel(T - SECOND, tick=False):
        shown_nowhere(client, draft)
    with time_machine.travel(T, tick=False):
        shown_everywhere(client, draft)


def test_expiry_removes_the_article_at_its_second(client, editor, draft):
    with time_machine.travel(T - timedelta(hours=1), tick=False):
        actions.publish(actor=editor, article=draft)
        actions.set_timeline(actor=editor, article=draft, expires_at=T)
    with time_machine.travel(T - SECOND, tick=False):
        shown_everywhere(client, draft)
    with time_machine.travel(T, tick=False):
        shown_nowhere(client, draft)


def test_a_cached_home_page_does_not_keep_showing_an_expired_article(client, editor, draft, settings):
    # An in-process cache whatever CACHE_URL says, so the test can see the page was stored.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "home"}}
    from django.core.cache import cache

    with time_machine.travel(T - timedelta(hours=1), tick=False):
        actions.publish(actor=editor, article=draft)
        actions.set_timeline(actor=editor, article=draft, expires_at=T)
    url = draft.get_absolute_url()
    with time_machine.travel(T - SECOND, tick=False):
        for _ in range(2):  # the second request is the one a page cache would answer
            assert url in client.get(reverse("home")).content.decode()
        assert any(key.startswith(":1:newsroom:page") for key in cache._cache), "the home page was not cached"
    with time_machine.travel(T, tick=False):
        assert url not in client.get(reverse("home")).content.decode()


def test_timeline_changes_are_refused_when_they_make_no_sense(editor, draft):
    from django.core.exceptions import ValidationError

    with time_machine.travel(T, tick=False):
        with pytest.raises(ValidationError, match="future"):
            actions.schedule(actor=editor, article=draft, at=T - SECOND)
        with pytest.raises(ValidationError, match="expiry must come after the embargo"):
            actions.set_timeline(actor=editor, article=draft, embargo_until=T + SECOND, expires_at=T)
        actions.publish(actor=editor, article=draft)
        with pytest.raises(ValidationError, match="needs a dateline"):
            actions.set_timeline(actor=editor, article=draft, published_at=None)
    draft.refresh_from_db()
    assert draft.embargo_until is None and draft.expires_at is None and draft.published_at == T
