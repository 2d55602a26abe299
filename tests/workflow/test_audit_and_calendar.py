"""The audit log records every action (actor, action, object, from → to) and is read-only and
filterable in the admin; the editors' calendar lists the coming timeline."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles import actions
from articles.desk import preview
from articles.models import Article, AuditEntry
from tests.factories import ArticleFactory
from tests.roles import draft_by

pytestmark = pytest.mark.django_db

T = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def test_every_action_leaves_one_audit_entry_with_its_states(people):
    editor, chief = people["editor"], people["chief"]
    article = draft_by(people["author"])
    first = article.revisions.get(number=1)
    later = datetime.now(UTC) + timedelta(days=1)

    def retitled(pk):
        stored = Article.objects.get(pk=pk)
        stored.summary = "A sentence added by the editor."
        return stored

    steps = [
        ("edit", lambda: actions.save_article(actor=editor, article=retitled(article.pk))),
        ("submit", lambda: actions.submit_for_review(actor=editor, article=article)),
        ("schedule", lambda: actions.schedule(actor=editor, article=article, at=later)),
        ("publish", lambda: actions.publish(actor=editor, article=article, at=datetime.now(UTC))),
        ("set_timeline", lambda: actions.embargo(actor=editor, article=article, until=later)),
        ("unpublish", lambda: actions.unpublish(actor=editor, article=article)),
        ("restore", lambda: actions.restore_revision(actor=editor, article=article, revision=first)),
        ("archive", lambda: actions.archive(actor=editor, article=article)),
        ("share_preview", lambda: preview.create_link(actor=editor, article=article)),
        ("delete", lambda: actions.delete_article(actor=chief, article=article)),
    ]
    expected_states = {
        "edit": ("draft", "draft"),
        "submit": ("draft", "review"),
        "schedule": ("review", "published"),
        "publish": ("published", "published"),
        "set_timeline": ("published", "published"),
        "unpublish": ("published", "draft"),
        "restore": ("draft", "draft"),
        "archive": ("draft", "archived"),
        "share_preview": ("archived", "archived"),
        "delete": ("archived", ""),
    }
    for name, step in steps:
        count = AuditEntry.objects.count()
        step()
        assert AuditEntry.objects.count() == count + 1, name
        entry = AuditEntry.objects.order_by("-id").first()
        assert entry.action == name
        assert (entry.from_status, entry.to_status) == expected_states[name], name
        assert entry.actor in (editor, chief) and entry.object_repr == article.title
    assert AuditEntry.objects.filter(action="create", actor=people["author"]).exists()


def test_publish_records_the_publishers_sign_off_and_keeps_the_authors(people):
    article = draft_by(people["author"], signoff="")
    assert article.signoff == "R/TA"
    actions.publish(actor=people["editor"], article=article)
    article.refresh_from_db()
    # Nobody approved it, so the publisher is its approver too: the line is writer/approver
    # (articles.signoffs); the publisher's own code is kept apart.
    expected = ("R/TA/E/DH", "E/DH", people["editor"])
    assert (article.signoff, article.published_signoff, article.published_by) == expected
    actions.publish(actor=people["chief"], article=article)
    article.refresh_from_db()
    assert (article.signoff, article.published_signoff) == ("R/TA/E/DH", "C/HF")


def test_audit_log_is_read_only_and_filterable_in_the_admin(people, login):
    article = draft_by(people["author"])
    actions.publish(actor=people["editor"], article=article)
    client = login(people["editor"])
    changelist = reverse("admin:articles_auditentry_changelist")
    response = client.get(changelist, {"action": "publish"})
    assert [e.action for e in response.context["cl"].result_list] == ["publish"]
    by_actor = client.get(changelist, {"actor__id__exact": people["author"].pk}).context["cl"].result_list
    assert [e.action for e in by_actor] == ["create"]
    assert "Add audit entry" not in response.content.decode()
    entry = AuditEntry.objects.get(action="publish")
    change_url = reverse("admin:articles_auditentry_change", args=[entry.pk])
    assert 'name="action"' not in client.get(change_url).content.decode()  # shown, not editable
    assert client.post(change_url, {"action": "forged"}).status_code == 403
    assert client.post(reverse("admin:articles_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.action == "publish"
    assert login(people["author"]).get(changelist).status_code == 403  # Reporters do not read the log


def test_calendar_lists_what_goes_live_lifts_embargo_and_expires(people, login):
    with time_machine.travel(T, tick=False):
        going_live = ArticleFactory(title="Budget vote at noon", published_at=T + timedelta(hours=3))
        embargoed = ArticleFactory(title="Report under embargo", embargo_until=T + timedelta(days=2))
        expiring = ArticleFactory(title="Road closure notice", expires_at=T + timedelta(days=5))
        ArticleFactory(title="Far future piece", published_at=T + timedelta(days=40))
        ArticleFactory(title="Already live piece")
        page = login(people["editor"]).get(reverse("admin:articles_article_calendar")).content.decode()
        wide = login(people["editor"]).get(reverse("admin:articles_article_calendar"), {"days": 90}).content.decode()
    for article, label in [(going_live, "goes live"), (embargoed, "embargo ends"), (expiring, "expires")]:
        assert article.title in page and label in page
    assert page.index("Budget vote at noon") < page.index("Road closure notice")
    assert "Far future piece" not in page and "Far future piece" in wide
    assert "Already live piece" not in page
    under_embargo = page[page.index("Under embargo now") :]
    assert "Report under embargo" in under_embargo


def test_calendar_needs_the_view_permission(db, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:articles_article_calendar")).status_code == 403
