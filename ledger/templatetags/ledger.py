"""What the home page says waits in the ledger for a user."""

from django import template

from ..queues import mine_entries, verifying_entries

register = template.Library()


@register.simple_tag
def ledger_waiting(user):
    """{"mine", "overdue", "verify", "total"}: the measures USER reports on that are being
    carried out (and how many of them are overdue), and those waiting for USER to verify."""
    counts = {"mine": 0, "overdue": 0}
    for overdue in mine_entries(user).filter(state="open").values_list("overdue", flat=True):
        counts["mine"] += 1
        counts["overdue"] += overdue
    counts["verify"] = len(verifying_entries(user))
    counts["total"] = counts["mine"] + counts["verify"]
    return counts
