"""Who has not filed: every document due in a region that nobody has started, or that is
still a draft, as one list in the order of the tree.

A team's own document (its plan or list; a kind filter may ask for an attachment) and
the individual measures of each person who wrote 对照检查材料 (once, at their highest seat)
are one row each, read as one UNION of two
queries that join the document to its team or member (a correlated subquery per row
took seconds at the province's size), so a page of the list is one query and its count
another, whatever the size of the region. Who must file what comes from review.routing.filed_kinds, as for the
figures, so the list and the counts of 未开始 and 草稿 agree.
"""

from itertools import product

from django.db.models import Case, CharField, F, FilteredRelation, IntegerField, Q, Value, When

from orgs.models import TEAM_KIND_ORDER, Level, OrgKind, Position, Team, TeamKind
from orgs.tree import subtree
from plans.structure import due_measures
from plans.words import DocumentKind, Status
from review.routing import filed_kinds

from .figures import ALL, INDIVIDUAL

NOT_STARTED = "not_started"
STATES = (NOT_STARTED, str(Status.DRAFT))


def _due(kind, prefix=""):
    """A Q of the teams (PREFIX leading to the team) that must file KIND; for ALL, of
    the teams that file a plan or list of their own."""
    q = Q(pk__in=[])
    for level, org_kind in product(Level, OrgKind):
        team_kinds = []
        for team_kind in TeamKind:
            kinds = filed_kinds(level, org_kind, team_kind)
            if (kind == ALL and kinds and kinds[0] != INDIVIDUAL) or (kind != ALL and kind in kinds):
                team_kinds.append(team_kind)
        if team_kinds:
            q |= Q(
                **{
                    f"{prefix}org__level": level,
                    f"{prefix}org__kind": org_kind,
                    f"{prefix}kind__in": team_kinds,
                }
            )
    return q


def _state_filter(state, prefix):
    """Not started (no document joined) or a draft, as STATE asks."""
    missing = Q(**{f"{prefix}__isnull": True})
    draft = Q(**{f"{prefix}__status": Status.DRAFT})
    if state == NOT_STARTED:
        return missing
    if state == Status.DRAFT:
        return draft
    return missing | draft


def _teams(region, kind, state):
    """A team's own document, joined (at most one: a team files one plan or list, and
    one document of each attachment kind)."""
    own = Q(documents__person__isnull=True)
    own &= Q(documents__parent__isnull=True) if kind == ALL else Q(documents__kind=kind)
    return (
        Team.objects.filter(subtree(region, "org__"), _due(kind))
        .annotate(own=FilteredRelation("documents", condition=own))
        .filter(_state_filter(state, "own"))
        .annotate(
            status=F("own__status"),
            updated_at=F("own__updated_at"),
            kind_code=F("own__kind") if kind == ALL else Value(kind, output_field=CharField()),
            org_name=F("org__name"),
            team_name=F("name"),
            team_ref=F("pk"),
            person_name=Value("", output_field=CharField()),
            tree=F("org__tree_id"),
            lft=F("org__lft"),
            order=TEAM_KIND_ORDER,
            seat=Value(-1, output_field=IntegerField()),
            level_code=F("org__level"),
            org_kind=F("org__kind"),
            team_kind=F("kind"),
        )
        .values(*_SELECTED)
        .order_by()
    )


def _members(region, state):
    """The individual measures of each person asked to file, at their highest seat
    (plans.structure.due_measures), joined by that seat's team and the person."""
    mine = Q(person__documents__team=F("team"), person__documents__kind=INDIVIDUAL)
    return (
        due_measures(Position.objects.filter(subtree(region, "team__org__"), _due(INDIVIDUAL, "team__")))
        .annotate(mine=FilteredRelation("person__documents", condition=mine))
        .filter(_state_filter(state, "mine"))
        .annotate(
            status=F("mine__status"),
            updated_at=F("mine__updated_at"),
            kind_code=Value(INDIVIDUAL, output_field=CharField()),
            org_name=F("team__org__name"),
            team_name=F("team__name"),
            team_ref=F("team_id"),
            person_name=F("person__name"),
            tree=F("team__org__tree_id"),
            lft=F("team__org__lft"),
            order=_member_order(),
            seat=F("sort_order"),
            level_code=F("team__org__level"),
            org_kind=F("team__org__kind"),
            team_kind=F("team__kind"),
        )
        .values(*_SELECTED)
        .order_by()
    )


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
    "level_code",
    "org_kind",
    "team_kind",
)


def unfiled(region, kind=ALL, state=None):
    """The rows due in REGION not yet filed (KIND: a DocumentKind code or ALL; STATE:
    not_started, draft or None for both), ordered by the tree, as a values queryset
    to slice and count."""
    parts = []
    if kind == ALL or kind != INDIVIDUAL:
        parts.append(_teams(region, kind, state))
    if kind in (ALL, INDIVIDUAL):
        parts.append(_members(region, state))
    query = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True)
    return query.order_by("tree", "lft", "order", "seat", "person_name")


def describe(row):
    """What a row of unfiled() says, for people: the kind of document and its state."""
    code = row["kind_code"]
    if not code:  # nothing opened yet: the kind the team files first
        code = filed_kinds(row["level_code"], row["org_kind"], row["team_kind"])[0]
    return {
        **row,
        "kind_label": DocumentKind(code).label,
        "state": row["status"] or NOT_STARTED,
    }
