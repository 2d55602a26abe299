"""Running background tasks inside a test, the way the database worker (`manage.py db_worker`)
runs them: each ready task is claimed and run by django-tasks-db's own Worker, which records
its result (successful, or failed with its traceback) in the task results table.

Tests run in a transaction that is never committed, so nothing is enqueued by itself: the
after-commit callbacks a request registered (enqueuing its tasks) are run by
`django_capture_on_commit_callbacks`, then the worker, until no task is left.
Real worker processes are tested in tests/tasks/test_worker_process.py.
"""

from contextlib import contextmanager

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_ready_tasks(backend_name: str = "default") -> int:
    """Claim and run every ready task of the database queue, one after another, as a worker
    process would (without its sleep-and-poll loop); how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (row := DBTaskResult.objects.ready().filter(backend_name=backend_name).first()) is not None:
        row.claim(worker.worker_id)
        worker.run_task(row)
        ran += 1
    return ran


def work_off(capture) -> int:
    """Run the queue dry: tasks the test's after-commit callbacks enqueue, and those that tasks
    enqueue in turn; `capture` is pytest-django's django_capture_on_commit_callbacks. How many ran."""
    total = 0
    while True:
        with capture(execute=True) as callbacks:
            ran = run_ready_tasks()
        total += ran
        if not ran and not callbacks:
            return total


@contextmanager
def committed(capture):
    """Inside: what the block does is treated as committed (its after-commit callbacks run at
    the end, enqueuing its tasks), without running the tasks."""
    with capture(execute=True):
        yield
