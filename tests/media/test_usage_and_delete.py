"""Usage of an item (lead, poster, inline) and deletion refused while it is used."""

import pytest
from django.core.exceptions import PermissionDenied

from articles import actions
from articles.actions.media_rules import DRAFT, INLINE, LEAD
from media import renditions
from media.actions import MediaInUse, delete_media
from media.ingest import ingest_bytes
from media.models import MediaItem, Rendition
from media.samples import draw_photo, encode_clip
from media.usage import usages, usages_for
from tests.factories import ArticleFactory, ImageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_usages_list_lead_poster_and_inline():
    photo = ImageFactory(title="Harbour")
    video = ingest_bytes(encode_clip(seconds=1, seed=11), filename="v.mp4", title="Harbour clip")
    lead = ArticleFactory(title="Port reopens", lead_media=photo)
    inline = ArticleFactory(
        title="Ships return", body=f'<p>Ships.</p><img src="/x.jpg" alt="" data-media-id="{photo.pk}">'
    )
    via_video = ArticleFactory(title="Video report", lead_media=video)
    ArticleFactory(title="Other", body=f'<img src="/y.jpg" alt="" data-media-id="{photo.pk}0">')  # id 10x, not ours

    found = {(str(u.story), u.how) for u in usages(photo)}
    assert found == {("Port reopens", LEAD), ("Ships return", INLINE)}
    poster_uses = usages(video.poster)
    assert [(u.story.pk, u.how) for u in poster_uses] == [(via_video.pk, f"{LEAD}: poster of the video “Harbour clip”")]
    assert lead.pk != inline.pk


def test_usages_for_many_items_costs_five_queries(django_assert_num_queries):
    items = ImageFactory.create_batch(12)
    for item in items:
        ArticleFactory(lead_media=item, body=f'<img src="/a.jpg" alt="" data-media-id="{item.pk}">')
    # Posters, lead media, inline media, authors' portraits, working drafts.
    with django_assert_num_queries(5):
        result = usages_for(items)
    assert all(len(result[item.pk]) == 2 for item in items)


def test_deleting_a_used_item_is_refused_listing_the_users():
    photo = ImageFactory(title="Harbour")
    ArticleFactory(title="Port reopens", lead_media=photo)
    ArticleFactory(title="Ships return", body=f'<img src="/x.jpg" alt="" data-media-id="{photo.pk}">')
    with pytest.raises(MediaInUse) as caught:
        delete_media(actor=None, item=photo)
    assert caught.value.messages == [
        "“Harbour” cannot be deleted: it is used by “Port reopens” (lead media), "
        "“Ships return” (inline in the body). Remove it from these first."
    ]
    assert MediaItem.objects.filter(pk=photo.pk).exists()
    assert photo.file.storage.exists(photo.file.name)


def test_an_item_waiting_in_a_working_draft_cannot_be_deleted(people):
    """A live story's draft that shows a photo (lead or inline) would lose it on publishing."""
    lead, inline = ImageFactory(title="New lead"), ImageFactory(title="New inline")
    story = actions.publish(actor=None, article=ArticleFactory(title="Port reopens"))
    actions.save_draft(
        actor=None,
        article=story,
        base_version=story.version,
        changes={
            "lead_media_id": lead.pk,
            "body": f'<p>Text</p><figure data-media-id="{inline.pk}"><figcaption>Cranes</figcaption></figure>',
        },
    )
    for item in (lead, inline):
        assert [(use.story.pk, use.how) for use in usages(item)] == [(story.pk, DRAFT)]
        with pytest.raises(MediaInUse) as caught:
            delete_media(actor=None, item=item)
        assert "“Port reopens” (in the story's working draft)" in caught.value.messages[0]
        assert MediaItem.objects.filter(pk=item.pk).exists()


def test_a_videos_poster_cannot_be_deleted_while_the_video_shows_it():
    video = ingest_bytes(encode_clip(seconds=1, seed=12), filename="v.mp4", title="Clip")
    with pytest.raises(MediaInUse, match="the video “Clip” \\(as its poster\\)"):
        delete_media(actor=None, item=video.poster)


def test_deleting_an_unused_item_removes_file_and_renditions_after_commit(django_capture_on_commit_callbacks):
    photo = ingest_bytes(draw_photo(700, 500, seed=13), filename="p.jpg")
    made = renditions.get_or_create_rendition(photo, "w640", "webp")
    storage = photo.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        delete_media(actor=None, item=photo)
    assert not MediaItem.objects.exists() and not Rendition.objects.exists()
    assert not storage.exists(photo.file.name) and not storage.exists(made.file.name)


def test_deleting_a_video_takes_its_unused_poster_along(django_capture_on_commit_callbacks):
    video = ingest_bytes(encode_clip(seconds=1, seed=14), filename="v.mp4")
    with django_capture_on_commit_callbacks(execute=True):
        delete_media(actor=None, item=video)
    assert not MediaItem.objects.exists()


def test_a_poster_used_elsewhere_stays_when_its_video_goes(django_capture_on_commit_callbacks):
    video = ingest_bytes(encode_clip(seconds=1, seed=15), filename="v.mp4")
    ArticleFactory(lead_media=video.poster)
    with django_capture_on_commit_callbacks(execute=True):
        delete_media(actor=None, item=video)
    assert list(MediaItem.objects.all()) == [video.poster]


def test_deleting_needs_the_permission():
    photo = ImageFactory()
    with pytest.raises(PermissionDenied, match="permission to delete media"):
        delete_media(actor=UserFactory(), item=photo)
    delete_media(actor=UserFactory(perms=["media.delete_mediaitem"]), item=photo)
    assert not MediaItem.objects.exists()
