"""The leak matrix: working drafts, scheduled changes, autosaves and notes × every public
surface → 0 leaks, for an anonymous reader and for a signed-in reader who is not staff.

Each surface must show the live stories (so an empty page cannot pass), none of the markers,
and none of what A's draft would change about where A is listed (its new section, tag, author
and related story): until the draft is published, A is listed where the live story is.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import UserFactory
from tests.leaks.conftest import MARKERS, assert_no_markers, count_checks

pytestmark = pytest.mark.django_db

A_LIVE, B_LIVE, C_LIVE, F_LIVE = (
    "Harbour reopens after storm",
    "Harbour pilots return to work",
    "Harbour cranes stand idle",
    "Quay walls repaired",
)


def a_url(w):
    return w["stories"]["A"].get_absolute_url()


def a_api(w):
    return f"/api/v1/articles/{w['stories']['A'].pk}/"


# (name, url(world), texts that prove the surface shows the live stories, texts that must be absent)
SURFACES = [
    ("home", lambda w: "/", [A_LIVE, B_LIVE], []),
    ("section page", lambda w: "/section/harbours/", [A_LIVE, B_LIVE, C_LIVE], []),
    ("draft's section page", lambda w: "/section/quays/", [F_LIVE], [a_url]),
    ("tag page", lambda w: "/tag/shipping/", [A_LIVE, B_LIVE], []),
    ("draft's tag page", lambda w: "/tag/cranes/", [F_LIVE], [a_url]),
    ("author page", lambda w: "/authors/hana-writer/", [A_LIVE, B_LIVE], []),
    ("draft's author page", lambda w: "/authors/dora-other/", [F_LIVE], [a_url]),
    ("article page A (draft)", lambda w: a_url(w), [A_LIVE, B_LIVE], [lambda w: w["stories"]["F"].get_absolute_url()]),
    ("article page B (scheduled)", lambda w: w["stories"]["B"].get_absolute_url(), [B_LIVE], []),
    ("article page C (related A, B)", lambda w: w["stories"]["C"].get_absolute_url(), [C_LIVE, A_LIVE, B_LIVE], []),
    ("search page", lambda w: "/search/?q=Harbour", ["storm", "pilots"], []),
    ("RSS feed", lambda w: "/feeds/rss/", [A_LIVE, B_LIVE], []),
    ("Atom feed", lambda w: "/feeds/atom/", [A_LIVE, B_LIVE], []),
    ("section RSS feed", lambda w: "/feeds/section/harbours/rss/", [A_LIVE, B_LIVE], []),
    ("draft's section RSS feed", lambda w: "/feeds/section/quays/rss/", [F_LIVE], [a_url]),
    ("author Atom feed", lambda w: "/authors/hana-writer/feed/", [A_LIVE, B_LIVE], []),
    ("draft's author Atom feed", lambda w: "/authors/dora-other/feed/", [F_LIVE], [a_url]),
    ("sitemap index", lambda w: "/sitemap.xml", ["/sitemap-articles.xml"], []),
    ("articles sitemap", lambda w: "/sitemap-articles.xml", [a_url], []),
    ("sections sitemap", lambda w: "/sitemap-sections.xml", ["/section/harbours/"], []),
    ("tags sitemap", lambda w: "/sitemap-tags.xml", ["/tag/shipping/"], []),
    ("authors sitemap", lambda w: "/sitemap-authors.xml", ["/authors/hana-writer/"], []),
    ("news sitemap", lambda w: "/sitemap-news.xml", [A_LIVE, B_LIVE], []),
    ("robots.txt", lambda w: "/robots.txt", ["Sitemap:"], []),
    ("API list", lambda w: "/api/v1/articles/", [A_LIVE, B_LIVE], ['"has_draft"', '"draft_publish_at"']),
    ("API list by section", lambda w: "/api/v1/articles/?section=harbours", [A_LIVE, B_LIVE], []),
    ("API list by draft's section", lambda w: "/api/v1/articles/?section=quays", [F_LIVE], [A_LIVE]),
    ("API list by tag", lambda w: "/api/v1/articles/?tag=shipping", [A_LIVE], []),
    ("API list by draft's tag", lambda w: "/api/v1/articles/?tag=cranes", [F_LIVE], [A_LIVE]),
    ("API search", lambda w: "/api/v1/articles/?q=Harbour", [A_LIVE, B_LIVE], []),
    ("API detail A", lambda w: a_api(w), [A_LIVE], ['"has_draft"', '"draft_publish_at"']),
    ("API detail B", lambda w: f"/api/v1/articles/{w['stories']['B'].pk}/", [B_LIVE], ['"has_draft"']),
    ("API related of A", lambda w: f"{a_api(w)}related/", [B_LIVE], [F_LIVE]),
    ("API related of A, legacy", lambda w: f"{a_api(w)}related/?format=legacy", [B_LIVE], [F_LIVE]),
    ("API related of C", lambda w: f"/api/v1/articles/{w['stories']['C'].pk}/related/", [A_LIVE, B_LIVE], []),
    (
        "API related of C, legacy",
        lambda w: f"/api/v1/articles/{w['stories']['C'].pk}/related/?format=legacy",
        [A_LIVE, B_LIVE],
        [],
    ),
    ("API authors", lambda w: "/api/v1/authors/", ["Hana Writer"], []),
    ("API author", lambda w: f"/api/v1/authors/{w['hana'].pk}/", ["Hana Writer"], []),
    ("API sections", lambda w: "/api/v1/sections/", ["Harbours"], []),
    ("API tags", lambda w: "/api/v1/tags/", ["Shipping"], []),
    ("API media", lambda w: "/api/v1/media/", ["Live harbour photo"], []),
    ("share link of A", lambda w: f"/preview/{w['links']['A'].token}/", [A_LIVE], [lambda w: "/preview/"]),
    ("share link of B", lambda w: f"/preview/{w['links']['B'].token}/", [B_LIVE], []),
]

# Desk endpoints of the stories: to readers they answer a refusal, and show nothing.
DESK_ENDPOINTS = [
    ("API working draft", lambda w: f"{a_api(w)}draft/"),
    ("API scheduled draft", lambda w: f"/api/v1/articles/{w['stories']['B'].pk}/draft/"),
    ("API revisions", lambda w: f"{a_api(w)}revisions/"),
    ("API notes", lambda w: f"{a_api(w)}notes/"),
    ("API notes of B", lambda w: f"/api/v1/articles/{w['stories']['B'].pk}/notes/"),
    ("API autosave", lambda w: f"{a_api(w)}autosave/"),
    ("desk add form (new story's autosave)", lambda w: "/admin/articles/article/add/"),
    ("desk autosave of a new story", lambda w: "/admin/articles/article/autosave/new/"),
    ("API presence", lambda w: f"{a_api(w)}presence/"),
    ("desk change form", lambda w: f"/admin/articles/article/{w['stories']['A'].pk}/change/"),
]


def viewers():
    """An anonymous reader and a signed-in one who is not staff."""
    anonymous = Client()
    reader = Client()
    user = get_user_model().objects.filter(username="reader").first() or UserFactory(username="reader")
    assert not user.is_staff
    reader.force_login(user)
    return {"anonymous": anonymous, "signed-in reader": reader}


def resolved(world, texts):
    return [text(world) if callable(text) else text for text in texts]


@pytest.mark.parametrize(("surface", "url", "proofs", "absent"), SURFACES, ids=[s[0] for s in SURFACES])
def test_public_surface_shows_no_private_work(leak_world, surface, url, proofs, absent):
    checks = 0
    for viewer, client in viewers().items():
        where = f"{surface} ({viewer})"
        response = client.get(url(leak_world))
        assert response.status_code == 200, f"{where} answered {response.status_code}"
        text = response.content.decode() + "".join(f"\n{name}: {value}" for name, value in response.items())
        for proof in resolved(leak_world, proofs):
            assert proof in text, f"{where} does not show {proof!r}, so it proves nothing"
        checks += assert_no_markers(text, where)
        for missing in resolved(leak_world, absent):
            assert missing not in text, f"{where} shows {missing!r}, which only the draft has"
            checks += 1
    count_checks(checks)


@pytest.mark.parametrize(("surface", "url"), DESK_ENDPOINTS, ids=[s[0] for s in DESK_ENDPOINTS])
def test_desk_endpoints_refuse_readers(leak_world, surface, url):
    checks = 0
    for viewer, client in viewers().items():
        where = f"{surface} ({viewer})"
        response = client.get(url(leak_world))
        assert response.status_code in (302, 401, 403, 404), f"{where} answered {response.status_code}"
        checks += assert_no_markers(response.content.decode(), where)
    count_checks(checks)


@pytest.mark.parametrize("name", list(MARKERS), ids=list(MARKERS))
def test_searching_for_a_marker_finds_nothing(leak_world, name):
    """The search page may echo the query, so here no story may be found for it."""
    marker = MARKERS[name]
    story_urls = [story.get_absolute_url() for story in leak_world["stories"].values()]
    checks = 0
    for viewer, client in viewers().items():
        page = client.get(f"/search/?q={marker}").content.decode()
        found = [url for url in story_urls if url in page]
        assert not found, f"searching {name} ({viewer}) finds {found}"
        results = client.get(f"/api/v1/articles/?q={marker}").json()["results"]
        assert results == [], f"API search for {name} ({viewer}) finds {results}"
        checks += 2
    count_checks(checks)


def test_the_desk_sees_what_readers_do_not(leak_world, people):
    """The control: the private work is really there, and the desk endpoints above show it to
    staff, so a refusal to readers is what keeps the markers out, not an empty world."""
    staff = Client()
    staff.force_login(people["editor"])
    a, b = leak_world["stories"]["A"].pk, leak_world["stories"]["B"].pk
    seen = " ".join(
        staff.get(url).content.decode()
        for url in (
            f"/api/v1/articles/{a}/draft/",
            f"/api/v1/articles/{b}/draft/",
            f"/api/v1/articles/{a}/notes/",
            f"/api/v1/articles/{b}/notes/",
            f"/api/v1/articles/{a}/autosave/",
            "/admin/articles/article/add/",
        )
    )
    shown = [name for name, marker in MARKERS.items() if marker in seen and "media" not in name]
    assert len(shown) == len(MARKERS) - 2, f"staff see only {shown}"


def test_the_api_detail_says_nothing_of_a_draft_even_in_its_etag(leak_world, people):
    """Readers' ETag of a story names its live version only: saving the draft changes nothing
    they can see, not even the validator."""
    from articles import actions
    from articles.models import Article

    a = Article.objects.get(pk=leak_world["stories"]["A"].pk)
    url = f"/api/v1/articles/{a.pk}/"
    before = {viewer: client.get(url)["ETag"] for viewer, client in viewers().items()}
    actions.save_draft(actor=people["chief"], article=a, changes={"body": "<p>Another go.</p>"}, draft_version=1)
    after = {viewer: client.get(url)["ETag"] for viewer, client in viewers().items()}
    assert after == before
    assert all(f"a{a.pk}v{a.version}-" in etag and "d" not in etag.split("-")[0] for etag in after.values())
    count_checks(2 * len(after))
