"""Inline uses are uses: the library's "where used" names stories showing an item inline (figure
or older img form), an item so used cannot be deleted, and an item used inline only by stories
readers cannot see yet stays private until one of them goes live."""

import pytest
from django.utils import timezone

from articles import actions
from articles.actions.media_rules import INLINE, LEAD, inline_media_ids
from articles.models import Article
from media.actions import MediaInUse, delete_media
from media.models import MediaItem
from media.usage import usages, usages_for
from tests.factories import ArticleFactory, ImageFactory
from tests.inline_media.conftest import figure, story

pytestmark = pytest.mark.django_db

NOW = timezone.now()
HOUR = timezone.timedelta(hours=1)
NOT_LIVE = {
    "draft": {"status": Article.Status.DRAFT, "published_at": None},
    "in review": {"status": Article.Status.REVIEW, "published_at": None},
    "scheduled": {"published_at": NOW + HOUR},
    "embargoed": {"published_at": NOW - HOUR, "embargo_until": NOW + HOUR},
    "expired": {"published_at": NOW - 2 * HOUR, "expires_at": NOW - HOUR},
    "archived": {"status": Article.Status.ARCHIVED},
}


def test_inline_media_ids_reads_figures_and_images_in_order_once():
    body = (
        '<p>data-media-id="1" in words is no item.</p>'
        '<figure data-media-id="30"><figcaption>A</figcaption></figure>'
        '<p><img src="/x.jpg" alt="" data-media-id="7"></p>'
        '<figure lang="en" data-media-id="30"></figure>'
        '<figure data-media-id="1234567890123456789"></figure>'
        '<figure data-media-id="5"></figure>'
    )
    assert inline_media_ids(body) == [30, 7, 5]
    assert inline_media_ids("") == [] and inline_media_ids(None) == []


def test_where_used_names_stories_showing_the_item_inline_in_either_form():
    photo = ImageFactory(title="Harbour")
    story(f"<p>x</p>{figure(photo, 'Our caption.')}", title="Figure story")
    story(f'<p><img src="/x.jpg" alt="" data-media-id="{photo.pk}"></p>', title="Image story")
    ArticleFactory(title="Lead story", lead_media=photo)
    story(figure(int(f"{photo.pk}0")), title="Another item's figure")
    story(f"<p>{figure(photo)}</p>", title="Draft figure", draft=True)

    found = sorted((str(use.story), use.how) for use in usages(photo))
    assert found == [
        ("Draft figure", INLINE),
        ("Figure story", INLINE),
        ("Image story", INLINE),
        ("Lead story", LEAD),
    ]


def test_where_used_for_many_items_costs_the_same_queries(django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    items = ImageFactory.create_batch(8)
    for item in items:
        story(figure(item))
    with CaptureQueriesContext(connection) as one:
        usages_for(items[:1])
    with django_assert_num_queries(len(one)):
        result = usages_for(items)
    assert all([use.how for use in result[item.pk]] == [INLINE] for item in items)


def test_the_media_admin_shows_the_inline_use(client, editor):
    photo = ImageFactory(title="Harbour")
    used_in = story(figure(photo), title="Ships return")
    client.force_login(editor)
    response = client.get(f"/admin/media/mediaitem/{photo.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ships return" in page and INLINE in page
    assert f"/admin/articles/article/{used_in.pk}/change/" in page


def test_an_item_shown_only_in_a_figure_cannot_be_deleted():
    photo = ImageFactory(title="Harbour")
    story(figure(photo, "Boats."), title="Ships return", draft=True)
    with pytest.raises(MediaInUse) as caught:
        delete_media(actor=None, item=photo)
    assert caught.value.messages == [
        "“Harbour” cannot be deleted: it is used by “Ships return” (inline in the body). Remove it from these first."
    ]
    assert MediaItem.objects.filter(pk=photo.pk).exists()


def test_an_item_freed_by_its_last_figure_can_be_deleted(editor):
    photo = ImageFactory(title="Harbour")
    article = ArticleFactory(body=f"<p>Before.</p>{figure(photo)}", draft=True)
    article.body = "<p>Before.</p>"
    actions.save_article(actor=editor, article=article, base_version=article.version)
    delete_media(actor=None, item=photo)
    assert not MediaItem.objects.filter(pk=photo.pk).exists()


def is_public(item) -> bool:
    return MediaItem.objects.public().filter(pk=item.pk).exists()


@pytest.mark.parametrize("state", list(NOT_LIVE))
def test_an_item_in_figures_of_stories_not_live_stays_private(client, state):
    photo = ImageFactory()
    story(figure(photo, "Caption."), **NOT_LIVE[state])
    assert not is_public(photo)
    assert client.get(f"/media-renditions/{photo.pk}/w320.jpeg").status_code == 404
    assert client.get(photo.file.url).status_code == 404
    assert client.get(f"/api/v1/media/{photo.pk}/").status_code == 404


def test_the_figure_of_a_live_story_makes_the_item_public_and_unpublishing_hides_it(client, editor):
    photo = ImageFactory()
    story(figure(photo), draft=True)
    live = story(f"<p>Words.</p>{figure(photo, 'Shown.')}")
    assert is_public(photo)
    assert client.get(photo.file.url).status_code == 200
    assert client.get(f"/api/v1/media/{photo.pk}/").status_code == 200
    actions.unpublish(actor=editor, article=live)
    assert not is_public(photo)
    assert client.get(photo.file.url).status_code == 404


def test_a_figure_naming_a_longer_id_does_not_open_this_item():
    photo = ImageFactory()
    story(figure(int(f"{photo.pk}1")) + figure(int(f"1{photo.pk}")))
    assert not is_public(photo)
