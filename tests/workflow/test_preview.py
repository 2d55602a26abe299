"""Previews: editors see any revision as the public page; share links work logged out until they
expire or are revoked (then 404), and are never cached, indexed, or listed in a sitemap or feed."""

import base64
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles import actions
from articles.desk import preview
from articles.models import AuditEntry, PreviewLink
from media.ingest import ingest_bytes
from media.samples import draw_photo
from tests.page_media import fetch, media_urls, without_grant
from tests.roles import draft_by
from tests.workflow.helpers import state_of

pytestmark = pytest.mark.django_db

TITLE = "Secret budget draft leaks nothing"


def assert_private(response):
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives and "public" not in directives
    assert response["X-Robots-Tag"] == "noindex"


@pytest.fixture
def shared(people, login):
    """A draft shared by the editor from its change form; returns (article, link)."""
    article = draft_by(people["author"], title=TITLE)
    response = login(people["editor"]).post(reverse("admin:articles_article_share", args=[article.pk]))
    assert response.status_code == 302
    link = PreviewLink.objects.get(article=article)
    return article, link


def test_share_link_token_is_long_random_and_expires_after_the_default_day(shared):
    article, link = shared
    assert len(base64.urlsafe_b64decode(link.token + "==")) * 8 >= 128
    assert timedelta(hours=23, minutes=59) < link.expires_at - timezone.now() <= timedelta(hours=24)
    assert link.revision == article.revisions.order_by("-number").first()
    assert AuditEntry.objects.filter(action="share_preview", article=article).exists()


def test_link_life_follows_the_setting(people, settings):
    settings.PREVIEW_LINK_HOURS = 2
    link = preview.create_link(actor=people["editor"], article=draft_by(people["author"]))
    assert timedelta(hours=1, minutes=59) < link.expires_at - timezone.now() <= timedelta(hours=2)


def test_shared_draft_opens_logged_out_while_the_public_page_does_not(client, shared):
    article, link = shared
    client.logout()
    response = client.get(reverse("shared-preview", args=[link.token]))
    assert response.status_code == 200 and TITLE in response.content.decode()
    assert_private(response)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_link_shows_the_revision_it_shared_not_later_edits(client, people, shared):
    article, link = shared
    article.title = "A later headline"
    actions.save_article(actor=people["editor"], article=article, base_version=article.version)
    client.logout()
    page = client.get(reverse("shared-preview", args=[link.token])).content.decode()
    assert TITLE in page and "A later headline" not in page


def test_link_works_until_it_expires_then_404(client, shared):
    _, link = shared
    client.logout()
    url = reverse("shared-preview", args=[link.token])
    with time_machine.travel(link.expires_at - timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(link.expires_at, tick=False):
        assert client.get(url).status_code == 404


def test_revoked_link_answers_404_from_the_next_request(client, people, login, shared):
    article, link = shared
    url = reverse("shared-preview", args=[link.token])
    assert client.get(url).status_code == 200
    response = login(people["editor"]).post(reverse("admin:articles_article_revoke_share", args=[article.pk, link.pk]))
    assert response.status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="revoke_preview", article=article).exists()


def test_unknown_token_is_404(client):
    assert client.get(reverse("shared-preview", args=["x" * 32])).status_code == 404


def test_preview_is_never_stored_in_a_cache_sitemap_or_feed(client, shared, settings):
    # An in-process cache whatever CACHE_URL says, so every stored key and value can be read back.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "preview"}}
    article, link = shared
    client.logout()
    for _ in range(2):
        client.get(reverse("shared-preview", args=[link.token]))
    stored = b"".join(
        key.encode() + (value if isinstance(value, bytes) else b"") for key, value in cache._cache.items()
    )
    assert link.token.encode() not in stored and TITLE.encode() not in stored
    for name, kwargs in [
        ("feed-rss", {}),
        ("feed-atom", {}),
        ("sitemap-news", {}),
        ("sitemap-section", {"section": "articles"}),
        ("home", {}),
    ]:
        page = client.get(reverse(name, kwargs=kwargs)).content.decode()
        assert "/preview/" not in page and link.token not in page and TITLE not in page, name


def test_reporters_may_not_share_or_revoke(people, login, shared):
    article, link = shared
    before = state_of(article.pk)
    author = login(people["author"])
    assert author.post(reverse("admin:articles_article_share", args=[article.pk])).status_code == 403
    assert author.post(reverse("admin:articles_article_revoke_share", args=[article.pk, link.pk])).status_code == 403
    assert state_of(article.pk) == before
    link.refresh_from_db()
    assert link.revoked_at is None


def test_editor_previews_any_revision_as_the_public_page(people, login):
    article = draft_by(people["author"], title="First headline")
    article.title = "Second headline"
    actions.save_article(actor=people["editor"], article=article, base_version=article.version)
    client = login(people["editor"])
    first = client.get(reverse("admin:articles_article_revision_preview", args=[article.pk, 1]))
    assert first.status_code == 200 and "First headline" in first.content.decode()
    assert "Second headline" not in first.content.decode()
    assert_private(first)


# --- the draft's media, for the holder of a share link ----------------------------------------


def grant_of(url: str) -> str:
    return dict(parse_qsl(urlsplit(url).query))["grant"]


@pytest.fixture
def illustrated(people, login):
    """A draft with a lead photo and an inline image, shared from the admin; returns
    (lead photo, inline image, link, page of the link opened logged out)."""
    lead = ingest_bytes(draw_photo(400, 300, seed=3), filename="lead.jpg", title="Harbour lead")
    inline = ingest_bytes(draw_photo(300, 200, seed=5), filename="inline.jpg", title="Quay inline")
    body = f'<p>Before.</p><img src="{inline.file.url}" alt="The quay" data-media-id="{inline.pk}"><p>After.</p>'
    article = draft_by(people["author"], title=TITLE, lead_media=lead, body=body)
    client = login(people["editor"])
    assert client.post(reverse("admin:articles_article_share", args=[article.pk])).status_code == 302
    link = PreviewLink.objects.get(article=article)
    client.logout()
    page = client.get(reverse("shared-preview", args=[link.token])).content.decode()
    return lead, inline, link, page


def urls_of(item, urls):
    return [u for u in urls if f"/{item.pk}/" in u or u.startswith(without_grant(item.file.url))]


def test_share_link_shows_the_drafts_images_to_the_anonymous_reader(client, illustrated):
    lead, inline, link, page = illustrated
    urls = media_urls(page)
    assert urls_of(lead, urls) and urls_of(inline, urls), urls
    for url in urls:
        response = fetch(client, url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}, url
        assert fetch(client, without_grant(url)).status_code == 404, url


def test_a_grant_opens_only_its_own_item(client, illustrated):
    lead, inline, link, page = illustrated
    urls = media_urls(page)
    lead_grant = grant_of(urls_of(lead, urls)[0])
    for url in urls_of(inline, urls):
        swapped = f"{without_grant(url)}?{urlencode({'grant': lead_grant})}"
        assert fetch(client, swapped).status_code == 404, url
    assert fetch(client, f"{without_grant(urls[0])}?grant=forged").status_code == 404


def test_grants_die_with_the_link_when_revoked(client, people, illustrated):
    lead, inline, link, page = illustrated
    assert all(fetch(client, url).status_code == 200 for url in media_urls(page))
    preview.revoke_link(actor=people["editor"], link=link)
    for url in media_urls(page):
        assert fetch(client, url).status_code == 404, url


def test_grants_die_with_the_link_when_it_expires(client, illustrated):
    lead, inline, link, page = illustrated
    urls = media_urls(page)
    with time_machine.travel(link.expires_at - timedelta(seconds=1), tick=False):
        assert all(fetch(client, url).status_code == 200 for url in urls)
    with time_machine.travel(link.expires_at, tick=False):
        for url in urls:
            assert fetch(client, url).status_code == 404, url


def test_the_public_page_carries_no_grants(client, people):
    lead = ingest_bytes(draw_photo(400, 300, seed=9), filename="pub.jpg", title="Published lead")
    article = draft_by(people["author"], title="Port reopens today", lead_media=lead)
    actions.publish(actor=people["chief"], article=article)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and media_urls(response.content.decode())
    assert "grant=" not in response.content.decode()
