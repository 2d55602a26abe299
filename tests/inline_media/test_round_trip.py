"""A client that writes back the body it read changes nothing: `body_html` carries inline media in
their stored form, and `inline_media` is read-only."""

import pytest

from articles.models import Revision
from tests.factories import ArticleFactory
from tests.inline_media.conftest import figure, set_body
from tests.inline_media.test_api import detail

pytestmark = pytest.mark.django_db


def stored_story(items) -> object:
    """A story saved the way the desk and the API save one (sanitized), showing both forms."""
    photo, clip = items["photo"], items["clip"]
    body = (
        f"<p>Lead paragraph.</p>{figure(photo, 'Seen from the <em>east</em> bank.')}"
        f"<h2>More</h2>{figure(clip)}"
        f'<p>Old form: <img src="/media/old.jpg" alt="Old" data-media-id="{photo.pk}"></p>'
    )
    article = ArticleFactory(body=body)
    assert article.body == body, "the sanitizer keeps the stored form as it is"
    return article


def assert_unchanged(article, before_version, before_revisions, before_body):
    article.refresh_from_db()
    assert article.version == before_version
    assert Revision.objects.filter(article=article).count() == before_revisions
    assert article.body == before_body


def test_body_html_written_back_as_read_changes_nothing(editor_client, items):
    article = stored_story(items)
    version, revisions, body = article.version, Revision.objects.filter(article=article).count(), article.body
    read = detail(editor_client, article)
    response = editor_client.patch(
        f"/api/v1/articles/{article.pk}/",
        {"body_html": read.json()["body_html"]},
        format="json",
        HTTP_IF_MATCH=read["ETag"],
    )
    assert response.status_code == 200, response.content
    assert response.json()["body_html"] == body
    assert response.json()["inline_media"] == read.json()["inline_media"]
    assert_unchanged(article, version, revisions, body)


def test_a_whole_replace_with_what_was_read_changes_nothing(editor_client, items):
    article = stored_story(items)
    version, revisions, body = article.version, Revision.objects.filter(article=article).count(), article.body
    read = detail(editor_client, article)
    data = read.json()
    writable = {
        "title": data["title"],
        "slug": data["slug"],
        "kind": data["kind"],
        "summary": data["summary"],
        "body_html": data["body_html"],
        "section": data["section"],
        "tags": [tag["slug"] for tag in data["tags"]],
        "signoff": data["signoff"],
        "source": data["source"],
        "language": data["language"],
        "lead_media": None,
        "related_ids": [entry["id"] for entry in data["related"]],
    }
    response = editor_client.put(f"/api/v1/articles/{article.pk}/", writable, format="json", HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 200, response.content
    assert_unchanged(article, version, revisions, body)


def test_inline_media_is_read_only(editor_client, items):
    article = stored_story(items)
    read = detail(editor_client, article)
    response = editor_client.patch(
        f"/api/v1/articles/{article.pk}/", {"inline_media": []}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert response.status_code == 400
    assert response.json()["inline_media"] == ["This field is read-only."]


def test_a_new_figure_written_through_the_api_is_listed(editor_client, items):
    article = set_body(ArticleFactory(), "<p>Words.</p>")
    read = detail(editor_client, article)
    body = f"<p>Words.</p>{figure(items['photo'], 'Written by a client.')}"
    response = editor_client.patch(
        f"/api/v1/articles/{article.pk}/", {"body_html": body}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert response.status_code == 200, response.content
    assert response.json()["body_html"] == body
    assert [item["id"] for item in response.json()["inline_media"]] == [items["photo"].pk]
