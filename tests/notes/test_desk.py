"""The notes panel of the change form (threads, replies, mentions; works without script) and the
desk index's "Mentioned in notes"."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import actions
from articles.models import Note
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

T = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)> @carl'


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def note_url(article):
    return reverse("admin:articles_article_note", args=[article.pk])


def test_a_hostile_note_is_shown_as_text_with_its_mention_highlighted(login, people):
    story = ArticleFactory()
    actions.add_note(actor=people["editor"], article=story, body=XSS)
    page = login(people["chief"]).get(change_url(story)).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; "
        '<strong class="nr-mention">@carl</strong>'
    ) in page


def test_notes_and_replies_are_added_from_the_form_and_read_as_threads(login, people):
    story = ArticleFactory()
    client = login(people["editor"])
    with time_machine.travel(T, tick=False):
        first = client.post(note_url(story), {"body": "Who confirmed the figure?"})
    note = Note.objects.get()
    assert first.status_code == 302 and first["Location"] == f"{change_url(story)}#note-{note.pk}"
    with time_machine.travel(T + timedelta(minutes=1), tick=False):
        actions.add_note(actor=people["chief"], article=story, body="A second thread.")
    with time_machine.travel(T + timedelta(minutes=2), tick=False):
        client.post(note_url(story), {"body": "The port authority, @carl.", "parent": str(note.pk)})
    reply = Note.objects.get(parent=note)
    assert list(reply.mentions.all()) == [people["chief"]]
    page = client.get(change_url(story)).content.decode()
    order = [page.index(text) for text in ("Who confirmed", "The port authority", "A second thread")]
    assert order == sorted(order), "a reply reads under its note, before the next thread"
    assert f'<li class="nr-note nr-depth-1" id="note-{reply.pk}">' in page
    assert f'form id="nr-note-reply-{note.pk}"' in page and f'name="parent" value="{note.pk}"' in page


def test_an_empty_note_is_refused_with_a_message_and_nothing_added(login, people):
    story = ArticleFactory()
    client = login(people["editor"])
    response = client.post(note_url(story), {"body": "   "}, follow=True)
    assert not Note.objects.exists()
    assert "The note was not added: A note needs some text." in response.content.decode()


def test_staff_without_article_rights_cannot_add_notes(client, people):
    from tests.factories import UserFactory

    UserFactory(username="archivist", is_staff=True, perms=["media.view_mediaitem"])
    client.login(username="archivist", password="pass-word-123")
    story = ArticleFactory()
    response = client.post(note_url(story), {"body": "Hello"})
    assert response.status_code in (403, 404) or "/login/" in response.get("Location", "")
    assert not Note.objects.exists()


def test_the_desk_index_lists_notes_mentioning_me_newest_first(login, people):
    older, newer = ArticleFactory(title="Bridge story"), ArticleFactory(title="Ferry story")
    with time_machine.travel(T, tick=False):
        old = actions.add_note(actor=people["chief"], article=older, body="@edith please check <b>this</b>")
    with time_machine.travel(T + timedelta(hours=1), tick=False):
        new = actions.add_note(actor=people["chief"], article=newer, body="@edith the ferry times?")
    actions.add_note(actor=people["chief"], article=newer, body="Nothing for edith here.")
    page = login(people["editor"]).get(reverse("admin:index")).content.decode()
    panel = page[page.index('id="desk-mentions"') :]
    panel = panel[: panel.index("</section>")]
    assert "Mentioned in notes" in panel
    assert panel.index("Ferry story") < panel.index("Bridge story")
    assert f'href="{change_url(newer)}#note-{new.pk}"' in panel
    assert f'href="{change_url(older)}#note-{old.pk}"' in panel
    assert "&lt;b&gt;this&lt;/b&gt;" in panel and "Nothing for edith" not in panel


def test_nobody_mentioned_sees_an_empty_panel(login, people):
    page = login(people["editor"]).get(reverse("admin:index")).content.decode()
    assert "No notes mention you." in page


def test_the_mentions_panel_costs_the_same_queries_for_one_note_or_ten(login, people, django_assert_num_queries):
    client = login(people["editor"])
    actions.add_note(actor=people["chief"], article=ArticleFactory(), body="@edith one")
    client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("admin:index"))
    for index in range(9):
        actions.add_note(actor=people["chief"], article=ArticleFactory(), body=f"@edith number {index}")
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(reverse("admin:index")).content.decode()
    assert page.count("#note-") == 8  # the desk's short lists show eight


def test_a_reply_to_another_storys_note_is_refused_from_the_form(login, people):
    elsewhere = actions.add_note(actor=people["chief"], article=ArticleFactory(), body="Elsewhere.")
    story = ArticleFactory()
    response = login(people["editor"]).post(note_url(story), {"body": "Hm.", "parent": str(elsewhere.pk)}, follow=True)
    assert "The note was not added: That note belongs to another story." in response.content.decode()
    assert Note.objects.count() == 1
