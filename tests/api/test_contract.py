"""The documented JSON shapes, asserted whole: a client written against the issue keeps working."""

from datetime import UTC, datetime

import pytest
import time_machine

from articles.models import Article, Section
from tests.factories import ArticleFactory, ImageFactory, RelatedLinkFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2016, 3, 24, 14, 18, 9, tzinfo=UTC)
SITE = "http://testserver"  # SITE_URL unset: web_url names the host the request came in on
API = "http://testserver/api/v1"


def renditions(item_id: int, sizes: dict) -> dict:
    return {
        spec: {
            "width": w,
            "height": h,
            "webp": f"http://testserver/media-renditions/{item_id}/{spec}.webp",
            "jpeg": f"http://testserver/media-renditions/{item_id}/{spec}.jpeg",
        }
        for spec, (w, h) in sizes.items()
    }


# A 64×48 picture: every width clamps to 64; crops keep their ratio.
SMALL_PHOTO = {
    "w320": (64, 48),
    "w640": (64, 48),
    "w960": (64, 48),
    "w1280": (64, 48),
    "4x3-w320": (64, 48),
    "4x3-w640": (64, 48),
    "4x3-w960": (64, 48),
    "4x3-w1280": (64, 48),
    "16x9-w320": (64, 36),
    "16x9-w640": (64, 36),
    "16x9-w960": (64, 36),
    "16x9-w1280": (64, 36),
    "1x1-w320": (48, 48),
    "1x1-w640": (48, 48),
    "1x1-w960": (48, 48),
    "1x1-w1280": (48, 48),
}


@pytest.fixture
def story():
    """A video story in Iraq › Conflict › Mosul with two live related articles and a hidden one."""
    with time_machine.travel(NOW, tick=False):
        iraq = SectionFactory(name="Iraq", slug="iraq")
        conflict = SectionFactory(name="Conflict", slug="conflict", parent=iraq)
        mosul = SectionFactory(name="Mosul", slug="mosul", parent=conflict)
        poster = ImageFactory(title="Poster: convoy", alt_text="")
        clip = ImageFactory(
            kind="video",
            title="Convoy",
            alt_text="A convoy on a desert road",
            credit="Agency pool",
            width=640,
            height=360,
            duration=42.5,
            poster=poster,
            captions="captions/convoy.vtt",
            captions_language="en",
        )
        article = ArticleFactory(
            title="Troops move toward the northern city",
            kind=Article.Kind.VIDEO,
            section=mosul,
            summary="Columns set out before dawn.",
            body="<p>Columns set out before dawn.</p>",
            signoff="S/SH 11",
            source="Agency",
            legacy_id=1800001,
            lead_media=clip,
            published_at=datetime(2016, 3, 24, 10, 48, 9, tzinfo=UTC),
            tags=[TagFactory(name="Northern front", slug="northern-front")],
        )
        photo = ImageFactory(title="Bridge")
        first = ArticleFactory(title="Bridge reopens", section=iraq, lead_media=photo)
        second = ArticleFactory(title="Talks resume", section=conflict)
        hidden = ArticleFactory(title="Unfinished draft", draft=True)
        RelatedLinkFactory(source=article, target=second, position=2)
        RelatedLinkFactory(source=article, target=hidden, position=1)
        RelatedLinkFactory(source=article, target=first, position=0)
    return locals()


def test_article_detail_is_exactly_the_documented_document(anon, story):
    article, clip, poster, photo = story["article"], story["clip"], story["poster"], story["photo"]
    first, second = story["first"], story["second"]

    response = anon.get(f"/api/v1/articles/{article.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": article.pk,
        "url": f"{API}/articles/{article.pk}/",
        "web_url": f"{SITE}/news/{article.pk}/troops-move-toward-the-northern-city/",
        "legacy_id": 1800001,
        "title": "Troops move toward the northern city",
        "slug": "troops-move-toward-the-northern-city",
        "kind": "video",
        "summary": "Columns set out before dawn.",
        "body_html": "<p>Columns set out before dawn.</p>",
        "section": "iraq/conflict/mosul",
        "breadcrumb": [
            {"name": "Iraq", "slug": "iraq", "web_url": f"{SITE}/section/iraq/"},
            {"name": "Conflict", "slug": "conflict", "web_url": f"{SITE}/section/iraq/conflict/"},
            {"name": "Mosul", "slug": "mosul", "web_url": f"{SITE}/section/iraq/conflict/mosul/"},
        ],
        "tags": [{"name": "Northern front", "slug": "northern-front"}],
        "authors": [],  # tests/authors/test_api.py shows a byline
        "signoff": "S/SH 11",
        "source": "Agency",
        "language": "en",
        "published_at": "2016-03-24T10:48:09Z",
        "updated_at": "2016-03-24T14:18:09Z",
        "status": "published",
        "lead_media": {
            "id": clip.pk,
            "kind": "video",
            "url": f"http://testserver{clip.file.url}",
            "width": 640,
            "height": 360,
            "duration": 42.5,
            "poster_url": f"http://testserver{poster.file.url}",
            "alt": "A convoy on a desert road",
            "credit": "Agency pool",
            "renditions": renditions(poster.pk, SMALL_PHOTO),
            "captions": {"url": "http://testserver/media/captions/convoy.vtt", "language": "en"},
        },
        "related": [
            {
                "id": first.pk,
                "title": "Bridge reopens",
                "kind": "text",
                "web_url": f"{SITE}/news/{first.pk}/bridge-reopens/",
                "url": f"{API}/articles/{first.pk}/",
                "thumbnail_url": f"http://testserver/media-renditions/{photo.pk}/4x3-w320.jpeg",
            },
            {
                "id": second.pk,
                "title": "Talks resume",
                "kind": "text",
                "web_url": f"{SITE}/news/{second.pk}/talks-resume/",
                "url": f"{API}/articles/{second.pk}/",
                "thumbnail_url": None,
            },
        ],
        "inline_media": [],  # tests/inline_media/test_api.py shows inline items
        "corrections": [],  # tests/corrections/test_api.py shows them
    }
    assert response["ETag"].startswith(f'"a{article.pk}v{article.version}-')
    assert response["Content-Type"] == "application/json"


def test_list_items_are_the_detail_without_body_and_related(anon, story):
    article = story["article"]
    listed = anon.get("/api/v1/articles/", {"legacy_id": 1800001}).json()
    detail = anon.get(f"/api/v1/articles/{article.pk}/").json()

    assert set(listed) == {"next", "previous", "results"}
    assert listed["next"] is None and listed["previous"] is None
    [item] = listed["results"]
    assert item == {k: v for k, v in detail.items() if k not in {"body_html", "related", "inline_media", "corrections"}}


def test_related_list_alone_matches_the_detail(anon, story):
    article = story["article"]
    detail = anon.get(f"/api/v1/articles/{article.pk}/").json()
    assert anon.get(f"/api/v1/articles/{article.pk}/related/").json() == detail["related"]


def test_legacy_related_shape_uses_strings_legacy_ids_and_labels(editor_client, story):
    article, first, hidden, photo = story["article"], story["first"], story["hidden"], story["photo"]
    Article.objects.filter(pk=first.pk).update(legacy_id=1796140, legacy_sort=3517883, kind=Article.Kind.VIDEO)
    photo.legacy_path = "/2016/03/06/convoy_25f_4x3.jpg"
    photo.save()

    response = editor_client.get(f"/api/v1/articles/{article.pk}/related/?format=legacy")

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": "1796140",
            "sort": "3517883",
            "contenttypeid": "21",
            "pic": "/2016/03/06/convoy_25f_4x3.jpg",
            "title": "VIDEO: Bridge reopens",
        },
        {"id": str(hidden.pk), "sort": "1", "contenttypeid": "21", "pic": "", "title": "Unfinished draft"},
        {"id": str(story["second"].pk), "sort": "2", "contenttypeid": "21", "pic": "", "title": "Talks resume"},
    ]


def test_legacy_pic_falls_back_to_the_media_url_path(anon, story):
    article, photo = story["article"], story["photo"]
    [entry, _] = anon.get(f"/api/v1/articles/{article.pk}/related/", {"format": "legacy"}).json()
    assert entry["pic"] == photo.file.url and entry["pic"].startswith("/media/")


def test_sections_come_as_a_tree(anon, story):
    iraq = Section.objects.get(path="iraq")
    # Listed once a live story is in it (sections of unpublished stories stay private).
    ArticleFactory(section=SectionFactory(name="Economy", slug="economy", parent=iraq, position=9))
    body = anon.get("/api/v1/sections/").json()
    [root] = [s for s in body["results"] if s["slug"] == "iraq"]
    assert [c["path"] for c in root["children"]] == ["iraq/conflict", "iraq/economy"]
    assert root["children"][0]["children"][0] == {
        "id": story["mosul"].pk,
        "name": "Mosul",
        "slug": "mosul",
        "path": "iraq/conflict/mosul",
        "description": "",
        "web_url": f"{SITE}/section/iraq/conflict/mosul/",
        "children": [],
    }
    one = anon.get(f"/api/v1/sections/{iraq.pk}/").json()
    assert one == root


def test_tags_list_by_name(anon, story):
    ArticleFactory(tags=[TagFactory(name="Aid convoys", slug="aid-convoys")])  # listed: a live story has it
    TagFactory(name="Blockade", slug="blockade")  # not listed: no live story has it
    body = anon.get("/api/v1/tags/").json()
    assert [t["slug"] for t in body["results"]] == ["aid-convoys", "northern-front"]
    assert body["results"][1] == {
        "id": body["results"][1]["id"],
        "name": "Northern front",
        "slug": "northern-front",
        "web_url": f"{SITE}/tag/northern-front/",
    }


def test_media_record(anon, story):
    clip, poster = story["clip"], story["poster"]
    body = anon.get(f"/api/v1/media/{clip.pk}/").json()
    assert body["api_url"] == f"{API}/media/{clip.pk}/"
    assert body["poster"] == poster.pk
    assert body["poster_url"] == f"http://testserver{poster.file.url}"
    assert body["uploaded_at"] == "2016-03-24T14:18:09Z"
    assert {k: body[k] for k in ("kind", "width", "height", "duration", "alt", "credit", "file_missing")} == {
        "kind": "video",
        "width": 640,
        "height": 360,
        "duration": 42.5,
        "alt": "A convoy on a desert road",
        "credit": "Agency pool",
        "file_missing": False,
    }


def test_unchanged_resources_answer_304_to_if_none_match(anon, story):
    url = f"/api/v1/articles/{story['article'].pk}/"
    first = anon.get(url)
    again = anon.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and again.content == b""
    for path in ("/api/v1/articles/", "/api/v1/sections/", "/api/v1/tags/", "/api/v1/media/"):
        listed = anon.get(path)
        assert listed.has_header("ETag")
        assert anon.get(path, HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 304


def test_etag_changes_when_a_related_article_goes_live(anon, story, editor, django_capture_on_commit_callbacks):
    from articles.actions import publish

    url = f"/api/v1/articles/{story['article'].pk}/"
    before = anon.get(url)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):  # the publication is announced: purges
        publish(actor=editor, article=story["hidden"])
    after = anon.get(url, HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert [r["title"] for r in after.json()["related"]] == ["Bridge reopens", "Unfinished draft", "Talks resume"]
