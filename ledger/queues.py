"""The lists of measures waiting on a user: those they report on (我的整改任务) and those
waiting for their body to verify (待核验); the pages and the home page count the same."""

from django.db.models import Case, F, IntegerField, Value, When

from . import access, clock
from .deadlines import overdue
from .models import Entry
from .words import EntryState


def with_overdue(entries):
    return entries.annotate(
        overdue=Case(
            When(overdue(clock.today()), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def listed(entries):
    return entries.select_related("document__team", "document__parent", "owner")


def reported_by(user):
    """The measures USER reports on that are not closed."""
    return Entry.objects.filter(access.reporting_q(user)).exclude(state=EntryState.CLOSED)


def mine_entries(user):
    """reported_by(USER) as 我的整改任务 lists them: overdue first, then by deadline."""
    return listed(with_overdue(reported_by(user))).order_by(
        "-overdue", "-state", F("deadline").asc(nulls_last=True), "document_id", "position"
    )


def verifying_entries(user):
    """The measures reported done that wait for USER's body to verify them, the longest
    waiting first (access.verifying_q): one query, so the home page counts and the page
    lists the same at any size."""
    return (
        Entry.objects.filter(state=EntryState.DONE, standing=False)
        .filter(access.verifying_q(user))
        .select_related("document__team__org", "document__person", "document__parent", "owner")
        .order_by("done_at", "pk")
    )
