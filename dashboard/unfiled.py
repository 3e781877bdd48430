"""Who has not filed: every document due in a region that nobody has started, or that is
still a draft, as one list in the order of the tree.

A team's own document (its plan or list; a kind filter may ask for an attachment) and
the individual measures of each person who wrote 对照检查材料 (once, at their highest seat)
are one row each: the rows dashboard.due gives, each a team or seat joined to the document
that answers it (a correlated subquery per row took seconds at the province's size), read
as one UNION, so a page of the list is one query and its count another, whatever the size
of the region. The figures count the same rows, so the list and their 未开始 and 草稿 agree.
"""

from django.db.models import Case, CharField, F, IntegerField, Q, Value, When

from orgs.models import TEAM_KIND_ORDER, TeamKind
from orgs.tree import subtree
from plans.words import DocumentKind, Status

from .due import due
from .figures import ALL, MAIN_KINDS

NOT_STARTED = "not_started"
STATES = (NOT_STARTED, str(Status.DRAFT))


def _state_filter(state):
    """Not started (no document answers the row) or a draft, as STATE asks."""
    missing = Q(status__isnull=True)
    draft = Q(status=Status.DRAFT)
    if state == NOT_STARTED:
        return missing
    if state == Status.DRAFT:
        return draft
    return missing | draft


def _columns(path):
    """What a row shows and is ordered by, from the team reached through PATH ("" for a
    team's own document, "team__" for a seat's individual measures)."""
    org = f"{path}org__"
    if path:
        who = {"person_name": F("person__name"), "order": _member_order(), "seat": F("sort_order")}
    else:
        who = {
            "person_name": Value("", output_field=CharField()),
            "order": TEAM_KIND_ORDER,
            "seat": Value(-1, output_field=IntegerField()),
        }
    return {
        "org_name": F(f"{org}name"),
        "team_name": F(f"{path}name"),
        "team_ref": F(f"{path}pk"),
        "tree": F(f"{org}tree_id"),
        "lft": F(f"{org}lft"),
        **who,
    }


def _member_order():
    return Case(
        *[When(team__kind=kind, then=Value(index)) for index, kind in enumerate(TeamKind)],
        default=Value(len(TeamKind)),
    )


_SELECTED = (
    "org_name",
    "team_name",
    "team_ref",
    "person_name",
    "kind_code",
    "status",
    "updated_at",
    "tree",
    "lft",
    "order",
    "seat",
)


def unfiled(region, kind=ALL, state=None):
    """The rows due in REGION not yet filed (KIND: a DocumentKind code, or ALL for each
    team's plan or list and each leader's measures; STATE: not_started, draft or None for
    both), ordered by the tree, as a values queryset to slice and count."""
    kinds = MAIN_KINDS if kind == ALL else (kind,)
    parts = [
        part.filter(_state_filter(state)).annotate(**_columns(path)).values(*_SELECTED).order_by()
        for part, path in due(kinds, lambda prefix: subtree(region, prefix))
    ]
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return query.order_by("tree", "lft", "order", "seat", "person_name")


def describe(row):
    """What a row of unfiled() says, for people: the kind of document and its state."""
    return {
        **row,
        "kind_label": DocumentKind(row["kind_code"]).label,
        "state": row["status"] or NOT_STARTED,
    }
