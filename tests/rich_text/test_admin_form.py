"""The change form edits the body in the rich-text editor (assets served by this site only), and
what the editor submits is the stored body: saving a story unchanged, with figures, headings,
lists and links in its body, adds no version and no revision, through the admin and the API."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.desk.rich_text import EXTENSIONS
from articles.models import Article
from articles.sanitize import clean_html
from tests.factories import ArticleFactory, ImageFactory
from tests.workflow.test_round_trip import posted_back, record

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"

# Bodies in the form the editor writes them (see test_editor_browser.py, which checks that the
# editor reads each back to the same string).
EDITOR_BODIES = {
    "figures": (
        '<p>Before.</p><figure data-media-id="{photo}"><figcaption>The quay &amp; the ships</figcaption></figure>'
        '<figure data-media-id="{photo}"></figure><p>After.</p>'
    ),
    "headings": "<h2>The crossing</h2><p>One.</p><h3>More</h3><p>Two.</p><h4>Less</h4><p>Three.</p>",
    "lists": "<ul><li><p>one</p></li><li><p>two</p></li></ul><ol><li><p>first</p></li><li><p>second</p></li></ol>",
    "links": (
        '<p>The <strong>ministry</strong> <a href="https://example.org/report" rel="noopener noreferrer">'
        'report</a> and <a href="mailto:desk@example.org" title="Desk" rel="noopener noreferrer">the desk</a>'
        " said <em>so</em>.</p><blockquote><p>Quoted.</p></blockquote>"
    ),
    "older inline image": '<p>Before.</p><img data-media-id="{photo}" alt="The quay" src="/x.jpg"><p>After.</p>',
}


@pytest.fixture
def story():
    published = timezone.now().replace(microsecond=0) - timezone.timedelta(hours=2)
    return ArticleFactory(title="Port reopens after the storm", published_at=published)


@pytest.fixture
def signed_in(client, editor):
    assert client.login(username="editor", password=PASSWORD)
    return client


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def test_the_body_is_a_rich_text_editor_with_local_assets_only(signed_in, story):
    page = signed_in.get(change_url(story)).content.decode()
    textarea = re.search(r"<textarea[^>]*name=\"body\"[^>]*>", page).group(0)
    assert "data-rich-text=" in textarea and 'data-media-chooser="/admin/media/mediaitem/"' in textarea
    assert 'data-media-thumbnail="/media-renditions/ID/w320.jpeg"' in textarea
    assert 'id="id_inline_media_choice"' in page
    # One module of ours loads the editor; no import map, no script or stylesheet from elsewhere.
    assert re.search(r'<script[^>]+src="/static/desk/rich_text\.js"[^>]*type="module"', page) or re.search(
        r'<script[^>]+type="module"[^>]+src="/static/desk/rich_text\.js"', page
    )
    assert "importmap" not in page
    assert '/static/django_prose_editor/editor.css"' in page
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/") and not source.startswith("//") for source in sources), sources
    for inline in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page):
        assert 'type="application/json"' in inline, f"an inline script: <script{inline}>"
    # The files exist in our static files, and the editor module imports nothing from another host.
    for path in ["desk/rich_text.js", "desk/inline_media.js", "desk/rich_text.css", "django_prose_editor/editor.js"]:
        assert finders.find(path), path
    for path in ["desk/rich_text.js", "desk/inline_media.js"]:
        source = Path(finders.find(path)).read_text(encoding="utf-8")
        assert re.findall(r'from\s+"([^"]+)"', source) and all(
            target.startswith(("./", "../")) for target in re.findall(r'from\s+"([^"]+)"', source)
        )


def test_the_editor_offers_exactly_the_desk_s_formats():
    assert EXTENSIONS["Heading"] == {"levels": [2, 3, 4]}
    for name in ["Paragraph", "Bold", "Italic", "Link", "BulletList", "OrderedList", "Blockquote", "InlineMedia"]:
        assert EXTENSIONS.get(name), name
    for name in ["Table", "Image", "Figure", "HTML", "Underline", "Strike", "CodeBlock", "TextAlign"]:
        assert name not in EXTENSIONS


@pytest.mark.parametrize("kind", sorted(EDITOR_BODIES))
def test_saving_unchanged_through_the_change_form_adds_nothing(signed_in, story, kind):
    photo = ImageFactory()
    body = EDITOR_BODIES[kind].format(photo=photo.pk)
    assert clean_html(body) == body
    Article.objects.filter(pk=story.pk).update(body=body)
    before = record(story)
    for _ in range(2):
        form = posted_back(signed_in.get(change_url(story)).content.decode())
        assert form["body"] == [body]
        response = signed_in.post(change_url(story), {**form, "_save": "Save"})
        assert response.status_code == 302, response.content.decode()[:3000]
    assert record(story) == before
    assert Article.objects.get(pk=story.pk).body == body


def test_a_body_posted_with_a_browser_s_line_breaks_is_unchanged(signed_in, story):
    body = '<p>One.</p>\n<figure data-media-id="3"><figcaption>Cap</figcaption></figure>\n<p>Two.</p>'
    Article.objects.filter(pk=story.pk).update(body=clean_html(body))
    before = record(story)
    form = posted_back(signed_in.get(change_url(story)).content.decode())
    form["body"] = [form["body"][0].replace("\n", "\r\n")]  # what a browser sends from a textarea
    assert signed_in.post(change_url(story), {**form, "_save": "Save"}).status_code == 302
    assert record(story) == before


def test_a_figure_typed_by_the_editor_is_stored_as_written_and_one_revision_is_made(signed_in, story):
    photo = ImageFactory()
    form = posted_back(signed_in.get(change_url(story)).content.decode())
    version, revisions, audits = record(story)
    body = f'<p>Ships.</p><figure data-media-id="{photo.pk}"><figcaption>At dawn</figcaption></figure>'
    # The story is live: saved to its working draft (an audit entry), then published (a revision).
    published = {**form, "body": body, "_publish_changes": "Publish changes"}
    assert signed_in.post(change_url(story), published).status_code == 302
    assert record(story) == (version + 1, revisions + 1, audits + 2)
    assert Article.objects.get(pk=story.pk).body == body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<figure data-media-id="photo-1"></figure>', "must be the number of a media library item, not “photo-1”"),
        ('<figure data-media-id="3"><img src="/x.jpg"></figure>', "holds only an optional &lt;figcaption&gt;"),
    ],
)
def test_the_change_form_refuses_a_broken_figure_with_a_message(signed_in, story, body, message):
    before = record(story)
    form = posted_back(signed_in.get(change_url(story)).content.decode())
    response = signed_in.post(change_url(story), {**form, "body": body, "_save": "Save"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert record(story) == before


def test_the_api_reads_and_writes_the_editor_s_form_unchanged(editor, story):
    photo = ImageFactory()
    body = EDITOR_BODIES["figures"].format(photo=photo.pk) + EDITOR_BODIES["lists"] + EDITOR_BODIES["links"]
    Article.objects.filter(pk=story.pk).update(body=body)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    url = f"/api/v1/articles/{story.pk}/"
    before = record(story)
    read = api.get(url)
    data = read.json()
    assert data["body_html"] == body
    response = api.patch(url, {"body_html": data["body_html"]}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 200, response.content
    assert record(story) == before
    refused = api.patch(
        url, {"body_html": '<figure data-media-id="x"></figure>'}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert refused.status_code == 400 and "media library item" in refused.content.decode()
