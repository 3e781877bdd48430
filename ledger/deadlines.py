"""What is due, overdue and escalated in the ledger: one definition of each, read by the
schedule (ledger.chase), the 逾期督办 page and the other parts' roll-ups alike.

* 逾期 (overdue): an OPEN entry with a deadline before today, not standing. A DONE entry
  is not overdue, whatever its deadline: the owner has reported it carried out and it
  waits for the verifier, which is not the owner's fault; sent back, it is OPEN again and
  overdue again. A CLOSED entry is finished; a standing one (长期坚持) has no deadline.
* 到期提醒 (to remind): OPEN, not standing, its deadline from today to
  LEDGER_REMIND_DAYS days ahead.
* 督办 (to escalate): overdue by LEDGER_ESCALATE_DAYS days or more, not yet escalated;
  escalated (已督办): escalated and not closed since.
* 定期报告 (report due): a standing OPEN entry whose last report, or its opening if it has
  none, lies interval_days days or more before today; it falls due again every
  interval_days days until the owner reports.

`running`, `overdue`, `escalated`, `to_remind` and `to_escalate` are Q objects; PREFIX
reaches the entry through a relation (`Document.objects.filter(overdue(today,
"ledger__"))`); `is_overdue`, `is_to_escalate` and `is_escalated` say the same of one
entry's values (tests hold each twin to its Q). TODAY
comes from ledger.clock.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Entry
from .words import EntryState


def running(prefix=""):
    """The entries their deadline holds to: OPEN and not standing (the dashboard keeps
    their deadlines and reads them against the day it is read)."""
    return Q(**{f"{prefix}state": EntryState.OPEN, f"{prefix}standing": False})


def overdue(today, prefix=""):
    """The entries overdue on TODAY (逾期)."""
    return running(prefix) & Q(**{f"{prefix}deadline__lt": today})


def escalated(prefix=""):
    """The entries escalated (已督办) and not closed since."""
    return Q(**{f"{prefix}escalated_at__isnull": False}) & ~Q(**{f"{prefix}state": EntryState.CLOSED})


def is_overdue(state, standing, deadline, today):
    """overdue() of one entry's values."""
    return state == EntryState.OPEN and not standing and deadline is not None and deadline < today


def is_to_escalate(state, standing, deadline, escalated_at, today, days=None):
    """to_escalate() of one entry's values."""
    days = settings.LEDGER_ESCALATE_DAYS if days is None else days
    return (
        is_overdue(state, standing, deadline, today)
        and deadline <= today - dt.timedelta(days=days)
        and escalated_at is None
    )


def is_escalated(state, escalated_at):
    """escalated() of one entry's values."""
    return escalated_at is not None and state != EntryState.CLOSED


def to_remind(today, days=None, prefix=""):
    """The entries whose deadline is DAYS (LEDGER_REMIND_DAYS) days away or fewer."""
    days = settings.LEDGER_REMIND_DAYS if days is None else days
    return Q(
        **{
            f"{prefix}state": EntryState.OPEN,
            f"{prefix}standing": False,
            f"{prefix}deadline__gte": today,
            f"{prefix}deadline__lte": today + dt.timedelta(days=days),
        }
    )


def to_escalate(today, days=None, prefix=""):
    """The entries overdue by DAYS (LEDGER_ESCALATE_DAYS) days or more and not escalated."""
    days = settings.LEDGER_ESCALATE_DAYS if days is None else days
    return overdue(today, prefix) & Q(
        **{f"{prefix}deadline__lte": today - dt.timedelta(days=days), f"{prefix}escalated_at__isnull": True}
    )


def days_overdue(entry, today):
    """How many days ENTRY's deadline lies behind TODAY (0 when it has not passed)."""
    if entry.deadline is None:
        return 0
    return max(0, (today - entry.deadline).days)


def report_due_on(base, interval_days, today):
    """The date the latest report fell due on by TODAY, counting every INTERVAL_DAYS days
    from BASE (the last report's date, or the opening's); None before the first."""
    if not interval_days:
        return None
    periods = (today - base).days // interval_days
    return base + dt.timedelta(days=periods * interval_days) if periods >= 1 else None


def reports_due(today):
    """[(entry id, the date its report fell due)] of the standing entries due a report."""
    rows = Entry.objects.filter(state=EntryState.OPEN, standing=True).values_list(
        "pk", "last_report_at", "opened_at", "interval_days"
    )
    due = []
    for pk, last_report_at, opened_at, interval_days in rows.iterator():
        base = timezone.localdate(last_report_at or opened_at)
        on = report_due_on(base, interval_days, today)
        if on is not None:
            due.append((pk, on))
    return due
