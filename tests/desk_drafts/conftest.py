"""Shared set-up for the desk's working-draft tests: a live story written by a reporter and
published by an editor, with a tag, a related story and a byline; and the change form as a
browser posts it, opened from the story's working draft when it has one."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, WorkingDraft
from tests.live_story import OLD_BODY, OLD_TITLE, publish_live_story  # noqa: F401  (the tests import them here)
from tests.roles import make_member
from tests.workflow.helpers import change_data, management


@pytest.fixture
def live(people):
    """A published story: written by rita (reporter), edited and published by edith (editor)."""
    return publish_live_story(people)


@pytest.fixture
def subeditor(db):
    """A sub-editor: edits anyone's story (live ones too) but may not publish."""
    from django.contrib.auth.models import Permission

    user = make_member("Reporter", "sam", "S/UB")
    user.user_permissions.add(Permission.objects.get(codename="edit_any_article"))
    return type(user).objects.get(pk=user.pk)


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def draft_of(article: Article) -> WorkingDraft | None:
    return WorkingDraft.objects.filter(article_id=article.pk).first()


def form_data(article: Article, **overrides) -> dict:
    """The change form as a browser posts it: the live story's, or its working draft's when it
    has one (the draft's text, tags, related order and byline, and the draft's version)."""
    data = change_data(article)
    draft = draft_of(article)
    if draft is not None:
        values = draft.data
        data.update({key: values[key] for key in ("title", "slug", "kind", "summary", "body", "source", "language")})
        data.update({"section": values["section_id"], "lead_media": values["lead_media_id"] or ""})
        data.update({"signoff": values["signoff"], "tags": values["tag_ids"], "draft_version": draft.version})
        data["draft_id"] = draft.pk
        data = {key: value for key, value in data.items() if not key.startswith("related_links-")}
        data.update(related_rows(values["related_ids"]))
        data.update(byline_rows(values["author_ids"]))
    data.update(overrides)
    return data


def related_rows(target_ids: list[int]) -> dict:
    rows = management("related_links", len(target_ids))
    for index, target in enumerate(target_ids):
        rows[f"related_links-{index}-target"] = target
        rows[f"related_links-{index}-position"] = index
    return rows


def byline_rows(author_ids: list[int]) -> dict:
    rows = management("bylines", len(author_ids))
    for index, author in enumerate(author_ids):
        rows[f"bylines-{index}-author"] = author
        rows[f"bylines-{index}-position"] = index
    return rows


def field_value(page: str, name: str) -> str:
    """The value an <input> or <textarea> of the article form shows (HTML-unescaped)."""
    import html

    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    if found is None:
        found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    return html.unescape(found[1]) if found else ""


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []
