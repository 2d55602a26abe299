"""Who sees which of a live story's buttons, the Approve button on the publishing desk, the
sign-off chain in the history, and the sign-off field that says where its line comes from."""

import html

import pytest

from articles import actions
from articles.models import Article
from articles.signoffs import person
from tests.desk_drafts.conftest import change_url, draft_of, form_data, messages_of
from tests.factories import ArticleFactory
from tests.roles import draft_by

pytestmark = pytest.mark.django_db


def test_a_sub_editor_saves_the_draft_but_sees_no_publish_buttons(login, live, subeditor):
    client = login(subeditor)
    page = client.get(change_url(live)).content.decode()
    assert 'value="Save draft"' in page
    assert "Publish changes" not in page and "Schedule changes" not in page

    response = client.post(change_url(live), {**form_data(live, title="Sub-edited"), "_publish_changes": "1"})
    said = " ".join(messages_of(client.get(response.url)))
    assert "were not published: You may not publish articles." in said
    assert draft_of(live).data["title"] == "Sub-edited"
    assert Article.objects.get(pk=live.pk).title != "Sub-edited"


def test_a_reporter_reads_someone_else_s_live_story_without_any_save_button(people, login, live):
    page = login(people["other"]).get(change_url(live)).content.decode()
    assert "Save draft" not in page and "Publish changes" not in page and 'name="title"' not in page


def test_an_editor_approves_a_story_in_review_from_the_desk(people, login):
    story = draft_by(people["author"], title="Dam inspection finds cracks", signoff="")
    actions.submit_for_review(actor=people["author"], article=story)
    assert "Approve" not in login(people["author"]).get(change_url(story)).content.decode()

    client = login(people["editor"])
    page = client.get(change_url(story)).content.decode()
    assert 'form="nr-state-approve"' in page and ">Approve</button>" in page
    response = client.post(f"/admin/articles/article/{story.pk}/state/approve/")
    assert "Approved: you are its approver in the sign-off chain." in messages_of(client.get(response.url))
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW
    chain = story.revisions.order_by("-number").first().chain
    assert [(entry["role"], entry["signoff"]) for entry in chain] == [("writer", "R/TA"), ("approver", "E/DH")]
    assert story.signoff == "R/TA/E/DH"


def test_the_history_shows_each_revision_s_chain_and_the_sign_off_line(people, login, live):
    page = html.unescape(login(people["editor"]).get(f"/admin/articles/article/{live.pk}/revisions/").content.decode())
    rita, edith = person(people["author"])["name"], person(people["editor"])["name"]
    assert "Sign-off chain" in page
    assert f"Writer: {rita} (R/TA)" in page
    assert f"Editor: {edith} (E/DH)" in page and f"Publisher: {edith} (E/DH)" in page
    first = page.index("<tbody>")
    newest_row = page[first : page.index("</tr>", first)]
    assert "Publisher:" in newest_row  # newest first
    assert f"Sign-off line: <strong>{live.signoff}</strong>" in page and live.signoff == "R/TA/E/DH"
    assert "made from the" in page and "sign-off chain" in page


def test_the_sign_off_field_is_read_only_where_the_chain_makes_the_line(people, login, live):
    page = html.unescape(login(people["editor"]).get(change_url(live)).content.decode())
    assert 'name="signoff"' not in page
    assert '<strong class="nr-signoff-line">R/TA/E/DH</strong>' in page
    assert "made from the story's sign-off chain" in page


def test_an_imported_story_keeps_its_sign_off_and_it_stays_editable(people, login):
    story = ArticleFactory(draft=True, legacy_id=4411, signoff="AB/CD 7")
    page = html.unescape(login(people["editor"]).get(change_url(story)).content.decode())
    assert 'name="signoff"' in page and 'value="AB/CD 7"' in page
    assert "An imported story keeps the sign-off it came with" in page
    response = login(people["editor"]).post(change_url(story), form_data(story, signoff="AB/CD 8"))
    assert response.status_code == 302
    assert Article.objects.get(pk=story.pk).signoff == "AB/CD 8"


def test_a_new_story_s_sign_off_field_explains_the_rule(people, login):
    page = html.unescape(login(people["editor"]).get("/admin/articles/article/add/").content.decode())
    assert 'name="signoff"' in page
    assert "What you type is used only while nobody in the chain has a desk code." in page
