"""Fixtures for inline media: library items with files, and stories whose body shows them.

Bodies are written straight to the row after the story is saved (`set_body`), so a test states
exactly the stored form it is about, whatever the sanitizer would have made of it.
"""

import re

import pytest
from django.core.files.base import ContentFile

from articles.models import Article
from media.models import MediaItem
from tests.api.conftest import anon, editor_client  # noqa: F401 (API clients)
from tests.factories import ArticleFactory, ImageFactory
from tests.site.conftest import make_image, make_video, tree  # noqa: F401 (the sections fixture)

STORY_BODY = re.compile(r'<div class="story-body">(.*?)</div>', re.DOTALL)


def set_body(article: Article, body: str) -> Article:
    """Store `body` as `article`'s body as it is (no sanitizing, no revision); `article` follows."""
    Article.objects.filter(pk=article.pk).update(body=body)
    article.body = body
    return article


def story(body: str, **fields) -> Article:
    """A story (live unless `fields` say otherwise) whose stored body is exactly `body`."""
    return set_body(ArticleFactory(**fields), body)


def figure(item, caption: str | None = None) -> str:
    """The stored form of an inline item, with a figcaption when `caption` is given."""
    inner = "" if caption is None else f"<figcaption>{caption}</figcaption>"
    return f'<figure data-media-id="{item if isinstance(item, int) else item.pk}">{inner}</figure>'


def story_body(html: str) -> str:
    """The story body of an article page's HTML."""
    found = STORY_BODY.search(html)
    assert found, "no story body on the page"
    return found.group(1).strip()


@pytest.fixture
def photo(db):
    return make_image(title="Bridge", caption="The old bridge at dusk.", credit="Reuters", focal_x=0.3, focal_y=0.6)


@pytest.fixture
def portrait(db):
    return make_image(width=900, height=1600, title="Tower", caption="The tower.", credit="AFP", alt_text="A tower")


@pytest.fixture
def clip(db):
    item = make_video(caption="Towing the pontoon.", credit="AP")
    item.captions.save("clip.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n"), save=False)
    item.captions_language = "en"
    item.save()
    return item


@pytest.fixture
def items(db):
    """A 64×48 photo, and a video (file by name only) with its poster and captions."""
    photo = ImageFactory(title="Bridge", caption="The old bridge.", credit="Reuters", alt_text="A bridge")
    poster = ImageFactory(title="Poster", alt_text="")
    clip = MediaItem.objects.create(
        kind="video",
        file="library/convoy.mp4",
        title="Convoy",
        caption="The convoy leaves.",
        alt_text="A convoy on a road",
        credit="AP",
        width=640,
        height=360,
        duration=12.5,
        poster=poster,
        captions="captions/convoy.vtt",
        captions_language="en",
    )
    return {"photo": photo, "poster": poster, "clip": clip}
