"""What the home page says waits in the ledger for a user."""

from django import template
from django.db.models import Count, Sum

from ..queues import mine_entries, verifying_entries
from ..words import EntryState

register = template.Library()


@register.simple_tag
def ledger_waiting(user):
    """{"mine", "overdue", "verify", "total"}: the measures USER reports on that are being
    carried out (and how many of them are overdue), and those waiting for USER to verify;
    counted in the database, so the same few queries however many there are."""
    counts = (
        mine_entries(user).filter(state=EntryState.OPEN).aggregate(mine=Count("pk"), overdue=Sum("overdue"))
    )
    counts["overdue"] = counts["overdue"] or 0
    counts["verify"] = verifying_entries(user).count()
    counts["total"] = counts["mine"] + counts["verify"]
    return counts
