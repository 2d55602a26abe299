"""Inline media on the public article page: each `<figure data-media-id>` of the stored body is
drawn from the library as a responsive picture or a video player, with caption and credit;
figures naming nothing readers could see are left out; hostile captions cannot run."""

from html.parser import HTMLParser

import pytest

from media.models import MediaItem
from tests.factories import ImageFactory
from tests.inline_media.conftest import figure, story, story_body

pytestmark = pytest.mark.django_db


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def parsed_tags(html: str) -> list:
    """(tag, [(attribute, value)]) of every element of `html`, as a browser's parser reads them."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.found


def body_of(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return story_body(response.content.decode())


def webp_srcset(pk: int, specs) -> str:
    return ", ".join(f"/media-renditions/{pk}/{spec}.webp {width}w" for spec, width in specs)


def jpeg_srcset(pk: int, specs) -> str:
    return ", ".join(f"/media-renditions/{pk}/{spec}.jpeg {width}w" for spec, width in specs)


def test_an_image_is_a_responsive_picture_with_library_caption_and_credit(client, photo):
    article = story(f"<p>Before.</p>{figure(photo)}<p>After.</p>")
    specs = [("w320", 320), ("w640", 640), ("w960", 960), ("w1280", 1280)]
    sizes = "(min-width: 48rem) 46rem, 100vw"
    assert body_of(client, article) == (
        "<p>Before.</p>"
        '<figure class="inline-media inline-image">\n'
        f'<picture><source type="image/webp" srcset="{webp_srcset(photo.pk, specs)}" sizes="{sizes}">'
        f'<img src="/media-renditions/{photo.pk}/w640.jpeg" srcset="{jpeg_srcset(photo.pk, specs)}" '
        f'sizes="{sizes}" width="640" height="360" alt="Engineers inspect a bridge at dusk" loading="lazy" '
        'decoding="async"></picture>\n'
        '<figcaption>The old bridge at dusk. <span class="credit">Reuters</span></figcaption>\n'
        "</figure>"
        "<p>After.</p>"
    )


def test_a_portrait_picture_is_cropped_square_around_its_focal_point(client, portrait):
    html = body_of(client, story(figure(portrait)))
    assert f"/media-renditions/{portrait.pk}/1x1-w640.jpeg 640w" in html
    assert f"/media-renditions/{portrait.pk}/w640.jpeg" not in html
    assert 'width="640" height="640" alt="A tower"' in html


def test_a_video_is_a_player_with_poster_captions_and_controls(client, clip):
    html = body_of(client, story(figure(clip)))
    assert html == (
        '<figure class="inline-media inline-video">\n'
        f'<video controls preload="metadata" poster="/media-renditions/{clip.poster_id}/w1280.jpeg" '
        'width="1280" height="720" aria-label="A pontoon bridge is towed into place">\n'
        f'<source src="{clip.file.url}" type="video/mp4">\n'
        f'<track kind="captions" src="{clip.captions.url}" srclang="en" label="English captions" default>\n'
        f'<p>Your browser cannot play this video. <a href="{clip.file.url}">Download the video</a>.</p>\n'
        "</video>\n"
        '<figcaption>Towing the pontoon. <span class="credit">AP</span></figcaption>\n'
        "</figure>"
    )


def test_the_stories_figcaption_overrides_the_library_caption_and_keeps_the_credit(client, photo, clip):
    html = body_of(client, story(figure(photo, "Seen from the <em>east</em> bank.") + figure(clip, "Dawn.")))
    assert '<figcaption>Seen from the <em>east</em> bank. <span class="credit">Reuters</span></figcaption>' in html
    assert '<figcaption>Dawn. <span class="credit">AP</span></figcaption>' in html
    assert "The old bridge at dusk." not in html and "Towing the pontoon." not in html


def test_an_empty_figcaption_leaves_the_library_caption(client, photo):
    html = body_of(client, story(figure(photo, " ")))
    assert '<figcaption>The old bridge at dusk. <span class="credit">Reuters</span></figcaption>' in html


def test_no_caption_and_no_credit_draws_no_figcaption(client):
    bare = ImageFactory(caption="", credit="")
    html = body_of(client, story(figure(bare)))
    assert "<picture>" in html and "<figcaption" not in html


def test_figures_appear_in_body_order_and_a_repeated_item_twice(client, photo, clip):
    html = body_of(client, story(f"{figure(clip)}<p>Middle.</p>{figure(photo)}{figure(clip, 'Again.')}"))
    assert html.index("inline-video") < html.index("Middle.") < html.index("inline-image")
    assert html.count("<video ") == 2 and html.count("<picture>") == 1
    assert "Again." in html


def test_figures_naming_nothing_readers_could_see_are_left_out(client, photo):
    no_file = ImageFactory(file="", caption="Unseen caption one")
    missing = ImageFactory(file_missing=True, caption="Unseen caption two")
    gone = ImageFactory(caption="Unseen caption three")
    gone_pk = gone.pk
    MediaItem.objects.filter(pk=gone_pk).delete()
    silent = MediaItem.objects.create(kind=MediaItem.Kind.VIDEO, title="No file, no poster", caption="Unseen four")
    stored = "".join(
        [
            "<p>One.</p>",
            figure(no_file, "Unseen override"),
            figure(missing),
            figure(gone_pk),
            figure(silent),
            figure(987654321),
            '<figure data-media-id="99999999999999999999999"><figcaption>Huge</figcaption></figure>',
            figure(photo),
            "<p>Two.</p>",
        ]
    )
    html = body_of(client, story(stored))
    assert "Unseen" not in html and "Huge" not in html
    assert html.count("<figure") == 1 and "data-media-id" not in html
    assert html.startswith("<p>One.</p><figure") and html.endswith("</figure><p>Two.</p>")


def test_a_video_without_its_file_shows_its_poster(client):
    from tests.site.conftest import make_video

    video = make_video(caption="Not here yet.")
    MediaItem.objects.filter(pk=video.pk).update(file_missing=True)
    html = body_of(client, story(figure(video)))
    assert "<video" not in html
    assert f"/media-renditions/{video.poster_id}/w640.jpeg" in html
    assert 'alt="A pontoon bridge is towed into place"' in html and "Not here yet." in html


def test_older_inline_images_are_drawn_as_stored(client, photo):
    stored = f'<p>x</p><img src="/media/old.jpg" alt="Old" data-media-id="{photo.pk}"><p>y</p>'
    assert body_of(client, story(stored)) == stored


def test_hostile_figcaptions_and_library_fields_cannot_run(client):
    item = ImageFactory(
        caption='<script>alert("caption")</script>',
        credit='"><img src=x onerror=alert(1)>',
        alt_text='" onload="alert(2)',
    )
    hostile = (
        '<img src=x onerror="alert(3)"><script>alert(4)</script><em>kept</em> '
        '<a href="javascript:alert(5)">link</a> <a href="https://example.org/" onclick="alert(6)">site</a>'
    )
    html = body_of(client, story(figure(item, hostile)))
    tags = parsed_tags(html)
    assert not [tag for tag, _ in tags if tag == "script"]
    assert not [(tag, name) for tag, attrs in tags for name, value in attrs if name.startswith("on")]
    assert not [value for _, attrs in tags for name, value in attrs if "javascript" in (value or "")]
    assert [tag for tag, _ in tags].count("img") == 1 and "alert(4)" not in html
    assert "<em>kept</em>" in html
    assert '<a href="https://example.org/" rel="noopener noreferrer">site</a>' in html
    assert 'alt="&quot; onload=&quot;alert(2)"' in html
    credit = '<span class="credit">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</span>'
    assert credit in html
    html = body_of(client, story(figure(item)))
    assert f"<figcaption>&lt;script&gt;alert(&quot;caption&quot;)&lt;/script&gt; {credit}</figcaption>" in html


def test_a_figure_keeps_only_inline_markup_of_its_caption(client, photo):
    html = body_of(client, story(figure(photo, "<h2>Big</h2><p>Para <strong>bold</strong></p><ul><li>x</li></ul>")))
    assert '<figcaption>BigPara <strong>bold</strong>x <span class="credit">Reuters</span></figcaption>' in html


def test_inline_items_files_open_to_anonymous_readers_once_the_story_is_live(client, photo, clip):
    article = story(figure(photo) + figure(clip), draft=True)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(f"/media-renditions/{photo.pk}/w640.jpeg").status_code == 404
    assert client.get(clip.file.url).status_code == 404
    # Published by the row alone: nothing flips the media, the rule is read per request.
    type(article).objects.filter(pk=article.pk).update(status="published", published_at=article.created_at)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(f"/media-renditions/{photo.pk}/w640.jpeg").status_code in (200, 302)
    assert client.get(clip.file.url).status_code == 200
    assert client.get(clip.captions.url).status_code == 200


def test_the_page_cache_keeps_the_figures_and_a_library_change_renews_them(
    client, photo, django_capture_on_commit_callbacks
):
    from media.actions import update_media

    article = story(figure(photo))
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content and b"The old bridge at dusk." in second.content
    with django_capture_on_commit_callbacks(execute=True):
        update_media(actor=None, item=photo, caption="The new bridge.", credit="AFP")
    third = client.get(article.get_absolute_url())
    assert third["X-Page-Cache"] == "miss"
    assert '<figcaption>The new bridge. <span class="credit">AFP</span></figcaption>' in story_body(
        third.content.decode()
    )
