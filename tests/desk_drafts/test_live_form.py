"""A live story's change form saves to its working draft: readers keep the live version until
"Publish changes" (now) or "Schedule changes" (at a set second); the form reopens from the
draft, a banner shows the difference, and "Discard changes" throws the draft away."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from articles import actions
from articles.models import Article, Revision
from tests.desk_drafts.conftest import (
    OLD_BODY,
    OLD_TITLE,
    change_url,
    draft_of,
    field_value,
    form_data,
    messages_of,
)
from tests.factories import ArticleFactory, AuthorFactory, TagFactory

pytestmark = pytest.mark.django_db

NEW_TITLE = "Flood barrier holds, but the river keeps rising"
NEW_BODY = "<p>The barrier held, but the river is still rising, engineers said.</p>"


def reader_sees(article: Article) -> dict[str, str]:
    """What an anonymous reader gets from the page, the API detail and the RSS feed."""
    reader = Client()
    found = {}
    for name, url in {
        "page": article.get_absolute_url(),
        "API detail": f"/api/v1/articles/{article.pk}/",
        "feed": "/feeds/rss/",
    }.items():
        response = reader.get(url)
        assert response.status_code == 200, f"{name} answered {response.status_code}"
        found[name] = html.unescape(response.content.decode())
    return found


def test_saving_a_live_story_fills_its_working_draft_and_readers_keep_the_live_text(people, login, live):
    revisions = Revision.objects.filter(article=live).count()
    response = login(people["editor"]).post(change_url(live), form_data(live, title=NEW_TITLE, body=NEW_BODY))

    assert response.status_code == 302 and response.url == change_url(live)
    draft = draft_of(live)
    assert draft.data["title"] == NEW_TITLE and draft.data["body"] == NEW_BODY and draft.updated_by == people["editor"]
    stored = Article.objects.get(pk=live.pk)
    assert (stored.title, stored.body, stored.version) == (OLD_TITLE, OLD_BODY, live.version)
    assert Revision.objects.filter(article=live).count() == revisions
    for surface, text in reader_sees(stored).items():
        assert OLD_TITLE in text and NEW_TITLE not in text, surface


def test_the_form_opens_from_the_draft_with_a_banner_and_the_difference(people, login, live):
    tag, target, author = TagFactory(name="Rain"), ArticleFactory(title="Rain gauges upstream"), AuthorFactory()
    old_target = live.related_links.get().target_id
    draft = actions.save_draft(
        actor=people["chief"],
        article=live,
        base_version=live.version,
        changes={
            "title": NEW_TITLE,
            "tag_ids": [tag.pk],
            "related_ids": [target.pk, old_target],
            "author_ids": [author.pk],
        },
    )
    page = login(people["editor"]).get(change_url(live)).content.decode()

    assert field_value(page, "title") == NEW_TITLE
    assert field_value(page, "draft_version") == str(draft.version)
    assert field_value(page, "base_version") == str(live.version)
    assert re.search(rf'<option value="{tag.pk}" selected>', page)
    assert 'name="related_links-INITIAL_FORMS" value="0"' in page
    related = re.findall(r'name="related_links-(\d+)-target"[^>]*>\s*<option value="(\d+)" selected', page)
    assert [int(target_id) for _, target_id in related] == [target.pk, old_target]
    bylines = re.findall(r'name="bylines-\d+-author"[^>]*>\s*<option value="(\d+)" selected', page)
    assert [int(author_id) for author_id in bylines] == [author.pk]
    banner = html.unescape(page[page.index('class="nr-draft-banner"') : page.index("</details>")]).replace("\xa0", " ")
    assert '<div class="nr-draft-banner" role="status">' in page
    assert "This story is live. Your changes are in a working draft and readers still see the live version" in banner
    assert f"last saved by {people['chief'].get_full_name() or 'carl'}" in banner
    assert OLD_TITLE in banner and NEW_TITLE in banner  # the diff, live beside draft
    # A live story's own buttons; the plain "Save" of a non-live story is not offered.
    for button in ("Save draft", "Publish changes", "Schedule changes", "Discard changes"):
        assert button in page
    assert 'value="Save and add another"' not in page


def test_publish_changes_makes_the_draft_live(people, login, live):
    client = login(people["editor"])
    response = client.post(
        change_url(live), {**form_data(live, title=NEW_TITLE, body=NEW_BODY), "_publish_changes": "Publish changes"}
    )

    assert response.status_code == 302
    assert "Your changes are published: readers see them now." in messages_of(client.get(response.url))
    assert draft_of(live) is None
    stored = Article.objects.get(pk=live.pk)
    assert (stored.title, stored.body) == (NEW_TITLE, NEW_BODY)
    assert stored.revisions.order_by("-number").first().note == "published the working draft"
    for surface, text in reader_sees(stored).items():
        assert NEW_TITLE in text, surface


def test_a_second_save_writes_the_same_draft_and_publishing_applies_it(people, login, live):
    client = login(people["editor"])
    assert client.post(change_url(live), form_data(live, title=NEW_TITLE)).status_code == 302
    assert client.post(change_url(live), form_data(live, body=NEW_BODY)).status_code == 302
    draft = draft_of(live)
    assert (draft.version, draft.data["title"], draft.data["body"]) == (2, NEW_TITLE, NEW_BODY)
    assert client.post(change_url(live), {**form_data(live), "_publish_changes": "1"}).status_code == 302
    stored = Article.objects.get(pk=live.pk)
    assert (stored.title, stored.body) == (NEW_TITLE, NEW_BODY)


def test_saving_a_live_story_unchanged_starts_no_draft(people, login, live):
    client = login(people["editor"])
    response = client.post(change_url(live), form_data(live))
    assert response.status_code == 302 and draft_of(live) is None
    assert any("no working draft" in text for text in messages_of(client.get(response.url)))


def test_a_story_that_is_not_live_saves_directly(people, login):
    from tests.roles import draft_by

    story = draft_by(people["editor"], title="Draft about the barrier")
    response = login(people["editor"]).post(change_url(story), form_data(story, title="Draft, renamed"))
    assert response.status_code == 302 and draft_of(story) is None
    assert Article.objects.get(pk=story.pk).title == "Draft, renamed"


def test_discard_changes_throws_the_draft_away_and_keeps_the_live_story(people, login, live):
    client = login(people["editor"])
    client.post(change_url(live), form_data(live, title=NEW_TITLE))
    discard = f"/admin/articles/article/{live.pk}/draft/discard/"

    stale = client.post(discard, {"draft_version": "7"})
    assert stale.status_code == 302 and draft_of(live) is not None
    assert any(text.startswith("Nothing was changed") for text in messages_of(client.get(stale.url)))
    assert client.get(discard).status_code == 405  # a plain GET (a link followed) discards nothing

    done = client.post(discard, {"draft_version": str(draft_of(live).version)})
    assert done.status_code == 302 and draft_of(live) is None
    assert Article.objects.get(pk=live.pk).title == OLD_TITLE
    page = client.get(change_url(live)).content.decode()
    assert field_value(page, "title") == OLD_TITLE and "Discard changes" not in page


T = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_scheduled_changes_go_live_at_their_second_with_no_process_running(people, login):
    """Scheduled from the form; the public page shows the old text until T - 1 s and the new
    one at T, published by the reader's own request (nothing else runs)."""
    with time_machine.travel(T - timedelta(hours=2), tick=False):
        from tests.desk_drafts.conftest import live as make_live

        story = make_live.__wrapped__(people)
    with time_machine.travel(T - timedelta(hours=1), tick=False):
        client = login(people["editor"])
        response = client.post(
            change_url(story),
            {
                **form_data(story, title=NEW_TITLE),
                "_schedule_changes": "Schedule changes",
                "changes_at": T.isoformat(),
            },
        )
        assert response.status_code == 302
        assert draft_of(story).publish_at == T
        page = client.get(change_url(story)).content.decode()
        assert "The changes are scheduled to go live at" in page and "Cancel schedule" in page

    reader = Client()
    with time_machine.travel(T - timedelta(seconds=1), tick=False):
        text = html.unescape(reader.get(story.get_absolute_url()).content.decode())
        assert OLD_TITLE in text and NEW_TITLE not in text
    with time_machine.travel(T, tick=False):
        text = html.unescape(reader.get(story.get_absolute_url()).content.decode())
        assert NEW_TITLE in text and OLD_TITLE not in text
    assert draft_of(story) is None


def test_cancel_schedule_keeps_the_draft_unscheduled(people, login, live):
    client = login(people["editor"])
    later = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    client.post(
        change_url(live),
        {**form_data(live, title=NEW_TITLE), "_schedule_changes": "1", "changes_at": later.isoformat()},
    )
    assert draft_of(live).publish_at == later
    response = client.post(
        f"/admin/articles/article/{live.pk}/draft/unschedule/", {"draft_version": str(draft_of(live).version)}
    )
    assert response.status_code == 302
    draft = draft_of(live)
    assert draft.publish_at is None and draft.data["title"] == NEW_TITLE


def test_schedule_changes_without_a_time_keeps_the_draft_and_says_so(people, login, live):
    client = login(people["editor"])
    response = client.post(change_url(live), {**form_data(live, title=NEW_TITLE), "_schedule_changes": "1"})
    said = messages_of(client.get(response.url))
    assert any("saved in the working draft but not scheduled" in text for text in said), said
    assert draft_of(live).data["title"] == NEW_TITLE and draft_of(live).publish_at is None


def test_a_failed_schedule_is_shown_as_an_alert_in_the_banner(people, login, live):
    draft = actions.save_draft(actor=people["editor"], article=live, base_version=live.version, changes={"title": "X"})
    draft.problem = "The live story changed since this draft started (Title)."
    draft.save()
    page = login(people["editor"]).get(change_url(live)).content.decode()
    assert '<div class="nr-draft-banner" role="alert">' in page
    assert "The scheduled changes could not go live:" in page and "since this draft started (Title)" in page


def test_the_draft_previews_as_the_public_page_for_the_desk_only(people, login, live):
    actions.save_draft(
        actor=people["editor"], article=live, base_version=live.version, changes={"title": NEW_TITLE, "body": NEW_BODY}
    )
    editor = login(people["editor"])
    preview_url = f"/admin/articles/article/{live.pk}/draft/preview/"
    assert preview_url in editor.get(change_url(live)).content.decode()  # the banner links it

    preview = editor.get(preview_url)
    page = html.unescape(preview.content.decode())
    assert preview.status_code == 200
    assert NEW_TITLE in page and "still rising" in page and OLD_TITLE not in page
    assert "no-store" in preview["Cache-Control"] and preview["X-Robots-Tag"].startswith("noindex")
    # Readers keep the live story; the preview URL is not theirs to open.
    assert OLD_TITLE in reader_sees(live)["page"]
    assert Client().get(preview_url).status_code == 302  # to the admin login
    assert login(people["author"]).get(preview_url).status_code == 403  # reporters read no history or previews


def test_a_story_without_a_draft_has_no_draft_preview(people, login, live):
    assert login(people["editor"]).get(f"/admin/articles/article/{live.pk}/draft/preview/").status_code == 404
