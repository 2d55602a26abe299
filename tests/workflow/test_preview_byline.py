"""A revision's preview shows that revision's byline, not the one saved since."""

import re

import pytest
from django.urls import reverse

from articles import actions
from articles.desk.preview import revision_authors
from tests.factories import AuthorFactory
from tests.workflow.test_preview import draft_by

pytestmark = pytest.mark.django_db


def byline_names(html: str) -> list[str]:
    match = re.search(r'<p class="byline"[^>]*>(.*?)</p>', html, re.S)
    return re.findall(r"<bdi>([^<]+)</bdi>", match.group(1)) if match else []


def test_preview_of_an_older_revision_shows_its_own_byline(people, login):
    sara, omid = AuthorFactory(name="Sara Hamidi"), AuthorFactory(name="Omid Karimi")
    article = draft_by(people["author"], title="Bridge reopens")
    actions.save_article(
        actor=people["editor"], article=article, base_version=article.version, author_ids=[omid.pk, sara.pk]
    )
    with_two = article.revisions.order_by("-number").first()
    actions.save_article(actor=people["editor"], article=article, base_version=article.version, author_ids=[sara.pk])
    client = login(people["editor"])

    older = client.get(reverse("admin:articles_article_revision_preview", args=[article.pk, with_two.number]))
    newest = client.get(reverse("admin:articles_article_revision_preview", args=[article.pk, with_two.number + 1]))

    assert byline_names(older.content.decode()) == ["Omid Karimi", "Sara Hamidi"]
    assert byline_names(newest.content.decode()) == ["Sara Hamidi"]


def test_a_revision_older_than_bylines_falls_back_to_the_saved_byline(people):
    article = draft_by(people["author"], title="Old story")
    revision = article.revisions.first()
    revision.data.pop("author_ids", None)
    assert revision_authors(revision) is None
