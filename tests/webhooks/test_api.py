"""/api/v1/webhooks/: staff with the webhooks permissions only; the secret is shown once."""

import base64

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import AuditEntry
from tests.factories import UserFactory
from webhooks.models import Endpoint

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:8352/in"


@pytest.fixture(autouse=True)
def _local(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True


def create(client, **fields):
    return client.post("/api/v1/webhooks/", {"url": URL, "events": ["article.published"], **fields}, format="json")


def test_anonymous_callers_are_refused(api):
    assert api(None).get("/api/v1/webhooks/").status_code in (401, 403)
    token_less = APIClient()
    assert create(token_less).status_code in (401, 403)
    assert not Endpoint.objects.exists()


def test_non_staff_are_refused_even_with_the_permissions(api):
    from django.contrib.auth.models import Permission

    outsider = UserFactory(username="partner", is_staff=False)
    outsider.user_permissions.set(Permission.objects.filter(content_type__app_label="webhooks"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=outsider).key}")
    assert client.get("/api/v1/webhooks/").status_code == 403
    assert create(client).status_code == 403


def test_staff_without_the_webhooks_permissions_are_refused(api, editor):
    assert api(editor).get("/api/v1/webhooks/").status_code == 403
    assert create(api(editor)).status_code == 403


def test_the_secret_is_made_and_shown_once(api, hook_admin):
    client = api(hook_admin)
    response = create(client, description="Partner desk")
    assert response.status_code == 201
    body = response.json()
    endpoint = Endpoint.objects.get()
    assert body == {
        "id": endpoint.pk,
        "url": URL,
        "description": "Partner desk",
        "events": ["article.published"],
        "active": True,
        "secret": endpoint.secret,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert body["secret"].startswith("whsec_")
    assert len(base64.b64decode(body["secret"].removeprefix("whsec_"))) == 24
    assert "secret" not in client.get(f"/api/v1/webhooks/{endpoint.pk}/").json()
    listed = client.get("/api/v1/webhooks/").json()
    assert [item["id"] for item in listed["results"]] == [endpoint.pk]
    assert "secret" not in listed["results"][0]
    entry = AuditEntry.objects.get(action="webhook_create")
    assert endpoint.secret not in str(entry.details)


def test_a_given_secret_is_kept_and_a_bad_one_named(api, hook_admin):
    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    assert create(api(hook_admin), secret=secret).json()["secret"] == secret
    response = create(api(hook_admin), secret="hunter2")
    assert response.status_code == 400
    assert "whsec_" in " ".join(response.json()["secret"])


def test_unknown_or_no_events_are_named(api, hook_admin):
    response = create(api(hook_admin), events=["article.deleted"])
    assert response.status_code == 400 and "events" in response.json()
    response = create(api(hook_admin), events=[])
    assert response.status_code == 400 and "events" in response.json()


def test_every_event_may_be_subscribed_to(api, hook_admin):
    events = ["article.published", "article.updated", "article.unpublished", "article.corrected", "media.updated"]
    response = create(api(hook_admin), events=events)
    assert response.status_code == 201
    assert response.json()["events"] == events


def test_changes_and_deletion_are_audited(api, hook_admin):
    client = api(hook_admin)
    endpoint_id = create(client).json()["id"]
    old_secret = Endpoint.objects.get().secret
    response = client.patch(f"/api/v1/webhooks/{endpoint_id}/", {"active": False, "secret": ""}, format="json")
    assert response.status_code == 200
    assert response.json()["active"] is False and "secret" not in response.json()
    assert Endpoint.objects.get().secret not in ("", old_secret)  # "" asks for a new one
    entry = AuditEntry.objects.get(action="webhook_update")
    assert entry.details["fields"] == ["secret", "active"]
    assert old_secret not in str(entry.details)
    refused = client.patch(f"/api/v1/webhooks/{endpoint_id}/", {"url": "http://"}, format="json")
    assert refused.status_code == 400 and "url" in refused.json()
    assert client.delete(f"/api/v1/webhooks/{endpoint_id}/").status_code == 204
    assert not Endpoint.objects.exists()
    assert AuditEntry.objects.filter(action="webhook_delete", actor=hook_admin).exists()


def test_chief_editors_manage_webhooks_and_editors_do_not(api, people):
    assert create(api(people["chief"])).status_code == 201
    assert create(api(people["editor"])).status_code == 403
    assert api(people["editor"]).get("/api/v1/webhooks/").status_code == 403
