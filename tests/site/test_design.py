"""The design loads nothing from another host, and works without JavaScript."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import ArticleFactory
from tests.site.conftest import make_video

pytestmark = pytest.mark.django_db

CSS = Path(settings.BASE_DIR) / "static" / "css" / "site.css"


def test_pages_fetch_assets_only_from_this_site(client, tree):
    article = ArticleFactory(section=tree["mosul"], lead_media=make_video(), kind="video")
    for url in ["/", "/section/iraq/", article.get_absolute_url(), "/search/?q=crossing"]:
        html = client.get(url).content.decode()
        fetched = re.findall(r'(?:src|srcset|poster)="([^"]+)"', html)
        fetched += re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert fetched, url
        assert all(not re.search(r"(^|\s|,)(https?:)?//", value) for value in fetched), (url, fetched)
        assert "<script src" not in html


def test_stylesheet_is_local_dark_mode_aware_and_has_focus_styles():
    css = CSS.read_text()
    assert "@import" not in css and not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    assert "@media (prefers-color-scheme: dark)" in css
    assert ":focus-visible" in css


def test_every_page_has_skip_link_and_landmarks(client):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main"' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert 'role="search"' in html
