"""Authors and bylines: create or change an author, delete one no story names, set a byline.

Editors and up (the publish permission) keep the list of authors; anybody who may edit a story
sets its byline, as part of saving it (`save_article(author_ids=[...])`), so the byline's
order is in the story's revision and its audit entry. Author pages and bylines are public, so
every change is announced (`changes.announce(authors=…, articles=…)`).
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

import changes
from articles import audit
from articles.actions.permissions import actor_user, can_publish
from articles.link_dates import dateline_of
from articles.models import Article, Author, Byline, name_errors

# Kept by Author.save() itself, never given by a caller.
_AUTHOR_BOOKKEEPING = ["created_at", "updated_at"]
# At most this many authors in one byline (a wire story names a handful).
MAX_BYLINE = 20


def may_manage_authors(actor) -> bool:
    """Editors and up (`actor=None`: the system) add, change and delete authors."""
    return can_publish(actor)


def _require_manager(actor, verb: str) -> None:
    if not may_manage_authors(actor):
        raise PermissionDenied(f"Only editors may {verb} authors.")


def _changed_fields(stored: Author, author: Author) -> list[str]:
    return [
        field.name
        for field in Author._meta.concrete_fields
        if not field.primary_key
        and field.attname not in _AUTHOR_BOOKKEEPING
        and getattr(stored, field.attname) != getattr(author, field.attname)
    ]


def _credited(author_id: int) -> list[int]:
    return list(Byline.objects.filter(author_id=author_id).values_list("article_id", flat=True))


@transaction.atomic
def save_author(*, actor: AbstractBaseUser | None, author: Author) -> Author:
    """Create `author` (no pk yet) or store the changes made to it (editors and up).

    Only the name is required; an empty slug is made from the name (and made unique with a
    number when another author has it). Validated as a form would be: ValidationError names
    the field. A save that changes nothing records nothing.
    """
    creating = author.pk is None
    _require_manager(actor, "add" if creating else "change")
    author.name = (author.name or "").strip()
    name_errors(author.name)
    if not author.slug:
        author.slug = _free_slug(author)
    author.full_clean(exclude=_AUTHOR_BOOKKEEPING)
    stored = None if creating else Author.objects.select_for_update().get(pk=author.pk)
    fields = ["name"] if creating else _changed_fields(stored, author)
    if not fields:
        return author
    author.save()
    audit.record(
        actor=actor,
        action="author_create" if creating else "author_edit",
        object_repr=author.name,
        details={"author_id": author.pk, "fields": sorted(fields)},
    )
    changes.announce(authors={author.pk}, articles=_credited(author.pk))
    return author


def _free_slug(author: Author) -> str:
    """A slug made from the name that no other author has ("sara-hamidi", then "sara-hamidi-2")."""
    base = slugify(author.name)[:190].strip("-") or slugify(author.name, allow_unicode=True)[:190] or "author"
    taken = set(Author.objects.filter(slug__startswith=base).exclude(pk=author.pk).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


@transaction.atomic
def delete_author(*, actor: AbstractBaseUser | None, author: Author) -> None:
    """Delete an author no story names (editors and up); one still in a byline is refused."""
    _require_manager(actor, "delete")
    stored = Author.objects.select_for_update().filter(pk=author.pk).first()
    if stored is None:
        raise ValidationError("This author no longer exists.")
    credited = Byline.objects.filter(author=stored).count()
    if credited:
        raise ValidationError(
            f"“{stored.name}” is in the byline of {credited} "
            f"{'story' if credited == 1 else 'stories'}; take them off those bylines first."
        )
    pk, name = stored.pk, stored.name
    stored.delete()
    audit.record(actor=actor, action="author_delete", object_repr=name, details={"author_id": pk})
    changes.announce(authors={pk})


# Bylines: a step of save_article (articles.actions.editing), which records them --------------


def checked_byline(author_ids) -> list[int]:
    """`author_ids` as a list of ints in order, refused (ValidationError) when an id repeats,
    names no author, or the byline is longer than MAX_BYLINE."""
    ids = [int(getattr(author_id, "pk", author_id)) for author_id in author_ids]
    if len(ids) > MAX_BYLINE:
        raise ValidationError(f"A byline names at most {MAX_BYLINE} authors.")
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValidationError(f"Authors named more than once in the byline: {', '.join(map(str, repeated))}.")
    found = set(Author.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError(f"No author has the id {', '.join(map(str, missing))}.")
    return ids


def byline_ids(article: Article) -> list[int]:
    """The author ids of `article`'s byline, in order."""
    if article.pk is None:
        return []
    return list(
        Byline.objects.filter(article_id=article.pk).order_by("position", "id").values_list("author_id", flat=True)
    )


def set_byline(*, article: Article, author_ids: list[int]) -> list[int]:
    """Replace `article`'s byline with `author_ids` (checked), in that order; returns the
    authors taken off it. A step of `save_article` (which records it); call that instead."""
    before = byline_ids(article)
    if before == author_ids:
        return []
    Byline.objects.filter(article_id=article.pk).delete()
    Byline.objects.bulk_create(
        Byline(article_id=article.pk, author_id=author_id, position=index, **dateline_of(article))
        for index, author_id in enumerate(author_ids)
    )
    return sorted(set(before) - set(author_ids))


def default_byline(actor) -> list[int] | None:
    """A person's new story is credited to them when their account is linked to an author."""
    user = actor_user(actor)
    if user is None:
        return None
    author_id = Author.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    return [author_id] if author_id is not None else None
