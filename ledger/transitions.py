"""Every change of a ledger entry, and nothing else makes one.

Each function runs in a transaction, locks the entry's row, checks that the actor may
make the move now and that the entry is still as the page showed it (its revision), moves
it with a conditional update, and writes an append-only Event. Who must hear of it is
told after the transaction commits (review.notices). Refusals raise review's errors
(NotAllowed, Stale, NotReady) with a message in Chinese.
"""

from django.db.models import F
from django.utils.translation import gettext as _

from review.moves import Stale

from .models import Entry, Event

# Helpers ------------------------------------------------------------------------------


def _lock(entry_id, revision=None):
    """The entry, its row locked; Stale if REVISION is given and it has moved on."""
    entry = Entry.objects.select_for_update().select_related("document").get(pk=entry_id)
    if revision is not None and entry.revision != int(revision):
        raise Stale(_("这条整改措施刚刚有了变化，请刷新页面后再操作。"))
    return entry


def _move(entry, **changes):
    """Write CHANGES to the locked ENTRY and advance its revision."""
    touched = Entry.objects.filter(pk=entry.pk, revision=entry.revision).update(
        revision=F("revision") + 1, **changes
    )
    if touched != 1:
        raise Stale(_("这条整改措施刚刚有了变化，请刷新页面后再操作。"))
    for name, value in changes.items():
        setattr(entry, name, value)
    entry.revision += 1


def _event(entry, action, actor, **fields):
    return Event.objects.create(entry=entry, action=action, actor=actor, **fields)


# Reporting and verifying (the owner, the filer, the approving body) -------------------


# Chasing (the schedule: reminders and escalation) -------------------------------------
