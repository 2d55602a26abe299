"""The API carries inline media as stored (`body_html`) and adds `inline_media` to the detail: one
media object per inline id, in body order, each once, only those the caller may see; a client
writing back what it read changes nothing."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.test_contract import SMALL_PHOTO, renditions
from tests.factories import ArticleFactory, ImageFactory, UserFactory
from tests.inline_media.conftest import figure, story
from tests.inline_media.test_queries import body_with

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def detail(client, article):
    response = client.get(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 200
    return response


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def photo_object(photo) -> dict:
    return {
        "id": photo.pk,
        "kind": "image",
        "url": f"{HOST}{photo.file.url}",
        "width": 64,
        "height": 48,
        "duration": None,
        "poster_url": None,
        "alt": "A bridge",
        "caption": "The old bridge.",
        "credit": "Reuters",
        "renditions": renditions(photo.pk, SMALL_PHOTO),
        "captions": None,
    }


def clip_object(clip, poster) -> dict:
    return {
        "id": clip.pk,
        "kind": "video",
        "url": f"{HOST}/media/library/convoy.mp4",
        "width": 640,
        "height": 360,
        "duration": 12.5,
        "poster_url": f"{HOST}{poster.file.url}",
        "alt": "A convoy on a road",
        "caption": "The convoy leaves.",
        "credit": "AP",
        "renditions": renditions(poster.pk, SMALL_PHOTO),
        "captions": {"url": f"{HOST}/media/captions/convoy.vtt", "language": "en"},
    }


def test_detail_lists_each_inline_item_once_in_body_order(anon, items):
    photo, clip, poster = items["photo"], items["clip"], items["poster"]
    stored = (
        f"<p>One.</p>{figure(clip, 'Our own caption.')}<p>Two.</p>"
        f'<img src="/media/old.jpg" alt="" data-media-id="{photo.pk}">'
        f"{figure(clip)}{figure(photo)}{figure(987654321)}"
        '<figure data-media-id="99999999999999999999"></figure>'
    )
    article = story(stored)
    data = detail(anon, article).json()
    assert data["body_html"] == stored
    assert data["inline_media"] == [clip_object(clip, poster), photo_object(photo)]


def test_a_story_without_inline_items_has_an_empty_list(anon):
    assert detail(anon, ArticleFactory()).json()["inline_media"] == []


def test_lists_do_not_carry_inline_media(anon, items):
    story(figure(items["photo"]))
    (entry,) = anon.get("/api/v1/articles/").json()["results"]
    assert "inline_media" not in entry and "body_html" not in entry


def test_a_draft_shows_staff_every_item_and_others_only_public_ones(anon, editor, items):
    photo, clip = items["photo"], items["clip"]
    shown_early = ImageFactory(title="Marked public", public=True)
    draft = story(figure(photo) + figure(clip) + figure(shown_early), draft=True)
    assert anon.get(f"/api/v1/articles/{draft.pk}/").status_code == 404

    everything = [item["id"] for item in detail(token_client(editor), draft).json()["inline_media"]]
    assert everything == [photo.pk, clip.pk, shown_early.pk]

    # Reads drafts, but may not look into the media library: only what is already public.
    reader = UserFactory(username="desk-reader", perms=["articles.view_article"])
    assert [item["id"] for item in detail(token_client(reader), draft).json()["inline_media"]] == [shown_early.pk]


def test_once_live_the_items_are_everyones(anon, items):
    article = story(figure(items["photo"]) + figure(items["clip"]), draft=True)
    type(article).objects.filter(pk=article.pk).update(status="published", published_at=article.created_at)
    assert [item["id"] for item in detail(anon, article).json()["inline_media"]] == [
        items["photo"].pk,
        items["clip"].pk,
    ]
    assert anon.get(f"/api/v1/media/{items['photo'].pk}/").status_code == 200


def test_the_detail_costs_the_same_for_one_or_six_inline_items(django_assert_num_queries):
    one, six = story(body_with(1)), story(body_with(6))
    client = APIClient()
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/api/v1/articles/{one.pk}/").status_code == 200
    cache.clear()
    with django_assert_num_queries(len(captured)):
        data = client.get(f"/api/v1/articles/{six.pk}/").json()
    assert len(data["inline_media"]) == 6
