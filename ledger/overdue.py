"""What counts as overdue (逾期) and as escalated (督办), in one place for the roll-ups:
the region's ledger, its Excel and the dashboard's figures read these and nothing else.

* overdue: still being carried out (OPEN), not a standing measure (长期坚持 has no end
  date), and its deadline passed before TODAY. A measure reported done waits on its
  verifier, not on its owner: it is not overdue.
* escalated: raised to the body above (escalated_at set) and not closed since.

ledger/chase.py (the reminders and escalations) will hold the schedule's own definition;
the two are one at the merge.
"""

from django.db.models import Q

from .words import EntryState


def overdue_q(today, prefix=""):
    """A Q of the entries (PREFIX leading to them) overdue on TODAY."""
    return Q(
        **{
            f"{prefix}state": EntryState.OPEN,
            f"{prefix}standing": False,
            f"{prefix}deadline__lt": today,
        }
    )


def escalated_q(prefix=""):
    """A Q of the entries (PREFIX leading to them) escalated and not closed."""
    return Q(**{f"{prefix}escalated_at__isnull": False}) & ~Q(**{f"{prefix}state": EntryState.CLOSED})
