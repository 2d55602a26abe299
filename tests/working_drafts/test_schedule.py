"""Scheduling a working draft: future times only, moving and cancelling the time, and
`publish_due_drafts` applying due drafts as the person who scheduled them; a draft that cannot
go live at its time stays, unscheduled, saying why."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import actions
from articles.models import AuditEntry, Revision
from tests.working_drafts.conftest import draft_of, fresh, last_audit, story_state

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def scheduled(people, live, at, **changes):
    actions.save_draft(
        actor=people["editor"], article=live, changes=changes or {"title": "Later"}, base_version=live.version
    )
    return actions.publish_draft(actor=people["editor"], article=live, draft_version=1, at=at)


def test_scheduling_keeps_the_story_and_announces_the_new_moment(
    people, live, heard, django_capture_on_commit_callbacks
):
    at = timezone.now() + HOUR
    actions.save_draft(actor=people["editor"], article=live, changes={"title": "Later"}, base_version=live.version)
    before = story_state(live)
    with django_capture_on_commit_callbacks(execute=True):
        draft = actions.publish_draft(actor=people["chief"], article=live, draft_version=1, at=at)
    assert (draft.publish_at, draft.scheduled_by, draft.problem) == (at, people["chief"], "")
    assert fresh(live).title == before["row"]["title"]
    assert story_state(live)["revisions"] == before["revisions"]
    entry = last_audit()
    assert (entry.action, entry.actor, entry.details) == (
        "draft_schedule",
        people["chief"],
        {"draft_version": 1, "publish_at": at.isoformat()},
    )
    assert [live.pk in change.articles for change in heard] == [True]  # caches stop at the new moment


@pytest.mark.parametrize("offset", [timedelta(0), -timedelta(seconds=1), -HOUR])
def test_only_a_future_time_can_be_scheduled(people, live, offset):
    actions.save_draft(actor=people["editor"], article=live, changes={"title": "Later"}, base_version=live.version)
    before = story_state(live)
    with pytest.raises(ValidationError) as refused:
        actions.publish_draft(actor=people["editor"], article=live, draft_version=1, at=timezone.now() + offset)
    assert refused.value.messages == ["A schedule time must be in the future."]
    assert story_state(live) == before


def test_scheduling_again_moves_the_time(people, live):
    scheduled(people, live, timezone.now() + HOUR)
    later = timezone.now() + 3 * HOUR
    draft = actions.publish_draft(actor=people["editor"], article=live, draft_version=1, at=later)
    assert draft_of(live).publish_at == later == draft.publish_at


def test_unscheduling_keeps_the_draft(people, live, heard, django_capture_on_commit_callbacks):
    scheduled(people, live, timezone.now() + HOUR)
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.unschedule_draft(actor=people["editor"], article=live, draft_version=1)
    draft = draft_of(live)
    assert draft.publish_at is None and draft.data["title"] == "Later"
    assert last_audit().action == "draft_unschedule"
    assert len(heard) == 1
    assert actions.publish_due_drafts(timezone.now() + 2 * HOUR) == 0
    assert fresh(live).title != "Later"


def test_reporters_may_not_schedule_or_unschedule(people, live):
    scheduled(people, live, timezone.now() + HOUR)
    before = story_state(live)
    with pytest.raises(PermissionDenied):
        actions.unschedule_draft(actor=people["author"], article=live, draft_version=1)
    assert story_state(live) == before


def test_discarding_a_scheduled_draft_announces_it(people, live, heard, django_capture_on_commit_callbacks):
    scheduled(people, live, timezone.now() + HOUR)
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.discard_draft(actor=people["editor"], article=live, draft_version=1)
    assert len(heard) == 1 and draft_of(live) is None


def test_nothing_is_due_before_its_second(people, live):
    at = timezone.now() + HOUR
    scheduled(people, live, at)
    assert actions.publish_due_drafts(at - timedelta(seconds=1)) == 0
    assert draft_of(live) is not None and fresh(live).title != "Later"


def test_a_due_draft_goes_live_as_the_person_who_scheduled_it(people, live, heard, django_capture_on_commit_callbacks):
    at = timezone.now() + HOUR
    scheduled(people, live, at, title="Later", summary="Due summary.")
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.publish_due_drafts(at) == 1
    stored = fresh(live)
    assert (stored.title, stored.summary) == ("Later", "Due summary.")
    assert draft_of(live) is None
    entry = last_audit()
    assert (entry.action, entry.actor) == ("publish_changes", people["editor"])
    revision = Revision.objects.filter(article=live).order_by("-number").first()
    assert revision.created_by == people["editor"]
    assert {"role": "publisher", "username": "edith"} in [
        {"role": e["role"], "username": e["user"]["username"]} for e in revision.chain
    ]
    assert len(heard) == 1 and live.pk in heard[0].articles
    assert actions.publish_due_drafts(at + HOUR) == 0  # nothing twice


def test_a_conflict_at_the_due_time_leaves_the_draft_unscheduled_with_the_reason(
    people, live, heard, django_capture_on_commit_callbacks
):
    at = timezone.now() + HOUR
    scheduled(people, live, at, title="Scheduled headline")
    article = fresh(live)
    article.title = "Corrected live headline"
    actions.save_article(actor=people["chief"], article=article, base_version=article.version)
    before = story_state(live)
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.publish_due_drafts(at) == 0
    draft = draft_of(live)
    assert draft.publish_at is None and draft.data["title"] == "Scheduled headline"
    assert "(Title)" in draft.problem and "Nothing was published" in draft.problem
    assert fresh(live).title == "Corrected live headline"
    assert story_state(live)["revisions"] == before["revisions"]
    entry = last_audit()
    assert entry.action == "draft_schedule_failed" and entry.details == {"reason": draft.problem}
    assert entry.article_id == live.pk
    assert len(heard) == 1  # the moment is gone: caches stop waiting for it


def test_scheduling_again_clears_the_problem(people, live):
    at = timezone.now() + HOUR
    scheduled(people, live, at, title="Scheduled headline")
    article = fresh(live)
    article.title = "Corrected live headline"
    actions.save_article(actor=people["chief"], article=article, base_version=article.version)
    actions.publish_due_drafts(at)
    actions.save_draft(
        actor=people["editor"], article=live, changes={"title": "Corrected live headline"}, draft_version=1
    )
    draft = actions.publish_draft(actor=people["editor"], article=live, draft_version=2, at=at + HOUR)
    assert draft.problem == ""


def test_a_scheduler_who_lost_the_right_to_publish_publishes_nothing(people, live):
    """Rights are those of the moment it goes live: an editor demoted to reporter meanwhile."""
    at = timezone.now() + HOUR
    scheduled(people, live, at)
    editor = people["editor"]
    editor.groups.set([Group.objects.get(name="Reporter")])
    assert actions.publish_due_drafts(at) == 0
    draft = draft_of(live)
    assert draft.publish_at is None and draft.problem
    assert fresh(live).title != "Later"
    assert AuditEntry.objects.filter(action="draft_schedule_failed", article=live).count() == 1


def test_a_scheduler_without_the_publish_permission_any_more_publishes_nothing(people, live):
    """Editing any story is not enough: going live needs the right to publish at that moment."""
    from django.contrib.auth.models import Permission

    at = timezone.now() + HOUR
    scheduled(people, live, at)
    editor = people["editor"]
    editor.groups.clear()
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["change_article", "edit_any_article", "view_article"])
    )
    assert actions.publish_due_drafts(at) == 0
    draft = draft_of(live)
    assert draft.publish_at is None and "publish" in draft.problem
    assert fresh(live).title != "Later"


def test_one_failing_draft_does_not_stop_the_others(people, live):
    from tests.roles import draft_by

    at = timezone.now() + HOUR
    scheduled(people, live, at, title="Will clash")
    article = fresh(live)
    article.title = "Live clash"
    actions.save_article(actor=people["chief"], article=article, base_version=article.version)
    other = draft_by(people["author"], title="Second story")
    actions.publish(actor=people["chief"], article=other)
    other = fresh(other)
    actions.save_draft(
        actor=people["chief"], article=other, changes={"title": "Second, updated"}, base_version=other.version
    )
    actions.publish_draft(actor=people["chief"], article=other, draft_version=1, at=at)
    assert actions.publish_due_drafts(at) == 1
    assert fresh(other).title == "Second, updated"
    assert draft_of(live).problem


def test_a_scheduler_whose_account_was_deactivated_publishes_nothing(people, live):
    at = timezone.now() + HOUR
    scheduled(people, live, at)
    editor = people["editor"]
    editor.is_active = False
    editor.save()
    assert actions.publish_due_drafts(at) == 0
    draft = draft_of(live)
    assert draft.publish_at is None
    assert draft.problem == (
        "The person who scheduled these changes may no longer publish stories; nothing was published."
    )
