"""Each kind of cached answer names what it shows in its Surrogate-Key header (the whole header)."""

import pytest
from rest_framework.test import APIClient

from tests.factories import ArticleFactory, AuthorFactory, BylineFactory, RelatedLinkFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    europe = SectionFactory(name="Europe", slug="europe")
    floods = TagFactory(name="Floods", slug="floods")
    old = ArticleFactory(title="Old river story", section=europe, tags=[floods])
    new = ArticleFactory(title="New river story", section=europe, tags=[floods])
    RelatedLinkFactory(source=new, target=old)
    writer = AuthorFactory(name="Rita Writer", slug="rita-writer")
    BylineFactory(article=new, author=writer)
    return {"section": europe, "tag": floods, "old": old, "new": new, "author": writer}


def keys(response) -> str:
    assert response.status_code == 200, response.status_code
    return response["Surrogate-Key"]


def test_an_article_page_names_itself_and_its_related_stories(client, world):
    new, old = world["new"], world["old"]
    assert keys(client.get(new.get_absolute_url())) == f"article-{old.pk} article-{new.pk}"  # by number
    assert keys(client.get(old.get_absolute_url())) == f"article-{old.pk}"


def test_list_pages_name_the_list_and_every_story_shown(client, world):
    a, b = sorted([world["old"].pk, world["new"].pk])
    assert keys(client.get("/")) == f"article-{a} article-{b} front"
    assert keys(client.get("/section/europe/")) == f"article-{a} article-{b} section-{world['section'].pk}"
    assert keys(client.get("/tag/floods/")) == f"article-{a} article-{b} tag-{world['tag'].pk}"
    assert keys(client.get("/authors/rita-writer/")) == f"article-{world['new'].pk} author-{world['author'].pk}"
    assert keys(client.get("/search/?q=river")) == f"article-{a} article-{b} search"


def test_feeds_and_sitemaps_name_what_they_list(client, world):
    a, b = sorted([world["old"].pk, world["new"].pk])
    assert keys(client.get("/feeds/rss/")) == f"article-{a} article-{b} feed"
    assert keys(client.get("/feeds/atom/")) == f"article-{a} article-{b} feed"
    section, author, new = world["section"].pk, world["author"].pk, world["new"].pk
    assert keys(client.get("/feeds/section/europe/rss/")) == f"article-{a} article-{b} feed section-{section}"
    assert keys(client.get("/authors/rita-writer/feed/")) == f"article-{new} author-{author} feed"
    assert keys(client.get("/sitemap.xml")) == "sitemap"
    assert keys(client.get("/sitemap-news.xml")) == "sitemap"


def test_a_hit_carries_the_same_keys_and_lets_varnish_keep_it(client, world):
    first = client.get("/tag/floods/")
    second = client.get("/tag/floods/")
    assert second["X-Page-Cache"] == "hit"
    assert second["Surrogate-Key"] == first["Surrogate-Key"]
    assert "s-maxage=" in second["Cache-Control"] and "max-age=0" in second["Cache-Control"]


def test_api_answers_name_what_they_return(world):
    api = APIClient()
    a, b = sorted([world["old"].pk, world["new"].pk])
    assert keys(api.get("/api/v1/articles/")) == f"article-{a} article-{b} feed"
    new, old = world["new"], world["old"]
    assert keys(api.get(f"/api/v1/articles/{new.pk}/")) == f"article-{old.pk} article-{new.pk}"
    assert keys(api.get(f"/api/v1/tags/{world['tag'].pk}/")) == f"tag-{world['tag'].pk}"
    assert keys(api.get(f"/api/v1/sections/{world['section'].pk}/")) == f"section-{world['section'].pk}"
    assert keys(api.get("/api/v1/authors/")) == f"author-{world['author'].pk} feed"
    assert "s-maxage=" in api.get("/api/v1/articles/")["Cache-Control"]


def test_signed_in_readers_get_no_keys_and_nothing_shared(client, editor, world):
    client.force_login(editor)
    page = client.get(world["new"].get_absolute_url())
    assert "Surrogate-Key" not in page and "private" in page["Cache-Control"]
    api = APIClient()
    api.force_authenticate(editor)
    answer = api.get("/api/v1/articles/")
    assert "Surrogate-Key" not in answer and "s-maxage" not in answer.get("Cache-Control", "")


def test_public_media_answers_name_their_item_and_a_change_to_it_purges_that_name(client, world):
    """Varnish keeps public media files and rendition redirects: each names its item, and a change
    to the item (its file replaced, withdrawn, embargoed) purges that name (a video's poster too)."""
    from articles.site.purge_keys import keys_for
    from changes import Change
    from tests.site.conftest import make_image, make_video

    photo = make_image()
    world["new"].lead_media = photo
    world["new"].save()
    rendition = client.get(f"/media-renditions/{photo.pk}/w640.jpeg")
    assert rendition.status_code == 302 and rendition["Surrogate-Key"] == f"media-{photo.pk}"
    stored = client.get(rendition["Location"])
    assert stored.status_code == 200 and stored["Surrogate-Key"] == f"media-{photo.pk}"
    video = make_video()
    assert {f"media-{photo.pk}", f"media-{video.pk}", f"media-{video.poster_id}"} <= keys_for(
        Change(media=frozenset({photo.pk, video.pk}))
    )


def test_media_readers_may_not_see_names_nothing_for_shared_caches(client, world):
    from tests.site.conftest import make_image

    unused = make_image()  # shown by no live story: not public
    answer = client.get(f"/media-renditions/{unused.pk}/w640.jpeg")
    assert answer.status_code == 404 and "Surrogate-Key" not in answer
