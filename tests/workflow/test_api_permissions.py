"""The API column of the permission matrix: the same roles, token auth, the same outcome as the
actions (the API applies every write through them). Restoring a revision is admin-only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from articles.models import AuditEntry
from tests.workflow.helpers import state_of
from tests.workflow.test_permissions import AUDIT_NAME, MATRIX, ROLES, effect_seen, prepared

pytestmark = pytest.mark.django_db

LATER = timedelta(hours=3)


def request_for(action: str) -> tuple[str, dict | None]:
    """(method, JSON body) for each action through the API."""
    later = (timezone.now() + LATER).isoformat()
    return {
        "submit": ("patch", {"status": "review"}),
        "publish": ("patch", {"status": "published"}),
        "schedule": ("patch", {"published_at": later, "status": "published"}),
        "unpublish": ("patch", {"status": "draft"}),
        "archive": ("patch", {"status": "archived"}),
        "embargo": ("patch", {"embargo_until": later}),
        "delete": ("delete", None),
        "edit": ("patch", {"title": "Council rejects the river budget"}),
        "edit_published": ("patch", {"title": "Council rejects the river budget"}),
    }[action]


@pytest.mark.parametrize("action, role", [(a, r) for a in MATRIX if a != "restore" for r in ROLES])
def test_api_writes_follow_the_role_matrix(people, client, action, role):
    kind, allowed = MATRIX[action]
    article = prepared(people, kind)
    auth = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=people[role]).key}"}
    url = reverse("article-detail", kwargs={"pk": article.pk})
    read = client.get(url, **auth)
    assert read.status_code == 200  # every role reads unpublished articles
    before = state_of(article.pk)
    method, body = request_for(action)
    response = getattr(client, method)(
        url,
        body,
        content_type="application/json",
        HTTP_IF_MATCH=read["ETag"],
        **auth,
    )
    if role in allowed:
        assert response.status_code in (200, 204), response.content.decode()[:500]
        assert effect_seen(action, article.pk)
        entry = AuditEntry.objects.filter(actor=people[role]).order_by("-id").first()
        if action == "embargo":  # an API content write that moves the embargo: an edit naming it
            assert entry.action == "edit" and "embargo_until" in entry.details["timeline"]
        else:
            assert entry.action == AUDIT_NAME.get(action, action)
    else:
        assert response.status_code == 403, response.content.decode()[:500]
        assert state_of(article.pk) == before
