"""Saving what was read back changes nothing: a body with links survives any number of saves,
through the admin's change form and through the API, without a new version or revision."""

from html.parser import HTMLParser

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article, AuditEntry, Revision
from articles.sanitize import clean_html
from articles.validators import validate_body_html
from tests.factories import ArticleFactory, RelatedLinkFactory, TagFactory

pytestmark = pytest.mark.django_db

BODY_WITH_LINKS = (
    '<p>The ministry <a href="https://example.org/report">published its report</a> and '
    '<a href="mailto:desk@example.org" target="_blank">the desk</a> answered.</p>'
)


@pytest.fixture
def story():
    article = ArticleFactory(
        title="Port reopens after the storm",
        body=BODY_WITH_LINKS,
        published_at=timezone.now().replace(microsecond=0) - timezone.timedelta(hours=2),
    )
    article.tags.set([TagFactory(), TagFactory()])
    for position in range(2):
        RelatedLinkFactory(source=article, target=ArticleFactory(), position=position)
    article.refresh_from_db()
    return article


def record(article):
    article.refresh_from_db()
    return article.version, Revision.objects.filter(article=article).count(), AuditEntry.objects.count()


class _FormReader(HTMLParser):
    """The values a browser would post back from the admin's change form, untouched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: list[tuple[str, str]] = []
        self._textarea = self._select = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if attrs.get("form") not in (None, "article_form"):
            return  # a field of another form on the page (a note, a desk button), not posted with this one
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file", "image"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # A browser drops the one newline that follows <textarea>.
            self.data.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


def posted_back(html: str) -> dict[str, list[str]]:
    reader = _FormReader()
    reader.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return data


def test_the_sanitizer_output_passes_the_validator_and_cleaning_twice_changes_nothing():
    once = clean_html(BODY_WITH_LINKS)
    assert 'rel="noopener noreferrer"' in once and "target" not in once
    validate_body_html(once)
    assert clean_html(once) == once


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                '<a href="https://example.org/x">',
                '<a href="javascript:alert(1)">',
                "</a>",
                '<a rel="nofollow" href="/local">',
                "<em>",
                "</em>",
                "<script>alert(1)</script>",
                "<br>",
                '<img src="x" onerror="alert(1)">',
                "text & more",
                "<h2>",
                "</h2>",
                "<ul><li>",
                "</li></ul>",
                '<figure data-media-id="7">',
                '<figure data-media-id="x7" onclick="alert(1)">',
                '<figure data-media-id="12">',
                "<figure>",
                "</figure>",
                "<figcaption>",
                "</figcaption>",
                '<img data-media-id="3" src="/a.jpg" alt="">',
                '<img data-media-id="3;x" src="/b.jpg">',
                "<p>caption text</p>",
                "<",
                ">",
                '"',
            ]
        ),
        max_size=30,
    )
)
def test_whatever_the_sanitizer_keeps_is_accepted_and_stable(pieces):
    once = clean_html("".join(pieces))
    validate_body_html(once)
    assert clean_html(once) == once


def test_admin_change_form_saved_unchanged_twice_adds_no_version_or_revision(client, editor, story):
    assert client.login(username="editor", password="pass-word-123")
    url = f"/admin/articles/article/{story.pk}/change/"
    before = record(story)
    for _ in range(2):
        form = posted_back(client.get(url).content.decode())
        assert "noopener noreferrer" in form["body"][0]
        response = client.post(url, {**form, "_save": "Save"})
        assert response.status_code == 302, response.content.decode()[:3000]
    assert record(story) == before
    assert story.body == clean_html(BODY_WITH_LINKS)


def test_admin_save_after_a_real_change_still_makes_one_revision(client, editor, story):
    assert client.login(username="editor", password="pass-word-123")
    url = f"/admin/articles/article/{story.pk}/change/"
    version, revisions, audits = record(story)
    form = posted_back(client.get(url).content.decode())
    form["title"] = ["Port reopens after the storm, ships queue"]
    # The story is live: the form saves to its working draft (one audit entry, no revision), and
    # "Publish changes" makes it live in one revision (one more audit entry).
    assert client.post(url, {**form, "_publish_changes": "Publish changes"}).status_code == 302
    assert record(story) == (version + 1, revisions + 1, audits + 2)


def test_api_get_then_put_back_is_accepted_and_changes_nothing(editor, story):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    url = f"/api/v1/articles/{story.pk}/"
    before = record(story)
    for _ in range(2):
        read = client.get(url)
        data = read.json()
        payload = {
            "title": data["title"],
            "slug": data["slug"],
            "kind": data["kind"],
            "summary": data["summary"],
            "body_html": data["body_html"],
            "section": data["section"],
            "tags": [tag["slug"] for tag in data["tags"]],
            "related_ids": [item["id"] for item in data["related"]],
            "signoff": data["signoff"],
            "source": data["source"],
            "language": data["language"],
        }
        response = client.put(url, payload, format="json", HTTP_IF_MATCH=read["ETag"])
        assert response.status_code == 200, response.content
        assert response["ETag"] == read["ETag"]
    assert record(story) == before
    assert Article.objects.get(pk=story.pk).body == clean_html(BODY_WITH_LINKS)
