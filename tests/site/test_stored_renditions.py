"""Pages link the stored rendition files once they exist, and find them in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from media.renditions import make_all
from tests.factories import ArticleFactory, RelatedLinkFactory
from tests.site.conftest import make_image, make_video

pytestmark = pytest.mark.django_db


def test_article_page_links_stored_renditions_of_lead_photo_and_related_thumbnails(client, tree):
    # Files of 160×90 pixels: every width collapses into one 160-pixel rendition per crop.
    lead, thumb = make_image(width=160, height=90), make_image(width=160, height=90)
    video = make_video()
    video.poster.width, video.poster.height = 160, 90
    video.poster.save()
    for item in (lead, thumb, video):
        make_all(item)
    article = ArticleFactory(section=tree["mosul"], kind=Article.Kind.PHOTO, lead_media=lead)
    RelatedLinkFactory(source=article, target=ArticleFactory(section=tree["mosul"], lead_media=thumb), position=1)
    RelatedLinkFactory(source=article, target=ArticleFactory(section=tree["mosul"], lead_media=video), position=2)

    client.get("/search/")  # navigation and boundary, once per generation
    with CaptureQueriesContext(connection) as captured:
        html = client.get(article.get_absolute_url()).content.decode()
    rendition_reads = [q for q in captured if 'FROM "media_rendition"' in q["sql"]]
    assert len(rendition_reads) == 1

    assert "/media-renditions/" not in html  # nothing left to make on demand
    lead_files = {r.spec: r.file.url for r in lead.renditions.filter(format="webp", spec__startswith="w")}
    assert f"{lead_files['w320']} 160w" in html
    thumb_jpeg = thumb.renditions.get(spec="16x9-w320", format="jpeg").file.url
    poster_jpeg = video.poster.renditions.get(spec="16x9-w320", format="jpeg").file.url
    related = html[html.index('<aside class="related"') :]
    assert thumb_jpeg in related and poster_jpeg in related
    assert related.index(thumb_jpeg) < related.index(poster_jpeg)  # editorial order


def test_home_cards_link_stored_renditions(client, tree):
    photo = make_image(width=160, height=90)
    make_all(photo)
    ArticleFactory(section=tree["mosul"], kind=Article.Kind.PHOTO, lead_media=photo)
    html = client.get("/").content.decode()
    assert photo.renditions.get(spec="16x9-w320", format="webp").file.url in html
    assert "/media-renditions/" not in html


def test_related_thumbnails_offer_no_rendition_wider_than_640_pixels(client, tree):
    wide = make_image(width=1600, height=900)
    article = ArticleFactory(section=tree["mosul"], kind=Article.Kind.PHOTO, lead_media=wide)
    RelatedLinkFactory(source=article, target=ArticleFactory(section=tree["mosul"], lead_media=wide), position=1)
    html = client.get(article.get_absolute_url()).content.decode()
    related = html[html.index('<aside class="related"') :]
    lead = html[html.index('<figure class="lead-media">') : html.index("</figure>")]
    assert "16x9-w320.webp 320w" in related and "16x9-w640.webp 640w" in related
    assert "960w" not in related and "1280w" not in related
    assert "w1280.webp 1280w" in lead  # the story's own picture keeps every width
