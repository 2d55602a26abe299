"""The webhooks in the admin: adding an endpoint (secret made and shown), a refused address as a
field error, and the delivery log with "Send again now"."""

import pytest
from django.urls import reverse

from articles import actions
from tests.roles import draft_by
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, hook_admin):
    client.force_login(hook_admin)
    return client


def test_adding_an_endpoint_makes_and_shows_its_secret(admin_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    response = admin_client.post(
        reverse("admin:webhooks_endpoint_add"),
        {
            "url": "http://127.0.0.1:8353/in",
            "description": "Wire partner",
            "events": ["article.published", "media.updated"],
            "active": "on",
            "secret": "",
        },
        follow=True,
    )
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["article.published", "media.updated"]
    assert endpoint.secret.startswith("whsec_")
    assert f"The signing secret is {endpoint.secret}" in response.content.decode()
    page = admin_client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])).content.decode()
    assert "Leave empty: a new secret is made" in page  # help for editors
    assert endpoint.secret in page  # shown to staff who may change it, read-only
    assert f'value="{endpoint.secret}"' not in page  # never drawn into an input


def test_a_private_address_is_a_field_error(admin_client):
    response = admin_client.post(
        reverse("admin:webhooks_endpoint_add"),
        {"url": "http://10.1.2.3/in", "events": ["article.published"], "active": "on", "secret": ""},
    )
    assert response.status_code == 200
    assert "only sent to public addresses" in response.context["adminform"].form.errors["url"][0]
    assert not Endpoint.objects.exists()


def test_the_delivery_log_shows_attempts_and_sends_again(admin_client, endpoint, receiver, people, commit, worker):
    receiver.down = True
    with commit():
        actions.publish(actor=people["chief"], article=draft_by(people["author"]))
    worker()
    log = admin_client.get(reverse("admin:webhooks_delivery_changelist")).content.decode()
    assert "Failing, will retry" in log and "503" in log
    delivery = Delivery.objects.get()
    detail = admin_client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk])).content.decode()
    assert "down for maintenance" in detail and endpoint.secret not in detail
    receiver.down = False
    with commit():
        admin_client.post(
            reverse("admin:webhooks_delivery_changelist"),
            {"action": "send_again", "_selected_action": [delivery.pk]},
        )
    worker()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert receiver.types == ["article.published"]


def test_the_endpoint_list_costs_the_same_queries_for_many_endpoints(admin_client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from webhooks.models import Delivery, Endpoint, Event

    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    url = reverse("admin:webhooks_endpoint_changelist")

    def add_endpoint(n):
        endpoint = Endpoint.objects.create(url=f"http://127.0.0.1:835{n}/", secret="whsec_x", events=["media.updated"])
        event = Event.objects.create(type="media.updated", media_id=n, status=Event.Status.SENT)
        Delivery.objects.create(endpoint=endpoint, event=event)

    add_endpoint(0)
    admin_client.get(url)  # what the first request of a session caches (permissions) is not counted
    with CaptureQueriesContext(connection) as one:
        assert admin_client.get(url).status_code == 200
    for n in (1, 2, 3):
        add_endpoint(n)
    with CaptureQueriesContext(connection) as four:
        page = admin_client.get(url).content.decode()
    assert len(four) == len(one)
    assert page.count("http://127.0.0.1:835") >= 4
