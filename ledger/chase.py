"""Deadlines chase themselves: reminders before a deadline, a standing measure's periodic
report, and escalation (督办) of what stays overdue, sent once each, on the tasks worker.

`chase(today)` finds, by the definitions of ledger.deadlines,

* the entries whose deadline is LEDGER_REMIND_DAYS days away or fewer: their owner and the
  team's filers are reminded (到期提醒);
* the standing entries (长期坚持) whose report fell due: the same people are asked for it
  (定期报告提醒), once per interval_days;
* the entries overdue LEDGER_ESCALATE_DAYS days or more and not yet escalated: the bodies
  that approved the document and the supervision group nearest its org are told, in the
  app and by mail (督办), and the entry is marked escalated;

and makes each move through ledger.transitions (`remind`, `escalate`). What a move sends
is proven by its Chase row (entry, kind, due), unique: a rerun after a crash, or a second
worker running at the same time, finds the row and sends nothing again. The queries skip
what has its row already, so a day's rerun costs little.

The schedule. The task `run` chases for today (ledger.clock) and queues itself for the
next morning at CHASE_AT, unless a run is already waiting in the queue: a worker restarted
finds its run still queued, and a run queued twice collapses to one as the first of them
finishes and finds the other waiting. Something must start the chain once:
`manage.py chase_ledger` chases now and queues the next run if none waits; `make demo`
runs it before the worker starts, and in production it runs once after deployment (and,
as a fallback that costs nothing if the chain is alive, daily from cron). Only the
database queue (django-tasks-db) can hold a run for later; with another backend nothing
is queued and the daily cron line is the schedule.
"""

import datetime as dt
from collections import Counter

from django.db.models import Exists, OuterRef
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from . import clock, transitions
from .deadlines import reports_due, to_escalate, to_remind
from .models import Chase, Entry
from .words import ChaseKind

# The schedule runs each morning before the working day.
CHASE_AT = dt.time(6, 0)


def _not_sent(kind):
    """Entries with no Chase of KIND about their deadline."""
    return ~Exists(Chase.objects.filter(entry=OuterRef("pk"), kind=kind, due=OuterRef("deadline")))


def chase(today=None):
    """Send what is due on TODAY (ledger.clock's, by default) and not sent yet; return how
    many of each ChaseKind were sent."""
    today = today or clock.today()
    sent = Counter({kind.value: 0 for kind in ChaseKind})
    near = Entry.objects.filter(to_remind(today)).filter(_not_sent(ChaseKind.REMIND))
    for pk, deadline in near.order_by("pk").values_list("pk", "deadline"):
        if transitions.remind(pk, ChaseKind.REMIND, deadline):
            sent[ChaseKind.REMIND] += 1
    for pk, due in reports_due(today):
        if transitions.remind(pk, ChaseKind.REPORT_DUE, due):
            sent[ChaseKind.REPORT_DUE] += 1
    late = Entry.objects.filter(to_escalate(today)).filter(_not_sent(ChaseKind.ESCALATE))
    for pk, deadline in late.order_by("pk").values_list("pk", "deadline"):
        if transitions.escalate(pk, deadline, today):
            sent[ChaseKind.ESCALATE] += 1
    return dict(sent)


def next_run(now=None):
    """The next CHASE_AT after NOW, in local time."""
    local = timezone.localtime(now)
    at = timezone.make_aware(dt.datetime.combine(local.date(), CHASE_AT))
    return (
        at
        if at > local
        else timezone.make_aware(dt.datetime.combine(local.date() + dt.timedelta(days=1), CHASE_AT))
    )


def waiting():
    """The runs waiting in the database queue."""
    return DBTaskResult.objects.filter(task_path=run.module_path, status=TaskResultStatus.READY)


def plan_next(now=None):
    """Queue the next run unless one waits already. Returns (run_after, queued now?), or
    None when the queue cannot hold a run for later."""
    if not isinstance(run.get_backend(), DatabaseBackend):
        return None
    queued = waiting().order_by("run_after").first()
    if queued is not None:
        return queued.run_after, False
    at = next_run(now)
    run.using(run_after=at).enqueue()
    return at, True


@task()
def run():
    """chase() for today on the worker, then the next morning's run queued."""
    sent = chase()
    plan_next()
    return sent
