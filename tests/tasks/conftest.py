import pytest

from tests.tasks.worker import committed, work_off


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """worker() runs every task waiting (and those they enqueue); returns how many ran."""
    return lambda: work_off(django_capture_on_commit_callbacks)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` the block's after-commit callbacks run at its end (tasks are enqueued)."""
    return lambda: committed(django_capture_on_commit_callbacks)


@pytest.fixture
def admin_client(client, editor):
    """The admin, signed in as an editor who may also see and retry background tasks."""
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="django_tasks_database"))
    client.force_login(editor)
    return client
