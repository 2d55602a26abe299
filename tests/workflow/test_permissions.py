"""Who may do what: every role × every editorial action, through the actions and through the admin.

An allowed call makes its change and leaves an audit entry naming the actor; a refused one raises
PermissionDenied (actions) or answers 403 / offers no such action (admin) and changes nothing.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from articles import actions
from articles.models import Article, AuditEntry
from tests.roles import draft_by
from tests.workflow.helpers import change_data, state_of

pytestmark = pytest.mark.django_db

ROLES = ["author", "other", "editor", "chief"]
# action → (the article it needs, the roles allowed). The article is always written by "author".
MATRIX = {
    "submit": ("draft", {"author", "editor", "chief"}),
    "publish": ("draft", {"editor", "chief"}),
    "schedule": ("draft", {"editor", "chief"}),
    "unpublish": ("published", {"editor", "chief"}),
    "archive": ("draft", {"editor", "chief"}),
    "embargo": ("draft", {"editor", "chief"}),
    "restore": ("draft", {"author", "editor", "chief"}),
    "delete": ("draft", {"chief"}),
    "edit": ("draft", {"author", "editor", "chief"}),
    "edit_published": ("published", {"editor", "chief"}),
}
AUDIT_NAME = {"embargo": "set_timeline", "edit_published": "edit"}
CASES = [(action, role) for action in MATRIX for role in ROLES]


def prepared(people, kind: str) -> Article:
    """An article by the author with two revisions (so there is one to restore), in state `kind`."""
    article = draft_by(people["author"], title="Council votes on the river budget")
    article.title = "Council approves the river budget"
    actions.save_article(actor=None, article=article, base_version=article.version)
    if kind == "published":
        actions.publish(actor=None, article=article)
    article.refresh_from_db()
    return article


def do(action: str, actor, article: Article) -> None:
    later = timezone.now() + timedelta(hours=3)
    if action == "submit":
        actions.submit_for_review(actor=actor, article=article)
    elif action == "publish":
        actions.publish(actor=actor, article=article)
    elif action == "schedule":
        actions.schedule(actor=actor, article=article, at=later)
    elif action == "unpublish":
        actions.unpublish(actor=actor, article=article)
    elif action == "archive":
        actions.archive(actor=actor, article=article)
    elif action == "embargo":
        actions.embargo(actor=actor, article=article, until=later)
    elif action == "restore":
        actions.restore_revision(actor=actor, article=article, revision=article.revisions.get(number=1))
    elif action == "delete":
        actions.delete_article(actor=actor, article=article)
    else:
        article.title = "Council rejects the river budget"
        actions.save_article(actor=actor, article=article, base_version=article.version)


def effect_seen(action: str, article_id: int) -> bool:
    """The change each action is for, read back from the database."""
    article = Article.objects.filter(pk=article_id).first()
    if action == "delete":
        return article is None
    return {
        "submit": lambda: article.status == Article.Status.REVIEW,
        "publish": lambda: article.status == Article.Status.PUBLISHED and article.published_at <= timezone.now(),
        "schedule": lambda: article.status == Article.Status.PUBLISHED and article.published_at > timezone.now(),
        "unpublish": lambda: article.status == Article.Status.DRAFT,
        "archive": lambda: article.status == Article.Status.ARCHIVED,
        "embargo": lambda: article.embargo_until is not None,
        "restore": lambda: article.title == "Council votes on the river budget",
        "edit": lambda: article.title == "Council rejects the river budget",
        "edit_published": lambda: article.title == "Council rejects the river budget",
    }[action]()


@pytest.mark.parametrize("action, role", CASES)
def test_actions_enforce_the_role_matrix(people, action, role):
    kind, allowed = MATRIX[action]
    article = prepared(people, kind)
    actor = people[role]
    before = state_of(article.pk)
    if role in allowed:
        do(action, actor, article)
        assert effect_seen(action, article.pk)
        entry = AuditEntry.objects.order_by("-id").first()
        assert entry.action == AUDIT_NAME.get(action, action) and entry.actor == actor
    else:
        with pytest.raises(PermissionDenied):
            do(action, actor, Article.objects.get(pk=article.pk))
        assert state_of(article.pk) == before


# The admin: bulk actions on the list, buttons on the change form, the form itself -------------

BULK = {"submit", "publish", "unpublish", "archive"}


@pytest.mark.parametrize("action, role", [(a, r) for a, r in CASES if a in BULK])
def test_changelist_bulk_actions_follow_the_matrix(people, login, action, role):
    kind, allowed = MATRIX[action]
    article = prepared(people, kind)
    before = state_of(article.pk)
    client = login(people[role])
    changelist = reverse("admin:articles_article_changelist")
    offered = f'value="{action}_selected"' in client.get(changelist).content.decode()
    # The list offers the action to the roles whose permission covers it (a Reporter may submit,
    # but only their own drafts: the action itself refuses someone else's).
    assert offered == (role in allowed or (action == "submit" and role == "other"))
    client.post(changelist, {"action": f"{action}_selected", "_selected_action": [article.pk]})
    if role in allowed:
        assert effect_seen(action, article.pk)
    else:
        assert state_of(article.pk) == before


BUTTONS = ["submit", "publish", "schedule", "unpublish", "archive"]


@pytest.mark.parametrize("action, role", [(a, r) for a, r in CASES if a in BUTTONS])
def test_change_form_state_buttons_follow_the_matrix(people, login, action, role):
    kind, allowed = MATRIX[action]
    article = prepared(people, kind)
    before = state_of(article.pk)
    client = login(people[role])
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200
    button = reverse("admin:articles_article_state", args=[article.pk, action])
    assert (button in page.content.decode()) == (role in allowed)
    at = timezone.localtime(timezone.now() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(button, {"at": at})
    if role in allowed:
        assert response.status_code == 302
        assert effect_seen(action, article.pk)
    else:
        assert response.status_code == 403
        assert state_of(article.pk) == before


@pytest.mark.parametrize("action, role", [(a, r) for a, r in CASES if a in {"edit", "edit_published"}])
def test_change_form_save_follows_the_matrix(people, login, action, role):
    kind, allowed = MATRIX[action]
    article = prepared(people, kind)
    before = state_of(article.pk)
    client = login(people[role])
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(url).content.decode()
    # Read-only for those who may not edit: no title input, no save button.
    assert ('name="title"' in page) == (role in allowed)
    # A live story's form saves to its working draft; "Publish changes" makes the edit live.
    button = {"_publish_changes": "Publish changes"} if kind == "published" else {}
    response = client.post(url, {**change_data(article, title="Council rejects the river budget"), **button})
    if role in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert effect_seen(action, article.pk)
    else:
        assert response.status_code == 403
        assert state_of(article.pk) == before


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_set_an_embargo_in_the_form(people, login, role):
    article = prepared(people, "draft")
    client = login(people[role])
    url = reverse("admin:articles_article_change", args=[article.pk])
    later = timezone.localtime(timezone.now() + timedelta(days=1))
    response = client.post(
        url,
        change_data(
            article,
            embargo_until_0=later.strftime("%Y-%m-%d"),
            embargo_until_1=later.strftime("%H:%M:%S"),
        ),
    )
    article.refresh_from_db()
    if role in {"editor", "chief"}:
        assert response.status_code == 302 and article.embargo_until is not None
    elif role == "author":
        # The fields are read-only for a Reporter: the save goes through, the embargo does not.
        assert response.status_code == 302 and article.embargo_until is None
    else:
        assert response.status_code == 403 and article.embargo_until is None


@pytest.mark.parametrize("role", ROLES)
def test_restore_in_the_admin_follows_the_matrix(people, login, role):
    article = prepared(people, "draft")
    before = state_of(article.pk)
    response = login(people[role]).post(reverse("admin:articles_article_restore", args=[article.pk, 1]))
    if role in MATRIX["restore"][1]:
        assert response.status_code == 302 and effect_seen("restore", article.pk)
    else:
        assert response.status_code == 403 and state_of(article.pk) == before


@pytest.mark.parametrize("role", ROLES)
def test_delete_in_the_admin_is_for_the_chief_editor_only(people, login, role):
    article = prepared(people, "draft")
    before = state_of(article.pk)
    response = login(people[role]).post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    if role == "chief":
        assert response.status_code == 302 and not Article.objects.filter(pk=article.pk).exists()
        assert AuditEntry.objects.filter(action="delete", actor=people["chief"], object_repr=article.title).exists()
    else:
        assert response.status_code == 403 and state_of(article.pk) == before


def test_bulk_delete_goes_through_the_delete_action(people, login):
    articles = [prepared(people, "draft") for _ in range(2)]
    client = login(people["chief"])
    client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [a.pk for a in articles],
            "post": "yes",
        },
    )
    assert not Article.objects.filter(pk__in=[a.pk for a in articles]).exists()
    assert AuditEntry.objects.filter(action="delete", actor=people["chief"]).count() == 2


def test_a_reporter_creates_a_draft_signed_with_their_initials(people, login):
    from tests.factories import SectionFactory
    from tests.workflow.helpers import management

    client = login(people["author"])
    section = SectionFactory()
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "section": section.pk,
            "kind": "text",
            "title": "Ferry service resumes",
            "slug": "",
            "summary": "",
            "body": "<p>Boats run again.</p>",
            "signoff": "",
            "source": "",
            "language": "en",
            "tags": [],
            **management("related_links", 0),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(title="Ferry service resumes")
    assert (article.status, article.created_by, article.signoff) == ("draft", people["author"], "R/TA")


@pytest.mark.parametrize("action, role", [(a, r) for a, r in CASES if a in BULK])
def test_the_change_form_has_one_door_for_state_changes(people, login, action, role):
    """The desk's buttons are the change form's only way to change state: Django's change-form
    action menu is not offered, and a post aimed at it changes nothing."""
    kind, _ = MATRIX[action]
    article = prepared(people, kind)
    before = state_of(article.pk)
    client = login(people[role])
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(url).content.decode()
    assert f'value="{action}_selected"' not in page and "CHANGE_FORM-action" not in page
    client.post(url, {"CHANGE_FORM-action": f"{action}_selected", "_selected_action": [article.pk]})
    assert state_of(article.pk) == before
