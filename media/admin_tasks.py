"""The background tasks in the admin: django-tasks-db's list of task results (what ran, when,
how it ended, the traceback of a failure), with a "Retry" action for failed tasks; and, when
tasks go to Redis (django-tasks-rq), a page beside it listing RQ's failed jobs, which can be
put back in their queue the same way.

Only people with the task results' view permission (superusers, say) see either; retrying
needs their change permission. A retried task is put back in the queue as it was (same task,
same arguments) and the worker runs it again: the media tasks are safe to run twice.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.tasks import TaskResultStatus, task_backends
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult, get_date_max

# The most failed jobs the Redis page lists per queue (the newest first).
REDIS_FAILED_SHOWN = 200


def redis_queues() -> list:
    """RQ's queues of the default task backend; [] when tasks go to the database."""
    backend = task_backends["default"]
    if not type(backend).__module__.startswith("django_tasks_rq"):
        return []
    import django_rq

    return [django_rq.get_queue(name) for name in sorted(backend.queues)]


def _last_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[-1][:300] if (text or "").strip() else "—"


def redis_failed_jobs(queues) -> list[dict]:
    """What the Redis page shows of each failed job: id, queue, task, arguments, when, error."""
    from rq.job import Job
    from rq.registry import FailedJobRegistry

    rows = []
    for queue in queues:
        ids = FailedJobRegistry(queue=queue).get_job_ids(0, REDIS_FAILED_SHOWN - 1, desc=True)
        for job in Job.fetch_many(ids, connection=queue.connection):
            if job is None:
                continue
            result = job.latest_result()
            rows.append(
                {
                    "id": job.id,
                    "queue": queue.name,
                    "task": job.func_name,
                    "arguments": ", ".join([*map(repr, job.args), *(f"{k}={v!r}" for k, v in job.kwargs.items())]),
                    "ended_at": job.ended_at,
                    "error": _last_line(result.exc_string if result else None),
                }
            )
    return rows


def requeue_redis_jobs(queues, job_ids) -> int:
    """Put the failed jobs `job_ids` back in their queues; how many were."""
    from rq.exceptions import InvalidJobOperation, NoSuchJobError
    from rq.registry import FailedJobRegistry

    count = 0
    for queue in queues:
        registry = FailedJobRegistry(queue=queue)
        for job_id in job_ids:
            try:
                registry.requeue(job_id)
            except (InvalidJobOperation, NoSuchJobError):
                continue
            count += 1
    return count


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

    def get_urls(self):
        view = self.admin_site.admin_view(self.redis_failed_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_redis_failed"
        return [path("redis-failed/", view, name=name), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "redis_queue": bool(redis_queues())})

    def redis_failed_view(self, request):
        """RQ's failed jobs, newest first, with a Retry button for the ones ticked."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        queues = redis_queues()
        if request.method == "POST":
            if not self.has_retry_permission(request):
                raise PermissionDenied
            count = requeue_redis_jobs(queues, request.POST.getlist("job"))
            self.message_user(request, f"{count} job(s) put back in the queue.", messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Failed jobs on the Redis queue",
            "redis": bool(queues),
            "jobs": redis_failed_jobs(queues),
            "may_retry": self.has_retry_permission(request),
            "changelist_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"),
        }
        return TemplateResponse(request, "admin/django_tasks_database/dbtaskresult/redis_failed.html", context)

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
