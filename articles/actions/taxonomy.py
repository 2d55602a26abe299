"""Sections and tags: create or change them, delete them.

Pages show them (breadcrumbs, navigation, tag lists), so each change is announced like an
article's, and recorded in the audit log (no article: the section or tag is named instead).
The admin and any command call these; a direct ORM save is not announced.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

import changes
from articles import audit
from articles.actions.permissions import require
from articles.models import Section, Tag, make_slug

# Kept by Section.save() itself, never given by a caller.
_SECTION_DERIVED = ["path", "depth"]


def _changed_fields(model, stored, instance) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and getattr(stored, field.attname) != getattr(instance, field.attname)
    ]


@transaction.atomic
def save_section(*, actor: AbstractBaseUser | None, section: Section) -> Section:
    """Create `section` (no pk yet) or store the changes made to it.

    Validated as a form would (names without control characters, a slug unique among its
    siblings); an empty slug is made from the name. Moving or renaming a section moves its
    subsections' paths with it, and those are announced too.
    """
    creating = section.pk is None
    verb = "add" if creating else "change"
    require(actor, f"articles.{verb}_section", f"You may not {verb} sections.")
    stored = None if creating else Section.objects.select_for_update().get(pk=section.pk)
    section.slug = section.slug or make_slug(section.name, 100)
    section.full_clean(exclude=_SECTION_DERIVED)
    fields = ["name"] if creating else _changed_fields(Section, stored, section)
    if not fields:
        return section
    section.save()
    moved = [] if creating or stored.path == section.path else _subsection_ids(section)
    audit.record(
        actor=actor,
        action="section_create" if creating else "section_edit",
        object_repr=str(section),
        details={"section_id": section.pk, "fields": sorted(fields)},
    )
    changes.announce(sections={section.pk, *moved})
    return section


def _subsection_ids(section: Section) -> list[int]:
    return list(Section.objects.filter(path__startswith=section.path + "/").values_list("pk", flat=True))


@transaction.atomic
def delete_section(*, actor: AbstractBaseUser | None, section: Section) -> None:
    """Delete an empty section; one holding articles or subsections is refused (ValidationError)."""
    require(actor, "articles.delete_section", "You may not delete sections.")
    label, pk = str(section), section.pk
    try:
        Section.objects.filter(pk=pk).delete()
    except ProtectedError:
        raise ValidationError(f"“{label}” still holds articles or subsections; move them first.") from None
    audit.record(actor=actor, action="section_delete", object_repr=label, details={"section_id": pk})
    changes.announce(sections={pk})


@transaction.atomic
def save_tag(*, actor: AbstractBaseUser | None, tag: Tag) -> Tag:
    """Create `tag` (no pk yet) or store the changes made to it; an empty slug is made from the name."""
    creating = tag.pk is None
    verb = "add" if creating else "change"
    require(actor, f"articles.{verb}_tag", f"You may not {verb} tags.")
    stored = None if creating else Tag.objects.select_for_update().get(pk=tag.pk)
    tag.slug = tag.slug or make_slug(tag.name, 100)
    tag.full_clean()
    fields = ["name"] if creating else _changed_fields(Tag, stored, tag)
    if not fields:
        return tag
    tag.save()
    audit.record(
        actor=actor,
        action="tag_create" if creating else "tag_edit",
        object_repr=str(tag),
        details={"tag_id": tag.pk, "fields": sorted(fields)},
    )
    changes.announce(tags={tag.pk}, articles=_tagged(tag.pk))
    return tag


def _tagged(tag_id: int) -> list[int]:
    return list(Tag.articles.through.objects.filter(tag_id=tag_id).values_list("article_id", flat=True))


@transaction.atomic
def delete_tag(*, actor: AbstractBaseUser | None, tag: Tag) -> None:
    """Delete a tag; the articles carrying it lose it."""
    require(actor, "articles.delete_tag", "You may not delete tags.")
    label, pk = str(tag), tag.pk
    tagged = _tagged(pk)
    Tag.objects.filter(pk=pk).delete()
    audit.record(actor=actor, action="tag_delete", object_repr=label, details={"tag_id": pk})
    changes.announce(tags={pk}, articles=tagged)
