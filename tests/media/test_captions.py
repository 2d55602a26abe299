"""Video captions: WebVTT checked on the way in, stored, offered to the player, removed cleanly."""

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from media.actions import attach_captions, delete_media, remove_captions
from media.captions import validate_webvtt
from media.ingest import ingest_bytes
from media.models import MediaItem
from media.samples import draw_photo, encode_clip
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/media/mediaitem/"
GOOD = (
    "WEBVTT - harbour report\n\n"
    "1\n00:00:00.500 --> 00:00:03.000\nCranes unload the first ship in weeks.\n\n"
    "00:03.200 --> 00:06.000 align:start\nالرافعات تفرغ أول سفينة\n"
).encode()


@pytest.fixture
def video(db):
    return ingest_bytes(encode_clip(seconds=1, seed=61), filename="harbour.mp4", title="Harbour")


def test_a_webvtt_file_with_bom_and_crlf_is_accepted():
    text = validate_webvtt(b"\xef\xbb\xbf" + GOOD.replace(b"\n", b"\r\n"))
    assert "Cranes unload" in text


@pytest.mark.parametrize(
    "data, message",
    [
        (b"1\n00:00:01.000 --> 00:00:02.000\nHello\n", 'Line 1 must start with "WEBVTT"'),
        (b"WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nHello\n", 'Line 1 must start with "WEBVTT"'),
        (
            b"WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nSRT commas\n",
            "Line 3: “00:00:01,000 --> 00:00:02,000” is not a cue timing",
        ),
        (b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nBackwards\n", "Line 3: the cue ends before it starts"),
        (b"WEBVTT\n\nNOTE nothing else\n", "has no cues"),
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\xff\xfe broken\n", "not UTF-8 text (byte 39 "),
        (b"WEBVTT\n\x00\x00", "NUL characters"),
    ],
)
def test_a_file_that_is_not_usable_webvtt_is_refused_with_its_fault(data, message):
    with pytest.raises(ValidationError) as caught:
        validate_webvtt(data)
    assert message in caught.value.messages[0]


def test_captions_are_stored_under_a_generated_name_and_replacing_them_removes_the_old_file(
    video, django_capture_on_commit_callbacks
):
    attach_captions(actor=None, item=video, data=GOOD, language="en")
    first = video.captions.name
    assert re.fullmatch(rf"captions/{video.pk}/[0-9a-f]{{32}}\.vtt", first)
    assert video.captions.storage.open(first).read() == GOOD
    with django_capture_on_commit_callbacks(execute=True):
        attach_captions(actor=None, item=video, data=GOOD.replace(b"Cranes", b"Tugs"), language="ar")
    video.refresh_from_db()
    assert video.captions_language == "ar" and video.captions.name != first
    assert not video.captions.storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        remove_captions(actor=None, item=video)
    assert not MediaItem.objects.get(pk=video.pk).captions
    assert not video.captions.storage.listdir(f"captions/{video.pk}")[1]


def test_only_a_video_takes_captions_and_a_refused_file_changes_nothing(video):
    photo = ImageFactory()
    with pytest.raises(ValidationError, match="Only a video has captions"):
        attach_captions(actor=None, item=photo, data=GOOD)
    with pytest.raises(ValidationError, match="not a language code"):
        attach_captions(actor=None, item=video, data=GOOD, language="English")
    with pytest.raises(ValidationError, match="WEBVTT"):
        attach_captions(actor=None, item=video, data=b"not captions")
    video.refresh_from_db()
    assert not video.captions and video.captions_language == ""


def test_the_article_player_offers_the_captions_in_the_articles_language(client, video):
    attach_captions(actor=None, item=video, data=GOOD)
    article = ArticleFactory(kind=Article.Kind.VIDEO, lead_media=video, language="ar")
    html = client.get(article.get_absolute_url()).content.decode()
    player = html[html.index("<video") : html.index("</video>")]
    assert f'<track kind="captions" src="{video.captions.url}" srclang="ar" label="Arabic captions" default>' in player
    assert client.get(video.captions.url)["Content-Type"].startswith("text/vtt")


def test_a_video_without_captions_has_no_track(client, video):
    article = ArticleFactory(kind=Article.Kind.VIDEO, lead_media=video)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<track" not in html


def test_an_editor_uploads_captions_in_the_admin(client, editor, video):
    client.force_login(editor)
    form = client.get(f"{CHANGELIST}{video.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"file", "captions"}}
    refused = client.post(
        f"{CHANGELIST}{video.pk}/change/",
        {**data, "new_captions": SimpleUploadedFile("c.srt", b"1\n00:00:01,000 --> 00:00:02,000\nHi\n")},
    )
    assert refused.status_code == 200
    assert 'Line 1 must start with "WEBVTT"' in refused.context["adminform"].form.errors["new_captions"][0]
    assert not MediaItem.objects.get(pk=video.pk).captions
    response = client.post(
        f"{CHANGELIST}{video.pk}/change/",
        {**data, "captions_language": "en", "new_captions": SimpleUploadedFile("harbour.vtt", GOOD)},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    video.refresh_from_db()
    assert video.captions and video.captions_language == "en"
    assert video.captions.name.rsplit("/", 1)[-1] in client.get(f"{CHANGELIST}{video.pk}/change/").content.decode()


def test_an_image_refuses_captions_in_the_admin(client, editor):
    client.force_login(editor)
    photo = ingest_bytes(draw_photo(200, 150, seed=62), filename="p.jpg", title="Photo")
    form = client.get(f"{CHANGELIST}{photo.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"file", "captions"}}
    response = client.post(
        f"{CHANGELIST}{photo.pk}/change/", {**data, "new_captions": SimpleUploadedFile("c.vtt", GOOD)}
    )
    assert response.context["adminform"].form.errors["new_captions"] == ["Only a video has captions."]


def test_deleting_a_video_removes_its_captions_file(video, django_capture_on_commit_callbacks):
    attach_captions(actor=None, item=video, data=GOOD)
    name, storage = video.captions.name, video.captions.storage
    with django_capture_on_commit_callbacks(execute=True):
        delete_media(actor=None, item=video)
    assert not storage.exists(name)


def test_captions_on_another_host_make_the_player_ask_with_cors(client, video, settings):
    attach_captions(actor=None, item=video, data=GOOD)
    article = ArticleFactory(kind=Article.Kind.VIDEO, lead_media=video)
    assert "crossorigin" not in client.get(article.get_absolute_url()).content.decode()
    settings.MEDIA_URL = "https://files.example.org/media/"
    cache.clear()  # a deployment change, not an edit: pages cached before it are not replaced
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<video controls preload="metadata" crossorigin="anonymous"' in html
    assert 'src="https://files.example.org/media/captions/' in html
