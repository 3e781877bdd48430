"""A region's ledger: every measure of the approved documents filed in a region's subtree,
filtered, counted and listed; the page, its Excel and the worker that writes a large
Excel read the same queries here.

Cost does not grow with the page: the entries are reached from the org tree's range
(tree_id, lft between the region's lft and rght: the org_subtree index), through the
teams and documents of those orgs, to the entries by their document. The counts on top
of the page are one GROUP BY-free aggregate of the filtered entries (each state, overdue
and escalated, as ledger/overdue.py defines them); a page of rows is one more query, its
size read from those counts rather than counted again.
"""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.http import urlencode

from orgs.tree import subtree
from plans.words import Category, DocumentKind

from . import clock, words
from .deadlines import escalated, is_escalated, is_overdue, overdue
from .models import Entry, Report

ORG = "document__team__org__"
STATES = tuple(words.ROLLUP_STATES)
CATEGORIES = tuple(Category.values)
NO_CATEGORY = "none"  # the filter value of the measures filed under no category
KINDS = tuple(DocumentKind.values)
SEARCH_MAX = 50  # characters of the search box used


@dataclass(frozen=True)
class Filters:
    """What the region's ledger is narrowed to; every value is one the page offers, or
    empty (anything else in the query string is ignored)."""

    state: str = ""
    category: str = ""
    kind: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, data):
        state = data.get("state", "")
        category = data.get("category", "")
        kind = data.get("kind", "")
        return cls(
            state=state if state in STATES else "",
            category=category if category in (*CATEGORIES, NO_CATEGORY) else "",
            kind=kind if kind in KINDS else "",
            q=" ".join(str(data.get("q", "")).split())[:SEARCH_MAX],
        )

    @classmethod
    def from_dict(cls, values):
        return cls.from_query(values or {})

    def as_dict(self):
        return {name: value for name, value in vars(self).items() if value}

    def query(self, **changes):
        """The query string of these filters with CHANGES (a value "" drops a filter)."""
        values = {**self.as_dict(), **changes}
        return urlencode({name: value for name, value in values.items() if value})


def state_q(state, today):
    """A Q of the entries in STATE (a key of words.ROLLUP_STATES) on TODAY."""
    if state == words.OVERDUE:
        return overdue(today)
    if state == words.ESCALATED:
        return escalated()
    return Q(state=state)


def entries_of(region, filters=Filters(), today=None, with_state=True):
    """The Entry queryset of REGION's subtree narrowed by FILTERS (the state filter only
    when WITH_STATE: the counts are taken before it)."""
    queryset = Entry.objects.filter(subtree(region, ORG))
    if filters.category == NO_CATEGORY:
        queryset = queryset.filter(category="")
    elif filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.kind:
        queryset = queryset.filter(document__kind=filters.kind)
    if filters.q:
        for word in filters.q.split(" "):
            queryset = queryset.filter(
                Q(owner_text__icontains=word) | Q(text__icontains=word) | Q(unit__icontains=word)
            )
    if with_state and filters.state:
        queryset = queryset.filter(state_q(filters.state, today or clock.today()))
    return queryset


def counts(region, filters=Filters(), today=None):
    """{"measures": n, "open": n, "done": n, "closed": n, "overdue": n, "escalated": n,
    "standing": n} of REGION's entries under FILTERS but its state: one query."""
    today = today or clock.today()
    # Named apart from the fields the filters name (an aggregate "standing" would hide
    # the field standing from the filter of "overdue").
    found = entries_of(region, filters, today, with_state=False).aggregate(
        n_measures=Count("pk"),
        n_standing=Count("pk", filter=Q(standing=True)),
        **{f"n_{state}": Count("pk", filter=state_q(state, today)) for state in STATES},
    )
    return {name.removeprefix("n_"): n for name, n in found.items()}


def completion_rate(closed, closable):
    """已销号 over the measures that can be closed (a standing one never is), or None."""
    return closed / closable if closable > 0 else None


# What a row shows: the entry's own columns, its document's and its org's, read in one query.
ROW_FIELDS = (
    "pk",
    "number",
    "category",
    "problem",
    "text",
    "owner_text",
    "unit",
    "deadline",
    "deadline_text",
    "standing",
    "state",
    "last_report_at",
    "done_at",
    "closed_at",
    "escalated_at",
    "document_id",
    "document__title",
    "document__kind",
    f"{ORG}name",
)


def ordered(queryset):
    """In the order of the tree, each document's measures in its own order."""
    return queryset.order_by(f"{ORG}tree_id", f"{ORG}lft", "document_id", "position", "pk")


def rows(queryset):
    """The values of the rows of QUERYSET the page and the Excel show, in order."""
    return ordered(queryset).values(*ROW_FIELDS)


def with_progress(queryset):
    """ROWS with the text of each entry's latest report (最近进展), for the Excel."""
    latest = Report.objects.filter(entry=OuterRef("pk")).order_by("-at", "-id").values("text")[:1]
    return rows(queryset).annotate(progress=Subquery(latest))


def describe(row, today):
    """ROW (a values dict of rows()) for people: its state's word, whether it is overdue
    or escalated, its owner and unit."""
    return {
        **row,
        "overdue": is_overdue(row["state"], row["standing"], row["deadline"], today),
        "escalated": is_escalated(row["state"], row["escalated_at"]),
        "state_label": words.ROLLUP_STATES[row["state"]],
        "owner": row["owner_text"],
        "org": row[f"{ORG}name"],
    }
