"""Renditions: allowed specs only, sizes as asked, crops around the focal point, made once."""

import io

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from PIL import Image

from media import renditions
from media.actions import set_focal_point
from media.ingest import ingest_bytes
from media.models import MediaItem, Rendition
from media.samples import draw_photo
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo():
    return ingest_bytes(
        draw_photo(1600, 1200, seed=3), filename="scene.jpg", title="River scene", alt_text="A river at dusk"
    )


def marked_photo(width, height, fx, fy):
    """A grey image with a red square at the focal point (fx, fy)."""
    image = Image.new("RGB", (width, height), (128, 128, 128))
    cx, cy = int(fx * width), int(fy * height)
    image.paste((255, 0, 0), (cx - 20, cy - 20, cx + 20, cy + 20))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def stored_image(rendition):
    with rendition.file.open("rb") as fh:
        return Image.open(io.BytesIO(fh.read()))


@pytest.mark.parametrize("spec", ["w100", "w640x", "5x4-w640", "16x9-w700", "", "../w640", "w0640"])
def test_specs_outside_the_set_are_refused_naming_the_spec(spec, photo):
    with pytest.raises(ValueError, match="Unknown rendition spec"):
        renditions.get_or_create_rendition(photo, spec, "jpeg")
    assert not Rendition.objects.exists()


def test_unknown_format_is_refused(photo):
    with pytest.raises(ValueError, match="Unknown rendition format 'gif'"):
        renditions.get_or_create_rendition(photo, "w640", "gif")


@pytest.mark.parametrize(
    "spec,size",
    [
        ("w320", (320, 240)),
        ("w1280", (1280, 960)),
        ("16x9-w640", (640, 360)),
        ("1x1-w960", (960, 960)),
        ("4x3-w320", (320, 240)),
    ],
)
@pytest.mark.parametrize("fmt,pil_format", [("jpeg", "JPEG"), ("webp", "WEBP")])
def test_renditions_have_the_asked_size_and_format(photo, spec, size, fmt, pil_format):
    made = renditions.get_or_create_rendition(photo, spec, fmt)
    stored = stored_image(made)
    assert (made.width, made.height) == size == stored.size
    assert stored.format == pil_format


def test_rendition_is_made_once(photo):
    first = renditions.get_or_create_rendition(photo, "w640", "webp")
    again = renditions.get_or_create_rendition(photo, "w640", "webp")
    assert first.pk == again.pk
    assert Rendition.objects.filter(media=photo).count() == 1


def test_never_upscaled_beyond_the_original():
    small = ingest_bytes(draw_photo(800, 600, seed=4), filename="small.jpg")
    made = renditions.get_or_create_rendition(small, "w1280", "jpeg")
    assert (made.spec, made.width, made.height) == ("w1280", 800, 600)
    assert renditions.srcset(small).count("w,") == 2  # 320, 640, then 800 once
    assert renditions.srcset(small).endswith(" 800w")


@pytest.mark.parametrize("fx,fy", [(0.1, 0.5), (0.9, 0.2), (0.5, 0.95), (0.02, 0.02)])
@pytest.mark.parametrize("crop", ["16x9", "1x1", "4x3"])
def test_crops_keep_the_focal_point_in_frame(fx, fy, crop):
    item = ingest_bytes(marked_photo(1200, 800, fx, fy), filename="marked.png")
    item.focal_x, item.focal_y = fx, fy
    item.save()
    made = renditions.get_or_create_rendition(item, f"{crop}-w640", "jpeg")
    image = stored_image(made).convert("RGB")
    reds = [
        (x, y)
        for x in range(0, image.width, 2)
        for y in range(0, image.height, 2)
        if image.getpixel((x, y))[0] > 200 and image.getpixel((x, y))[1] < 80
    ]
    assert reds, f"the focal mark at ({fx}, {fy}) fell outside the {crop} crop"
    a, b = renditions.CROPS[crop]
    assert abs(image.width / image.height - a / b) < 0.01


def test_moving_the_focal_point_discards_old_crops_only(photo, django_capture_on_commit_callbacks):
    crop = renditions.get_or_create_rendition(photo, "16x9-w640", "jpeg")
    plain = renditions.get_or_create_rendition(photo, "w640", "jpeg")
    photo = MediaItem.objects.get(pk=photo.pk)
    with django_capture_on_commit_callbacks(execute=True):
        set_focal_point(actor=None, item=photo, x=0.1, y=photo.focal_y)
    assert list(Rendition.objects.filter(media=photo)) == [plain]
    assert not crop.file.storage.exists(crop.file.name)
    fresh = renditions.get_or_create_rendition(photo, "16x9-w640", "jpeg")
    assert fresh.file.name != crop.file.name


def test_rendition_set_predicts_sizes_without_making_anything(photo):
    result = renditions.rendition_set(photo)
    assert set(result) == {s.name for s in renditions.ALL_SPECS}
    assert result["w320"]["width"] == 320 and result["w320"]["height"] == 240
    assert result["16x9-w640"]["height"] == 360
    assert result["w640"]["webp"] == f"/media-renditions/{photo.pk}/w640.webp"
    assert not Rendition.objects.exists()


def test_urls_use_stored_files_when_prefetched_without_queries(photo):
    made = renditions.get_or_create_rendition(photo, "w640", "jpeg")
    item = MediaItem.objects.with_renditions().get(pk=photo.pk)
    with CaptureQueriesContext(connection) as ctx:
        url = renditions.rendition_url(item, "w640", "jpeg")
        renditions.rendition_set(item)
        renditions.srcset(item, "webp", "16x9")
    assert url == made.url and url.startswith("/media/renditions/")
    assert len(ctx.captured_queries) == 0


def test_video_stands_for_its_poster():
    from media.samples import encode_clip

    video = ingest_bytes(encode_clip(seconds=2), filename="clip.mp4", title="Clip")
    assert renditions.rendition_url(video, "w320", "webp") == f"/media-renditions/{video.poster_id}/w320.webp"
    made = renditions.get_or_create_rendition(video, "w320", "jpeg")
    assert made.media_id == video.poster_id


def test_item_without_file_has_no_renditions():
    ref = MediaItem.objects.create(kind="image", legacy_path="/2016/x.jpg", file_missing=True, width=640, height=480)
    assert renditions.rendition_url(ref, "w640", "jpeg") == ""
    assert renditions.rendition_set(ref) == {}
    with pytest.raises(renditions.RenditionUnavailable):
        renditions.get_or_create_rendition(ref, "w640", "jpeg")


def render(source, **context):
    return Template("{% load media_tags %}" + source).render(Context(context))


def test_picture_tag_renders_both_formats_size_and_alt(photo):
    html = render('{% picture item sizes="50vw" crop="16x9" loading="eager" css_class="lead" %}', item=photo)
    assert html.startswith('<picture><source type="image/webp" srcset="/media-renditions/')
    assert "16x9-w1280.webp 1280w" in html
    assert 'sizes="50vw"' in html and 'loading="eager"' in html and 'decoding="async"' in html
    assert 'width="640" height="360"' in html
    assert 'alt="A river at dusk"' in html and 'class="lead"' in html


def test_picture_alt_falls_back_to_title_and_can_be_decorative(photo):
    photo.alt_text = ""
    assert 'alt="River scene"' in render("{% picture item %}", item=photo)
    assert 'alt=""' in render('{% picture item alt="" %}', item=photo)


def test_picture_escapes_text(photo):
    photo.alt_text = '"><script>alert(1)</script>'
    html = render("{% picture item %}", item=photo)
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html


def test_picture_of_item_without_file_renders_nothing():
    ref = MediaItem.objects.create(kind="image", legacy_path="/2016/y.jpg", file_missing=True)
    assert render("{% picture item %}", item=ref) == ""
    assert render("{% picture item %}", item=None) == ""


def test_rendition_url_tag(photo):
    assert (
        render('{% rendition_url item "1x1-w320" "webp" %}', item=photo)
        == f"/media-renditions/{photo.pk}/1x1-w320.webp"
    )


def test_prefetch_for_keeps_article_lists_at_fixed_queries(django_assert_num_queries):
    from articles.models import Article

    for seed in range(4):
        ArticleFactory(lead_media=ingest_bytes(draw_photo(400, 300, seed=seed + 10), filename="a.jpg"))
    ArticleFactory(
        lead_media=ingest_bytes(__import__("media.samples").samples.encode_clip(seconds=1, seed=2), filename="v.mp4")
    )
    for item in MediaItem.objects.images():
        renditions.get_or_create_rendition(item, "w320", "jpeg")
    with django_assert_num_queries(3):
        articles = list(
            Article.objects.select_related("lead_media__poster").prefetch_related(
                *renditions.prefetch_for("lead_media")
            )
        )
        urls = [renditions.rendition_url(a.lead_media, "w320", "jpeg") for a in articles]
    assert all(u.startswith("/media/renditions/") for u in urls)


def test_stored_rendition_urls_follow_a_change_of_media_url(photo, settings):
    """Storage URLs are remembered per file name, but never across a different MEDIA_URL."""
    renditions.make_all(photo)

    def url_now():
        item = MediaItem.objects.get(pk=photo.pk)
        renditions.load_renditions([item])
        return renditions.rendition_url(item, "w320", "jpeg")

    name = photo.renditions.get(spec="w320", format="jpeg").file.name
    assert url_now() == settings.MEDIA_URL + name
    settings.MEDIA_URL = "https://cdn.example.org/library/"
    assert url_now() == "https://cdn.example.org/library/" + name


def test_load_renditions_can_read_only_the_crops_a_page_draws(photo):
    renditions.make_all(photo)
    item = MediaItem.objects.get(pk=photo.pk)
    with CaptureQueriesContext(connection) as captured:
        renditions.load_renditions([item], crops=["16x9"])
    assert len(captured) == 1
    stored = photo.renditions.get(spec="16x9-w640", format="webp").file.url
    assert renditions.rendition_url(item, "16x9-w640", "webp") == stored
    # A spec that was not read gets the on-demand URL, which serves the stored file.
    assert renditions.rendition_url(item, "w640", "webp") == f"/media-renditions/{photo.pk}/w640.webp"


@pytest.mark.parametrize("count", [1, 16, 17, 300])
def test_load_renditions_names_every_items_files_whatever_the_list_length(count):
    """Lists up to 256 items go through prepared SQL padded to 16, 64 or 256 ids; longer ones not."""
    items = MediaItem.objects.bulk_create(
        MediaItem(
            kind=MediaItem.Kind.IMAGE,
            title=f"Photo {n}",
            file=f"library/p{n}.jpg",
            width=800,
            height=600,
            sha256=f"{n:064x}",
        )
        for n in range(count)
    )
    Rendition.objects.bulk_create(
        Rendition(
            media=item, spec="16x9-w320", format="webp", file=f"renditions/{item.pk}-thumb.webp", width=320, height=180
        )
        for item in items
    )
    fresh = list(MediaItem.objects.filter(pk__in=[item.pk for item in items]))
    with CaptureQueriesContext(connection) as captured:
        renditions.load_renditions(fresh, crops=["16x9"])
    assert len(captured) == 1
    for item in fresh:
        assert renditions.rendition_url(item, "16x9-w320", "webp").endswith(f"renditions/{item.pk}-thumb.webp")
