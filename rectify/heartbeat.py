"""The tasks worker's heartbeat: proof, for /healthz, that a worker is taking work from the
queue.

The task `beat` records its time in the one Heartbeat row and queues the next beat
settings.HEARTBEAT_SECONDS later. An idle worker runs nothing else, so only a task it runs
can show it alive; django-tasks-db keeps no record of its workers of its own.

One chain, however many workers and however often it is started: `plan_next` queues a
beat only when none is waiting in the queue, and it decides so holding the Heartbeat row
(a row lock on PostgreSQL; SQLite's write lock, IMMEDIATE transactions), so two workers
finishing beats at the same moment, or the command run twice, queue one beat between
them. A beat left running by a worker killed in its middle never queues the next: the
command (`manage.py heartbeat`, run before a worker starts: `make demo`, the service's
start in production) queues one then. Each beat forgets the results of the beats before
it, so the queue does not grow by one row a minute.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .models import Heartbeat

FINISHED = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)


def last():
    """When the worker last beat, or None: one query."""
    return Heartbeat.objects.filter(pk=Heartbeat.ONE).values_list("at", flat=True).first()


def alive(at, now=None):
    """Is a beat at AT recent enough to say a worker is running?"""
    stale = dt.timedelta(seconds=settings.HEARTBEAT_STALE_SECONDS)
    return at is not None and at >= (now or timezone.now()) - stale


def waiting():
    """The beats waiting in the database queue."""
    return DBTaskResult.objects.filter(task_path=beat.module_path, status=TaskResultStatus.READY)


def plan_next(at):
    """Queue a beat to run at AT unless one waits already. Returns (run_after, queued
    now?), or None when the tasks backend is not the database queue (nothing can wait)."""
    if not isinstance(beat.get_backend(), DatabaseBackend):
        return None
    with transaction.atomic():
        Heartbeat.objects.select_for_update().get_or_create(pk=Heartbeat.ONE)
        queued = waiting().order_by("run_after").first()
        if queued is not None:
            return queued.run_after, False
        beat.using(run_after=at).enqueue()
        return at, True


def start(now=None):
    """Queue a beat now unless one waits (manage.py heartbeat)."""
    return plan_next(now or timezone.now())


@task()
def beat():
    """Record now as the worker's last beat, forget the earlier beats' results, queue the next."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(pk=Heartbeat.ONE, defaults={"at": now})
    DBTaskResult.objects.filter(task_path=beat.module_path, status__in=FINISHED, finished_at__lt=now).delete()
    plan_next(now + dt.timedelta(seconds=settings.HEARTBEAT_SECONDS))
    return now.isoformat()
