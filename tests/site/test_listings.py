"""Home, section, tag and search pages: what they list, in which order, and keyset pages."""

import re

import pytest
from django.core import signing
from django.utils import timezone

from articles.models import Article
from articles.site import listings, search_page
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def ago(hours):
    return timezone.now() - timezone.timedelta(hours=hours)


def titles(html: str) -> list[str]:
    return re.findall(r'class="card-title"[^>]*><a href="[^"]+">(.*?)</a>', html)


def hidden_articles(section, tag=None):
    """One article of each kind readers must never see, all titled with "Hidden"."""
    common = {"section": section, "tags": [tag] if tag else None}
    return [
        ArticleFactory(title="Hidden draft", draft=True, **common),
        ArticleFactory(title="Hidden review", status=Article.Status.REVIEW, published_at=None, **common),
        ArticleFactory(title="Hidden archived", status=Article.Status.ARCHIVED, **common),
        ArticleFactory(title="Hidden future", published_at=timezone.now() + timezone.timedelta(hours=3), **common),
        ArticleFactory(title="Hidden stub", status=Article.Status.DRAFT, is_stub=True, **common),
    ]


def test_home_shows_pinned_then_newest_then_sections(client, tree):
    ArticleFactory(title="Pinned older story", section=tree["syria"], pinned=True, published_at=ago(30))
    for hours in range(1, 8):
        ArticleFactory(title=f"Iraq story {hours}h", section=tree["mosul"], published_at=ago(hours))
    hidden_articles(tree["mosul"])
    html = client.get("/").content.decode()
    top = html[html.index('id="top-heading"') : html.index('class="section-block"')]
    assert titles(top) == ["Pinned older story", "Iraq story 1h", "Iraq story 2h", "Iraq story 3h", "Iraq story 4h"]
    blocks = html[html.index('class="section-block"') :]
    assert '<a href="/section/iraq/">Iraq</a></h2>' in blocks
    # The rest of Iraq's newest (subsections included), without repeating the top stories.
    assert titles(blocks) == ["Iraq story 5h", "Iraq story 6h", "Iraq story 7h"]
    assert "Hidden" not in html


def test_home_section_blocks_hold_at_most_a_few_each(client, tree):
    for hours in range(1, 16):
        ArticleFactory(section=tree["syria"] if hours % 2 else tree["conflict"], published_at=ago(hours))
    html = client.get("/").content.decode()
    blocks = html.split('class="section-block"')[1:]
    assert [len(titles(b)) for b in blocks] == [listings.PER_SECTION, listings.PER_SECTION]


def test_section_lists_itself_and_subsections_newest_first(client, tree):
    ArticleFactory(title="In Mosul", section=tree["mosul"], published_at=ago(1))
    ArticleFactory(title="In Iraq itself", section=tree["iraq"], published_at=ago(2))
    ArticleFactory(title="In Syria", section=tree["syria"], published_at=ago(3))
    hidden_articles(tree["mosul"])
    response = client.get("/section/iraq/")
    html = response.content.decode()
    assert titles(html) == ["In Mosul", "In Iraq itself"]
    assert '<a href="/section/iraq/conflict/">Conflict</a>' in html  # subsection link
    assert client.get("/section/iraq/conflict/mosul/").status_code == 200
    assert client.get("/section/nowhere/").status_code == 404


def test_nested_section_page_has_breadcrumb(client, tree):
    ArticleFactory(section=tree["mosul"])
    html = client.get("/section/iraq/conflict/mosul/").content.decode()
    crumb = html[html.index('<nav class="breadcrumb"') :]
    crumb = crumb[: crumb.index("</nav>")]
    assert re.sub(r"<[^>]+>", "", crumb).split() == ["Iraq", "–", "Conflict", "–", "Mosul"]


def test_keyset_pages_walk_every_article_once(client, tree, monkeypatch):
    monkeypatch.setattr(listings, "PAGE_SIZE", 3)
    same_moment = ago(5)
    created = [ArticleFactory(section=tree["iraq"], published_at=ago(h)) for h in (1, 2, 3)]
    created += [ArticleFactory(section=tree["iraq"], published_at=same_moment) for _ in range(4)]
    expected = [a.title for a in sorted(created, key=lambda a: (a.published_at, a.pk), reverse=True)]

    seen, url = [], "/section/iraq/"
    while url:
        html = client.get(url).content.decode()
        seen += titles(html)
        match = re.search(r'href="(/section/iraq/\?after=[^"]+)" rel="next"', html)
        url = match.group(1).replace("&amp;", "&") if match else None
    assert seen == expected
    assert "Newest stories" in html  # a later page links back to the first


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "1.2:forged", signing.Signer(salt="other").sign("1.2"), "", "%00", "9" * 400 + ".1:x"],
)
def test_tampered_cursor_is_a_clear_400(client, tree, cursor):
    ArticleFactory(section=tree["iraq"])
    response = client.get("/section/iraq/", {"after": cursor})
    if cursor == "":
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert "This page link is broken" in response.content.decode()


def test_cursor_with_valid_signature_but_bad_numbers_is_400(client, tree):
    cursor = signing.Signer(salt=listings.CURSOR_SALT).sign("99999999999999999999999.x")
    assert client.get("/section/iraq/", {"after": cursor}).status_code == 400


def test_tag_page_lists_live_tagged_articles(client, tree):
    tag = TagFactory(name="Water")
    ArticleFactory(title="Water returns", tags=[tag], section=tree["iraq"], published_at=ago(1))
    ArticleFactory(title="Untagged story", section=tree["iraq"])
    hidden_articles(tree["iraq"], tag)
    html = client.get(tag.get_absolute_url()).content.decode()
    assert titles(html) == ["Water returns"]
    assert "Hidden" not in html
    assert client.get("/tag/no-such-tag/").status_code == 404


def test_search_page_ranks_highlights_and_paginates(client, tree, monkeypatch):
    monkeypatch.setattr(search_page, "PAGE_SIZE", 2)
    ArticleFactory(title="Ceasefire holds in the north", published_at=ago(5))
    ArticleFactory(title="Market report", body="<p>Traders welcomed the ceasefire.</p>", published_at=ago(1))
    ArticleFactory(title="Ceasefire talks <b>resume</b>", published_at=ago(2))
    hidden_articles(tree["iraq"])
    ArticleFactory(title="Hidden ceasefire draft", draft=True)
    page1 = client.get("/search/", {"q": "ceasefire"}).content.decode()
    assert titles(page1) == [
        "<mark>Ceasefire</mark> talks &lt;b&gt;resume&lt;/b&gt;",
        "<mark>Ceasefire</mark> holds in the north",
    ]
    assert 'href="?q=ceasefire&amp;page=2" rel="next"' in page1
    page2 = client.get("/search/", {"q": "ceasefire", "page": "2"}).content.decode()
    assert titles(page2) == ["Market report"]
    assert "Traders welcomed the <mark>ceasefire</mark>." in page2
    assert "Hidden" not in page1 + page2
    assert 'content="noindex, follow"' in page1


def test_search_page_without_query_shows_the_form(client):
    response = client.get("/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<input id="search-page-q" type="search" name="q"' in html
    assert "results for" not in html.lower() and "No results" not in html


@pytest.mark.parametrize("q", ['"unbalanced', "NEAR(", "-", "<script>alert(1)</script>", "a" * 1000, "%"])
def test_search_page_never_fails_on_odd_input(client, q):
    ArticleFactory(title="Anything")
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "51", "1e9"])
def test_search_page_number_out_of_range_is_400(client, page):
    assert client.get("/search/", {"q": "x", "page": page}).status_code == 400
