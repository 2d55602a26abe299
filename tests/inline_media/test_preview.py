"""Previews show a draft's inline figures: to editors as they are, and to the logged-out holder
of a share link through grants that open only those items, only while the link is valid."""

import html
import re

import pytest
from django.urls import reverse

from articles import actions
from articles.desk import preview
from articles.models import PreviewLink
from media.actions import attach_captions
from media.ingest import ingest_bytes
from media.samples import draw_photo, encode_clip
from tests.factories import ArticleFactory, SectionFactory
from tests.inline_media.conftest import figure, story_body
from tests.page_media import fetch, media_urls, without_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(editor):
    photo = ingest_bytes(draw_photo(300, 200, seed=21), filename="quay.jpg", title="Quay", credit="Staff")
    clip = ingest_bytes(encode_clip(seconds=1.0, width=160, height=120, seed=22), filename="q.mp4", title="Waves")
    attach_captions(actor=None, item=clip, data=b"WEBVTT\n\n00:00.000 --> 00:01.000\nWaves\n", language="en")
    body = f"<p>Before.</p>{figure(photo, 'The quay at <em>dawn</em>.')}<p>Middle.</p>{figure(clip)}<p>After.</p>"
    article = actions.save_article(
        actor=editor, article=ArticleFactory.build(draft=True, body=body, section=SectionFactory())
    )
    return article, photo, clip


def test_the_editors_preview_draws_the_drafts_figures(client, editor, draft):
    article, photo, clip = draft
    client.force_login(editor)
    revision = article.revisions.order_by("-number").first()
    response = client.get(reverse("admin:articles_article_revision_preview", args=[article.pk, revision.number]))
    assert response.status_code == 200
    body = story_body(response.content.decode())
    assert '<figcaption>The quay at <em>dawn</em>. <span class="credit">Staff</span></figcaption>' in body
    assert "<video " in body and '<track kind="captions"' in body
    assert "grant=" not in body  # editors see the library without grants


def test_a_share_link_opens_exactly_the_figures_items_while_it_is_valid(client, editor, draft):
    article, photo, clip = draft
    link = preview.create_link(actor=editor, article=article)
    page = client.get(reverse("shared-preview", args=[link.token])).content.decode()
    body = story_body(page)
    assert body.index("The quay at <em>dawn</em>.") < body.index("Middle.") < body.index("<video ")
    urls = media_urls(body)
    assert any(f"/media-renditions/{photo.pk}/" in url for url in urls)
    assert any(url.startswith(clip.file.url) for url in urls)
    track = html.unescape(re.search(r'<track[^>]*src="([^"]+)"', body).group(1))
    assert track.startswith(clip.captions.url)
    for url in [*urls, track]:
        assert "grant=" in url, url
        assert fetch(client, url).status_code == 200, url
        assert fetch(client, without_grant(url)).status_code == 404, url
    preview.revoke_link(actor=editor, link=PreviewLink.objects.get(pk=link.pk))
    for url in [*urls, track]:
        assert fetch(client, url).status_code == 404, url
