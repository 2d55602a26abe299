"""The page cache: hits for anonymous readers, fresh pages wherever a change shows, 304s, never for editors.

Which pages a change purges, and which stay cached: tests/purge."""

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import changes
from articles import actions
from articles.models import Article
from caching import generations
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_second_anonymous_get_is_served_from_cache_without_queries(client):
    article = ArticleFactory(title="Cached story")
    first = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as captured:
        second = client.get(article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert len(captured) == 0
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "Cookie" in second["Vary"]
    assert second["Content-Type"] == "text/html; charset=utf-8"


def test_query_string_is_part_of_the_key(client):
    ArticleFactory(title="Alpha story")
    client.get("/search/?q=alpha")
    other = client.get("/search/?q=beta")
    assert other["X-Page-Cache"] == "miss"
    assert "Alpha story" not in other.content.decode()


def test_an_edit_through_the_actions_shows_on_the_next_request(client, django_capture_on_commit_callbacks):
    article = ArticleFactory(title="Old headline here")
    client.get("/")
    client.get(article.get_absolute_url())
    article.title = "New headline here"
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_article(actor=None, article=article)
    home = client.get("/").content.decode()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "New headline here" in home and "Old headline here" not in home
    assert "New headline here" in page


def test_unpublishing_removes_the_article_from_cached_pages(client, django_capture_on_commit_callbacks, tree):
    article = ArticleFactory(title="Soon withdrawn story", section=tree["iraq"])
    assert "Soon withdrawn story" in client.get("/section/iraq/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        actions.unpublish(actor=None, article=article)
    assert "Soon withdrawn story" not in client.get("/section/iraq/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_renaming_a_section_in_the_admin_shows_on_cached_pages(
    client, editor, django_capture_on_commit_callbacks, tree
):
    article = ArticleFactory(section=tree["mosul"])
    assert ">Mosul</a>" in client.get(article.get_absolute_url()).content.decode()
    admin = Client()
    admin.force_login(editor)
    url = reverse("admin:articles_section_change", args=[tree["mosul"].pk])
    data = {"name": "Nineveh", "slug": "mosul", "parent": tree["conflict"].pk, "position": 0, "description": ""}
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url, data).status_code == 302
    assert ">Nineveh</a>" in client.get(article.get_absolute_url()).content.decode()


def test_renaming_a_tag_in_the_admin_shows_on_cached_pages(client, editor, django_capture_on_commit_callbacks):
    tag = TagFactory(name="Floods", slug="floods")
    article = ArticleFactory(tags=[tag])
    assert ">Floods</a>" in client.get(article.get_absolute_url()).content.decode()
    admin = Client()
    admin.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("admin:articles_tag_change", args=[tag.pk]), {"name": "Flooding", "slug": "floods"}
        )
    assert response.status_code == 302
    assert ">Flooding</a>" in client.get(article.get_absolute_url()).content.decode()


def test_only_actions_announce_a_direct_orm_save_leaves_cached_pages(client, django_capture_on_commit_callbacks, tree):
    """By design: cached pages change when an action announces a change (changes.announce), never
    on a model signal. A row saved with the ORM directly (a shell, a data fix) is not announced;
    the pages show it once anything is announced, or when they time out."""
    article = ArticleFactory(section=tree["mosul"])
    client.get(article.get_absolute_url())
    before = generations.content_generation()
    with django_capture_on_commit_callbacks(execute=True):
        tree["mosul"].name = "Nineveh"
        tree["mosul"].save()
    assert generations.content_generation() == before
    page = client.get(article.get_absolute_url())
    assert page["X-Page-Cache"] == "hit" and ">Mosul</a>" in page.content.decode()


def test_a_rolled_back_action_announces_nothing(client, django_capture_on_commit_callbacks):
    article = ArticleFactory(title="Headline kept")
    client.get(article.get_absolute_url())
    heard = []
    changes.listen(heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
            article.title = "Headline rolled back"
            actions.save_article(actor=None, article=article)
            raise RuntimeError("the request failed after the save")
    finally:
        changes.unlisten(heard.append)
    assert heard == []
    page = client.get(article.get_absolute_url())
    assert page["X-Page-Cache"] == "hit" and "Headline kept" in page.content.decode()


def test_logged_in_editor_never_gets_or_fills_a_cached_page(client, editor):
    article = ArticleFactory(title="Editor sees fresh copy")
    client.force_login(editor)
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second
    assert "private" in second["Cache-Control"] and "no-cache" in second["Cache-Control"]
    client.logout()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"  # the editor stored nothing


def test_anonymous_cached_page_is_not_shown_to_a_logged_in_editor(client, editor):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    client.force_login(editor)
    assert "X-Page-Cache" not in client.get(article.get_absolute_url())


def test_if_none_match_gets_304(client):
    article = ArticleFactory()
    etag = client.get(article.get_absolute_url())["ETag"]
    response = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert client.get(article.get_absolute_url(), headers={"if-none-match": '"other"'}).status_code == 200


def test_if_modified_since_gets_304(client):
    article = ArticleFactory()
    last_modified = client.get(article.get_absolute_url())["Last-Modified"]
    response = client.get(article.get_absolute_url(), headers={"if-modified-since": last_modified})
    assert response.status_code == 304


def test_readers_revalidate_so_changes_are_seen_at_once(client):
    response = client.get("/")
    assert "max-age=0" in response["Cache-Control"] and "must-revalidate" in response["Cache-Control"]


def test_errors_and_redirects_are_not_cached(client):
    article = ArticleFactory()
    client.get("/section/nope/")
    assert "X-Page-Cache" not in client.get("/section/nope/")
    assert client.get(f"/news/{article.pk}/wrong/").status_code == 301
    assert "X-Page-Cache" not in client.get(f"/news/{article.pk}/wrong/")


def test_cached_page_stops_at_the_next_schedule_boundary(client, settings, tree):
    """A scheduled article appears, and an expiring one disappears, at their moment, cache or not."""
    settings.PAGE_CACHE_SECONDS = 3600
    now = timezone.now()
    with time_machine.travel(now, tick=False) as traveller:
        ArticleFactory(title="Expiring story", section=tree["iraq"], expires_at=now + timezone.timedelta(minutes=10))
        ArticleFactory(title="Scheduled story", section=tree["iraq"], published_at=now + timezone.timedelta(minutes=20))
        html = client.get("/section/iraq/").content.decode()
        assert "Expiring story" in html and "Scheduled story" not in html
        traveller.shift(timezone.timedelta(minutes=5))
        assert client.get("/section/iraq/")["X-Page-Cache"] == "hit"
        traveller.shift(timezone.timedelta(minutes=6))
        html = client.get("/section/iraq/").content.decode()
        assert "Expiring story" not in html and "Scheduled story" not in html
        traveller.shift(timezone.timedelta(minutes=10))
        html = client.get("/section/iraq/").content.decode()
        assert "Scheduled story" in html


def test_post_is_refused_and_never_cached(client):
    response = client.post("/")
    assert response.status_code == 405


def test_changing_lead_media_alt_text_shows_on_cached_pages(client, django_capture_on_commit_callbacks):
    from media import actions as media_actions
    from tests.site.conftest import make_image

    image = make_image(alt_text="Old description of the photo")
    article = ArticleFactory(lead_media=image, kind=Article.Kind.PHOTO)
    assert 'alt="Old description of the photo"' in client.get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        media_actions.update_media(actor=None, item=image, alt_text="New description of the photo")
    assert 'alt="New description of the photo"' in client.get(article.get_absolute_url()).content.decode()


def test_editing_a_related_target_updates_the_source_page(client, django_capture_on_commit_callbacks):
    source = ArticleFactory()
    target = ArticleFactory(title="Target before the edit")
    RelatedLink = type(source).related_links.rel.related_model
    RelatedLink.objects.create(source=source, target=target, position=0)
    assert "Target before the edit" in client.get(source.get_absolute_url()).content.decode()
    target.title = "Target after the edit"
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_article(actor=None, article=target)
    assert "Target after the edit" in client.get(source.get_absolute_url()).content.decode()


def test_a_page_served_from_the_cache_keeps_the_security_headers(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    for header in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert second[header] == first[header]


def test_a_reader_with_a_dead_session_cookie_still_gets_the_cached_page(client):
    """The early look-up skips requests with a session cookie; the view's own look-up serves them."""
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    client.cookies["sessionid"] = "no-such-session"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert len(captured) == 1  # the session look-up, which finds nothing


def test_parameters_a_page_does_not_read_share_its_cache_entry(client, tree):
    """Tracking parameters (utm_*, fbclid) neither fill the cache nor change the page served."""
    ArticleFactory(title="Tracked story", section=tree["iraq"])
    bare = client.get("/section/iraq/")
    assert bare["X-Page-Cache"] == "miss"
    tagged = client.get("/section/iraq/?utm_source=x&fbclid=y")
    assert tagged["X-Page-Cache"] == "hit"
    assert tagged.content == bare.content  # the canonical link names no tracking parameter
    assert "utm_source" not in tagged.content.decode()
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url() + "?utm_medium=social&page=2")["X-Page-Cache"] == "hit"


def test_a_parameter_the_page_reads_gets_its_own_entry(client):
    ArticleFactory(title="Alpha story")
    client.get("/search/?q=alpha")
    assert client.get("/search/?q=alpha&utm_campaign=spring")["X-Page-Cache"] == "hit"
    assert client.get("/search/?utm_campaign=spring&q=alpha")["X-Page-Cache"] == "hit"
    second_page = client.get("/search/?q=alpha&page=2")
    assert second_page["X-Page-Cache"] == "miss"


def test_a_sitemap_page_number_varies_the_entry_and_nothing_else(client):
    ArticleFactory()
    first = client.get("/sitemap-articles.xml")
    assert first.status_code == 200
    assert client.get("/sitemap-articles.xml?ref=feed")["X-Page-Cache"] == "hit"
    assert client.get("/sitemap-articles.xml?p=1")["X-Page-Cache"] == "miss"


def test_a_page_is_served_by_another_process_from_the_shared_cache(client):
    """This process's memory copy is only a shortcut: a page stored by any process is found."""
    from articles import public_cache

    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    public_cache.memory.clear()  # as in a second worker, which has never seen the page
    second = client.get(article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
