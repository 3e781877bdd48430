"""What is due, and the document that answers it: the one definition of a document that
counts, read by every figure of the dashboard (应报, 未开始 and each status), by the list of
who has not filed and by a township's live counts, so that for every region and kind
应报 = 未开始 + 草稿 + 已报送 + 退回 + 已通过.

* A team's own document of a kind counts when the team must file that kind
  (review.routing.filed_kinds): its plan or list, and the attachments of a committee's plan.
* Individual measures count under the seat their person files at now: each person who
  wrote 对照检查材料, once, at their highest seat (plans.structure.due_measures). Measures
  opened under a lower seat, kept for reading since the person took a higher one, are due
  nowhere and count nowhere, and so are those of a person not asked to file.

Each due row is a team or a seat joined to the document that answers it (at most one:
the documents' unique constraints), its status null when nobody has started it. So a
count is one GROUP BY and a list one query, whatever the size of the region.
"""

from itertools import product

from django.db.models import CharField, F, FilteredRelation, Q, Value

from orgs.models import Level, OrgKind, Position, Team, TeamKind
from plans.structure import due_measures
from plans.words import DocumentKind
from review.routing import filed_kinds

INDIVIDUAL = str(DocumentKind.INDIVIDUAL)


def teams_due(kind, prefix=""):
    """A Q of the teams (PREFIX leading to the team) that must file KIND."""
    q = Q(pk__in=[])
    for level, org_kind in product(Level, OrgKind):
        team_kinds = [team_kind for team_kind in TeamKind if kind in filed_kinds(level, org_kind, team_kind)]
        if team_kinds:
            q |= Q(
                **{
                    f"{prefix}org__level": level,
                    f"{prefix}org__kind": org_kind,
                    f"{prefix}kind__in": team_kinds,
                }
            )
    return q


def _answered(queryset, kind, joined):
    return queryset.annotate(
        kind_code=Value(kind, output_field=CharField()),
        status=F(f"{joined}__status"),
        updated_at=F(f"{joined}__updated_at"),
    )


def team_documents(teams, kind):
    """Of TEAMS (a Team queryset), those that must file KIND (not individual measures),
    each annotated with `kind_code` and the `status` and `updated_at` of its own document
    of KIND (null: not started)."""
    own = Q(documents__person__isnull=True, documents__kind=kind)
    return _answered(
        teams.filter(teams_due(kind)).annotate(own=FilteredRelation("documents", condition=own)),
        kind,
        "own",
    )


def seat_documents(positions):
    """Of POSITIONS (a Position queryset), the seats individual measures are due under,
    each annotated like team_documents with the measures filed under it."""
    mine = Q(person__documents__team=F("team"), person__documents__kind=INDIVIDUAL)
    return _answered(
        due_measures(positions.filter(teams_due(INDIVIDUAL, "team__"))).annotate(
            mine=FilteredRelation("person__documents", condition=mine)
        ),
        INDIVIDUAL,
        "mine",
    )


def due(kinds, within=None):
    """Every document due of KINDS (DocumentKind codes) under WITHIN (a function of the
    path to an org giving a Q; everywhere when None): a list of (queryset, path), PATH
    leading from the queryset's rows to their team ("" for a team, "team__" for a seat),
    each row one document due, annotated as team_documents says."""
    parts = []
    for kind in kinds:
        if kind == INDIVIDUAL:
            part, path = seat_documents(Position.objects.all()), "team__"
        else:
            part, path = team_documents(Team.objects.all(), kind), ""
        if within is not None:
            part = part.filter(within(f"{path}org__"))
        parts.append((part, path))
    return parts
