"""Issue #13, accounts: two-factor login for superusers and chosen groups, lockout after repeated
failed sign-ins, sessions that expire, and where a sign-in with a refused `next` lands."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory
from tests.roles import make_member

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"
STEP = "/admin/two-factor/"


def code_for(device) -> str:
    """The code the user's authenticator app shows at this moment (the clock time_machine sets)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def boss():
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


def test_a_superuser_without_an_authenticator_must_set_one_up_before_the_admin(client, boss):
    client.force_login(boss)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == f"{STEP}?next=/admin/"
    assert client.get("/admin/articles/article/").status_code == 302

    page = client.get(STEP)
    html = page.content.decode()
    assert page.status_code == 200 and "Set up two-factor login" in html
    assert re.search(r"two-factor-qr\">\s*<svg", html)  # the QR code to scan
    secret = re.search(r"<code>([A-Z2-7]+)</code>", html).group(1)
    device = TOTPDevice.objects.get(user=boss)
    assert not device.confirmed and secret.rstrip("=") in device.config_url

    wrong = client.post(STEP, {"code": "000000" if code_for(device) != "000000" else "111111", "next": "/admin/"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    with time_machine.travel(timezone.now() + timedelta(seconds=40), tick=False):
        right = client.post(STEP, {"code": code_for(device), "next": "/admin/"})
        assert right.status_code == 302 and right["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_with_an_authenticator_a_wrong_code_is_refused_and_the_right_one_lets_in(client, boss):
    device = TOTPDevice.objects.create(user=boss, name="phone", confirmed=True)
    client.force_login(boss)
    page = client.get(STEP).content.decode()
    assert "Enter the 6-digit code" in page and "two-factor-qr" not in page  # no second set-up

    wrong = client.post(STEP, {"code": "123456" if code_for(device) != "123456" else "654321"})
    assert wrong.status_code == 400
    assert client.get("/admin/").status_code == 302
    # An unverified session is nobody to the API either.
    assert client.get("/api/v1/articles/?status=all").status_code in (401, 403)

    # django-otp makes a guesser wait after a failure; the user tries again a little later.
    with time_machine.travel(timezone.now() + timedelta(seconds=40), tick=False):
        right = client.post(STEP, {"code": code_for(device), "next": "/admin/articles/article/"})
        assert right.status_code == 302 and right["Location"] == "/admin/articles/article/"
        assert client.get("/admin/").status_code == 200
        assert client.get("/api/v1/articles/?status=all").status_code == 200


def test_groups_named_in_the_setting_need_two_factor_and_others_do_not(client, settings):
    settings.NEWSROOM_2FA_GROUPS = ["Chief editor"]
    chief = make_member("Chief editor", "carl", "C/HF")
    reporter = make_member("Reporter", "rita", "R/TA")
    client.force_login(chief)
    assert client.get("/admin/")["Location"].startswith(STEP)
    client.force_login(reporter)
    assert client.get("/admin/").status_code == 200
    assert client.get(STEP).status_code == 302  # nothing to do there


def test_by_default_no_group_needs_two_factor(client, settings):
    settings.NEWSROOM_2FA_GROUPS = []
    client.force_login(make_member("Chief editor", "carl", "C/HF"))
    assert client.get("/admin/").status_code == 200


def sign_in(client, username, password, address="198.51.100.20", next_url="/admin/"):
    return client.post(
        f"/admin/login/?next={next_url}",
        {"username": username, "password": password, "next": next_url},
        REMOTE_ADDR=address,
    )


def test_repeated_wrong_passwords_lock_the_account_for_the_cool_off(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    make_member("Editor", "edith", "E/DH")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        answers = [sign_in(client, "edith", f"guess-{n}").status_code for n in range(6)]
        assert answers[:4] == [200, 200, 200, 200]  # the form again, with its error
        assert answers[5] == 429
        locked = sign_in(client, "edith", PASSWORD)
        assert locked.status_code == 429 and "Sign-in locked" in locked.content.decode()
        # The lock is for this username from this address; the user can sign in from elsewhere.
        assert sign_in(client, "edith", PASSWORD, address="203.0.113.5").status_code == 302
        client.logout()
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        after = sign_in(client, "edith", PASSWORD)
        assert after.status_code == 302 and after["Location"] == "/admin/"


def test_the_session_cookie_expires(client, settings):
    settings.AXES_ENABLED = True
    make_member("Editor", "edith", "E/DH")
    response = sign_in(client, "edith", PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 12 * 3600


def test_a_sign_in_with_a_refused_next_lands_on_the_admin_index(client):
    make_member("Editor", "edith", "E/DH")
    response = sign_in(client, "edith", PASSWORD, next_url="https://elsewhere.example/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200
