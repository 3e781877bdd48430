"""What the home page says waits in the ledger for a user."""

from django import template
from django.db.models import Count

from .. import clock
from ..deadlines import overdue
from ..queues import reported_by, verifying_entries
from ..words import EntryState

register = template.Library()


@register.simple_tag
def ledger_waiting(user):
    """{"mine", "overdue", "verify", "total"}: the measures USER reports on that are being
    carried out (and how many of them are overdue), and those waiting for USER to verify;
    counted in the database, so the same few queries however many there are."""
    counts = (
        reported_by(user)
        .filter(state=EntryState.OPEN)
        .aggregate(mine=Count("pk"), overdue=Count("pk", filter=overdue(clock.today())))
    )
    counts["verify"] = verifying_entries(user).count()
    counts["total"] = counts["mine"] + counts["verify"]
    return counts
