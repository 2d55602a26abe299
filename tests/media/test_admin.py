"""The media library admin: uploads go through ingest, bounded list queries, focal point, usage,
licences running out, deletion refused while in use."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.cache_lifetime import shared_cache_seconds
from media.ingest import ingest_bytes
from media.models import MediaItem
from media.samples import draw_photo, encode_clip
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/media/mediaitem/"


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def upload(client, name, data, **fields):
    payload = {"title": "", "focal_x": "0.5", "focal_y": "0.5", **fields, "file": SimpleUploadedFile(name, data)}
    return client.post(f"{CHANGELIST}add/", payload)


def test_upload_goes_through_ingest(admin_client):
    response = upload(admin_client, "scene.jpg", draw_photo(640, 480, seed=41), title="Scene", credit="Agency")
    assert response.status_code == 302
    item = MediaItem.objects.get()
    assert (item.kind, item.width, item.height, item.credit) == ("image", 640, 480, "Agency")
    assert item.sha256 and item.file.name.startswith("library/")


def test_upload_refusal_is_a_field_error(admin_client):
    response = upload(admin_client, "page.jpg", b"<html><body>hi</body></html>")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [
        "“page.jpg” is an HTML or XML document, whatever its name says: "
        "neither a JPEG, PNG or WebP image nor an MP4 video."
    ]
    assert not MediaItem.objects.exists()


def test_upload_over_the_byte_cap_is_refused_before_reading(admin_client, settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 500
    response = upload(admin_client, "big.jpg", draw_photo(300, 300))
    assert "more than the limit of 500 bytes" in response.context["adminform"].form.errors["file"][0]


def test_same_upload_twice_opens_the_existing_item_with_a_warning(admin_client):
    data = draw_photo(200, 150, seed=42)
    upload(admin_client, "a.jpg", data, title="First")
    response = upload(admin_client, "b.jpg", data, title="Second")
    assert MediaItem.objects.count() == 1
    follow = admin_client.get(response["Location"])
    assert "already in the library as “First”" in follow.content.decode()


def test_video_upload_gets_a_poster_and_the_editor_may_replace_it(admin_client, commit, worker):
    with commit():
        upload(admin_client, "clip.mp4", encode_clip(seconds=1, seed=43), title="Clip")
    worker()  # measures the video and makes its poster
    video = MediaItem.objects.videos().get()
    automatic = video.poster
    assert automatic is not None
    form = admin_client.get(f"{CHANGELIST}{video.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "file"}
    data.update(poster=str(automatic.pk), new_poster=SimpleUploadedFile("still.jpg", draw_photo(320, 240, seed=44)))
    response = admin_client.post(f"{CHANGELIST}{video.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    video.refresh_from_db()
    assert video.poster_id != automatic.pk and video.poster.title == "Poster: Clip"


def test_an_item_with_a_file_keeps_it(admin_client):
    item = ingest_bytes(draw_photo(100, 100, seed=45), filename="a.jpg", title="Keep")
    data = {
        "title": "Keep",
        "focal_x": "0.5",
        "focal_y": "0.5",
        "file": SimpleUploadedFile("b.jpg", draw_photo(90, 90)),
    }
    response = admin_client.post(f"{CHANGELIST}{item.pk}/change/", data)
    assert "Upload the new file as a new item" in response.context["adminform"].form.errors["file"][0]


def test_change_form_has_the_focal_point_picker_and_usage(admin_client):
    item = ImageFactory(title="Bridge", focal_x=0.25, focal_y=0.75)
    article = ArticleFactory(title="Bridge reopens", lead_media=item)
    page = admin_client.get(f"{CHANGELIST}{item.pk}/change/").content.decode()
    assert 'class="focal-picker"' in page and "left:25.0%;top:75.0%" in page
    assert "media/focal.js" in page
    assert f"/media-renditions/{item.pk}/w640.jpeg" in page
    assert "Bridge reopens" in page and f"/admin/articles/article/{article.pk}/change/" in page


def test_setting_the_focal_point_saves_it(admin_client):
    item = ingest_bytes(draw_photo(200, 100, seed=46), filename="f.jpg", title="Focal")
    data = {"title": "Focal", "focal_x": "0.9", "focal_y": "0.1"}
    assert admin_client.post(f"{CHANGELIST}{item.pk}/change/", data).status_code == 302
    item.refresh_from_db()
    assert (item.focal_x, item.focal_y) == (0.9, 0.1)


def test_focal_point_outside_the_image_is_refused(admin_client):
    item = ImageFactory()
    response = admin_client.post(f"{CHANGELIST}{item.pk}/change/", {"title": "x", "focal_x": "1.5", "focal_y": "0.5"})
    assert response.context["adminform"].form.errors["focal_x"] == ["Ensure this value is less than or equal to 1."]


@pytest.mark.parametrize("rows", [10, 100])
def test_changelist_queries_do_not_grow_with_rows(admin_client, rows):
    ImageFactory.create_batch(rows - 2)
    for seed in range(2):
        ingest_bytes(encode_clip(seconds=0.5, seed=50 + seed), filename="v.mp4")
    assert MediaItem.objects.count() == rows + 2  # the two videos bring their posters
    # The cache lifetime's look-ups (next boundary, next due change) are made once per content
    # generation, not per page: made before counting.
    shared_cache_seconds()
    with CaptureQueriesContext(connection) as ctx:
        response = admin_client.get(f"{CHANGELIST}?all=")
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows + 2
    # session, user, permissions, counts, the page, renditions, posters' renditions, date
    # hierarchy, filters: the same 11 at 10 and at 100 rows.
    assert len(ctx.captured_queries) <= 11, [q["sql"] for q in ctx.captured_queries]
    page = response.content.decode()
    assert page.count('loading="lazy" style="width:80px') == rows + 2


def test_licences_list_shows_items_running_out_with_their_articles(admin_client):
    today = timezone.localdate()
    soon = ImageFactory(title="Flood photo", licence_expires=today + timezone.timedelta(days=10), credit="Wire")
    ImageFactory(title="Old archive", licence_expires=today - timezone.timedelta(days=3))
    ImageFactory(title="Far future", licence_expires=today + timezone.timedelta(days=90))
    ImageFactory(title="No limit")
    ArticleFactory(title="Rivers rise", lead_media=soon)
    response = admin_client.get(f"{CHANGELIST}licences/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Flood photo" in page and "in 10 days" in page and "Rivers rise" in page
    assert "Old archive" in page and "expired" in page
    assert "Far future" not in page and "No limit" not in page
    assert "Licences running out" in admin_client.get(CHANGELIST).content.decode()


def test_licence_filter(admin_client):
    today = timezone.localdate()
    ImageFactory(title="Soon", licence_expires=today + timezone.timedelta(days=5))
    ImageFactory(title="Later", licence_expires=today + timezone.timedelta(days=60))
    titles = {str(i) for i in admin_client.get(f"{CHANGELIST}?licence=soon").context["cl"].result_list}
    assert titles == {"Soon"}


def test_admin_delete_of_a_used_item_is_refused_listing_articles(admin_client):
    item = ImageFactory(title="Harbour")
    ArticleFactory(title="Port reopens", body=f'<img src="/x.jpg" alt="" data-media-id="{item.pk}">')
    page = admin_client.get(f"{CHANGELIST}{item.pk}/delete/")
    assert "Harbour: used by “Port reopens” (inline in the body)" in page.content.decode()
    admin_client.post(f"{CHANGELIST}{item.pk}/delete/", {"post": "yes"})
    assert MediaItem.objects.filter(pk=item.pk).exists()


def test_admin_delete_of_an_unused_item(admin_client):
    item = ImageFactory(title="Spare")
    response = admin_client.post(f"{CHANGELIST}{item.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not MediaItem.objects.exists()


def test_bulk_delete_refuses_when_any_is_used(admin_client):
    used, spare = ImageFactory(title="Used"), ImageFactory(title="Spare")
    ArticleFactory(lead_media=used)
    admin_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [used.pk, spare.pk], "post": "yes"})
    assert MediaItem.objects.count() == 2


# --- uploads spilled to disk (larger than FILE_UPLOAD_MAX_MEMORY_SIZE) are never read whole --------


@pytest.fixture
def on_disk(settings):
    """Every upload goes to a temporary file, as a large one does in production."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0


def test_a_video_on_disk_is_stored_with_its_poster_and_found_again(admin_client, on_disk, commit, worker):
    data = encode_clip(seconds=1, seed=51)
    with commit():
        response = upload(admin_client, "clip.mp4", data, title="Harbour", credit="Agency")
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert worker() >= 1
    video = MediaItem.objects.videos().get()
    assert (video.title, video.credit, video.file_size) == ("Harbour", "Agency", len(data))
    assert video.poster is not None and video.poster.title == "Poster: Harbour"
    again = upload(admin_client, "copy.mp4", data, title="Copy")
    assert MediaItem.objects.videos().count() == 1
    assert "already in the library as “Harbour”" in admin_client.get(again["Location"]).content.decode()


def test_a_broken_video_on_disk_is_a_field_error_and_stores_nothing(admin_client, on_disk):
    data = encode_clip(seconds=1, seed=52)
    response = upload(admin_client, "broken.mp4", data[: len(data) // 3])
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert len(errors) == 1 and "video" in errors[0].lower()
    assert not MediaItem.objects.exists()


def test_an_html_page_on_disk_is_refused_by_its_content(admin_client, on_disk):
    response = upload(admin_client, "page.mp4", b"<!DOCTYPE html><html><body>hi</body></html>")
    assert response.context["adminform"].form.errors["file"] == [
        "“page.mp4” is an HTML or XML document, whatever its name says: "
        "neither a JPEG, PNG or WebP image nor an MP4 video."
    ]
    assert not MediaItem.objects.exists()


def test_a_video_on_disk_is_not_accepted_as_a_poster(admin_client, on_disk):
    video = ingest_bytes(encode_clip(seconds=1, seed=53), filename="v.mp4", title="Clip")
    form = admin_client.get(f"{CHANGELIST}{video.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "file"}
    data["new_poster"] = SimpleUploadedFile("still.mp4", encode_clip(seconds=1, seed=54))
    response = admin_client.post(f"{CHANGELIST}{video.pk}/change/", data)
    assert response.context["adminform"].form.errors["new_poster"] == [
        "“still.mp4” is a video; an image is needed here."
    ]


def test_a_poster_on_disk_replaces_the_automatic_one(admin_client, on_disk):
    video = ingest_bytes(encode_clip(seconds=1, seed=55), filename="v.mp4", title="Clip")
    automatic = video.poster
    form = admin_client.get(f"{CHANGELIST}{video.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "file"}
    data.update(poster=str(automatic.pk), new_poster=SimpleUploadedFile("still.jpg", draw_photo(320, 240, seed=56)))
    response = admin_client.post(f"{CHANGELIST}{video.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    video.refresh_from_db()
    assert video.poster_id != automatic.pk and (video.poster.width, video.poster.height) == (320, 240)


def test_a_missing_file_is_given_from_disk(admin_client, on_disk, commit, worker):
    ref = MediaItem.objects.create(kind="video", title="Old clip", legacy_path="/2017/clip.mp4", file_missing=True)
    data = encode_clip(seconds=1, seed=57)
    payload = {"title": "Old clip", "focal_x": "0.5", "focal_y": "0.5", "file": SimpleUploadedFile("clip.mp4", data)}
    with commit():
        response = admin_client.post(f"{CHANGELIST}{ref.pk}/change/", payload)
    assert response.status_code == 302, response.context["adminform"].form.errors
    worker()  # the duration is measured by the worker
    ref.refresh_from_db()
    assert not ref.file_missing and ref.file and ref.file_size == len(data) and ref.duration
    assert MediaItem.objects.videos().count() == 1


def test_a_missing_file_already_in_the_library_shares_the_stored_file(admin_client, on_disk):
    data = draw_photo(300, 200, seed=58)
    twin = ingest_bytes(data, filename="a.jpg", title="Twin")
    ref = MediaItem.objects.create(kind="image", title="Ref", legacy_path="/2016/a.jpg", file_missing=True)
    payload = {"title": "Ref", "focal_x": "0.5", "focal_y": "0.5", "file": SimpleUploadedFile("a.jpg", data)}
    response = admin_client.post(f"{CHANGELIST}{ref.pk}/change/", payload)
    assert response.status_code == 302, response.context["adminform"].form.errors
    ref.refresh_from_db()
    assert ref.file.name == twin.file.name and (ref.width, ref.height) == (300, 200) and not ref.file_missing
