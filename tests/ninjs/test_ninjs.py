"""Agency distribution: every live story as IPTC ninjs 2.1 at /api/v1/articles/<id>/ninjs/,
checked whole and against the standard's own schema (tests/ninjs/README.md)."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

from articles.models import Article
from tests.api.test_contract import NOW, SMALL_PHOTO
from tests.factories import ArticleFactory, AuthorFactory, BylineFactory
from tests.inline_media.conftest import figure, set_body
from tests.inline_media.test_queries import body_with
from tests.site.conftest import make_image

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
SCHEMA = json.loads((Path(__file__).parent / "ninjs-schema_2.1.json").read_text())
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def ninjs(client, article):
    return client.get(f"/api/v1/articles/{article.pk}/ninjs/")


def schema_errors(document) -> list[str]:
    return [f"{list(error.path)}: {error.message}" for error in VALIDATOR.iter_errors(document)]


def sizes(item_id: int, table: dict, prefix: str = "") -> list[dict]:
    return [
        {
            "name": f"{prefix}{spec}-{fmt}",
            "href": f"{HOST}/media-renditions/{item_id}/{spec}.{fmt}",
            "contenttype": f"image/{fmt}",
            "width": w,
            "height": h,
        }
        for spec, (w, h) in table.items()
        for fmt in ("jpeg", "webp")
    ]


# A 1600×900 picture (tests.site.conftest.make_image): widths up to 1280, crops keep their ratio.
WIDE_PHOTO = {
    "w320": (320, 180),
    "w640": (640, 360),
    "w960": (960, 540),
    "w1280": (1280, 720),
    "4x3-w320": (320, 240),
    "4x3-w640": (640, 480),
    "4x3-w960": (960, 720),
    "4x3-w1280": (1200, 900),
    "16x9-w320": (320, 180),
    "16x9-w640": (640, 360),
    "16x9-w960": (960, 540),
    "16x9-w1280": (1280, 720),
    "1x1-w320": (320, 320),
    "1x1-w640": (640, 640),
    "1x1-w960": (900, 900),
    "1x1-w1280": (900, 900),
}


@pytest.fixture
def distributed(story):
    """The contract's video story, with a byline of two and an inline photo with its own caption."""
    article = story["article"]
    with time_machine.travel(NOW, tick=False):
        BylineFactory(article=article, author=AuthorFactory(name="Ann Lee"), position=0)
        BylineFactory(article=article, author=AuthorFactory(name="Bo Ma"), position=1)
        photo = make_image(title="Bridge", caption="The old bridge.", credit="Reuters", alt_text="A bridge")
        set_body(article, f"<p>Columns set out before dawn.</p>{figure(photo, 'Seen from the east.')}<p>Two more.</p>")
    return {**story, "inline": photo}


def test_a_live_story_is_the_documented_ninjs_document(anon, distributed):
    article, clip, poster, photo = (distributed[k] for k in ("article", "clip", "poster", "inline"))
    response = ninjs(anon, article)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "uri": f"{HOST}/api/v1/articles/{article.pk}/",
        "standard": {
            "name": "ninjs",
            "version": "2.1",
            "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json#",
        },
        "type": "text",
        "representationtype": "full",
        "profile": "newsroom-video",
        "version": "1",
        "firstcreated": "2016-03-24T14:18:09Z",
        "versioncreated": "2016-03-24T14:18:09Z",
        "contentcreated": "2016-03-24T10:48:09Z",
        "pubstatus": "usable",
        "language": "en",
        "slugline": "troops-move-toward-the-northern-city",
        "headlines": [{"role": "main", "value": "Troops move toward the northern city"}],
        "descriptions": [{"role": "summary", "value": "Columns set out before dawn."}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": "<p>Columns set out before dawn.</p>"
                '<figure data-assoc-ref="inline-1">'
                f'<img src="{HOST}/media-renditions/{photo.pk}/w960.jpeg" alt="A bridge" width="960" height="540">'
                "<figcaption>Seen from the east.</figcaption></figure><p>Two more.</p>",
                "charcount": 38,  # "Columns set out before dawn. Two more.": the caption is not counted
                "wordcount": 7,
            }
        ],
        "by": "Ann Lee and Bo Ma",
        "subjects": [
            {"name": "Iraq", "rel": "section", "uri": f"{HOST}/section/iraq/", "literal": "iraq"},
            {"name": "Conflict", "rel": "section", "uri": f"{HOST}/section/iraq/conflict/", "literal": "conflict"},
            {"name": "Mosul", "rel": "section", "uri": f"{HOST}/section/iraq/conflict/mosul/", "literal": "mosul"},
            {"name": "Northern front", "rel": "tag", "uri": f"{HOST}/tag/northern-front/", "literal": "northern-front"},
        ],
        "infosources": [{"name": "Agency", "role": "source"}],
        "altids": [{"role": "legacy-id", "value": "1800001"}],
        "renditions": [
            {
                "name": "web",
                "href": f"{HOST}/news/{article.pk}/troops-move-toward-the-northern-city/",
                "contenttype": "text/html",
            }
        ],
        "associations": [
            {
                "name": "lead",
                "uri": f"{HOST}/api/v1/media/{clip.pk}/",
                "type": "video",
                "representationtype": "partial",
                "descriptions": [{"role": "alt", "value": "A convoy on a desert road"}],
                "by": "Agency pool",
                "renditions": [
                    {
                        "name": "original",
                        "href": f"{HOST}{clip.file.url}",
                        "contenttype": "image/jpeg",  # the factory's "video" is a JPEG file
                        "width": 640,
                        "height": 360,
                        "duration": 42.5,
                    },
                    {"name": "poster", "href": f"{HOST}{poster.file.url}", "contenttype": "image/jpeg"},
                    *sizes(poster.pk, SMALL_PHOTO, prefix="poster-"),
                ],
            },
            {
                "name": "inline-1",
                "uri": f"{HOST}/api/v1/media/{photo.pk}/",
                "type": "picture",
                "representationtype": "partial",
                "descriptions": [{"role": "alt", "value": "A bridge"}, {"role": "caption", "value": "The old bridge."}],
                "by": "Reuters",
                "renditions": [
                    {
                        "name": "original",
                        "href": f"{HOST}{photo.file.url}",
                        "contenttype": "image/jpeg",
                        "width": 1600,
                        "height": 900,
                    },
                    *sizes(photo.pk, WIDE_PHOTO),
                ],
            },
        ],
    }
    assert schema_errors(response.json()) == []


def test_a_bare_story_is_valid_ninjs_too(anon):
    bare = ArticleFactory(title="Short item", summary="", body="<p>One line.</p>", source="", tags=[])
    document = ninjs(anon, bare).json()
    assert schema_errors(document) == []
    assert "by" not in document and "associations" not in document and "descriptions" not in document
    assert [subject["rel"] for subject in document["subjects"]] == ["section"]


def test_the_schema_check_catches_a_document_that_is_not_ninjs(anon, distributed):
    document = ninjs(anon, distributed["article"]).json()
    assert schema_errors({**document, "type": "article"})  # not one of ninjs' types
    assert schema_errors({**document, "headlines": [{"text": "x"}]})  # a headline needs a value
    assert schema_errors({**document, "homepage": "x"})  # no such property


def test_hostile_text_stays_text(anon):
    hostile = ArticleFactory(title='<script>alert("t")</script>', summary="</p><img src=x onerror=alert(1)>")
    photo = make_image(alt_text='"><script>alert(2)</script>', credit="<b>Wire</b>")
    set_body(hostile, f"<p>Safe.</p>{figure(photo)}")
    document = ninjs(anon, hostile).json()

    assert document["headlines"] == [{"role": "main", "value": '<script>alert("t")</script>'}]
    body = document["bodies"][0]["value"]
    assert '<img src="' in body and 'alt="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in body
    assert "<script>" not in body
    assert document["associations"][0]["by"] == "<b>Wire</b>"  # plain text in JSON, as the API gives it
    assert schema_errors(document) == []


def test_only_live_stories_are_distributed_whoever_asks(anon, editor_client):
    now = datetime.now(UTC)
    hidden = [
        ArticleFactory(title="Unfinished", draft=True),
        ArticleFactory(title="Later", published_at=now + timedelta(hours=2)),
        ArticleFactory(title="Held", embargo_until=now + timedelta(hours=1)),
        ArticleFactory(title="Gone", expires_at=now - timedelta(minutes=1)),
    ]
    for article in hidden:
        for client in (anon, editor_client):
            response = ninjs(client, article)
            assert response.status_code == 404, article.title
            assert response.json() == {"detail": "No Article matches the given query."}
            assert article.title not in response.content.decode()
    live = ArticleFactory(title="Out now")
    assert ninjs(editor_client, live).json()["headlines"] == [{"role": "main", "value": "Out now"}]


def test_a_working_draft_is_not_distributed(anon, editor_client, editor):
    from articles import actions
    from articles.models import WorkingDraft

    live = ArticleFactory(title="Harbour reopens")
    actions.save_draft(actor=editor, article=live, changes={"title": "Secret new title"}, base_version=live.version)
    assert WorkingDraft.objects.filter(article=live).exists()
    for client in (anon, editor_client):
        document = ninjs(client, live).json()
        assert document["headlines"] == [{"role": "main", "value": "Harbour reopens"}]
        assert "Secret" not in json.dumps(document)


def test_a_cache_is_told_what_the_document_shows_and_may_revalidate(anon, distributed):
    article = distributed["article"]
    first = ninjs(anon, article)
    keys = set(first["Surrogate-Key"].split())
    assert keys == {
        f"article-{article.pk}",
        f"article-{distributed['first'].pk}",
        f"article-{distributed['second'].pk}",
    }
    again = anon.get(f"/api/v1/articles/{article.pk}/ninjs/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_queries_do_not_grow_with_the_story(anon):
    def count(inline: int, authors: int) -> int:
        article = ArticleFactory(tags=[])
        set_body(article, body_with(inline))
        for position in range(authors):
            BylineFactory(article=article, position=position)
        ninjs(anon, article)  # warm what is read once per process
        with CaptureQueriesContext(connection) as queries:
            assert ninjs(anon, article).status_code == 200
        return len(queries)

    assert count(inline=1, authors=1) == count(inline=6, authors=4)


def test_a_changed_story_is_a_new_version(anon, editor):
    from articles import actions

    first_take = ArticleFactory(title="First take")
    before = ninjs(anon, first_take).json()
    stored = Article.objects.get(pk=first_take.pk)
    stored.title = "Second take"
    actions.save_article(actor=editor, article=stored, base_version=stored.version)
    after = ninjs(anon, first_take).json()
    assert (before["version"], after["version"]) == ("1", "2")
    assert after["headlines"] == [{"role": "main", "value": "Second take"}]


def test_corrections_are_descriptions_after_the_summary(anon, editor):
    from articles import actions

    corrected = ArticleFactory(title="Dam opens", summary="Water flows.")
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=1), tick=False):
        actions.add_correction(actor=editor, article=corrected, kind="correction", text="It opened on Tuesday.")
    document = ninjs(anon, corrected).json()
    assert document["descriptions"] == [
        {"role": "summary", "value": "Water flows."},
        {"role": "correction", "value": "It opened on Tuesday."},
    ]
    assert schema_errors(document) == []
