"""Webhook tests: a local receiver (tests/webhooks/receiver.py), private hosts allowed for it,
and an endpoint subscribed to every event."""

import pytest

from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    settings.SITE_URL = "https://news.example.org"  # the same absolute URLs in the API and the payloads
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def hook_admin(db):
    """Staff with every webhooks permission."""
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(username="hooks", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="webhooks"))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def endpoint(receiver, hook_admin):
    from webhooks import actions
    from webhooks.models import EventType

    return actions.create_endpoint(
        actor=hook_admin, url=receiver.url, secret=receiver.secret, events=list(EventType.values)
    )


from tests.concurrency.conftest import shared_database  # noqa: E402,F401  (threads share the test's database)
