"""The change form's presence bar and take-over, drawn by the server (no script needed)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import actions
from articles.models import Presence
from tests.factories import ArticleFactory
from tests.roles import draft_by

pytestmark = pytest.mark.django_db

T = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_opening_the_form_checks_the_editor_in(login, people):
    story = ArticleFactory()
    page = login(people["editor"]).get(change_url(story)).content.decode()
    assert Presence.objects.get(article=story).user == people["editor"]
    assert "Nobody else has this story open." in page
    assert 'role="status" aria-live="polite"' in page


def test_the_second_editor_sees_who_holds_the_story_since_when_and_may_take_over(client, people):
    story = ArticleFactory()
    with time_machine.travel(T, tick=False):
        client.force_login(people["editor"])
        client.get(change_url(story))
    with time_machine.travel(T + timedelta(seconds=30), tick=False):
        client.force_login(people["chief"])
        page = client.get(change_url(story)).content.decode()
    since = timezone.localtime(T).strftime("%H:%M")
    assert f"edith (since {since})" in page
    assert f"edith has had this story open since {since}." in page
    assert 'form="nr-take-over"' in page and ">Take over</button>" in page


def test_take_over_from_the_form_works_without_script(client, people):
    story = ArticleFactory()
    actions.check_in(actor=people["editor"], article=story, opening=True)
    client.force_login(people["chief"])
    client.get(change_url(story))
    response = client.post(reverse("admin:articles_article_take_over", args=[story.pk]))
    assert response.status_code == 302 and response["Location"] == change_url(story)
    edith = Presence.objects.get(article=story, user=people["editor"])
    assert edith.taken_over_by == people["chief"]
    page = client.get(change_url(story)).content.decode()
    assert 'class="nr-holder-notice" hidden' in page  # the story is theirs now


def test_a_reporter_reading_someone_elses_story_gets_no_take_over_button(client, people):
    story = draft_by(people["author"])
    actions.check_in(actor=people["author"], article=story, opening=True)
    client.force_login(people["other"])
    page = client.get(change_url(story)).content.decode()
    assert "rita has had this story open since" in page
    assert ">Take over</button>" not in page
    refused = client.post(reverse("admin:articles_article_take_over", args=[story.pk]))
    assert Presence.objects.get(article=story, user=people["author"]).taken_over_by is None
    assert refused.status_code in (302, 403, 404)


def test_the_take_over_door_answers_posts_only(login, people):
    story = ArticleFactory()
    assert login(people["chief"]).get(reverse("admin:articles_article_take_over", args=[story.pk])).status_code == 404


def test_the_holder_reopening_the_form_after_a_save_keeps_the_story(client, people):
    story = ArticleFactory()
    with time_machine.travel(T, tick=False):
        client.force_login(people["editor"])
        client.get(change_url(story))
    with time_machine.travel(T + timedelta(seconds=10), tick=False):
        actions.check_in(actor=people["chief"], article=story, opening=True)
    with time_machine.travel(T + timedelta(seconds=20), tick=False):
        page = client.get(change_url(story)).content.decode()
        assert actions.holder(actions.present(story)) == people["editor"]
        assert actions.save_refusal(actor=people["editor"], article=story) == ""
    assert 'class="nr-holder-notice" hidden' in page and "carl (since" in page


def test_a_hostile_name_in_the_presence_bar_is_shown_as_text(client, people):
    story = ArticleFactory()
    edith = people["editor"]
    edith.first_name, edith.last_name = "<img src=x onerror=alert(1)>", "Ward"
    edith.save()
    actions.check_in(actor=edith, article=story, opening=True)
    client.force_login(people["chief"])
    page = client.get(change_url(story)).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; Ward has had this story open since" in page


@pytest.mark.parametrize("object_id", [str(2**63), str(10**30), "abc", "999999"])
def test_the_desk_doors_answer_404_for_ids_that_name_no_story(login, people, object_id):
    client = login(people["chief"])
    for name in ("take_over", "note", "discard_autosave"):
        response = client.post(reverse(f"admin:articles_article_{name}", args=[object_id]), {"body": "Hi"})
        assert response.status_code == 404, (name, object_id)
