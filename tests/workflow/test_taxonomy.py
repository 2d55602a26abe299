"""Sections and tags change through their action functions: permission, validation, audit, and
one announcement of what changed (heard by the page cache after commit)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

import changes
from articles import actions
from articles.models import AuditEntry, Section, Tag
from tests.factories import ArticleFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_a_reporter_may_add_a_tag_but_not_a_section(people):
    actions.save_tag(actor=people["author"], tag=Tag(name="Floods"))
    with pytest.raises(PermissionDenied):
        actions.save_section(actor=people["author"], section=Section(name="Harbour"))
    assert not Section.objects.filter(name="Harbour").exists()


def test_only_the_chief_editor_deletes(people):
    section, tag = SectionFactory(), TagFactory()
    for role in ("author", "editor"):
        with pytest.raises(PermissionDenied):
            actions.delete_section(actor=people[role], section=section)
        with pytest.raises(PermissionDenied):
            actions.delete_tag(actor=people[role], tag=tag)
    actions.delete_tag(actor=people["chief"], tag=tag)
    actions.delete_section(actor=people["chief"], section=section)
    assert not Section.objects.filter(pk=section.pk).exists() and not Tag.objects.filter(pk=tag.pk).exists()


def test_names_are_validated_as_forms_do(people):
    with pytest.raises(ValidationError) as refused:
        actions.save_section(actor=people["editor"], section=Section(name="Bad\x07name"))
    assert "name" in refused.value.message_dict
    SectionFactory(name="Iraq", slug="iraq")
    with pytest.raises(ValidationError):
        actions.save_section(actor=people["editor"], section=Section(name="Iraq again", slug="iraq"))
    assert AuditEntry.objects.filter(action="section_create").count() == 0


def test_a_section_holding_articles_is_refused(people):
    article = ArticleFactory()
    with pytest.raises(ValidationError):
        actions.delete_section(actor=people["chief"], section=article.section)
    assert Section.objects.filter(pk=article.section_id).exists()


def test_renaming_a_section_moves_and_announces_its_subsections(people, heard, django_capture_on_commit_callbacks):
    iraq = SectionFactory(name="Iraq", slug="iraq")
    conflict = SectionFactory(name="Conflict", slug="conflict", parent=iraq)
    iraq.slug = "iraq-news"
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_section(actor=people["editor"], section=iraq)
    conflict.refresh_from_db()
    assert conflict.path == "iraq-news/conflict"
    assert heard == [changes.Change(sections=frozenset({iraq.pk, conflict.pk}))]


def test_a_tag_change_announces_the_articles_carrying_it(people, heard, django_capture_on_commit_callbacks):
    tag = TagFactory(name="Floods")
    article = ArticleFactory(tags=[tag])
    tag.name = "Flooding"
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_tag(actor=people["editor"], tag=tag)
    assert heard == [changes.Change(tags=frozenset({tag.pk}), articles=frozenset({article.pk}))]


def test_a_refused_change_announces_nothing(people, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        actions.save_tag(actor=people["editor"], tag=Tag(name="Bad\x07tag"))
    assert heard == []
