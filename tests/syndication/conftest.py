"""Shared set-up for the syndication tests: a public host, a video article, and hidden articles."""

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, RelatedLinkFactory, SectionFactory, TagFactory

PUBLIC_HOST = "https://news.example.org"

# One marker word per kind of article that must never reach the public; each appears only in
# that article's title and summary, so finding the word anywhere means the article leaked.
HIDDEN_MARKERS = {
    "draft": "Quillodraft",
    "review": "Quilloreview",
    "archived": "Quilloarchived",
    "future": "Quillofuture",
    "embargoed": "Quilloembargo",
    "expired": "Quilloexpired",
    "stub": "Quillostub",
}


@pytest.fixture(autouse=True)
def _public_host(settings):
    """Run as production behind a proxy: SITE_URL names the public host, so absolute URLs must
    name it, not the request's host (tests/site/test_absolute_urls.py covers SITE_URL unset).
    Pages are built afresh on every request (test_caching.py turns the page cache back on)."""
    settings.SITE_URL = PUBLIC_HOST
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def video_item(db):
    """A real H.264 clip stored through the media library (with its poster)."""
    from media.ingest import ingest_bytes
    from media.samples import encode_clip

    return ingest_bytes(encode_clip(seconds=1.0, width=160, height=120), filename="clip.mp4", title="Harbour at dawn")


@pytest.fixture
def hidden_world(db):
    """A live article in a section with a tag, linked to one hidden article of every kind.

    The hidden ones share the live article's section and tag, so every list that shows the live
    one would show them too if it forgot a condition of `live()`.
    """
    now = timezone.now()
    section = SectionFactory(name="Harbours", slug="harbours")
    tag = TagFactory(name="Shipping", slug="shipping")
    live = ArticleFactory(
        title="Harbour reopens after storm", section=section, tags=[tag], published_at=now - timezone.timedelta(hours=2)
    )
    published = Article.Status.PUBLISHED
    variants = {
        "draft": {"status": Article.Status.DRAFT, "published_at": None},
        "review": {"status": Article.Status.REVIEW, "published_at": None},
        "archived": {"status": Article.Status.ARCHIVED, "published_at": now - timezone.timedelta(hours=3)},
        "future": {"status": published, "published_at": now + timezone.timedelta(days=1)},
        "embargoed": {
            "status": published,
            "published_at": now - timezone.timedelta(hours=1),
            "embargo_until": now + timezone.timedelta(days=1),
        },
        "expired": {
            "status": published,
            "published_at": now - timezone.timedelta(hours=1),
            "expires_at": now - timezone.timedelta(minutes=5),
        },
        "stub": {"status": Article.Status.DRAFT, "published_at": None, "is_stub": True},
    }
    hidden = {}
    for number, (name, fields) in enumerate(variants.items(), start=1):
        marker = HIDDEN_MARKERS[name]
        hidden[name] = ArticleFactory(
            title=f"Harbour story {marker}",
            summary=f"Summary {marker}",
            body=f"<p>Harbour {marker}</p>",
            section=section,
            tags=[tag],
            legacy_id=900_000 + number,
            **fields,
        )
        RelatedLinkFactory(source=live, target=hidden[name])
    return {"live": live, "hidden": hidden, "section": section, "tag": tag}


def assert_no_marker(text: str, where: str) -> None:
    leaked = [name for name, marker in HIDDEN_MARKERS.items() if marker.lower() in text.lower()]
    assert not leaked, f"{where} shows hidden articles: {', '.join(leaked)}"
