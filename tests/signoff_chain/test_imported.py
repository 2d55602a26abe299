"""Imported stories keep the sign-off they came with: edits, publishing and published working
drafts record the chain on each revision, but never rewrite the legacy sign-off line."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from articles import actions
from articles.models import Article, Revision
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PAGE = Path(__file__).parents[1] / "importer" / "fixtures" / "port_cranes.txt"


def roles(article) -> list[tuple[str, str]]:
    revision = Revision.objects.filter(article_id=article.pk).order_by("-number").first()
    return [(e["role"], e["user"]["username"]) for e in revision.chain]


def work_on(people, article) -> Article:
    """Edit, publish, then publish a working draft, each by a person with a desk code."""
    article = Article.objects.get(pk=article.pk)
    article.summary = "Edited on the desk."
    actions.save_article(actor=people["editor"], article=article, base_version=article.version)
    actions.publish(actor=people["chief"], article=article)
    article = Article.objects.get(pk=article.pk)
    actions.save_draft(
        actor=people["editor"], article=article, changes={"title": "Cranes back at work"}, base_version=article.version
    )
    actions.publish_draft(actor=people["chief"], article=article, draft_version=1)
    return Article.objects.get(pk=article.pk)


def test_an_imported_page_keeps_its_legacy_sign_off(people):
    call_command("import_legacy", str(PAGE), stdout=io.StringIO())
    article = Article.objects.get(is_stub=False)
    assert article.signoff == "R/KN 3" and (article.legacy_key or article.legacy_id)
    assert roles(article) == []  # the importer is the system: nobody in the chain
    stored = work_on(people, article)
    assert stored.title == "Cranes back at work"
    assert stored.signoff == "R/KN 3"
    assert roles(stored) == [("editor", "edith"), ("approver", "carl"), ("publisher", "carl")]


def test_an_import_run_as_a_person_still_keeps_the_legacy_sign_off(people):
    call_command("import_legacy", str(PAGE), user="edith", stdout=io.StringIO())
    article = Article.objects.get(is_stub=False)
    assert [role for role, _ in roles(article)] in ([], ["writer"])
    assert article.signoff == "R/KN 3"
    work_on(people, article)
    assert Article.objects.get(pk=article.pk).signoff == "R/KN 3"


@pytest.mark.parametrize("identity", [{"legacy_id": 4100999}, {"legacy_key": "archive/2016/07/12/cranes"}])
def test_a_story_with_a_legacy_identity_keeps_its_sign_off(people, identity):
    article = ArticleFactory(signoff="Q/RS 9", **identity)
    stored = work_on(people, article)
    assert stored.signoff == "Q/RS 9"
    assert ("publisher", "carl") in roles(stored)


def test_a_desk_story_gets_the_line_from_its_chain(people):
    """The control: without a legacy identity the same work rewrites the line."""
    article = ArticleFactory(signoff="Q/RS 9")
    stored = work_on(people, article)
    assert stored.signoff == "E/DH/C/HF"
