"""Newsroom roles as real users: two Reporters, an Editor and a Chief editor, each in their group."""

import importlib

import pytest
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


@pytest.fixture
def people(db):
    """{'author': Reporter, 'other': Reporter, 'editor': Editor, 'chief': Chief editor}."""
    return {
        "author": make_member("Reporter", "rita", "R/TA"),
        "other": make_member("Reporter", "omar", "O/MR"),
        "editor": make_member("Editor", "edith", "E/DH"),
        "chief": make_member("Chief editor", "carl", "C/HF"),
    }


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def draft_by(user, **fields) -> Article:
    """A draft written by `user` (first revision recorded like any other save)."""
    from articles import actions

    article = ArticleFactory.build(draft=True, section=fields.pop("section", None) or _section(), **fields)
    return actions.save_article(actor=user, article=article)


def _section():
    from tests.factories import SectionFactory

    return SectionFactory()
