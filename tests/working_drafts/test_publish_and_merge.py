"""Publishing a working draft now, discarding it, and the three-way merge: what the draft
changed goes live, what was changed live meanwhile stays, and a clash changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from articles import actions
from articles.models import Revision
from tests.factories import ArticleFactory, AuthorFactory, TagFactory
from tests.working_drafts.conftest import draft_of, fresh, last_audit, story_state

pytestmark = pytest.mark.django_db


def start(people, live, **changes):
    return actions.save_draft(actor=people["editor"], article=live, changes=changes, base_version=live.version)


def live_edit(actor, live, **fields):
    article = fresh(live)
    for name, value in fields.items():
        setattr(article, name, value)
    return actions.save_article(actor=actor, article=article, base_version=article.version)


def test_publishing_now_makes_the_draft_the_live_story(people, live, heard, django_capture_on_commit_callbacks):
    tag, author, target = TagFactory(name="Dams"), AuthorFactory(name="Omar Writer"), ArticleFactory()
    start(
        people,
        live,
        title="Barrier holds, town stays dry",
        body="<p>Rewritten.</p>",
        tag_ids=[tag.pk],
        related_ids=[target.pk],
        author_ids=[author.pk],
    )
    version = fresh(live).version
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article = actions.publish_draft(actor=people["chief"], article=live, draft_version=1)
    stored = fresh(live)
    assert (stored.title, stored.body, stored.version) == (
        "Barrier holds, town stays dry",
        "<p>Rewritten.</p>",
        version + 1,
    )
    assert article.title == stored.title
    assert list(stored.tags.values_list("pk", flat=True)) == [tag.pk]
    assert list(stored.related_links.values_list("target_id", flat=True)) == [target.pk]
    assert list(stored.bylines.values_list("author_id", flat=True)) == [author.pk]
    assert stored.status == "published"
    # The chief published these changes: the story's last publisher, with her desk code.
    assert (stored.published_by, stored.published_signoff) == (people["chief"], "C/HF")
    assert draft_of(live) is None
    revision = Revision.objects.filter(article=live).order_by("-number").first()
    assert revision.note == "published the working draft" and revision.data["title"] == stored.title
    entry = last_audit()
    assert (entry.action, entry.actor, entry.details) == (
        "publish_changes",
        people["chief"],
        {"revision": revision.number, "draft_version": 1},
    )
    assert len(heard) == 1 and live.pk in heard[0].articles


def test_publishing_needs_the_publish_permission(people, live):
    start(people, live, title="Changed")
    before = story_state(live)
    with pytest.raises(PermissionDenied):
        actions.publish_draft(actor=people["author"], article=live, draft_version=1)
    assert story_state(live) == before


def test_publishing_a_stale_draft_version_is_refused(people, live):
    start(people, live, title="One")
    actions.save_draft(actor=people["chief"], article=live, changes={"title": "Two"}, draft_version=1)
    before = story_state(live)
    with pytest.raises(actions.StaleDraft):
        actions.publish_draft(actor=people["editor"], article=live, draft_version=1)
    assert story_state(live) == before


def test_discarding_throws_the_draft_away_and_keeps_the_story(people, live, heard, django_capture_on_commit_callbacks):
    start(people, live, title="Never mind")
    before = story_state(live)
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.discard_draft(actor=people["editor"], article=live, draft_version=1)
    assert draft_of(live) is None
    after = story_state(live)
    assert after["row"] == before["row"] and after["revisions"] == before["revisions"]
    assert (last_audit().action, last_audit().details) == ("draft_discard", {"draft_version": 1})
    assert heard == []  # an unscheduled draft was never seen by any reader or cache


def test_discarding_a_stale_draft_version_is_refused(people, live):
    start(people, live, title="One")
    actions.save_draft(actor=people["chief"], article=live, changes={"title": "Two"}, draft_version=1)
    with pytest.raises(actions.StaleDraft):
        actions.discard_draft(actor=people["editor"], article=live, draft_version=1)
    assert draft_of(live).data["title"] == "Two"


def test_a_live_edit_to_another_field_survives_publishing_the_draft(people, live):
    start(people, live, title="Draft headline")
    live_edit(people["chief"], live, summary="Corrected live summary.")
    actions.publish_draft(actor=people["editor"], article=live, draft_version=1)
    stored = fresh(live)
    assert (stored.title, stored.summary) == ("Draft headline", "Corrected live summary.")


def test_live_list_changes_survive_draft_list_changes(people, live):
    tag = TagFactory(name="Dams")
    start(people, live, tag_ids=[tag.pk])
    other = ArticleFactory()
    article = fresh(live)
    actions.save_article(actor=people["chief"], article=article, base_version=article.version, related_ids=[other.pk])
    actions.publish_draft(actor=people["editor"], article=live, draft_version=1)
    stored = fresh(live)
    assert list(stored.tags.values_list("pk", flat=True)) == [tag.pk]
    assert list(stored.related_links.values_list("target_id", flat=True)) == [other.pk]


def test_a_live_edit_to_the_same_field_is_a_conflict_and_nothing_changes(
    people, live, heard, django_capture_on_commit_callbacks
):
    start(people, live, title="Draft headline", summary="Draft summary.")
    live_edit(people["chief"], live, title="Live headline")
    before = story_state(live)
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(actions.DraftConflict) as refused:
        actions.publish_draft(actor=people["editor"], article=live, draft_version=1)
    assert refused.value.fields == ["title"]
    assert "(Title)" in refused.value.messages[0] and "Nothing was published" in refused.value.messages[0]
    assert story_state(live) == before  # draft kept, live kept, nothing recorded
    assert heard == []


def test_the_same_change_made_live_and_in_the_draft_is_no_conflict(people, live):
    start(people, live, title="Agreed headline", body="<p>Draft body.</p>")
    live_edit(people["chief"], live, title="Agreed headline")
    actions.publish_draft(actor=people["editor"], article=live, draft_version=1)
    assert (fresh(live).title, fresh(live).body) == ("Agreed headline", "<p>Draft body.</p>")


def test_a_draft_holding_no_changes_publishes_without_a_new_version(people, live):
    """Publishing a draft that changes nothing is not an edit: no new version or revision."""
    start(people, live)
    before = story_state(live)
    actions.publish_draft(actor=people["editor"], article=live, draft_version=1)
    assert draft_of(live) is None
    after = story_state(live)
    assert after["row"] == before["row"] and after["revisions"] == before["revisions"]


def test_a_draft_brought_up_to_date_after_a_conflict_can_then_change_the_field_again(people, live):
    """The conflict says "bring those fields up to date in the draft first": once the draft
    holds the live value, it has caught up on that field, so a later change of it in the draft
    is the draft's own change and publishes (no endless conflict)."""
    start(people, live, title="Draft headline")
    live_edit(people["chief"], live, title="Live headline")
    with pytest.raises(actions.DraftConflict):
        actions.publish_draft(actor=people["editor"], article=live, draft_version=1)
    actions.save_draft(actor=people["editor"], article=live, changes={"title": "Live headline"}, draft_version=1)
    actions.save_draft(actor=people["editor"], article=live, changes={"title": "Better headline"}, draft_version=2)
    actions.publish_draft(actor=people["editor"], article=live, draft_version=3)
    assert fresh(live).title == "Better headline"


def test_catching_up_on_one_field_keeps_the_other_conflicts(people, live):
    start(people, live, title="Draft headline", summary="Draft summary.")
    live_edit(people["chief"], live, title="Live headline", summary="Live summary.")
    actions.save_draft(actor=people["editor"], article=live, changes={"title": "Live headline"}, draft_version=1)
    with pytest.raises(actions.DraftConflict) as refused:
        actions.publish_draft(actor=people["editor"], article=live, draft_version=2)
    assert refused.value.fields == ["summary"]


def test_publishing_without_naming_the_draft_version_is_refused(people, live):
    start(people, live, title="Changed")
    with pytest.raises(actions.StaleDraft):
        actions.publish_draft(actor=people["editor"], article=live)
    assert draft_of(live) is not None
