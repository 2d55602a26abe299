"""The sign-off chain each recorded change leaves on its revision, and the story's sign-off line
made from it: writer, editor, approver and publisher with their desk codes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import actions
from articles.models import Article, Revision
from tests.factories import UserFactory
from tests.roles import draft_by

pytestmark = pytest.mark.django_db


def chain_of(article) -> list[tuple[str, str, str]]:
    """The newest revision's chain as (role, username, code)."""
    revision = Revision.objects.filter(article_id=article.pk).order_by("-number").first()
    return [(e["role"], e["user"]["username"], e["signoff"]) for e in revision.chain]


def line_of(article) -> str:
    return Article.objects.get(pk=article.pk).signoff


def edit(actor, article, **fields):
    article = Article.objects.get(pk=article.pk)
    for name, value in fields.items():
        setattr(article, name, value)
    return actions.save_article(actor=actor, article=article, base_version=article.version)


def test_creating_makes_the_writer(people):
    article = draft_by(people["author"], title="Writer only", signoff="")
    assert chain_of(article) == [("writer", "rita", "R/TA")]
    assert line_of(article) == "R/TA"


def test_the_chain_names_the_person_as_the_api_does(people):
    rita = people["author"]
    rita.first_name, rita.last_name = "Rita", "Reporter"
    rita.save()
    article = draft_by(rita, title="Named")
    revision = article.revisions.get()
    assert revision.chain == [
        {"role": "writer", "user": {"id": rita.pk, "username": "rita", "name": "Rita Reporter"}, "signoff": "R/TA"}
    ]


def test_the_writer_editing_their_own_story_stays_the_writer(people):
    article = draft_by(people["author"], title="Own edit")
    edit(people["author"], article, summary="Changed by the writer.")
    assert chain_of(article) == [("writer", "rita", "R/TA")]


def test_another_person_editing_becomes_the_editor_the_latest_one(people):
    article = draft_by(people["author"], title="Edited")
    edit(people["editor"], article, summary="Edited by edith.")
    assert chain_of(article) == [("writer", "rita", "R/TA"), ("editor", "edith", "E/DH")]
    assert line_of(article) == "R/TA/E/DH"
    edit(people["chief"], article, summary="Edited by carl.")
    assert chain_of(article) == [("writer", "rita", "R/TA"), ("editor", "carl", "C/HF")]
    assert line_of(article) == "R/TA/C/HF"


def test_approving_makes_the_approver_and_publishing_the_publisher(people):
    article = draft_by(people["author"], title="Approved")
    edit(people["editor"], article, summary="Edited.")
    actions.submit_for_review(actor=people["author"], article=article)
    assert chain_of(article) == [("writer", "rita", "R/TA"), ("editor", "edith", "E/DH")]  # submitting adds nobody
    actions.approve(actor=people["chief"], article=article)
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW
    assert chain_of(article)[-1] == ("approver", "carl", "C/HF")
    actions.publish(actor=people["editor"], article=article)
    assert chain_of(article) == [
        ("writer", "rita", "R/TA"),
        ("editor", "edith", "E/DH"),
        ("approver", "carl", "C/HF"),
        ("publisher", "edith", "E/DH"),
    ]
    stored = Article.objects.get(pk=article.pk)
    assert stored.signoff == "R/TA/E/DH/C/HF"  # the publisher's code is kept apart…
    assert stored.published_signoff == "E/DH"  # …here


def test_publishing_without_an_approval_makes_the_publisher_the_approver_too(people):
    article = draft_by(people["author"], title="Straight out")
    actions.publish(actor=people["chief"], article=article)
    assert chain_of(article) == [
        ("writer", "rita", "R/TA"),
        ("approver", "carl", "C/HF"),
        ("publisher", "carl", "C/HF"),
    ]
    assert line_of(article) == "R/TA/C/HF"


def test_scheduling_makes_the_publisher(people):
    article = draft_by(people["author"], title="Later")
    actions.schedule(actor=people["editor"], article=article, at=timezone.now() + timedelta(hours=1))
    assert chain_of(article)[-1] == ("publisher", "edith", "E/DH")


def test_publishing_changes_names_the_draft_editor_and_the_publisher(people):
    article = draft_by(people["author"], title="Live story")
    actions.publish(actor=people["editor"], article=article)
    article = Article.objects.get(pk=article.pk)
    actions.save_draft(
        actor=people["chief"], article=article, changes={"title": "Update"}, base_version=article.version
    )
    actions.publish_draft(actor=people["editor"], article=article, draft_version=1)
    assert chain_of(article) == [
        ("writer", "rita", "R/TA"),
        ("editor", "carl", "C/HF"),
        ("approver", "edith", "E/DH"),
        ("publisher", "edith", "E/DH"),
    ]
    assert line_of(article) == "R/TA/C/HF/E/DH"


def test_the_writer_drafting_their_own_live_story_stays_the_writer(people):
    article = draft_by(people["editor"], title="Editor's own story")
    actions.publish(actor=people["chief"], article=article)
    article = Article.objects.get(pk=article.pk)
    actions.save_draft(
        actor=people["editor"], article=article, changes={"title": "Own update"}, base_version=article.version
    )
    actions.publish_draft(actor=people["chief"], article=article, draft_version=1)
    assert [role for role, *_ in chain_of(article)] == ["writer", "approver", "publisher"]


def test_a_scheduled_draft_going_live_names_whoever_scheduled_it(people):
    article = draft_by(people["author"], title="Live story")
    actions.publish(actor=people["chief"], article=article)
    article = Article.objects.get(pk=article.pk)
    at = timezone.now() + timedelta(hours=1)
    actions.save_draft(
        actor=people["chief"], article=article, changes={"title": "Update"}, base_version=article.version
    )
    actions.publish_draft(actor=people["editor"], article=article, draft_version=1, at=at)
    assert actions.publish_due_drafts(at) == 1
    assert chain_of(article)[-1] == ("publisher", "edith", "E/DH")
    assert ("editor", "carl", "C/HF") in chain_of(article)


def test_the_system_adds_nobody(people):
    article = draft_by(people["author"], title="System touches")
    before = chain_of(article)
    edit(None, article, summary="Fixed by a command.")
    actions.publish(actor=None, article=article)
    assert chain_of(article) == before


def test_a_person_without_a_desk_code_is_in_the_chain_but_not_the_line(people):
    from django.contrib.auth.models import Group

    helper = UserFactory(username="nocode", is_staff=True)
    helper.groups.add(Group.objects.get(name="Editor"))
    helper = type(helper).objects.get(pk=helper.pk)
    article = draft_by(people["author"], title="No code")
    edit(helper, article, summary="Edited by someone without a code.")
    assert chain_of(article) == [("writer", "rita", "R/TA"), ("editor", "nocode", "")]
    assert line_of(article) == "R/TA"


def test_typed_sign_off_stays_when_nobody_has_a_code():
    from articles.models import Section

    section = Section.objects.create(name="Wires", slug="wires")
    writer = UserFactory(username="wirebot", is_staff=True, perms=["articles.add_article", "articles.change_article"])
    writer = type(writer).objects.get(pk=writer.pk)
    article = actions.save_article(
        actor=writer, article=Article(title="Wire copy", slug="wire", section=section, signoff="AP/RT 7")
    )
    assert chain_of(article) == [("writer", "wirebot", "")]
    assert line_of(article) == "AP/RT 7"


def test_each_revision_keeps_the_chain_as_it_was_then(people):
    article = draft_by(people["author"], title="History")
    edit(people["editor"], article, summary="Edited.")
    actions.publish(actor=people["chief"], article=article)
    chains = [
        [entry["role"] for entry in revision.chain]
        for revision in Revision.objects.filter(article=article).order_by("number")
    ]
    assert chains == [["writer"], ["writer", "editor"], ["writer", "editor", "approver", "publisher"]]


def test_restoring_a_revision_is_an_edit(people):
    article = draft_by(people["author"], title="Restored")
    edit(people["author"], article, summary="Second.")
    first = Revision.objects.get(article=article, number=1)
    stored = Article.objects.get(pk=article.pk)
    actions.restore_revision(actor=people["chief"], article=stored, revision=first, base_version=stored.version)
    assert chain_of(article) == [("writer", "rita", "R/TA"), ("editor", "carl", "C/HF")]
