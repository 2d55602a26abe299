"""The background tasks in the admin: django-tasks-db's list of task results (what ran, when,
how it ended, the traceback of a failure), with a "Retry" action for failed tasks.

Only people with the task results' view permission (superusers, say) see the list; retrying
needs their change permission. A retried task is put back in the queue as it was (same task,
same arguments) and the worker runs it again: the media tasks are safe to run twice.
"""

from django.contrib import admin, messages
from django.tasks import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult, get_date_max

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("id", "task_name", "status", "arguments", "error", "enqueued_at", "finished_at")
    actions = ["retry"]

    @admin.display(description="arguments")
    def arguments(self, obj):
        values = [*map(repr, obj.args_kwargs.get("args", []))]
        values += [f"{k}={v!r}" for k, v in obj.args_kwargs.get("kwargs", {}).items()]
        return ", ".join(values) or "—"

    @admin.display(description="error")
    def error(self, obj):
        """The last line of a failure's traceback: the exception and its message."""
        if obj.status != TaskResultStatus.FAILED or not obj.traceback:
            return "—"
        return obj.traceback.strip().splitlines()[-1][:300]

    def has_retry_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")

    @admin.action(description="Retry the selected failed tasks", permissions=["retry"])
    def retry(self, request, queryset):
        """Put the failed tasks among those selected back in the queue, as if just enqueued."""
        count = queryset.filter(status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY,
            started_at=None,
            finished_at=None,
            run_after=get_date_max(),
            return_value=None,
            exception_class_path="",
            traceback="",
        )
        skipped = queryset.count() - count
        self.message_user(request, f"{count} task(s) put back in the queue.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} task(s) had not failed and were left as they are.", messages.INFO)
