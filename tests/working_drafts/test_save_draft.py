"""Saving the working draft of a live story: who may, which version each save names, what is
refused (changing nothing), and that readers' story stays exactly as it was."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from articles import actions
from articles.models import Article
from tests.factories import UserFactory
from tests.roles import draft_by
from tests.working_drafts.conftest import draft_of, fresh, last_audit, story_state

pytestmark = pytest.mark.django_db


def test_starting_a_draft_names_the_live_version_and_leaves_the_story_alone(
    people, live, heard, django_capture_on_commit_callbacks
):
    before = story_state(live)
    with django_capture_on_commit_callbacks(execute=True):
        draft = actions.save_draft(
            actor=people["editor"],
            article=live,
            changes={"title": "Barrier holds, town dry"},
            base_version=live.version,
        )
    assert (draft.version, draft.base_version) == (1, live.version)
    assert draft.data["title"] == "Barrier holds, town dry"
    assert draft.base == actions.content_of(live)
    assert draft.data["summary"] == live.summary  # the rest is the live content
    assert (draft.created_by, draft.updated_by) == (people["editor"], people["editor"])
    after = story_state(live)
    assert after["row"] == before["row"] and after["revisions"] == before["revisions"]
    assert fresh(live).title == "Flood barrier holds through the night"
    entry = last_audit()
    assert (entry.action, entry.actor, entry.details) == (
        "draft_save",
        people["editor"],
        {"draft_version": 1, "fields": ["title"]},
    )
    assert heard == []  # nothing readers see changed, so no cached page is dropped


def test_later_saves_name_the_draft_version_and_bump_it(people, live):
    editor = people["editor"]
    actions.save_draft(actor=editor, article=live, changes={"title": "First try"}, base_version=live.version)
    draft = actions.save_draft(actor=people["chief"], article=live, changes={"summary": "Second"}, draft_version=1)
    assert draft.version == 2
    assert (draft.data["title"], draft.data["summary"]) == ("First try", "Second")
    assert draft.updated_by == people["chief"] and draft.created_by == editor


def test_a_stale_live_version_refuses_to_start_a_draft(people, live):
    before = story_state(live)
    with pytest.raises(actions.StaleEdit):
        actions.save_draft(actor=people["editor"], article=live, changes={"title": "X"}, base_version=live.version - 1)
    assert story_state(live) == before


def test_a_stale_draft_version_is_refused_and_nothing_changes(people, live):
    editor = people["editor"]
    actions.save_draft(actor=editor, article=live, changes={"title": "One"}, base_version=live.version)
    actions.save_draft(actor=editor, article=live, changes={"title": "Two"}, draft_version=1)
    before = story_state(live)
    with pytest.raises(actions.StaleDraft) as refused:
        actions.save_draft(actor=editor, article=live, changes={"title": "Stale"}, draft_version=1)
    assert (refused.value.current_version, refused.value.your_version) == (2, 1)
    assert "your version 1, current 2" in str(refused.value)
    assert story_state(live) == before


def test_naming_no_draft_version_when_a_draft_exists_is_refused(people, live):
    actions.save_draft(actor=people["editor"], article=live, changes={"title": "One"}, base_version=live.version)
    before = story_state(live)
    with pytest.raises(actions.StaleDraft) as refused:
        actions.save_draft(actor=people["chief"], article=live, changes={"title": "Blind"}, base_version=live.version)
    assert (refused.value.current_version, refused.value.your_version) == (1, None)
    assert story_state(live) == before


def test_naming_a_draft_that_is_gone_is_refused(people, live):
    actions.save_draft(actor=people["editor"], article=live, changes={"title": "One"}, base_version=live.version)
    actions.discard_draft(actor=people["editor"], article=live, draft_version=1)
    with pytest.raises(actions.StaleDraft) as refused:
        actions.save_draft(actor=people["editor"], article=live, changes={"title": "Late"}, draft_version=1)
    assert "no working draft any more" in str(refused.value)
    assert draft_of(live) is None


def test_a_new_draft_at_version_1_is_not_the_discarded_one_at_version_1(people, live):
    """A new draft starts again at version 1: naming the draft's id as well tells them apart, so
    a change meant for the discarded draft never lands in the one started since."""
    editor, chief = people["editor"], people["chief"]
    first = actions.save_draft(actor=editor, article=live, changes={"title": "One"}, base_version=live.version)
    actions.discard_draft(actor=editor, article=live, draft_version=1, draft_id=first.pk)
    second = actions.save_draft(actor=chief, article=live, changes={"title": "Two"}, base_version=live.version)
    assert second.version == 1 and second.pk != first.pk
    old = {"draft_version": 1, "draft_id": first.pk}
    attempts = {
        "save": lambda: actions.save_draft(actor=editor, article=live, changes={"title": "Late"}, **old),
        "publish": lambda: actions.publish_draft(actor=editor, article=live, **old),
        "discard": lambda: actions.discard_draft(actor=editor, article=live, **old),
    }
    for name, attempt in attempts.items():
        with pytest.raises(actions.StaleDraft) as refused:
            attempt()
        assert "someone has started a new one since" in str(refused.value), name
    kept = draft_of(live)
    assert (kept.pk, kept.version, kept.data["title"]) == (second.pk, 1, "Two")
    assert fresh(live).title == live.title


def test_any_version_skips_both_checks(people, live):
    actions.save_draft(actor=people["editor"], article=live, changes={"title": "One"}, any_version=True)
    draft = actions.save_draft(actor=people["editor"], article=live, changes={"title": "Two"}, any_version=True)
    assert (draft.version, draft.data["title"]) == (2, "Two")


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.ARCHIVED])
def test_a_story_that_is_not_live_has_no_working_draft(people, status):
    article = draft_by(people["author"], title="Not live yet")
    Article.objects.filter(pk=article.pk).update(status=status)
    with pytest.raises(ValidationError) as refused:
        actions.save_draft(actor=people["editor"], article=article, changes={"title": "X"}, base_version=1)
    assert "Only a published story has a working draft" in refused.value.messages[0]
    assert draft_of(article) is None


@pytest.mark.parametrize("who", ["author", "other"])
def test_reporters_may_not_draft_live_stories(people, live, who):
    """Reporters edit their own drafts only: not a live story, not even the one they wrote."""
    before = story_state(live)
    with pytest.raises(PermissionDenied):
        actions.save_draft(actor=people[who], article=live, changes={"title": "X"}, base_version=live.version)
    assert story_state(live) == before


def test_pinning_in_a_draft_is_for_editors_only(people, live):
    """An account that may edit any story but not publish cannot pin one through a draft."""
    deskhand = UserFactory(username="deskhand", is_staff=True)
    deskhand.user_permissions.set(
        Permission.objects.filter(codename__in=["change_article", "edit_any_article", "view_article"])
    )
    deskhand = type(deskhand).objects.get(pk=deskhand.pk)
    with pytest.raises(ValidationError) as refused:
        actions.save_draft(actor=deskhand, article=live, changes={"pinned": True}, base_version=live.version)
    assert "pinned" in refused.value.message_dict
    assert draft_of(live) is None
    draft = actions.save_draft(actor=deskhand, article=live, changes={"title": "Fine"}, base_version=live.version)
    assert draft.data["pinned"] is False
    pinned = actions.save_draft(actor=people["editor"], article=live, changes={"pinned": True}, draft_version=1)
    assert pinned.data["pinned"] is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 400}, "title"),
        ({"kind": "poem"}, "kind"),
        ({"section_id": 987654}, "section"),
        ({"tag_ids": [987654]}, "tag_ids"),
        ({"related_ids": [987654]}, "related_ids"),
        ({"author_ids": [987654]}, "author_ids"),
    ],
)
def test_validation_errors_name_the_field(people, live, changes, field):
    before = story_state(live)
    with pytest.raises(ValidationError) as refused:
        actions.save_draft(actor=people["editor"], article=live, changes=changes, base_version=live.version)
    assert field in refused.value.message_dict, refused.value
    assert story_state(live) == before


def test_an_unknown_key_is_named(people, live):
    with pytest.raises(ValidationError) as refused:
        actions.save_draft(actor=people["editor"], article=live, changes={"colour": "red"}, base_version=live.version)
    assert "colour" in refused.value.messages[0]


def test_the_body_is_cleaned_like_any_save(people, live):
    draft = actions.save_draft(
        actor=people["editor"],
        article=live,
        changes={"body": "<p>Safe</p><script>alert(1)</script>"},
        base_version=live.version,
    )
    assert "<script" not in draft.data["body"] and "Safe" in draft.data["body"]


def test_saving_what_the_draft_holds_changes_nothing(people, live):
    editor = people["editor"]
    draft = actions.save_draft(actor=editor, article=live, changes={"title": "Same"}, base_version=live.version)
    before = story_state(live)
    again = actions.save_draft(actor=people["chief"], article=live, changes={"title": "Same"}, draft_version=1)
    whole = actions.save_draft(actor=editor, article=live, changes=dict(draft.data), draft_version=1)
    assert again.version == whole.version == 1
    assert story_state(live) == before  # same draft row (updated_by, updated_at too), no audit entry


def test_lists_are_kept_in_the_draft_not_on_the_story(people, live):
    tags_before = sorted(live.tags.values_list("pk", flat=True))
    draft = actions.save_draft(
        actor=people["editor"], article=live, changes={"tag_ids": [], "related_ids": []}, base_version=live.version
    )
    assert (draft.data["tag_ids"], draft.data["related_ids"]) == ([], [])
    assert sorted(fresh(live).tags.values_list("pk", flat=True)) == tags_before
    assert fresh(live).related_links.count() == 1
