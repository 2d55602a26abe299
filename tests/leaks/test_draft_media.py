"""Media used only by a working draft (its lead media, an image inline in its body) stay private
until the draft is published: readers get 404 for the item, its renditions and its file, no
public surface names it, and a share link of the live story grants it nothing."""

import re

import pytest
from django.test import Client

from articles import actions
from articles.models import Article
from tests.leaks.conftest import count_checks
from tests.leaks.test_matrix import SURFACES, viewers

pytestmark = pytest.mark.django_db

MEDIA_URL_RE = re.compile(r"""(?:https?://[^/"'\s]+)?(?<!/api/v1)(/media(?:-renditions)?/[^"'\s<>),]+)""")


def private_urls(item) -> list[str]:
    return [f"/api/v1/media/{item.pk}/", f"/media-renditions/{item.pk}/w320.jpeg", item.file.url]


def test_media_used_only_by_a_draft_reach_no_reader(leak_world):
    checks = 0
    draft_ids = {item.pk for item in leak_world["draft_media"]}
    for viewer, client in viewers().items():
        for item in leak_world["draft_media"]:
            for url in private_urls(item):
                assert client.get(url).status_code == 404, f"{url} answers {viewer}"
                checks += 1
        listed = {entry["id"] for entry in client.get("/api/v1/media/").json()["results"]}
        assert leak_world["live_media"].pk in listed and not listed & draft_ids
        checks += 1
        for surface, url, *_ in SURFACES:
            named = MEDIA_URL_RE.findall(client.get(url(leak_world)).content.decode())
            shown = [u for u in named if u.startswith("/media-renditions/") and int(u.split("/")[2]) in draft_ids]
            assert not shown, f"{surface} ({viewer}) names draft media {shown}"
            checks += 1
    count_checks(checks)


def test_a_share_link_of_the_live_story_grants_no_draft_media(leak_world):
    page = Client().get(f"/preview/{leak_world['links']['A'].token}/").content.decode()
    granted = [url for url in MEDIA_URL_RE.findall(page) if "grant=" in url]
    draft_ids = {item.pk for item in leak_world["draft_media"]}
    assert not [url for url in granted if int(url.split("/")[2].split("?")[0]) in draft_ids]
    for item in leak_world["draft_media"]:
        assert f"/media-renditions/{item.pk}/" not in page


def test_publishing_the_draft_makes_its_media_public(leak_world, people):
    """The control: the same URLs answer readers once the draft is the live story."""
    a = Article.objects.get(pk=leak_world["stories"]["A"].pk)
    actions.publish_draft(actor=people["chief"], article=a, draft_version=1)
    for item in leak_world["draft_media"]:
        assert Client().get(f"/api/v1/media/{item.pk}/").status_code == 200
