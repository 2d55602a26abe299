"""Hostile or broken data on the public surfaces (issue #13, low items).

- A control character in a section or tag name: forms refuse it with an error naming the
  character; the importer's path drops it; feeds never answer 500 for a name already stored.
- Sections and tags that only non-live stories use stay private: their pages and feeds answer
  404, the navigation and the section page's subsection list leave them out, and the API's
  lists show them only to callers who may read unpublished articles.
"""

import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.authtoken.models import Token

from articles.models import Article, Section, Tag
from tests.factories import ArticleFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    assert client.login(username="editor", password="pass-word-123")
    return client


# --- control characters ----------------------------------------------------------------------


def test_section_feed_with_a_control_character_in_a_stored_name_is_served(client):
    harbours = SectionFactory(name="Harbours\x07", slug="harbours")
    quays = SectionFactory(name="Qu\x1bays", slug="quays", parent=harbours)
    ArticleFactory(title="Cranes return", section=quays, tags=[TagFactory(name="Car\x0bgo")])

    for url in ("/feeds/section/harbours/rss/", "/feeds/section/harbours/quays/rss/", "/feeds/rss/", "/feeds/atom/"):
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        ET.fromstring(response.content)  # well-formed XML 1.0
    channel_title = ET.fromstring(client.get("/feeds/section/harbours/quays/rss/").content).find("channel/title")
    assert channel_title.text.endswith("Harbours – Quays")


@pytest.mark.parametrize("model,factory", [(Section, SectionFactory), (Tag, TagFactory)], ids=["section", "tag"])
def test_full_clean_names_the_control_character(model, factory):
    item = factory.build(name="Harbour\x07 news\tdesk", slug="harbour-news")
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    message = " ".join(refused.value.message_dict["name"])
    assert "U+0007 at position 8" in message and "U+0009 (tab) at position 14" in message


def test_persian_zero_width_non_joiner_is_a_letter_not_a_control_character():
    SectionFactory.build(name="می\u200cخواهم", slug="mikhaham").full_clean()


@pytest.mark.parametrize("url,model", [("/admin/articles/section/add/", Section), ("/admin/articles/tag/add/", Tag)])
def test_admin_refuses_a_control_character_in_a_name_and_saves_nothing(editor_client, url, model):
    response = editor_client.post(url, {"name": "Po\x07rts", "slug": "ports", "position": "0", "description": ""})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Remove the control character from this name: U+0007 at position 3." in text
    assert not model.objects.exists()


def test_admin_still_saves_an_ordinary_name(editor_client):
    response = editor_client.post("/admin/articles/tag/add/", {"name": "Ports", "slug": "ports"})
    assert response.status_code == 302
    assert Tag.objects.get().name == "Ports"


def test_importer_path_drops_control_characters_from_breadcrumb_names():
    section = Section.ensure_path(["Ir\x00aq", "Mo\x1fsul\x7f"])
    assert section.path_names() == ["Iraq", "Mosul"]
    assert Section.ensure_path(["Iraq", "Mosul"]) == section  # the same chain, not a second one


# --- sections and tags of non-live stories ---------------------------------------------------


def nav(html: str) -> str:
    found = re.search(r'<nav class="sections-nav".*?</nav>', html, re.S)
    return found.group(0) if found else ""


@pytest.fixture
def private_world(db):
    """A live story in World › Europe; drafts, embargoed and future stories alone in other
    sections and tags, whose names must not reach the public."""
    now = timezone.now()
    world = SectionFactory(name="World", slug="world")
    europe = SectionFactory(name="Europe", slug="europe", parent=world)
    secret = SectionFactory(name="Merger talks", slug="merger", parent=world)
    hidden_top = SectionFactory(name="Election night", slug="election")
    future_top = SectionFactory(name="Royal visit", slug="royal")
    public_tag = TagFactory(name="Rivers", slug="rivers")
    private_tag = TagFactory(name="Takeover", slug="takeover")
    ArticleFactory(title="Rivers rise", section=europe, tags=[public_tag])
    ArticleFactory(title="Draft deal", section=secret, tags=[private_tag], draft=True)
    ArticleFactory(
        title="Count begins", section=hidden_top, tags=[private_tag], embargo_until=now + timezone.timedelta(hours=3)
    )
    ArticleFactory(title="Visit planned", section=future_top, published_at=now + timezone.timedelta(hours=2))
    return {
        "world": world,
        "europe": europe,
        "secret": secret,
        "hidden_top": hidden_top,
        "future_top": future_top,
        "public_tag": public_tag,
        "private_tag": private_tag,
    }


PRIVATE_NAMES = ("Merger talks", "Election night", "Royal visit", "Takeover")


@pytest.mark.parametrize(
    "url",
    [
        "/section/world/merger/",
        "/section/election/",
        "/section/royal/",
        "/tag/takeover/",
        "/feeds/section/world/merger/rss/",
        "/feeds/section/election/rss/",
    ],
)
def test_pages_and_feeds_of_sections_and_tags_without_a_live_story_are_404(client, private_world, url):
    response = client.get(url)
    assert response.status_code == 404
    assert not any(name in response.content.decode() for name in PRIVATE_NAMES)


def test_a_section_with_a_live_story_in_a_subsection_is_public(client, private_world):
    page = client.get("/section/world/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rivers rise" in text and ">Europe<" in text
    assert "Merger talks" not in text  # its subsection with only a draft is not listed
    assert client.get("/section/world/europe/").status_code == 200
    assert client.get("/tag/rivers/").status_code == 200
    assert client.get("/feeds/section/world/rss/").status_code == 200


def test_navigation_lists_only_sections_with_a_live_story(client, private_world):
    for url in ("/", "/section/world/", "/search/", "/tag/rivers/", "/nowhere/"):
        html = nav(client.get(url).content.decode())
        assert ">World</a>" in html, url
        assert not any(name in html for name in PRIVATE_NAMES), url


def test_a_section_goes_public_when_its_story_goes_live_and_private_when_it_expires(client, private_world, settings):
    settings.PAGE_CACHE_SECONDS = 3600  # the navigation and pages are cached: they must still follow the clock
    start = timezone.now()
    royal = Article.objects.get(title="Visit planned")
    royal.expires_at = start + timezone.timedelta(hours=5)
    royal.save()
    with time_machine.travel(start, tick=False):
        assert "Royal visit" not in nav(client.get("/").content.decode())
        assert client.get("/section/royal/").status_code == 404
    with time_machine.travel(start + timezone.timedelta(hours=3), tick=False):
        assert "Royal visit" in nav(client.get("/").content.decode())
        assert client.get("/section/royal/").status_code == 200
    with time_machine.travel(start + timezone.timedelta(hours=6), tick=False):
        assert "Royal visit" not in nav(client.get("/").content.decode())
        assert client.get("/section/royal/").status_code == 404


def test_an_empty_page_past_the_last_story_of_a_public_section_is_not_a_404(client, private_world, monkeypatch):
    from articles.site import listings

    monkeypatch.setattr(listings, "PAGE_SIZE", 1)
    ArticleFactory(title="Rivers fall", section=private_world["europe"])
    first = client.get("/section/world/").content.decode()
    cursor = re.search(r'\?after=([^"]+)"', first).group(1)
    Article.objects.filter(title="Rivers rise").update(status=Article.Status.DRAFT)  # the older story leaves
    assert client.get(f"/section/world/?after={cursor}").status_code == 200


def test_api_lists_only_sections_and_tags_with_a_live_story_to_the_public(client, private_world, editor):
    sections = client.get("/api/v1/sections/").json()["results"]
    assert [s["name"] for s in sections] == ["World"]
    assert [child["name"] for child in sections[0]["children"]] == ["Europe"]
    assert [t["name"] for t in client.get("/api/v1/tags/").json()["results"]] == ["Rivers"]
    assert client.get(f"/api/v1/sections/{private_world['hidden_top'].pk}/").status_code == 404
    assert client.get(f"/api/v1/tags/{private_world['private_tag'].pk}/").status_code == 404

    token = Token.objects.create(user=editor)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    names = {s["name"] for s in client.get("/api/v1/sections/", **auth).json()["results"]}
    assert {"World", "Election night", "Royal visit"} <= names
    tags = {t["name"] for t in client.get("/api/v1/tags/", **auth).json()["results"]}
    assert tags == {"Rivers", "Takeover"}


def test_only_a_section_own_subtree_makes_it_public(client):
    """A story under "iraq-war" or "nxs/inner" does not make "iraq" or "n_s" public: the subtree
    match is on the path and "/", and "_" in a slug is no wildcard."""
    iraq = SectionFactory(name="Iraq", slug="iraq")
    ArticleFactory(section=SectionFactory(name="Iraq war", slug="iraq-war"))
    SectionFactory(name="Northern sector", slug="n_s")
    ArticleFactory(section=SectionFactory(name="Inner", slug="inner", parent=SectionFactory(name="Nexus", slug="nxs")))
    assert client.get("/section/iraq/").status_code == 404
    assert client.get("/section/n_s/").status_code == 404
    assert client.get("/section/nxs/").status_code == 200
    assert client.get("/section/iraq-war/").status_code == 200
    ArticleFactory(section=SectionFactory(name="Basra", slug="basra", parent=iraq))
    assert client.get("/section/iraq/").status_code == 200
