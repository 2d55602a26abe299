"""Issue #13 (low): production settings pass `manage.py check --deploy`; cookies are HTTPS-only
in production even when `.env.example`'s empty cookie lines are copied; X-Forwarded-Proto
counts only behind a configured proxy.

Each case loads the real settings (newsroom.settings, not the test overlay) in a fresh Python
with the environment given, as a production server would.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "SESSION_", "CSRF_", "DJANGO_", "TRUSTED_", "DATABASE_URL"))
    }
    env.update(
        {
            "NEWSROOM_ENV_FILE": "",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "news.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "STATIC_ROOT": str(tmp_path / "static"),
        }
    )
    env.update(extra)
    return env


def read_settings(tmp_path, names, **extra) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(
            tmp_path,
            SECURE_SSL_REDIRECT="1",
            SECURE_HSTS_SECONDS="31536000",
            SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
            SECURE_HSTS_PRELOAD="1",
        ),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


@pytest.mark.parametrize("value", ["", "  "])
def test_empty_cookie_variables_leave_cookies_secure_in_production(tmp_path, value):
    found = read_settings(
        tmp_path,
        ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"],
        SESSION_COOKIE_SECURE=value,
        CSRF_COOKIE_SECURE=value,
    )
    assert found == {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True}


def test_cookie_variables_set_to_0_still_turn_secure_off_for_a_plain_http_trial(tmp_path):
    found = read_settings(tmp_path, ["SESSION_COOKIE_SECURE"], SESSION_COOKIE_SECURE="0")
    assert found == {"SESSION_COOKIE_SECURE": False}


def test_x_forwarded_proto_counts_only_behind_a_configured_proxy(tmp_path):
    assert read_settings(tmp_path, ["SECURE_PROXY_SSL_HEADER"]) == {"SECURE_PROXY_SSL_HEADER": None}
    behind = read_settings(tmp_path, ["SECURE_PROXY_SSL_HEADER"], TRUSTED_PROXIES="10.0.0.0/8")
    assert behind == {"SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]}


def test_a_wrong_trusted_proxy_stops_start_up_with_a_message(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=production_env(tmp_path, TRUSTED_PROXIES="proxy.local"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "TRUSTED_PROXIES" in done.stderr


def test_the_csp_names_the_media_host_when_media_live_elsewhere(tmp_path):
    found = read_settings(
        tmp_path,
        ["SECURE_CSP"],
        AWS_STORAGE_BUCKET_NAME="news-media",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
    )
    policy = found["SECURE_CSP"]
    assert "https://media.example.org" in policy["img-src"] and "https://media.example.org" in policy["media-src"]
    assert "https://media.example.org" not in policy["script-src"]
