"""Revisions: every save is one, any two compare side by side (escaped), a revert restores fields,
tags and related order exactly as a new revision; a stale admin save is refused with the diff."""

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from articles import actions
from articles.models import Article, AuditEntry
from articles.revisions import CONTENT_FIELDS
from tests.factories import ArticleFactory, SectionFactory, TagFactory
from tests.roles import draft_by
from tests.workflow.helpers import change_data, state_of

pytestmark = pytest.mark.django_db


def test_revert_restores_fields_tags_and_related_order_exactly(people):
    editor = people["editor"]
    targets = ArticleFactory.create_batch(4)
    tags = TagFactory.create_batch(3)
    article = draft_by(people["author"], title="Storm closes the port", summary="Ships wait offshore.")
    article.pinned = True  # an editor's call (actions.EDITORS_ONLY_FIELDS)
    actions.save_article(
        actor=editor,
        article=article,
        base_version=article.version,
        related_ids=[targets[2].pk, targets[0].pk, targets[3].pk],
        tags=tags[:2],
    )
    wanted = article.revisions.order_by("-number").first()
    wanted_fields = {field: getattr(Article.objects.get(pk=article.pk), field) for field in CONTENT_FIELDS}

    article.refresh_from_db()
    article.title, article.summary, article.pinned, article.section = "Port reopens", "", False, SectionFactory()
    actions.save_article(
        actor=editor,
        article=article,
        base_version=article.version,
        related_ids=[targets[1].pk, targets[2].pk],
        tags=tags[2:],
    )
    revisions_before = article.revisions.count()

    actions.restore_revision(actor=editor, article=article, revision=wanted)

    restored = Article.objects.get(pk=article.pk)
    assert {field: getattr(restored, field) for field in CONTENT_FIELDS} == wanted_fields
    assert list(restored.related_links.values_list("target_id", flat=True)) == [
        targets[2].pk,
        targets[0].pk,
        targets[3].pk,
    ]
    assert set(restored.tags.all()) == set(tags[:2])
    newest = restored.revisions.order_by("-number").first()
    assert newest.number == revisions_before + 1 and newest.note == f"restored revision {wanted.number}"
    assert {k: v for k, v in newest.data.items() if k != "version"} == {
        k: v for k, v in wanted.data.items() if k != "version"
    }
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.details["restored"]) == ("restore", wanted.number)


def test_revert_keeps_the_publication_state(people):
    article = draft_by(people["author"])
    first = article.revisions.get(number=1)
    actions.publish(actor=people["editor"], article=article)
    actions.restore_revision(actor=people["editor"], article=article, revision=first)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_signoff == "E/DH"


def test_a_revision_of_another_article_is_refused(people):
    from django.core.exceptions import ValidationError

    one, two = draft_by(people["author"]), draft_by(people["author"])
    before = state_of(one.pk)
    with pytest.raises(ValidationError, match="another article"):
        actions.restore_revision(actor=people["editor"], article=one, revision=two.revisions.first())
    assert state_of(one.pk) == before


def test_history_and_side_by_side_diff_in_the_admin_are_escaped(people, login):
    article = draft_by(people["author"], body="<p>The ferry left at nine.</p>")
    article.title = "Ferry <script>alert(1)</script> delayed"
    article.body = "<p>The ferry left at ten.</p>"
    actions.save_article(actor=people["editor"], article=article, base_version=article.version)
    client = login(people["editor"])
    history = client.get(reverse("admin:articles_article_revisions", args=[article.pk]))
    assert history.status_code == 200
    assert reverse("admin:articles_article_restore", args=[article.pk, 1]) in history.content.decode()

    diff = client.get(reverse("admin:articles_article_compare", args=[article.pk]), {"a": 2, "b": 1})
    page = diff.content.decode()
    assert diff.status_code == 200
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'class="diff"' in page and "Title" in page and "Body" in page
    assert "Summary" not in page  # unchanged fields are left out


def test_history_is_hidden_from_reporters_who_may_not_edit(people, login):
    article = draft_by(people["author"])
    other = login(people["other"])
    for name, args in [("revisions", []), ("compare", []), ("revision_preview", [1])]:
        url = reverse(f"admin:articles_article_{name}", args=[article.pk, *args])
        assert other.get(url, {"a": 1, "b": 1}).status_code == 403, name
    assert (
        login(people["author"]).get(reverse("admin:articles_article_revisions", args=[article.pk])).status_code == 200
    )


def test_a_stale_admin_save_is_refused_with_the_other_editors_changes(people, login):
    article = draft_by(people["author"], summary="Roads closed in the north.")
    opened = change_data(article)  # the editor opens the form …
    theirs = Article.objects.get(pk=article.pk)  # … while the chief saves a new summary
    theirs.summary = "Roads reopened in the north."
    actions.save_article(actor=people["chief"], article=theirs, base_version=theirs.version)
    before = state_of(article.pk)

    opened["title"] = "My better headline"
    response = login(people["editor"]).post(reverse("admin:articles_article_change", args=[article.pk]), opened)

    assert response.status_code == 200
    page = response.content.decode()
    assert "was changed by someone else since you opened it" in page
    conflict = page[page.index('class="nr-conflict"') : page.index('<fieldset class="module aligned')]
    assert "What the other editor changed" in conflict and "Summary" in conflict
    text = strip_tags(conflict).replace("&nbsp;", " ")
    assert "Roads closed in the north." in text and "Roads reopened in the north." in text
    theirs_changed = text[text.index("What the other editor changed") :]
    assert "Title" not in theirs_changed  # only what the other editor changed
    assert "My better headline" in text[: text.index("What the other editor changed")]  # beside it, this editor's
    assert 'value="My better headline"' in page  # the editor's text is still in the form
    assert state_of(article.pk) == before


def test_a_form_without_its_version_is_refused(people, login):
    article = draft_by(people["author"])
    data = change_data(article, title="Changed")
    del data["base_version"]
    before = state_of(article.pk)
    response = login(people["editor"]).post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200 and "lost the version it was opened at" in response.content.decode()
    assert state_of(article.pk) == before


def test_admin_save_stores_fields_tags_and_related_order_in_one_revision(people, login):
    article = draft_by(people["author"])
    targets = ArticleFactory.create_batch(3)
    tag = TagFactory()
    data = change_data(article, tags=[tag.pk], title="Bridge reopens after repairs")
    data.update({"related_links-TOTAL_FORMS": "3"})
    for index, (target, position) in enumerate(zip(targets, [5, 1, 3], strict=True)):
        data[f"related_links-{index}-target"] = target.pk
        data[f"related_links-{index}-position"] = position
    before = article.revisions.count()
    response = login(people["editor"]).post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert article.revisions.count() == before + 1
    latest = article.revisions.order_by("-number").first().data
    assert latest["related_ids"] == [targets[1].pk, targets[2].pk, targets[0].pk]
    assert latest["tag_ids"] == [tag.pk] and latest["title"] == "Bridge reopens after repairs"
