"""Media of stories readers cannot see yet stay private (issue #13, item 3).

An item becomes public when a live story uses it (lead, a video's poster, inline in the body) or
an editor marks it public. Before that, anonymous requests for its API object, its renditions and
its stored files get 404 (every URL an editor's API answer names, and guessed sequential ones),
while staff see everything.
"""

import html
import json
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from articles import actions
from articles.desk import preview
from articles.models import Article
from media.ingest import ingest_bytes
from media.models import MediaItem
from media.samples import draw_photo, encode_clip
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
HOUR = timezone.timedelta(hours=1)

# How a story can keep its media from readers: (article fields, how long until it is live).
HIDDEN = {
    "draft": {"status": Article.Status.DRAFT, "published_at": None},
    "in review": {"status": Article.Status.REVIEW, "published_at": None},
    "scheduled": {"status": Article.Status.PUBLISHED, "published_at": NOW + HOUR},
    "embargoed": {"status": Article.Status.PUBLISHED, "published_at": NOW - HOUR, "embargo_until": NOW + HOUR},
    "archived": {"status": Article.Status.ARCHIVED, "published_at": NOW - HOUR},
}


@pytest.fixture
def photo(db):
    return ingest_bytes(draw_photo(400, 300, seed=7), filename="harbour.jpg", title="Harbour at night")


@pytest.fixture
def staff(editor):
    client = Client()
    client.force_login(editor)
    return client


def local(url: str) -> str:
    """The path and query of an absolute URL, for the test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def urls_named_for(staff_client, item) -> list[str]:
    """Every URL an editor's API answer for `item` names (files, renditions, captions, itself),
    after asking for each rendition once so that the stored files exist too."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            for inner in value.values():
                walk(inner)
        elif isinstance(value, str) and value.startswith("http"):
            found.append(local(value))

    body = staff_client.get(f"/api/v1/media/{item.pk}/").json()
    walk(body)
    for url in [u for u in found if u.startswith("/media-renditions/")][:4]:
        response = staff_client.get(url)
        assert response.status_code == 302, url
        found.append(local(response["Location"]))
    body = staff_client.get(f"/api/v1/media/{item.pk}/").json()
    walk(body)
    return sorted(set(found))


def assert_all(client, urls, status):
    answers = {url: client.get(url).status_code for url in urls}
    wrong = {url: code for url, code in answers.items() if code != status}
    assert not wrong, f"expected {status}: {wrong}"


def story_with(item, how="lead", **fields):
    if how == "lead":
        return ArticleFactory(lead_media=item, **fields)
    return ArticleFactory(
        body=f'<p>Before.</p><img data-media-id="{item.pk}" alt="x" src="/x.jpg"><p>After.</p>', **fields
    )


@pytest.mark.parametrize("how", ["lead", "inline"])
@pytest.mark.parametrize("state", list(HIDDEN))
def test_media_of_hidden_stories_answer_404_to_readers_and_200_to_staff(client, staff, photo, state, how):
    story_with(photo, how, **HIDDEN[state])
    urls = urls_named_for(staff, photo)
    assert f"/api/v1/media/{photo.pk}/" in urls
    assert any(url.startswith("/media/library/") for url in urls), urls
    assert any("/renditions/" in url for url in urls), urls
    assert_all(client, urls, 404)
    assert_all(client, [f"/media-renditions/{photo.pk}/w320.jpeg", f"/media-renditions/{photo.pk}/16x9-w640.webp"], 404)
    assert str(photo.pk) not in [str(entry["id"]) for entry in client.get("/api/v1/media/").json()["results"]]
    # Staff still see and use everything, including the files and renditions.
    for url in urls:
        assert staff.get(url).status_code in (200, 302), url


def test_guessed_sequential_ids_find_nothing_unpublished(client, staff):
    items = [ingest_bytes(draw_photo(200, 150, seed=n), filename=f"p{n}.jpg") for n in range(1, 4)]
    story_with(items[0], **HIDDEN["draft"])
    first = min(item.pk for item in items)
    for pk in range(first - 2, first + 6):
        assert client.get(f"/media-renditions/{pk}/w320.jpeg").status_code == 404
        assert client.get(f"/api/v1/media/{pk}/").status_code == 404
    assert client.get("/api/v1/media/").json()["results"] == []
    assert staff.get(f"/media-renditions/{first}/w320.jpeg").status_code == 302


def test_scheduled_story_media_turn_public_when_the_story_goes_live(client, staff, photo):
    story = story_with(photo, **HIDDEN["scheduled"])
    urls = urls_named_for(staff, photo)
    assert_all(client, urls, 404)
    with time_machine.travel(story.published_at + timezone.timedelta(seconds=1), tick=False):
        answers = {url: client.get(url).status_code for url in urls}
    assert all(code in (200, 302) for code in answers.values()), answers


def test_embargo_end_makes_media_public_and_unpublishing_hides_them_again(client, staff, editor, photo):
    story = story_with(photo, **HIDDEN["embargoed"])
    urls = urls_named_for(staff, photo)
    assert_all(client, urls, 404)
    actions.embargo(actor=editor, article=story, until=None)
    assert all(client.get(url).status_code in (200, 302) for url in urls)
    assert photo.pk in [entry["id"] for entry in client.get("/api/v1/media/").json()["results"]]
    actions.unpublish(actor=editor, article=story)
    assert_all(client, urls, 404)


def test_publishing_the_draft_makes_its_lead_and_inline_media_public(client, staff, editor):
    lead = ingest_bytes(draw_photo(300, 200, seed=1), filename="lead.jpg")
    inline = ingest_bytes(draw_photo(300, 200, seed=2), filename="inline.jpg")
    story = ArticleFactory(
        lead_media=lead, body=f'<p>x</p><img data-media-id="{inline.pk}" alt="y" src="/y.jpg">', **HIDDEN["draft"]
    )
    for item in (lead, inline):
        assert client.get(f"/api/v1/media/{item.pk}/").status_code == 404
    actions.publish(actor=editor, article=story)
    for item in (lead, inline):
        assert client.get(f"/api/v1/media/{item.pk}/").status_code == 200
        assert client.get(item.url).status_code == 200
        assert client.get(f"/media-renditions/{item.pk}/w320.jpeg").status_code == 302


def test_video_poster_and_captions_follow_the_video(client, staff, editor):
    video = ingest_bytes(encode_clip(seconds=1.0, width=160, height=120), filename="clip.mp4", title="Quay")
    from media.actions import attach_captions

    attach_captions(actor=None, item=video, data=b"WEBVTT\n\n00:00.000 --> 00:01.000\nWaves\n", language="en")
    story = story_with(video, **HIDDEN["draft"])
    urls = urls_named_for(staff, video)
    assert any(url.endswith(".vtt") for url in urls), urls
    assert_all(client, urls, 404)
    assert client.get(f"/api/v1/media/{video.poster_id}/").status_code == 404
    actions.publish(actor=editor, article=story)
    assert all(client.get(url).status_code in (200, 302) for url in urls)
    assert client.get(f"/api/v1/media/{video.poster_id}/").status_code == 200


def test_an_editor_marks_an_unused_item_public_a_reporter_may_not(client, editor, photo):
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    assert client.get(photo.url).status_code == 404
    reporter = UserFactory(username="rita", is_staff=True)
    reporter.groups.add(Group.objects.get(name="Reporter"))
    refused = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reporter).key}").patch(
        f"/api/v1/media/{photo.pk}/", json.dumps({"public": True}), content_type="application/json"
    )
    assert refused.status_code == 403
    assert client.get(photo.url).status_code == 404
    response = api.patch(f"/api/v1/media/{photo.pk}/", json.dumps({"public": True}), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["public"] is True
    assert client.get(photo.url).status_code == 200
    assert client.get(f"/api/v1/media/{photo.pk}/").status_code == 200


def test_a_token_with_media_view_permission_opens_unpublished_files(client, editor, photo):
    story_with(photo, **HIDDEN["draft"])
    token = Token.objects.create(user=editor).key
    assert client.get(photo.url).status_code == 404
    assert client.get(photo.url, HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    assert client.get(photo.url, HTTP_AUTHORIZATION="Token not-a-token").status_code == 404


def test_staff_answers_for_unpublished_media_are_not_cacheable_by_shared_caches(staff, photo):
    response = staff.get(photo.url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    response = staff.get(f"/media-renditions/{photo.pk}/w320.jpeg")
    assert "public" not in response["Cache-Control"]


def test_new_file_names_are_unguessable(photo, staff):
    assert photo.file.name.startswith("library/")
    stem = photo.file.name.rsplit("/", 1)[-1].split(".")[0]
    assert len(stem) == 32 and stem != str(photo.pk)
    rendition = staff.get(f"/media-renditions/{photo.pk}/w320.jpeg")["Location"]
    assert len(rendition.rsplit("-", 1)[-1].split(".")[0]) >= 10


def test_unknown_names_under_media_answer_404_to_readers(client, photo):
    assert client.get("/media/library/nothing-here.jpg").status_code == 404
    assert client.get(f"/media/renditions/{photo.pk}/w320-0000000000.jpg").status_code == 404
    assert client.get("/media/renditions/99999999999999999999999/x.jpg").status_code == 404


def test_the_data_migration_marks_media_of_live_stories_public(photo):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("media.migrations.0003_public_flag_and_file_index")
    unused = ingest_bytes(draw_photo(200, 150, seed=9), filename="unused.jpg")
    hidden = ingest_bytes(draw_photo(200, 150, seed=10), filename="hidden.jpg")
    inline = ingest_bytes(draw_photo(200, 150, seed=11), filename="inline.jpg")
    ArticleFactory(lead_media=photo, body=f'<p><img data-media-id="{inline.pk}" alt="" src="/i.jpg"></p>')
    ArticleFactory(lead_media=hidden, **HIDDEN["embargoed"])
    migration.mark_media_of_live_stories_public(apps, None)
    public = set(MediaItem.objects.filter(public=True).values_list("pk", flat=True))
    assert public == {photo.pk, inline.pk}
    assert unused.pk not in public


def test_share_link_opens_the_drafts_video_poster_and_captions_only(client, editor):
    """A share-preview page's media URLs carry a grant: the logged-out holder of the link gets the
    video, its poster and captions; the same URLs without the grant still answer 404."""
    from media.actions import attach_captions

    video = ingest_bytes(encode_clip(seconds=1.0, width=160, height=120), filename="clip.mp4", title="Quay")
    attach_captions(actor=None, item=video, data=b"WEBVTT\n\n00:00.000 --> 00:01.000\nWaves\n", language="en")
    story = actions.save_article(
        actor=editor,
        article=ArticleFactory.build(draft=True, lead_media=video, section=SectionFactory()),
    )
    link = preview.create_link(actor=editor, article=story)
    page = client.get(f"/preview/{link.token}/").content.decode()
    found = {
        tag: html.unescape(url)
        for tag, url in re.findall(r'<(source|track|video)\b[^>]*?\b(?:src|poster)="([^"]+)"', page)
    }
    assert set(found) == {"source", "track", "video"}, page
    for tag, url in found.items():
        assert "grant=" in url, tag
        response = client.get(url)
        if response.status_code == 302:  # the on-demand poster rendition, on to its file
            response = client.get(local(response["Location"]))
        assert response.status_code == 200, (tag, url)
        assert "no-store" in response["Cache-Control"], tag
        assert client.get(url.split("?")[0]).status_code == 404, tag
    # The video's own grant (on its file) also opens its rendition URL, which leads to the poster.
    grant = found["source"].split("?", 1)[1]
    redirect = client.get(f"/media-renditions/{video.pk}/w320.jpeg?{grant}")
    assert redirect.status_code == 302 and client.get(local(redirect["Location"])).status_code == 200
