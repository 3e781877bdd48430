"""The tasks worker as `manage.py db_worker` builds it, for tests that run the database
queue of production instead of running tasks at once."""

from django_tasks_db.management.commands.db_worker import Worker


def db_worker(worker_id):
    """db_worker's own Worker: the default queue, no pause between tasks, no start delay."""
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
