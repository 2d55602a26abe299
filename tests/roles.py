"""Newsroom roles as real users (each in its group, as the roles migration makes them) and drafts written by them."""

import importlib

from django.contrib.auth.models import Group, Permission

from articles.models import Article
from tests.factories import ArticleFactory, StaffProfileFactory, UserFactory

ROLES = importlib.import_module("articles.migrations.0002_roles").ROLES
PASSWORD = "pass-word-123"


def role_group(name: str) -> Group:
    """The role's group; rebuilt from the roles migration when a transactional test flushed it."""
    group, created = Group.objects.get_or_create(name=name)
    if created or not group.permissions.exists():
        for dotted in ROLES[name]:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


def make_member(role: str, username: str, initials: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(role_group(role))
    StaffProfileFactory(user=user, signoff_initials=initials)
    return type(user).objects.get(pk=user.pk)  # fresh: no cached permissions


def draft_by(user, **fields) -> Article:
    """A draft written by `user` (first revision recorded like any other save)."""
    from articles import actions

    article = ArticleFactory.build(draft=True, section=fields.pop("section", None) or _section(), **fields)
    return actions.save_article(actor=user, article=article)


def _section():
    from tests.factories import SectionFactory

    return SectionFactory()
