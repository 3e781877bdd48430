"""Which documents a spot check can read: the documents a rule's class holds in a region,
named by their filers (team, kind and, for individual measures, the person), whether
they have been filed or not.

`expected(rules, orgs)` reads the teams and positions of the given orgs' subtrees (or
of the orgs themselves) in one query per rule and document kind, and keeps those whose
subject (review.routing.Subject) the rule applies to and that routing says exist. A
person's measures are expected once, under the seat they are due at
(plans.structure.due_measures: the highest seat of one who wrote 对照检查材料), and fall
in a rule's class by the role and rank of that seat.
"""

from dataclasses import dataclass

from django.db.models import Q

from orgs.models import Position, Team
from orgs.tree import subtree
from plans.models import Document
from plans.structure import due_measures
from plans.words import DocumentKind
from review.routing import Subject, filed_kinds


@dataclass(frozen=True)
class Expected:
    """One document a body must file: who files it, and the rule it falls under."""

    team_id: int
    kind: str
    person_id: int | None
    rule: str

    @property
    def key(self):
        return (self.team_id, self.kind, self.person_id)


def _team_filter(rule, prefix=""):
    q = Q()
    if rule.levels is not None:
        q &= Q(**{f"{prefix}org__level__in": rule.levels})
    if rule.org_kinds is not None:
        q &= Q(**{f"{prefix}org__kind__in": rule.org_kinds})
    if rule.team_kinds is not None:
        q &= Q(**{f"{prefix}kind__in": rule.team_kinds})
    return q


def _where(orgs, prefix, whole):
    """The teams at ORGS (their subtrees when WHOLE)."""
    q = Q(pk__in=[])
    for org in orgs:
        q |= subtree(org, f"{prefix}org__") if whole else Q(**{f"{prefix}org_id": org.pk})
    return q


def expected(rules, orgs, whole=True):
    """[Expected] of RULES in ORGS (with their subtrees when WHOLE), in tree order."""
    found = {}
    for rule in rules:
        for kind in sorted(rule.kinds):
            if kind == DocumentKind.INDIVIDUAL:
                rows = (
                    due_measures(
                        Position.objects.filter(_team_filter(rule, "team__"), _where(orgs, "team__", whole))
                    )
                    .filter(Q(role__in=rule.roles) if rule.roles is not None else Q())
                    .filter(Q(rank__in=rule.ranks) if rule.ranks is not None else Q())
                    .order_by("team__org__tree_id", "team__org__lft", "team_id", "sort_order", "id")
                    .values_list(
                        "team_id",
                        "person_id",
                        "team__org__level",
                        "team__org__kind",
                        "team__kind",
                        "role",
                        "rank",
                    )
                )
                for team_id, person_id, level, org_kind, team_kind, role, rank in rows:
                    subject = Subject(kind, level, org_kind, team_kind, role, rank)
                    if kind in filed_kinds(level, org_kind, team_kind) and rule.applies(subject):
                        entry = Expected(team_id, kind, person_id, rule.code)
                        found.setdefault(entry.key, entry)
            else:
                rows = (
                    Team.objects.filter(_team_filter(rule), _where(orgs, "", whole))
                    .order_by("org__tree_id", "org__lft", "id")
                    .values_list("pk", "org__level", "org__kind", "kind")
                )
                for team_id, level, org_kind, team_kind in rows:
                    subject = Subject(kind, level, org_kind, team_kind)
                    if kind in filed_kinds(level, org_kind, team_kind) and rule.applies(subject):
                        entry = Expected(team_id, kind, None, rule.code)
                        found.setdefault(entry.key, entry)
    return list(found.values())


def documents_for(samples):
    """{(team_id, kind, person_id): Document} of the samples' documents that exist."""
    keys = {(s.team_id, s.kind, s.person_id) for s in samples}
    if not keys:
        return {}
    q = Q(pk__in=[])
    for team_id, kind, person_id in keys:
        q |= Q(team_id=team_id, kind=kind, person_id=person_id)
    return {
        (d.team_id, d.kind, d.person_id): d
        for d in Document.objects.filter(q).select_related("team__org", "person").order_by()
    }
