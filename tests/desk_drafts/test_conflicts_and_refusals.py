"""Nothing typed into a live story's form is lost: a save against a draft (or a story) changed
since the form opened shows the conflict screen with the editor's text kept; publishing over a
live change names the fields and keeps the draft; a save refused after a take-over re-shows the
form with their text, nothing saved."""

import html
import re

import pytest
from django.urls import reverse

from articles import actions
from articles.models import Article
from tests.desk_drafts.conftest import OLD_TITLE, change_url, draft_of, field_value, form_data, messages_of
from tests.roles import draft_by

pytestmark = pytest.mark.django_db

MINE = "<p>The river crested at dawn, two metres below the top of the barrier.</p>"
THEIRS = "Barrier holds; river crests below the top"


def conflict_box(page: str) -> str:
    start = page.index('<div class="nr-conflict')
    return html.unescape(page[start : page.index("</div>", start)]).replace("\xa0", " ")


def test_a_save_against_a_draft_changed_since_shows_the_conflict_screen_with_my_text(people, login, live):
    actions.save_draft(actor=people["chief"], article=live, base_version=live.version, changes={"title": "First"})
    opened = form_data(live, body=MINE)  # opened at draft version 1
    actions.save_draft(actor=people["chief"], article=live, draft_version=1, changes={"title": THEIRS})
    client = login(people["editor"])

    response = client.post(change_url(live), opened)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="nr-conflict" role="alert"' in page
    assert "The working draft was changed by someone else since you opened it (your version 1, current 2)" in page
    screen = conflict_box(page)
    assert "Your unsaved text" in screen and "Working draft version 2 (current)" in screen
    assert "two metres below the top of the barrier" in screen
    assert field_value(page, "body") == MINE  # still in the form
    assert field_value(page, "draft_version") == "2"  # now based on the current draft
    draft = draft_of(live)
    assert (draft.version, draft.data["title"]) == (2, THEIRS)  # nothing saved

    again = client.post(change_url(live), {**opened, "draft_version": "2"})
    assert again.status_code == 302
    assert draft_of(live).data["body"] == MINE and draft_of(live).version == 3


def test_a_draft_started_by_someone_else_since_the_form_opened_is_a_conflict(people, login, live):
    opened = form_data(live, body=MINE)  # no draft yet
    actions.save_draft(actor=people["chief"], article=live, base_version=live.version, changes={"title": THEIRS})
    response = login(people["editor"]).post(change_url(live), opened)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else started a working draft of this story since you opened it. Nothing was saved." in page
    assert field_value(page, "body") == MINE and field_value(page, "draft_version") == "1"
    assert draft_of(live).data["title"] == THEIRS


def test_a_form_opened_on_a_discarded_draft_does_not_save_into_a_new_one(people, login, live):
    """Both drafts are at version 1: the form's draft id tells the new one from the one it opened."""
    actions.save_draft(actor=people["chief"], article=live, base_version=live.version, changes={"title": "First"})
    opened = form_data(live, body=MINE)  # opened at draft version 1
    actions.discard_draft(actor=people["chief"], article=live, any_version=True)
    actions.save_draft(actor=people["chief"], article=live, base_version=live.version, changes={"title": THEIRS})
    client = login(people["editor"])

    response = client.post(change_url(live), opened)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else started a working draft of this story since you opened it. Nothing was saved." in page
    assert field_value(page, "body") == MINE
    assert field_value(page, "draft_id") == str(draft_of(live).pk)
    assert (draft_of(live).version, draft_of(live).data["title"]) == (1, THEIRS)

    gone = client.post(
        reverse("admin:articles_article_draft", args=[live.pk, "discard"]),
        {"draft_version": opened["draft_version"], "draft_id": opened["draft_id"]},
        follow=True,
    )
    assert "Nothing was changed" in " ".join(messages_of(gone))
    assert draft_of(live).data["title"] == THEIRS  # the new draft is still there


def test_a_live_change_before_the_draft_starts_shows_the_conflict_screen(people, login, live):
    opened = form_data(live, body=MINE)
    changed = Article.objects.get(pk=live.pk)
    changed.title = THEIRS  # the API's PATCH of a live story keeps its meaning: it goes live
    actions.save_article(actor=people["chief"], article=changed, base_version=changed.version)
    response = login(people["editor"]).post(change_url(live), opened)
    page = response.content.decode()
    assert response.status_code == 200
    assert "was changed by someone else since you opened it" in page
    assert field_value(page, "body") == MINE
    assert field_value(page, "title") == THEIRS  # left as it was by me: refilled from the current version
    assert draft_of(live) is None


def test_publishing_over_a_live_change_names_the_fields_and_keeps_the_draft(people, login, live):
    client = login(people["editor"])
    assert client.post(change_url(live), form_data(live, title="Draft title")).status_code == 302
    changed = Article.objects.get(pk=live.pk)
    changed.title = THEIRS
    actions.save_article(actor=people["chief"], article=changed, base_version=changed.version)

    response = client.post(change_url(live), {**form_data(live, body=MINE), "_publish_changes": "Publish changes"})

    said = " ".join(messages_of(client.get(response.url)))
    assert "saved in the working draft but were not published" in said
    assert "The live story changed since this draft started (Title)" in said
    draft = draft_of(live)
    assert draft.data["title"] == "Draft title" and draft.data["body"] == MINE
    assert Article.objects.get(pk=live.pk).title == THEIRS


def test_after_a_take_over_my_save_is_refused_and_my_text_stays_on_screen(people, login, live):
    actions.check_in(actor=people["editor"], article=live, opening=True)
    opened = form_data(live, body=MINE)
    actions.take_over(actor=people["chief"], article=live)
    revisions = live.revisions.count()

    response = login(people["editor"]).post(change_url(live), opened)

    assert response.status_code == 200
    page = response.content.decode()
    refusal = conflict_box(page)
    assert 'class="nr-conflict nr-refusal" role="alert"' in page
    assert re.search(r"took this story over at \d\d:\d\d:\d\d\. Nothing was saved", refusal)
    assert field_value(page, "body") == MINE
    assert draft_of(live) is None and live.revisions.count() == revisions
    assert Article.objects.get(pk=live.pk).title == OLD_TITLE


def test_a_story_someone_else_holds_is_not_saved_over_them_without_a_take_over(people, login):
    story = draft_by(people["editor"], title="Draft held by the chief")
    actions.check_in(actor=people["chief"], article=story, opening=True)
    response = login(people["editor"]).post(change_url(story), form_data(story, body=MINE))
    page = response.content.decode()
    assert response.status_code == 200 and "has this story open. Take it over to save your changes" in page
    assert field_value(page, "body") == MINE
    assert Article.objects.get(pk=story.pk).body != MINE

    actions.take_over(actor=people["editor"], article=story)
    assert login(people["editor"]).post(change_url(story), form_data(story, body=MINE)).status_code == 302
    assert Article.objects.get(pk=story.pk).body == MINE
