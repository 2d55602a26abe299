import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article, AuditEntry, RelatedLink, Revision, Section, Tag
from media.models import MediaItem

COUNTED = [Section, Tag, Article, RelatedLink, MediaItem, Revision, AuditEntry]


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_makes_a_real_newsroom():
    call_command("load_demo", stdout=io.StringIO())
    first = {model.__name__: model.objects.count() for model in COUNTED}
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert {model.__name__: model.objects.count() for model in COUNTED} == first
    assert "0 stories created" in out.getvalue()

    live = Article.objects.live()
    assert live.count() >= 40 and live.count() == first["Article"]
    tops = Section.objects.filter(parent__isnull=True)
    assert {"World", "Business", "Science", "Health", "Sport", "Culture"} <= set(tops.values_list("name", flat=True))
    assert all(live.in_section(section).exists() for section in tops)
    assert live.filter(lead_media__isnull=False).count() >= 0.8 * live.count()  # photos on most
    videos = live.filter(kind=Article.Kind.VIDEO).select_related("lead_media__poster")
    assert videos.count() >= 3
    for article in videos:
        clip = article.lead_media
        assert clip.kind == "video" and clip.duration > 0 and clip.width and clip.poster.kind == "image"
        assert clip.file.storage.exists(clip.file.name) and clip.captions
        assert clip.captions.storage.exists(clip.captions.name)
    assert live.filter(language="ar").count() == 1
    assert Article.objects.filter(pinned=True).count() == 1  # a lead story for the home page
    assert RelatedLink.objects.count() >= 40
    assert first["Tag"] >= 20
    assert not Article.objects.exclude(signoff="").filter(signoff__contains="<").exists()


def _run_with_settings(env, code="print('ok')"):
    """Import the real settings in a fresh interpreter with exactly `env` set, then run `code`."""
    setup = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='newsroom.settings'; django.setup();"
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "-c", setup + code],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


SCRATCH_DB = {"DATABASE_URL": "sqlite:////tmp/nr-settings-check.sqlite3"}


def test_production_without_secret_key_refuses_to_start():
    result = _run_with_settings({"DEBUG": "0", **SCRATCH_DB})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_settings_come_from_the_environment():
    env = {"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "news.example.org", "TIME_ZONE": "Asia/Baghdad"}
    code = "from django.conf import settings as s; print(s.ALLOWED_HOSTS, s.TIME_ZONE, s.USE_TZ, s.DEBUG)"
    result = _run_with_settings({**env, **SCRATCH_DB}, code)
    assert result.stdout.strip() == "['news.example.org'] Asia/Baghdad True False", result.stderr


def test_missing_secret_key_names_what_to_do():
    result = _run_with_settings({"DEBUG": "0", **SCRATCH_DB})
    assert "`make run`" in result.stderr and ".env" in result.stderr and "`make serve`" in result.stderr


def test_empty_variables_mean_their_defaults():
    """`.env.example` copied as `.env` leaves many variables empty: each means its default."""
    empty = dict.fromkeys(
        [
            "DATABASE_URL",
            "PAGE_CACHE_SECONDS",
            "SESSION_COOKIE_SECURE",
            "ALLOWED_HOSTS",
            "CONN_MAX_AGE",
            "SECURE_HSTS_SECONDS",
            "LOG_LEVEL",
        ],
        "",
    )
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'].endswith('var/newsroom.sqlite3'), s.PAGE_CACHE_SECONDS,"
        " s.SESSION_COOKIE_SECURE, '127.0.0.1' in s.ALLOWED_HOSTS, d['CONN_MAX_AGE'], s.SECURE_HSTS_SECONDS)"
    )
    result = _run_with_settings({"DEBUG": "0", "SECRET_KEY": "x" * 50, **empty}, code)
    assert result.stdout.strip() == "django.db.backends.sqlite3 True 300 True True 60 0", result.stderr


def test_the_test_settings_ignore_a_local_env(tmp_path):
    """A developer's .env (make run writes one) changes the real settings but not the tests'."""
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSITE_NAME=From the local .env\nPAGE_CACHE_SECONDS=7\n")
    code = "from django.conf import settings as s; print(s.SITE_NAME, s.PAGE_CACHE_SECONDS, s.DEBUG)"
    local = _run_with_settings({"NEWSROOM_ENV_FILE": str(env_file), **SCRATCH_DB}, code)
    assert local.stdout.strip() == "From the local .env 7 True", local.stderr
    tests = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=settings.BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "SITE_NAME", "PAGE_CACHE_SECONDS"}},
            "DJANGO_SETTINGS_MODULE": "newsroom.test_settings",
            "NEWSROOM_ENV_FILE": str(env_file),
        },
        capture_output=True,
        text=True,
    )
    assert tests.stdout.strip() == "Newsroom 300 False", tests.stderr
