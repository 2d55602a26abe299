"""The admin index is the desk: my drafts, waiting for review, scheduled for the next 24 hours,
published today; each list links to the change forms and costs the same queries whatever its length."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.cache_lifetime import shared_cache_seconds
from articles.desk.index import DESK_LIST_LENGTH, desk_lists
from articles.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def section_of(page: str, key: str) -> str:
    match = re.search(rf'<section class="module nr-desk-list" id="desk-{key}".*?</section>', page, re.S)
    assert match, f"no desk list {key}"
    return match.group(0)


def change_link(article) -> str:
    return f'<a href="{reverse("admin:articles_article_change", args=[article.pk])}">{article.title}'


def fill_lists(editor, count: int) -> None:
    now = timezone.now()
    for n in range(count):
        ArticleFactory(title=f"My draft {n}", draft=True, created_by=editor)
        ArticleFactory(title=f"For review {n}", status=Article.Status.REVIEW, published_at=None)
        ArticleFactory(title=f"Goes live {n}", published_at=now + timedelta(hours=2, minutes=n))
        ArticleFactory(title=f"Out today {n}", published_at=now - timedelta(seconds=5 + n))


def test_the_desk_lists_each_kind_of_story_with_links(editor_client, editor):
    now = timezone.now()
    mine = ArticleFactory(title="Council budget <draft>", draft=True, created_by=editor)
    theirs = ArticleFactory(title="Someone else's draft", draft=True, created_by=UserFactory())
    review = ArticleFactory(title="Harbour wall vote", status=Article.Status.REVIEW, published_at=None)
    soon = ArticleFactory(title="Bridge opening", published_at=now + timedelta(hours=3))
    later = ArticleFactory(title="Next week's festival", published_at=now + timedelta(hours=30))
    today = ArticleFactory(title="Ferry timetable", published_at=now - timedelta(seconds=5))
    page = editor_client.get(reverse("admin:index")).content.decode()

    drafts = section_of(page, "drafts")
    assert "My drafts" in drafts and change_link(mine).replace("<draft>", "&lt;draft&gt;") in drafts
    assert theirs.title.replace("'", "&#x27;") not in drafts and "Someone else" not in drafts
    assert change_link(review) in section_of(page, "review")
    scheduled = section_of(page, "scheduled")
    assert change_link(soon) in scheduled and later.title not in scheduled
    published = section_of(page, "today")
    assert change_link(today) in published and soon.title not in published
    # The app list stays on the page, below the desk.
    assert page.index('id="desk"') < page.index('class="app-articles')
    assert reverse("admin:articles_article_changelist") in page and reverse("admin:media_mediaitem_changelist") in page


def test_empty_lists_say_so(editor_client):
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "No drafts of yours." in page and "Nothing is waiting for review." in page
    assert "Nothing goes live in the next 24 hours." in page and "Nothing published yet today." in page


def test_published_today_starts_at_local_midnight():
    now = timezone.make_aware(timezone.datetime(2026, 5, 4, 10, 0))
    ArticleFactory(title="Early edition", published_at=timezone.make_aware(timezone.datetime(2026, 5, 4, 0, 5)))
    ArticleFactory(title="Last night", published_at=timezone.make_aware(timezone.datetime(2026, 5, 3, 23, 55)))
    ArticleFactory(title="Later today", published_at=timezone.make_aware(timezone.datetime(2026, 5, 4, 11, 0)))
    lists = {item.key: [a.title for a in item.articles] for item in desk_lists(UserFactory(), now)}
    assert lists["today"] == ["Early edition"]
    assert lists["scheduled"] == ["Later today"]


def test_each_list_is_bounded():
    user = UserFactory()
    fill_lists(user, DESK_LIST_LENGTH + 3)
    assert all(len(item.articles) == DESK_LIST_LENGTH for item in desk_lists(user))


def test_the_desk_costs_the_same_queries_for_one_or_ten_stories_per_list(
    editor_client, editor, django_assert_num_queries
):
    fill_lists(editor, 1)
    # The cache lifetime's look-ups (next boundary, next due change) are made once per content
    # generation, not per page: made before counting.
    shared_cache_seconds()
    with CaptureQueriesContext(connection) as one:
        assert editor_client.get(reverse("admin:index")).status_code == 200
    Article.objects.all().delete()
    fill_lists(editor, 10)
    with django_assert_num_queries(len(one.captured_queries)):
        page = editor_client.get(reverse("admin:index")).content.decode()
    assert page.count("My draft ") == min(10, DESK_LIST_LENGTH)
    assert page.count("Out today ") == min(10, DESK_LIST_LENGTH)


def test_staff_without_article_rights_get_the_plain_index(client):
    UserFactory(username="archivist", is_staff=True, perms=["media.view_mediaitem"])
    assert client.login(username="archivist", password="pass-word-123")
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="desk"' not in page and "My drafts" not in page
