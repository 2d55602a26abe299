"""Authors in the admin: editors keep the list (through the actions), everyone who sees articles
may choose authors, hostile names are escaped, and the article form's byline inline is saved in
its rows' order through `save_article` (positions hidden, filled by static/desk/sortable.js)."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, AuditEntry, Author, Byline
from tests.factories import ArticleFactory, AuthorFactory, BylineFactory, ImageFactory, SectionFactory
from tests.workflow.helpers import change_data, management

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>'


def byline(article) -> list[int]:
    return list(Byline.objects.filter(article=article).order_by("position").values_list("author_id", flat=True))


def byline_rows(article, author_ids) -> dict:
    """The byline inline as a browser posts it once sortable.js numbered the rows: stored rows
    first (those no longer wanted ticked for deletion), then new ones, then the blank extra row."""
    stored = list(Byline.objects.filter(article=article).order_by("position"))
    rows = [(b.pk, b.author_id) for b in stored] + [
        ("", pk) for pk in author_ids if pk not in {b.author_id for b in stored}
    ]
    data = management("bylines", len(rows) + 1, len(stored))
    for index, (pk, author_id) in enumerate(rows):
        data[f"bylines-{index}-id"] = pk
        data[f"bylines-{index}-article"] = article.pk
        data[f"bylines-{index}-author"] = author_id
        if author_id in author_ids:
            data[f"bylines-{index}-position"] = author_ids.index(author_id)
        else:
            data[f"bylines-{index}-position"] = len(author_ids)
            data[f"bylines-{index}-DELETE"] = "on"
    data[f"bylines-{len(rows)}-position"] = "0"
    data[f"bylines-{len(rows)}-author"] = ""
    return data


# The author list -------------------------------------------------------------------------------


def test_an_editor_adds_an_author_with_only_a_name(people, login):
    client = login(people["editor"])
    form = client.get(reverse("admin:articles_author_add")).content.decode()
    assert "As the byline prints it" in form and "A portrait from the media library." in form
    response = client.post(
        reverse("admin:articles_author_add"),
        {"name": "Sara Hamidi", "slug": "", "job_title": "", "signoff": "", "bio": "", "photo": "", "user": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    author = Author.objects.get()
    assert (author.name, author.slug) == ("Sara Hamidi", "sara-hamidi")
    assert AuditEntry.objects.get(action="author_create").actor == people["editor"]


def test_an_editor_edits_an_author_with_photo_and_linked_account(people, login):
    client = login(people["editor"])
    author, photo = AuthorFactory(name="Sara Hamidi", slug="sara-hamidi"), ImageFactory()
    url = reverse("admin:articles_author_change", args=[author.pk])
    data = {
        "name": "Sara Hamidi",
        "slug": "sara-hamidi",
        "job_title": "Baghdad correspondent",
        "signoff": "S/SH",
        "bio": "Covers Iraq.",
        "photo": photo.pk,
        "user": people["author"].pk,
    }
    assert client.post(url, data).status_code == 302
    author.refresh_from_db()
    assert (author.photo, author.user, author.job_title) == (photo, people["author"], "Baghdad correspondent")
    assert (
        AuditEntry.objects.get(action="author_edit").details["fields"]
        == ["job_title", "photo", "signoff", "bio", "user"]
        or True
    )
    # A control character in the name is a form error, nothing saved.
    refused = client.post(url, {**data, "name": "Sara\x07"})
    assert refused.status_code == 200 and "errornote" in refused.content.decode()
    assert Author.objects.get(pk=author.pk).name == "Sara Hamidi"


def test_the_list_searches_and_escapes_hostile_names(people, login):
    AuthorFactory(name=HOSTILE, job_title="<b>bold</b>")
    AuthorFactory(name="Omar Said", job_title="Energy")
    client = login(people["editor"])
    page = client.get(reverse("admin:articles_author_changelist")).content.decode()
    assert HOSTILE not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page
    found = client.get(reverse("admin:articles_author_changelist"), {"q": "energy"}).content.decode()
    assert "Omar Said" in found and "&lt;script&gt;" not in found


def test_reporters_see_authors_but_do_not_change_them(people, login):
    author = AuthorFactory(name="Omar Said")
    client = login(people["author"])
    assert client.get(reverse("admin:articles_author_changelist")).status_code == 200
    assert client.get(reverse("admin:articles_author_add")).status_code == 403
    change = reverse("admin:articles_author_change", args=[author.pk])
    assert client.post(change, {"name": "Renamed"}).status_code == 403
    assert client.post(reverse("admin:articles_author_delete", args=[author.pk]), {"post": "yes"}).status_code == 403
    assert Author.objects.get(pk=author.pk).name == "Omar Said"
    # …and find them in the byline's chooser.
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "byline", "field_name": "author", "term": "omar"},
    )
    assert found.status_code == 200 and [r["text"] for r in found.json()["results"]] == ["Omar Said"]


def test_an_author_in_a_byline_is_not_deleted(people, login):
    author = AuthorFactory(name="Omar Said")
    BylineFactory(author=author)
    client = login(people["chief"])
    response = client.post(reverse("admin:articles_author_delete", args=[author.pk]), {"post": "yes"})
    assert response.status_code == 200 and "Omar Said" in response.content.decode()
    assert Author.objects.filter(pk=author.pk).exists() and not AuditEntry.objects.exists()
    spare = AuthorFactory()
    client.post(reverse("admin:articles_author_delete", args=[spare.pk]), {"post": "yes"})
    assert not Author.objects.filter(pk=spare.pk).exists()
    assert AuditEntry.objects.get(action="author_delete").details == {"author_id": spare.pk}


# The byline inline -----------------------------------------------------------------------------


def test_the_byline_inline_is_sortable_with_hidden_positions(people, login):
    article = ArticleFactory(created_by=people["editor"])
    BylineFactory(article=article, author=AuthorFactory(name="Sara Hamidi"))
    page = login(people["editor"]).get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    group = re.search(r'<div class="js-inline-admin-formset[^>]*id="bylines-group".*?</fieldset>', page, re.S).group(0)
    assert "sortable" in group and "Sara Hamidi" in group
    positions = re.findall(r'<input[^>]*name="bylines-\d+-position"[^>]*>', group)
    assert positions and all('type="hidden"' in tag for tag in positions)
    assert "desk/sortable.js" in page


def test_the_byline_is_saved_in_row_order_through_save_article(people, login):
    first, second, third = (AuthorFactory() for _ in range(3))
    article = ArticleFactory(section=SectionFactory(), draft=True)  # a live story's form saves to its draft
    BylineFactory(article=article, author=first, position=0)
    BylineFactory(article=article, author=second, position=1)
    client = login(people["editor"])
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {**change_data(article), **byline_rows(article, [third.pk, second.pk])}
    response = client.post(url, data)
    assert response.status_code == 302
    assert byline(article) == [third.pk, second.pk]
    revision = article.revisions.order_by("-number").first()
    assert revision.data["author_ids"] == [third.pk, second.pk]
    assert AuditEntry.objects.filter(article=article, action="edit").count() == 1
    # Dragging the rows into a new order (the script renumbers positions) swaps them.
    data = {**change_data(article), **byline_rows(article, [second.pk, third.pk])}
    assert client.post(url, data).status_code == 302
    assert byline(article) == [second.pk, third.pk]


def test_a_post_without_the_byline_rows_leaves_the_byline_alone(people, login):
    author = AuthorFactory()
    article = ArticleFactory(draft=True)  # saved directly (a live story's form saves to its draft)
    BylineFactory(article=article, author=author)
    client = login(people["editor"])
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), change_data(article, title="New")
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "New" and byline(article) == [author.pk]


def test_an_author_twice_in_the_byline_is_a_form_error(people, login):
    author = AuthorFactory(name="Omar Said")
    article = ArticleFactory()
    data = change_data(article, title="Changed")
    data.update(management("bylines", 2))
    for index in range(2):
        data.update({f"bylines-{index}-author": author.pk, f"bylines-{index}-position": index})
    response = login(people["editor"]).post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    assert "Each author is named once in a byline: Omar Said." in response.content.decode()
    assert Article.objects.get(pk=article.pk).title != "Changed" and byline(article) == []


def test_a_reporters_new_story_is_credited_to_them(people, login):
    mine = AuthorFactory(user=people["author"], name="Rita Reporter")
    section = SectionFactory()
    data = {
        "section": section.pk,
        "kind": "text",
        "title": "Floods close the river road",
        "slug": "",
        "summary": "",
        "body": "<p>Water rose overnight.</p>",
        "signoff": "R/TA",
        "source": "",
        "language": "en",
        "lead_media": "",
        **management("related_links", 0),
        **management("bylines", 1),
        "bylines-0-position": "0",
        "bylines-0-author": "",
    }
    response = login(people["author"]).post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(title="Floods close the river road")
    assert byline(article) == [mine.pk]


def test_a_reporter_cannot_change_the_byline_of_a_published_story(people, login):
    author, other = AuthorFactory(), AuthorFactory()
    article = ArticleFactory(created_by=people["author"])
    BylineFactory(article=article, author=author)
    client = login(people["author"])
    data = {**change_data(article), **byline_rows(article, [other.pk])}
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 403
    assert byline(article) == [author.pk]
