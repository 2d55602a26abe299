"""The newsroom's time zone: one setting (TIME_ZONE, by default the legacy site's) that the
importer reads datelines in and pages show times in, naming the zone, with the offset in every
<time datetime>; feeds, JSON-LD and the API keep giving absolute times."""

import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from articles.models import Article
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "importer" / "fixtures"
# A page in the legacy site's format, with the dateline of the seed page.
SEED_LIKE_PAGE = """Iraq – Conflict – Mosul

Army engineers finish a pontoon bridge south of the city

Thu Mar 24, 2016 14:18:09

Engineers laid the last section of the bridge before noon, the command said.

Convoys are expected to cross from Friday.

S/SH 11"""


def import_page(folder, text: str, name: str = "page.txt") -> Article:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    call_command("import_legacy", str(path), stdout=io.StringIO(), no_color=True)
    return Article.objects.get(title=text.split("\n\n")[1])


def dateline_of(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return re.search(r'<p class="dateline">(.*?)</p>', response.content.decode()).group(1)


@pytest.fixture
def tehran(settings):
    settings.TIME_ZONE = "Asia/Tehran"
    return settings


def test_imported_page_shows_the_legacy_clock_with_its_zone(client, tehran, tmp_path):
    article = import_page(tmp_path, SEED_LIKE_PAGE)
    assert article.published_at == datetime(2016, 3, 24, 9, 48, 9, tzinfo=UTC)  # stored as an absolute time
    assert dateline_of(client, article) == (
        '<time datetime="2016-03-24T14:18:09+04:30">Thu Mar 24, 2016 14:18:09 UTC+4:30</time>'
    )


def test_the_importers_fixture_page_keeps_its_clock(client, tehran, tmp_path):
    path = FIXTURES / "port_cranes.txt"
    call_command("import_legacy", str(path), stdout=io.StringIO(), no_color=True)
    article = Article.objects.get(title="Port cranes return to work at the container terminal")
    assert "Tue Jul 12, 2016 09:05:30" in path.read_text(encoding="utf-8")
    assert '<time datetime="2016-07-12T09:05:30+04:30">Tue Jul 12, 2016 09:05:30 UTC+4:30</time>' in (
        dateline_of(client, article)
    )


def test_winter_datelines_carry_the_winter_offset(client, tehran, tmp_path):
    article = import_page(tmp_path, SEED_LIKE_PAGE.replace("Thu Mar 24, 2016", "Thu Jan 14, 2016"))
    assert dateline_of(client, article) == (
        '<time datetime="2016-01-14T14:18:09+03:30">Thu Jan 14, 2016 14:18:09 UTC+3:30</time>'
    )


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("UTC", '<time datetime="2016-03-24T09:48:09+00:00">Thu Mar 24, 2016 09:48:09 UTC</time>'),
        ("Europe/London", '<time datetime="2016-03-24T09:48:09+00:00">Thu Mar 24, 2016 09:48:09 GMT</time>'),
        ("Asia/Baghdad", '<time datetime="2016-03-24T12:48:09+03:00">Thu Mar 24, 2016 12:48:09 UTC+3</time>'),
        ("America/New_York", '<time datetime="2016-03-24T05:48:09-04:00">Thu Mar 24, 2016 05:48:09 EDT</time>'),
    ],
)
def test_another_time_zone_setting_changes_the_clock_shown(client, tehran, tmp_path, zone, expected):
    article = import_page(tmp_path, SEED_LIKE_PAGE)
    assert "14:18:09 UTC+4:30" in dateline_of(client, article)  # now in the page cache
    tehran.TIME_ZONE = zone
    assert dateline_of(client, article) == expected


def test_cards_of_every_list_show_the_zone_and_offset(client, tehran):
    tag = TagFactory(name="Bridges", slug="bridges")
    article = ArticleFactory(
        title="Ferry crossing reopens",
        published_at=datetime(2016, 3, 24, 9, 48, 9, tzinfo=UTC),
        tags=[tag],
    )
    card_time = '<time datetime="2016-03-24T14:18:09+04:30">Thu Mar 24, 2016 14:18:09 UTC+4:30</time>'
    for url in ("/", article.section.get_absolute_url(), tag.get_absolute_url(), "/search/?q=ferry"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert card_time in response.content.decode(), url


def test_feeds_and_structured_data_stay_absolute_times(client, tehran):
    article = ArticleFactory(title="Ferry crossing reopens", published_at=datetime(2016, 3, 24, 9, 48, 9, tzinfo=UTC))
    html = client.get(article.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    article_data = next(item for item in ([data] if isinstance(data, dict) else data) if "datePublished" in item)
    assert datetime.fromisoformat(article_data["datePublished"]) == article.published_at
    published_time = re.search(r'<meta property="article:published_time" content="([^"]+)"', html).group(1)
    assert datetime.fromisoformat(published_time) == article.published_at
    rss = client.get("/feeds/rss/").content.decode()
    assert "<pubDate>Thu, 24 Mar 2016 09:48:09 +0000</pubDate>" in rss


def test_the_api_gives_utc_times_whatever_the_newsrooms_zone(client, tehran, tmp_path):
    article = import_page(tmp_path, SEED_LIKE_PAGE)
    body = client.get(f"/api/v1/articles/{article.pk}/").json()
    assert body["published_at"] == "2016-03-24T09:48:09Z"
    tehran.TIME_ZONE = "America/New_York"
    assert client.get(f"/api/v1/articles/{article.pk}/").json()["published_at"] == "2016-03-24T09:48:09Z"
    # A time with an offset is the same instant in any zone.
    found = client.get("/api/v1/articles/", {"published_after": "2016-03-24T14:18:08+04:30"}).json()["results"]
    assert [item["id"] for item in found] == [article.pk]
    assert client.get("/api/v1/articles/", {"published_after": "2016-03-24T14:18:10+04:30"}).json()["results"] == []


# --- the setting itself, read by a fresh interpreter ---------------------------------------------


def settings_in_a_fresh_process(**env) -> subprocess.CompletedProcess:
    """Load the real settings with no .env file, no TIME_ZONE/LEGACY_TIME_ZONE but those in `env`,
    and print TIME_ZONE."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"TIME_ZONE", "LEGACY_TIME_ZONE", "DJANGO_SETTINGS_MODULE"}
    }
    code = "import django; django.setup(); from django.conf import settings; print(settings.TIME_ZONE)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "NEWSROOM_ENV_FILE": "", "DEBUG": "1", **env},
    )


def test_by_default_the_newsroom_keeps_the_legacy_sites_clock():
    result = settings_in_a_fresh_process()
    assert result.stdout.strip() == "Asia/Tehran", result.stderr


def test_the_former_setting_name_still_works():
    result = settings_in_a_fresh_process(LEGACY_TIME_ZONE="Asia/Dubai")
    assert result.stdout.strip() == "Asia/Dubai", result.stderr
    result = settings_in_a_fresh_process(TIME_ZONE="Asia/Dubai", LEGACY_TIME_ZONE="Asia/Dubai")
    assert result.stdout.strip() == "Asia/Dubai", result.stderr


def test_two_different_zones_stop_start_up_with_a_clear_message():
    result = settings_in_a_fresh_process(TIME_ZONE="UTC", LEGACY_TIME_ZONE="Asia/Tehran")
    assert result.returncode != 0
    assert "TIME_ZONE is UTC but LEGACY_TIME_ZONE is Asia/Tehran" in result.stderr
    assert "Remove LEGACY_TIME_ZONE" in result.stderr


def test_an_unknown_zone_stops_start_up_with_a_clear_message():
    result = settings_in_a_fresh_process(TIME_ZONE="Mars/Olympus_Mons")
    assert result.returncode != 0
    assert "TIME_ZONE “Mars/Olympus_Mons” is not a time zone name" in result.stderr
