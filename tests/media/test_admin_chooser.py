"""The media chooser (the library's changelist as Django's related-object popup) and the
item pages' previews: a grid of thumbnails with search, a kind filter and an upload in place;
a video's page plays it and shows its poster, duration and size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from media.actions import attach_captions
from media.ingest import ingest_bytes
from media.samples import draw_photo, encode_clip

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/media/mediaitem/"
POPUP = f"{CHANGELIST}?_popup=1&_to_field=id"
CAPTIONS = b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nThe harbour at dawn.\n"


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def photo(n, **fields):
    return ingest_bytes(draw_photo(160, 120, seed=400 + n), filename=f"p{n}.jpg", **fields)


def test_popup_is_a_grid_of_choosable_cards(admin_client):
    first = photo(1, title="Harbour")
    response = admin_client.get(POPUP)
    html = response.content.decode()
    assert 'class="media-chooser-grid"' in html
    assert f'data-popup-opener="{first.pk}"' in html
    assert f'src="/media-renditions/{first.pk}/w320.jpeg"' in html
    assert "media/chooser.js" in html and "media/upload_client.js" in html
    assert 'id="changelist-filter"' not in html  # no sidebar in the popup
    assert 'id="result_list"' not in html
    assert '<label for="chooser-upload-file">Upload new files</label>' in html
    assert 'data-upload-endpoint="/admin/media/mediaitem/upload/file/"' in html


def test_popup_kind_filter_and_search_keep_the_popup(admin_client):
    photo(1, title="Harbour")
    video = ingest_bytes(encode_clip(seconds=1, seed=401), filename="clip.mp4", title="Harbour clip")
    response = admin_client.get(POPUP)
    kinds = response.context["chooser"]["kinds"]
    assert [(k["label"], k["selected"]) for k in kinds] == [("All", True), ("Image", False), ("Video", False)]
    assert kinds[2]["url"] == "?_popup=1&_to_field=id&kind__exact=video"
    videos = admin_client.get(f"{POPUP}&kind__exact=video").context["chooser"]["cards"]
    assert [c["item"] for c in videos] == [video]
    found = admin_client.get(f"{POPUP}&q=clip").context["chooser"]["cards"]
    assert {c["item"] for c in found} == {video, video.poster}  # "Poster: Harbour clip"


def test_popup_pages_by_a_screenful_and_its_queries_stay_bounded(admin_client):
    for n in range(3):
        photo(n)
    admin_client.get(POPUP)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(POPUP)
    for n in range(3, 30):
        photo(n)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(POPUP)
    assert len(response.context["chooser"]["cards"]) == 24
    assert len(many) == len(few)


def test_the_list_outside_the_popup_is_the_usual_table(admin_client):
    photo(1)
    html = admin_client.get(CHANGELIST).content.decode()
    assert 'id="result_list"' in html and "media-chooser-grid" not in html
    assert 'href="/admin/media/mediaitem/upload/"' in html


def test_a_video_page_plays_it_with_poster_captions_duration_and_size(admin_client, editor):
    video = ingest_bytes(encode_clip(seconds=2, seed=402), filename="clip.mp4", title="Clip")
    video = attach_captions(actor=editor, item=video, data=CAPTIONS, language="en")
    html = admin_client.get(f"{CHANGELIST}{video.pk}/change/").content.decode()
    poster = f"/media-renditions/{video.poster_id}/w640.jpeg"
    assert f'<video controls preload="metadata" playsinline poster="{poster}"' in html
    assert f'<source src="{video.file.url}" type="video/mp4">' in html
    assert f'<track kind="captions" src="{video.captions.url}" srclang="en" label="Captions (en)" default>' in html
    assert "<dt>Duration</dt><dd>0:02</dd>" in html
    size = f"{video.file_size / 1024:.1f}\xa0KB"
    assert f"<dt>File size</dt><dd>{size}</dd>" in html
    assert html.index("<video") < html.index('name="credit"')  # the player comes first
    assert "focal-picker" not in html


def test_the_video_file_is_served_to_staff_while_private(admin_client, client):
    video = ingest_bytes(encode_clip(seconds=1, seed=403), filename="clip.mp4", title="Clip")
    assert admin_client.get(video.file.url).status_code == 200


def test_an_image_page_shows_its_focal_point_on_the_picture(admin_client):
    item = photo(5, title="Wide")
    html = admin_client.get(f"{CHANGELIST}{item.pk}/change/").content.decode()
    assert 'class="focal-picker"' in html and 'class="focal-marker"' in html
    assert "left:50.0%;top:50.0%" in html
    assert "<video" not in html


def test_an_image_page_previews_each_crop_around_the_focal_point(admin_client, editor):
    from media.actions import set_focal_point

    item = ingest_bytes(draw_photo(800, 400, seed=404), filename="wide.jpg", title="Wide")
    set_focal_point(actor=editor, item=item, x=0.6, y=0.25)
    html = admin_client.get(f"{CHANGELIST}{item.pk}/change/").content.decode()
    assert '<div class="focal-crops" data-aspect="2.00000">' in html
    # A 2:1 picture: each crop keeps its full height and slides sideways towards the point.
    assert 'data-ratio="1.00000"><img src="/media-renditions/' in html
    assert "aspect-ratio:1.00000;object-position:70.0% 50.0%" in html  # (0.6 - 0.25) / 0.5
    assert "aspect-ratio:1.77778;object-position:100.0% 50.0%" in html  # held inside the picture
    assert '<figcaption aria-label="1 by 1 crop">1:1</figcaption>' in html


def test_popup_offers_no_upload_to_who_may_not_add_media(client):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_mediaitem"))
    client.force_login(viewer)
    photo(6, title="Seen")
    html = client.get(POPUP).content.decode()
    assert "media-chooser-grid" in html and "Seen" in html
    assert "chooser-upload-file" not in html
