"""Who holds an authority for one document: the users who may act on a step.

The first five authorities are read from positions on the tree; the others are bodies
(Authority) whose members are the users of their group and whose jurisdiction is the
orgs the group holds `oversee_org` on, each with its subtree. Every resolution is one
query, whatever the depth of the tree, once the org's line of ancestors is known (one
query per org, kept on it: orgs.tree.lineage_ids).

The document's own author (the person of individual measures) is never returned: nobody
reviews their own. An authority that resolves to nobody is reported by `missing()`
before submission, never skipped.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q, Subquery

from orgs.models import FOUR_BIG, AuthorityKind, Level, OrgGroupGrant, OrgKind, OrgUserGrant, Role, TeamKind
from orgs.policy import OVERSEE_PERM
from orgs.tree import lineage_ids

from .routing import route_for

A = AuthorityKind


def _covering(prefix, org):
    """Lookups for the ancestors-or-self of ORG, on the org reached through PREFIX: their
    ids, read once per org (orgs.tree.lineage_ids). A range on the nested-set columns
    here let PostgreSQL scan every org of the tree for each step."""
    return {f"{prefix}pk__in": lineage_ids(org)}


def _principals(**team):
    """Users holding the active principal position of a team matching TEAM's lookups.
    One filter() call, so every condition holds for the same position."""
    lookups = {"person__positions__active": True, "person__positions__role": Role.PRINCIPAL}
    lookups.update({f"person__positions__team__{key}": value for key, value in team.items()})
    return get_user_model().objects.filter(**lookups)


def _team_principal(team, org):
    """本班子主要负责同志 / 单位主要领导: the principal of the document's own team."""
    return _principals(pk=team.pk)


def _party_secretary(team, org):
    """本级党委书记: the principal of the party committee of the region the document's
    team belongs to — the org itself for a region, the region a unit hangs under
    (a unit's parent is always its region) otherwise."""
    region_id = org.pk if org.kind == OrgKind.REGION else org.parent_id
    return _principals(org_id=region_id, kind=TeamKind.PARTY_COMMITTEE)


def _township_committee(team, org):
    """乡镇（街道）党委: the secretary of the party committee of the township the org
    lies in (the village's township, or the township itself)."""
    return _principals(
        kind=TeamKind.PARTY_COMMITTEE,
        org__kind=OrgKind.REGION,
        org__level=Level.TOWNSHIP,
        **_covering("org__", org),
    )


def _supervising_leader(team, org):
    """分管领导: the city or county leader in charge of this unit (or linked to this
    township, or to this grassroots organisation).

    The tree does not say who is in charge of what; the administrator says it the way
    every reach is said, by granting the leader `oversee_org` on the unit's own org
    (which also lets them see what they review). The leader is one who holds an active
    position in a 四大家 team of a city or county above the org: a grant alone (a staff
    member's, say) does not make a 分管领导, and a grant on a whole region is the reach
    of a secretary or a group, not the charge of one unit. Until such a grant exists
    the step resolves to nobody and `missing()` says so."""
    granted = OrgUserGrant.objects.filter(content_object_id=org.pk, permission__codename=OVERSEE_PERM)
    return get_user_model().objects.filter(
        pk__in=granted.values("user_id"),
        person__positions__active=True,
        person__positions__team__kind__in=FOUR_BIG,
        person__positions__team__org__kind=OrgKind.REGION,
        person__positions__team__org__level__in=(Level.CITY, Level.COUNTY),
        **_covering("person__positions__team__org__", org),
    )


def _grants(kind, org, levels=None):
    """Oversee grants of bodies of KIND on an ancestor-or-self of ORG."""
    grants = OrgGroupGrant.objects.filter(
        permission__codename=OVERSEE_PERM, group__authority__kind=kind, **_covering("content_object__", org)
    )
    if levels:
        grants = grants.filter(content_object__level__in=levels)
    return grants


def _nearest_body(kind, levels=None):
    """Members of the body (or bodies) of KIND whose jurisdiction covers the org most
    closely: a county's group before its city's. A body without jurisdiction covers
    nothing."""

    def resolve(team, org):
        grants = _grants(kind, org, levels)
        deepest = grants.order_by("-content_object__depth").values("content_object__depth")[:1]
        return get_user_model().objects.filter(
            groups__in=grants.filter(content_object__depth=Subquery(deepest)).values("group_id")
        )

    return resolve


def _province_body(kind):
    """Members of every body of KIND covering the org; a provincial or central body
    given no jurisdiction covers the whole province."""

    def resolve(team, org):
        any_grant = OrgGroupGrant.objects.filter(permission__codename=OVERSEE_PERM).values("group_id")
        bodies = Group.objects.filter(authority__kind=kind).filter(
            Q(pk__in=_grants(kind, org).values("group_id")) | ~Q(pk__in=any_grant)
        )
        return get_user_model().objects.filter(groups__in=bodies)

    return resolve


RESOLVERS = {
    A.TEAM_PRINCIPAL: _team_principal,
    A.UNIT_PRINCIPAL: _team_principal,
    A.PARTY_SECRETARY: _party_secretary,
    A.SUPERVISING_LEADER: _supervising_leader,
    A.TOWNSHIP_COMMITTEE: _township_committee,
    # 市、县督导组: the nearest group covering the org.
    A.LOCAL_GROUP: _nearest_body(A.LOCAL_GROUP),
    # 省委派驻该市州督导组: the provincial office says which group covers which cities
    # by granting it oversee on those cities (or, for one group, the province).
    A.PROVINCIAL_GROUP: _nearest_body(A.PROVINCIAL_GROUP, levels=(Level.PROVINCE, Level.CITY)),
    A.PROVINCIAL_OFFICE: _province_body(A.PROVINCIAL_OFFICE),
    A.PROVINCIAL_LEADERS: _province_body(A.PROVINCIAL_LEADERS),
    A.PROVINCIAL_CHIEF: _province_body(A.PROVINCIAL_CHIEF),
    A.CENTRAL_GROUP: _province_body(A.CENTRAL_GROUP),
    A.CENTRAL_OFFICE: _province_body(A.CENTRAL_OFFICE),
}
RESOLVERS = {str(authority): resolve for authority, resolve in RESOLVERS.items()}


def holders(authority, org, team=None):
    """The active users who hold AUTHORITY at ORG, as a queryset in a fixed order.
    本班子主要负责同志 and 单位主要领导 are read from TEAM (one of ORG's teams: the team
    whose document it is); every other authority from ORG alone, so TEAM may be left out."""
    return RESOLVERS[str(authority)](team, org).filter(is_active=True).distinct().order_by("pk")


def assignees(authority, document):
    """The active users who may act for AUTHORITY on DOCUMENT, in a fixed order, in one
    query (once the document's team and org are loaded). Never the document's author."""
    users = holders(authority, document.team.org, document.team)
    if document.person_id is not None:
        users = users.exclude(person__pk=document.person_id)
    return list(users)


def missing(document, steps=None):
    """The steps of DOCUMENT's route (or STEPS) whose authority resolves to nobody: an
    error for the filer and the administrator to see before submission."""
    if steps is None:
        steps = route_for(document)
    return [step for step in steps if not assignees(step.authority, document)]
