"""Fixtures of the task tests (`worker` and `commit` are in tests/conftest.py)."""

import pytest


@pytest.fixture
def admin_client(client, editor):
    """The admin, signed in as an editor who may also see and retry background tasks."""
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="django_tasks_database"))
    client.force_login(editor)
    return client
