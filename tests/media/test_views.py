"""The on-demand rendition URL: makes an allowed rendition once, then redirects to the stored file."""

import io

import pytest
from PIL import Image

from media import renditions
from media.ingest import ingest_bytes
from media.models import MediaItem, Rendition
from media.samples import draw_photo, encode_clip

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo():
    """A photo readers may see (marked public; test_privacy.py covers media that are not)."""
    return ingest_bytes(draw_photo(1000, 750, seed=21), filename="p.jpg", public=True)


def test_first_request_makes_the_rendition_and_redirects_to_it(client, photo):
    response = client.get(f"/media-renditions/{photo.pk}/16x9-w640.webp")
    assert response.status_code == 302
    made = Rendition.objects.get(media=photo)
    assert (made.spec, made.format, made.width, made.height) == ("16x9-w640", "webp", 640, 360)
    assert response["Location"] == made.url
    served = client.get(response["Location"])
    assert served.status_code == 200
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert image.format == "WEBP" and image.size == (640, 360)


def test_second_request_reuses_the_stored_file(client, photo):
    first = client.get(f"/media-renditions/{photo.pk}/w320.jpeg")
    second = client.get(f"/media-renditions/{photo.pk}/w320.jpeg")
    assert first["Location"] == second["Location"]
    assert Rendition.objects.count() == 1


@pytest.mark.parametrize("path", ["w333.jpeg", "w640.gif", "3x2-w640.jpeg", "w640.jpeg.php", "W640.jpeg"])
def test_specs_or_formats_outside_the_set_are_404(client, photo, path):
    assert client.get(f"/media-renditions/{photo.pk}/{path}").status_code == 404
    assert not Rendition.objects.exists()


def test_unknown_or_fileless_items_are_404(client):
    ref = MediaItem.objects.create(
        kind="image", legacy_path="/2016/z.jpg", file_missing=True, width=10, height=10, public=True
    )
    assert client.get(f"/media-renditions/{ref.pk}/w320.jpeg").status_code == 404
    assert client.get("/media-renditions/999999/w320.jpeg").status_code == 404


def test_a_video_id_answers_with_its_posters_rendition(client):
    video = ingest_bytes(encode_clip(seconds=1, seed=22), filename="v.mp4", public=True)
    response = client.get(f"/media-renditions/{video.pk}/w320.jpeg")
    assert response.status_code == 302
    assert Rendition.objects.get().media_id == video.poster_id


def test_only_safe_methods(client, photo):
    assert client.post(f"/media-renditions/{photo.pk}/w320.jpeg").status_code == 405


def test_urls_on_a_page_point_at_the_view_until_made_then_at_the_file(client, photo):
    on_demand = renditions.rendition_url(photo, "w640", "jpeg")
    client.get(on_demand)
    item = MediaItem.objects.with_renditions().get(pk=photo.pk)
    assert renditions.rendition_url(item, "w640", "jpeg") == Rendition.objects.get().url != on_demand
