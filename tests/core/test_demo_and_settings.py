import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article, RelatedLink, Section, Tag
from media.models import MediaItem

COUNTED = [Section, Tag, Article, RelatedLink, MediaItem]


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_makes_a_real_newsroom():
    call_command("load_demo", stdout=open(os.devnull, "w"))
    first = {model.__name__: model.objects.count() for model in COUNTED}
    call_command("load_demo", stdout=open(os.devnull, "w"))
    assert {model.__name__: model.objects.count() for model in COUNTED} == first

    assert first["Article"] >= 12
    assert Article.objects.live().count() == first["Article"]
    videos = Article.objects.filter(kind=Article.Kind.VIDEO).select_related("lead_media__poster")
    assert videos.count() >= 2
    for article in videos:
        clip = article.lead_media
        assert clip.kind == "video" and clip.duration > 0 and clip.width and clip.poster.kind == "image"
        assert clip.file.storage.exists(clip.file.name)
    assert Article.objects.filter(language="ar").exists()
    assert Article.objects.filter(pinned=True).count() == 1  # a lead story for the home page
    assert RelatedLink.objects.count() >= 10
    assert Section.objects.filter(path="iraq/conflict/mosul").exists()
    assert not Article.objects.exclude(signoff="").filter(signoff__contains="<").exists()


def _run_with_settings(env, code="print('ok')"):
    """Import the real settings in a fresh interpreter with exactly `env` set, then run `code`."""
    setup = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='newsroom.settings'; django.setup();"
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "-c", setup + code], cwd=settings.BASE_DIR, env={**clean, **env},
        capture_output=True, text=True,
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
