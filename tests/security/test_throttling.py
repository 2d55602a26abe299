"""Issue #13, item 11: the API throttle keys anonymous callers by an address they cannot choose,
and callers with a token have a rate of their own."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hardening.throttling import AnonymousThrottle, SignedInThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/tags/"


@pytest.fixture
def anon_limit_3(monkeypatch):
    monkeypatch.setattr(AnonymousThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "1000/minute"})


def test_api_uses_the_throttles_of_this_module(settings):
    classes = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    assert classes == ["hardening.throttling.AnonymousThrottle", "hardening.throttling.SignedInThrottle"]


def test_a_new_x_forwarded_for_on_each_request_does_not_reset_the_anonymous_limit(anon_limit_3, settings):
    settings.TRUSTED_PROXIES = []
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    answers = [client.get(URL, headers={"x-forwarded-for": f"198.51.100.{n}"}).status_code for n in range(5)]
    assert answers == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_count(anon_limit_3, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = APIClient(REMOTE_ADDR="10.1.2.3")
    first = [proxy.get(URL, headers={"x-forwarded-for": "198.51.100.7"}).status_code for _ in range(4)]
    assert first == [200, 200, 200, 429]
    # Another reader behind the same proxy is not refused because the first one was.
    assert proxy.get(URL, headers={"x-forwarded-for": "198.51.100.8"}).status_code == 200
    # A client writing its own X-Forwarded-For in front of the proxy's entry gains nothing: the
    # proxy appends the address it really saw, and that right-most untrusted entry counts.
    spoofed = [proxy.get(URL, headers={"x-forwarded-for": f"192.0.2.{n}, 198.51.100.7"}).status_code for n in range(2)]
    assert spoofed == [429, 429]


def test_x_forwarded_for_from_an_untrusted_peer_is_ignored_even_when_proxies_are_configured(anon_limit_3, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client = APIClient(REMOTE_ADDR="203.0.113.50")
    answers = [client.get(URL, headers={"x-forwarded-for": f"10.0.0.{n}"}).status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]


def test_token_callers_are_limited_at_their_own_rate(monkeypatch):
    monkeypatch.setattr(SignedInThrottle, "THROTTLE_RATES", {"anon": "1/minute", "user": "4/minute"})
    user = UserFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    answers = [client.get(URL).status_code for _ in range(5)]
    # Past the anonymous rate (1) but within their own (4); the fifth is refused.
    assert answers == [200, 200, 200, 200, 429]
    refused = client.get(URL)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    # Another token user keeps their own allowance.
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory()).key}")
    assert other.get(URL).status_code == 200
