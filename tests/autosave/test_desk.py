"""The change form's autosave: where its script saves, the offer of unsaved text with its
difference, Discard without script, and when an autosave is cleared by itself."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import actions
from articles.models import Autosave
from tests.factories import ArticleFactory
from tests.roles import draft_by

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_form_tells_its_script_where_to_autosave(login, people):
    story = ArticleFactory()
    page = login(people["editor"]).get(change_url(story)).content.decode()
    assert f'data-autosave-url="/api/v1/articles/{story.pk}/autosave/"' in page
    assert 'class="nr-autosave-status" role="status"' in page
    assert "desk/together.js" in page


def test_unsaved_text_is_offered_back_with_its_difference(login, people):
    story = ArticleFactory(title="Bridge reopens")
    typed = {"title": "Bridge reopens <em>at dawn</em>", "summary": story.summary, "base_version": "1"}
    actions.autosave(actor=people["editor"], article=story, data=typed, base_version=story.version)
    page = login(people["editor"]).get(change_url(story)).content.decode()
    assert "You have unsaved text from" in page
    offer = page[page.index('class="nr-autosave-offer"') :]
    assert "<h3>Title</h3>" in offer and "<h3>Summary</h3>" not in offer[: offer.index("nr-autosave-buttons")]
    assert "&lt;em&gt;at&nbsp;dawn&lt;/em&gt;" in offer
    assert ">Restore</button>" in offer and 'form="nr-discard-autosave"' in offer
    data = page[page.index('id="nr-autosave-data"') :]
    data = data[data.index(">") + 1 : data.index("</script>")]
    assert json.loads(data) == typed


def test_discard_forgets_the_unsaved_text_without_script(login, people):
    story = ArticleFactory(title="Bridge reopens")
    actions.autosave(actor=people["editor"], article=story, data={"title": "Other"}, base_version=1)
    client = login(people["editor"])
    response = client.post(reverse("admin:articles_article_discard_autosave", args=[story.pk]))
    assert response.status_code == 302 and response["Location"] == change_url(story)
    assert not Autosave.objects.exists()
    assert "You have unsaved text" not in client.get(change_url(story)).content.decode()


def test_an_autosave_equal_to_the_saved_story_is_cleared_when_the_form_opens(login, people):
    story = ArticleFactory(title="Bridge reopens")
    data = {"title": "Bridge reopens", "summary": story.summary.replace("\n", "\r\n") + "  "}
    actions.autosave(actor=people["editor"], article=story, data=data, base_version=story.version)
    page = login(people["editor"]).get(change_url(story)).content.decode()
    assert "You have unsaved text" not in page
    assert not Autosave.objects.exists()


def test_saving_the_story_after_the_autosave_clears_it(login, people):
    story = draft_by(people["editor"], title="Bridge reopens")
    actions.autosave(actor=people["editor"], article=story, data={"title": "Bridge at dawn?"}, base_version=1)
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        story.title = "Bridge reopens at dawn"
        actions.save_article(actor=people["editor"], article=story, base_version=story.version)
        page = login(people["editor"]).get(change_url(story)).content.decode()
    assert "You have unsaved text" not in page and not Autosave.objects.exists()


def test_someone_elses_save_keeps_my_unsaved_text(login, people):
    story = draft_by(people["editor"], title="Bridge reopens")
    actions.autosave(actor=people["editor"], article=story, data={"title": "Edith's title"}, base_version=1)
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        story.title = "Carl's title"
        actions.save_article(actor=people["chief"], article=story, base_version=story.version)
        page = login(people["editor"]).get(change_url(story)).content.decode()
    assert "You have unsaved text" in page and "<h3>Title</h3>" in page
    assert Autosave.objects.get().data == {"title": "Edith's title"}


def test_a_new_storys_text_is_autosaved_and_offered_on_the_add_form(login, people):
    client = login(people["editor"])
    add = reverse("admin:articles_article_add")
    autosave_url = reverse("admin:articles_article_autosave_new")
    assert f'data-autosave-url="{autosave_url}"' in client.get(add).content.decode()
    response = client.put(autosave_url, {"data": {"title": "Half a headline"}}, content_type="application/json")
    assert response.status_code == 200 and "saved_at" in response.json()
    page = client.get(add).content.decode()
    assert "You have unsaved text from" in page and "Half&nbsp;a&nbsp;headline" in page
    bad = client.put(autosave_url, "[1, 2", content_type="application/json")
    assert bad.status_code == 400 and bad.json()["detail"]
    assert client.post(autosave_url).status_code == 302
    assert not Autosave.objects.exists()


def test_creating_a_story_clears_the_new_story_autosave(login, people):
    client = login(people["editor"])
    actions.autosave(actor=people["editor"], article=None, data={"title": "Half a headline"})
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        draft_by(people["editor"], title="Half a headline, finished")
        page = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "You have unsaved text" not in page and not Autosave.objects.exists()


def test_a_reader_of_someone_elses_story_gets_no_autosave(login, people):
    story = draft_by(people["author"])
    page = login(people["other"]).get(change_url(story)).content.decode()
    assert "data-autosave-url" not in page


def test_saving_the_working_draft_after_the_autosave_clears_it(login, people):
    story = ArticleFactory(title="Bridge reopens")  # live: the form saves to its working draft
    actions.autosave(actor=people["editor"], article=story, data={"title": "Bridge at dawn?"}, base_version=1)
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        actions.save_draft(
            actor=people["editor"], article=story, changes={"title": "Bridge at dawn"}, base_version=story.version
        )
        page = login(people["editor"]).get(change_url(story)).content.decode()
    assert "You have unsaved text" not in page and not Autosave.objects.exists()
