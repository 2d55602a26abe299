"""The desk publishes corrections from the story's change form (a panel with kind and text),
through the same action as the API; a reporter sees the record but no form."""

import pytest

from articles.models import AuditEntry, Correction

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def correct_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/correct/"


def test_an_editor_publishes_a_correction_from_the_form(login, people, story):
    client = login(people["editor"])
    form = client.get(change_url(story)).content.decode()
    assert 'id="corrections-heading"' in form and 'form="nr-correct"' in form

    answer = client.post(
        correct_url(story), {"kind": "clarification", "text": "The council, not the mayor."}, follow=True
    )
    page = answer.content.decode()
    assert "Clarification published" in page
    assert "The council, not the mayor." in page
    [correction] = Correction.objects.all()
    assert (correction.kind, correction.author) == ("clarification", people["editor"])
    assert AuditEntry.objects.filter(action="correct", article_id=story.pk).count() == 1


def test_bad_input_from_the_form_publishes_nothing_and_says_why(login, people, story):
    client = login(people["editor"])
    page = client.post(correct_url(story), {"kind": "correction", "text": "  "}, follow=True).content.decode()
    assert "Nothing was published: A correction needs its text" in page
    page = client.post(correct_url(story), {"kind": "erratum", "text": "x"}, follow=True).content.decode()
    assert "Nothing was published: “erratum” is not a kind of correction" in page
    assert not Correction.objects.exists()


def test_a_reporter_sees_the_record_but_cannot_publish_one(login, people, story):
    client = login(people["author"])
    form = client.get(change_url(story)).content.decode()
    assert 'id="corrections-heading"' in form and 'form="nr-correct"' not in form
    page = client.post(correct_url(story), {"kind": "update", "text": "Mine."}, follow=True).content.decode()
    assert "Nothing was published: Only editors who may publish may add corrections." in page
    assert not Correction.objects.exists()


def test_the_form_is_not_offered_for_a_story_not_live(login, people):
    from tests.roles import draft_by

    draft = draft_by(people["author"], title="Early")
    form = login(people["editor"]).get(change_url(draft)).content.decode()
    assert 'form="nr-correct"' not in form and "None published." in form
