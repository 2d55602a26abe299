"""What each state allows: a move that makes no sense in the current state is refused with a
clear message and changes nothing, whoever asks."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles import actions
from articles.desk.admin import ArticleForm
from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory
from tests.roles import draft_by
from tests.workflow.helpers import change_data, state_of

pytestmark = pytest.mark.django_db


def in_state(people, status: str) -> Article:
    article = draft_by(people["author"])
    if status == "review":
        actions.submit_for_review(actor=None, article=article)
    elif status == "published":
        actions.publish(actor=None, article=article)
    elif status == "archived":
        actions.archive(actor=None, article=article)
    article.refresh_from_db()
    return article


@pytest.mark.parametrize(
    "status, move, message",
    [
        ("review", actions.submit_for_review, "Only a draft can be submitted"),
        ("published", actions.submit_for_review, "Only a draft can be submitted"),
        ("draft", actions.unpublish, "Only a published or scheduled article can be unpublished"),
        ("review", actions.unpublish, "Only a published or scheduled article can be unpublished"),
        ("archived", actions.archive, "already archived"),
    ],
)
def test_moves_that_make_no_sense_are_refused(people, status, move, message):
    article = in_state(people, status)
    before = state_of(article.pk)
    with pytest.raises(ValidationError, match=message):
        move(actor=people["chief"], article=article)
    assert state_of(article.pk) == before


def test_a_stub_cannot_be_published(people):
    stub = ArticleFactory(is_stub=True, draft=True)
    before = state_of(stub.pk)
    with pytest.raises(ValidationError, match="stub"):
        actions.publish(actor=people["editor"], article=stub)
    assert state_of(stub.pk) == before


def test_a_content_save_never_changes_the_state(people):
    article = in_state(people, "review")
    article.status = Article.Status.PUBLISHED  # a caller trying to publish through a save
    article.title = "Title changed"
    actions.save_article(actor=people["editor"], article=article, base_version=article.version)
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW and article.title == "Title changed"


def test_a_new_article_by_a_person_starts_as_a_draft(people):
    article = ArticleFactory.build(section=SectionFactory())  # the factory's default is published
    actions.save_article(actor=people["editor"], article=article)
    article.refresh_from_db()
    assert (article.status, article.created_by) == ("draft", people["editor"])
    assert not Article.objects.live().filter(pk=article.pk).exists()


def test_restoring_a_revision_whose_section_is_gone_is_refused(people):
    old_section = SectionFactory()
    article = draft_by(people["author"], section=old_section)
    first = article.revisions.get(number=1)
    article.section = SectionFactory()
    actions.save_article(actor=people["editor"], article=article, base_version=article.version)
    old_section.delete()
    before = state_of(article.pk)
    with pytest.raises(ValidationError, match="section deleted since"):
        actions.restore_revision(actor=people["editor"], article=article, revision=first)
    assert state_of(article.pk) == before


def test_clearing_the_dateline_of_a_published_article_is_refused_in_the_form(people, login):
    article = in_state(people, "published")
    before = state_of(article.pk)
    response = login(people["editor"]).post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_data(article, published_at_0="", published_at_1=""),
    )
    assert response.status_code == 200
    assert "needs a dateline" in str(response.context["adminform"].form.errors["published_at"])
    assert state_of(article.pk) == before


def test_a_save_losing_the_race_after_the_form_check_is_refused_too(people, login, monkeypatch):
    """The version check in the form and the save are not atomic; the action's lock is the guard."""
    monkeypatch.setattr(ArticleForm, "clean", lambda form: forms.ModelForm.clean(form))
    article = draft_by(people["author"])
    opened = change_data(article, title="My headline")
    theirs = Article.objects.get(pk=article.pk)
    theirs.title = "Their headline"
    actions.save_article(actor=people["chief"], article=theirs, base_version=theirs.version)
    before = state_of(article.pk)
    client = login(people["editor"])
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), opened, follow=True)
    assert "was changed by someone else" in response.content.decode()
    assert state_of(article.pk) == before
