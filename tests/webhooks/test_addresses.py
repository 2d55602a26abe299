"""Webhooks cannot probe the internal network: private, loopback, link-local and other
non-public addresses are refused when the endpoint is saved (400 naming `url`) and again when a
delivery is sent (the name may point elsewhere by then), unless WEBHOOK_ALLOW_PRIVATE_HOSTS."""

import pytest

from articles import actions
from tests.roles import draft_by
from webhooks import addresses
from webhooks.models import Delivery, Endpoint, EventType

pytestmark = pytest.mark.django_db

HOSTILE = [
    "http://127.0.0.1/hook",
    "http://127.8.9.10/",
    "http://localhost:8000/",
    "http://[::1]/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://10.0.0.5/",
    "http://172.16.3.4/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://100.64.0.1/",  # shared address space (CGNAT)
    "http://224.0.0.1/",  # multicast
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",
    "http://192.0.2.10/",  # documentation
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[ff02::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:a00:1]/",  # 10.0.0.1, mapped and written in hex
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://2130706433/",  # 127.0.0.1 as one decimal number
    "http://0177.0.0.1/",  # octal
    "http://0x7f.0.0.1/",  # hexadecimal
    "http://127.1/",  # short form
    "https://intranet.newsroom.test/",  # a name that resolves to a private address (patched resolver)
    "https://split.newsroom.test/",  # one public and one private address
]
NOT_URLS = ["ftp://example.org/", "javascript:alert(1)", "http://user:pw@93.184.215.14/", "https:///nohost"]


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    """Test names resolve as a hostile DNS would answer; everything else as the system does."""
    real = addresses.resolve
    answers = {
        "intranet.newsroom.test": ["10.20.30.40"],
        "split.newsroom.test": ["93.184.215.14", "192.168.0.7"],
        "hooks.partner.test": ["93.184.215.14"],
    }
    monkeypatch.setattr(addresses, "resolve", lambda host, port: answers.get(host) or real(host, port))
    return answers


@pytest.mark.parametrize("url", HOSTILE)
def test_private_addresses_are_refused_at_save(url, api, hook_admin):
    response = api(hook_admin).post("/api/v1/webhooks/", {"url": url, "events": ["article.published"]}, format="json")
    assert response.status_code == 400, url
    assert "url" in response.json(), response.json()
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize("url", HOSTILE)
def test_the_guard_itself_refuses_every_private_address(url):
    """What the API's URL field lets through (and what send time checks) is refused by the guard,
    with a message saying why; the numeric tricks are resolved as the socket would read them."""
    with pytest.raises(addresses.RefusedAddress, match="only sent to public addresses"):
        addresses.check_url(url)


@pytest.mark.parametrize("url", NOT_URLS)
def test_what_is_not_a_web_address_is_refused(url, api, hook_admin):
    response = api(hook_admin).post("/api/v1/webhooks/", {"url": url, "events": ["article.published"]}, format="json")
    assert response.status_code == 400, url
    assert "url" in response.json()


def test_a_public_host_is_accepted(api, hook_admin):
    response = api(hook_admin).post(
        "/api/v1/webhooks/", {"url": "https://hooks.partner.test/in", "events": ["media.updated"]}, format="json"
    )
    assert response.status_code == 201, response.json()


def test_the_setting_lets_a_local_receiver_in(api, hook_admin, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    response = api(hook_admin).post(
        "/api/v1/webhooks/", {"url": "http://127.0.0.1:8351/", "events": ["media.updated"]}, format="json"
    )
    assert response.status_code == 201


def test_a_name_pointed_at_a_private_address_after_the_save_gets_nothing(
    receiver, hook_admin, people, commit, worker, settings, dns
):
    from webhooks import actions as hooks

    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    port = receiver.server.server_port
    endpoint = hooks.create_endpoint(
        actor=hook_admin,
        url=f"http://hooks.partner.test:{port}/",
        secret=receiver.secret,
        events=list(EventType.values),
    )
    dns["hooks.partner.test"] = ["127.0.0.1"]  # DNS rebinding: the receiver's own address now
    with commit():
        actions.publish(actor=people["chief"], article=draft_by(people["author"]))
    worker()
    assert receiver.tried == []
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.status == Delivery.Status.RETRYING
    assert "private network (127.0.0.1)" in delivery.error


def test_the_connection_goes_to_the_checked_address_with_the_hosts_name(
    receiver, hook_admin, people, commit, worker, dns
):
    from webhooks import actions as hooks

    port = receiver.server.server_port
    dns["hooks.partner.test"] = ["127.0.0.1"]  # allowed here (WEBHOOK_ALLOW_PRIVATE_HOSTS, the receiver fixture)
    hooks.create_endpoint(
        actor=hook_admin,
        url=f"http://hooks.partner.test:{port}/in",
        secret=receiver.secret,
        events=["article.published"],
    )
    with commit():
        actions.publish(actor=people["chief"], article=draft_by(people["author"]))
    worker()
    assert receiver.types == ["article.published"]
    assert receiver.accepted[0]["headers"]["host"] == f"hooks.partner.test:{port}"


def test_redirects_are_not_followed(receiver, endpoint, people, commit, worker):
    receiver.status = 302
    with commit():
        actions.publish(actor=people["chief"], article=draft_by(people["author"]))
    worker()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.RETRYING
    assert delivery.response_code == 302
    assert len(receiver.tried) == 1
