"""Until the worker has measured a video and made its poster, readers and editors see a short
text saying so where the player goes: never a <video> without a poster or size."""

import pytest
from django.core.files.base import ContentFile

from articles.models import Article
from media import actions
from media.models import MediaItem
from tests.factories import ArticleFactory
from tests.tasks.clips import clip, scrambled_clip

pytestmark = pytest.mark.django_db


def uploaded_video(editor, data, title="Ferry at dusk"):
    """A video added as an upload is (stored at once, waiting for the worker)."""
    upload = ContentFile(data, name="ferry.mp4")
    item, _ = actions.create_media(actor=editor, upload=upload, filename="ferry.mp4", title=title, caption="The ferry.")
    return item


def test_a_story_shows_video_processing_until_the_worker_has_made_the_poster(client, editor, commit, worker):
    with commit():
        video = uploaded_video(editor, clip(seed=11))
        story = ArticleFactory(kind=Article.Kind.VIDEO, lead_media=video, title="Ferry resumes service")
    page = client.get(story.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert '<p class="video-processing" role="status"' in html and "Video processing" in html
    assert "<video" not in html
    assert "The ferry." in html  # the caption is shown all the same

    worker()
    html = client.get(story.get_absolute_url()).content.decode()  # the cached page was dropped
    video.refresh_from_db()
    assert "Video processing" not in html
    assert '<video controls preload="metadata" poster="' in html and 'width="160" height="120"' in html


def test_an_inline_video_shows_the_same_placeholder(client, editor, commit, worker):
    with commit():
        video = uploaded_video(editor, clip(seed=12))
        story = ArticleFactory()
        Article.objects.filter(pk=story.pk).update(body=f'<p>Before.</p><figure data-media-id="{video.pk}"></figure>')
    html = client.get(story.get_absolute_url()).content.decode()
    assert 'class="inline-media inline-video-processing"' in html and "<video" not in html
    worker()
    html = client.get(story.get_absolute_url()).content.decode()
    assert 'class="inline-media inline-video"' in html and "<video" in html


def test_a_video_that_cannot_be_decoded_says_unavailable_to_readers(client, editor, commit, worker):
    with commit():
        video = uploaded_video(editor, scrambled_clip(seed=13))
        story = ArticleFactory(kind=Article.Kind.VIDEO, lead_media=video)
    worker()
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Video unavailable" in html and "<video" not in html
    assert "decoded" not in html  # the technical reason is for editors only


def test_the_media_admin_shows_the_state_in_the_list_and_on_the_item(client, editor, commit, worker):
    client.force_login(editor)
    with commit():
        video = uploaded_video(editor, clip(seed=14), title="Quay")
    listing = client.get("/admin/media/mediaitem/").content.decode()
    assert '<span class="media-processing">Video processing</span>' in listing
    page = client.get(f"/admin/media/mediaitem/{video.pk}/change/").content.decode()
    assert "Video processing: the worker is measuring it and making its poster." in page
    worker()
    listing = client.get("/admin/media/mediaitem/").content.decode()
    assert "media-processing" not in listing
    assert (
        "Done: measured, with its poster." in client.get(f"/admin/media/mediaitem/{video.pk}/change/").content.decode()
    )


def test_the_chooser_says_a_video_is_still_processing(client, editor, commit):
    client.force_login(editor)
    with commit():
        uploaded_video(editor, clip(seed=15))
    popup = client.get("/admin/media/mediaitem/?_popup=1&_to_field=id").content.decode()
    assert "Video · Video processing" in popup
    assert MediaItem.objects.get().is_processing


def test_the_desk_says_a_stories_lead_video_is_still_processing(client, editor, commit, worker):
    client.force_login(editor)
    with commit():
        video = uploaded_video(editor, clip(seed=16))
        story = ArticleFactory(kind=Article.Kind.VIDEO, lead_media=video, title="Ferry resumes service")
    listing = client.get("/admin/articles/article/").content.decode()
    assert "⚠ video processing</strong>" in listing
    form = client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    assert "The lead video is still being processed" in form
    worker()
    form = client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    assert "still being processed" not in form and "nr-video-warning" not in form
