"""The ledger's part of an approved document's page: how its measures stand, with a link
to the document's ledger. Registered with plans/pages.py (LedgerConfig.ready imports
this module)."""

from django.db.models import Count, Q
from django.template.loader import render_to_string

from plans import pages
from plans.words import Status

from .access import head_of
from .models import Entry
from .words import EntryState


def ledger_counts(head):
    """{"total", "open", "done", "closed", "standing"} of the entries of HEAD (a document)
    and its attachments, in one query."""
    return Entry.objects.filter(Q(document=head) | Q(document__parent=head)).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(state=EntryState.OPEN)),
        done=Count("pk", filter=Q(state=EntryState.DONE)),
        closed=Count("pk", filter=Q(state=EntryState.CLOSED)),
        standing=Count("pk", filter=Q(standing=True)),
    )


@pages.document_part
def ledger_part(request, document, checklist):
    head = head_of(document)
    if head.status != Status.APPROVED:
        return None
    counts = ledger_counts(head)
    if not counts["total"]:
        return None
    sidebar = render_to_string("ledger/_panel.html", {"head": head, "counts": counts}, request)
    return pages.PagePart(sidebar=sidebar)
