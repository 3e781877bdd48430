"""Who holds an authority for one document: the users who may act on a step.

The first five authorities are read from positions on the tree; the others are bodies
(Authority) whose members are the users of their group and whose jurisdiction is the
orgs the group holds `oversee_org` on, each with its subtree. Every resolution is one
query, whatever the depth of the tree, once the org's line of ancestors is known (one
query per org, kept on it: orgs.tree.lineage_ids); a whole route (`route_assignees`, what
a document's page and every save ask) reads all its bodies together.

The document's own author (the person of individual measures) is never returned: nobody
reviews their own. An authority that resolves to nobody is reported by `missing()`
before submission, never skipped.
"""

import copy

from django.contrib.auth import get_user_model
from django.db.models import F, Q

from orgs import stamps
from orgs.models import (
    BODY_KINDS,
    FOUR_BIG,
    Authority,
    AuthorityKind,
    Level,
    OrgGroupGrant,
    OrgKind,
    OrgUserGrant,
    Role,
    TeamKind,
)
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


# The bodies (督导组, 活动办 …): {kind: the levels its jurisdiction may be granted on, None
# for any} of the kinds where the nearest body covering the org acts, a county's group
# before its city's (省委派驻该市州督导组: the provincial office says which group covers which
# cities by granting it oversee on those cities, or, for one group, the province); every
# other kind acts wherever any body of it covers the org, and a provincial or central
# body given no jurisdiction covers the whole province.
NEAREST = {str(A.LOCAL_GROUP): None, str(A.PROVINCIAL_GROUP): (Level.PROVINCE, Level.CITY)}
WHOLE = {str(kind) for kind in BODY_KINDS} - set(NEAREST)


def acting_bodies(kinds, org):
    """{kind: the ids of the groups of the bodies acting for it at ORG} for the body KINDS,
    by the rule above: the oversee grants on ORG's line of the nearest kinds (only those
    above ORG, of the many county and city groups), every grant of the other kinds (a few
    provincial and central bodies), and those of their bodies given none."""
    lineage = lineage_ids(org)
    nearest, whole = set(kinds) & set(NEAREST), set(kinds) & WHOLE
    grants = OrgGroupGrant.objects.filter(
        Q(group__authority__kind__in=nearest, content_object_id__in=lineage)
        | Q(group__authority__kind__in=whole),
        permission__codename=OVERSEE_PERM,
    ).values_list(
        "group_id",
        "group__authority__kind",
        "content_object_id",
        "content_object__depth",
        "content_object__level",
    )
    granted, covering = set(), {kind: [] for kind in kinds}
    for group, kind, org_id, depth, level in grants:
        granted.add(group)
        levels = NEAREST.get(kind)
        if org_id in lineage and (levels is None or level in levels):
            covering[kind].append((group, depth))
    acting = {}
    for kind in nearest:
        deepest = max((depth for _group, depth in covering[kind]), default=None)
        acting[kind] = {group for group, depth in covering[kind] if depth == deepest}
    for kind in whole:
        acting[kind] = {group for group, _depth in covering[kind]}
    if whole:
        ungranted = Authority.objects.filter(kind__in=whole).exclude(group_id__in=granted)
        for group, kind in ungranted.values_list("group_id", "kind"):
            acting[kind].add(group)
    return acting


def _body(kind):
    """Members of the bodies acting for KIND at the org (acting_bodies)."""

    def resolve(team, org):
        return get_user_model().objects.filter(groups__in=acting_bodies({str(kind)}, org)[str(kind)])

    return resolve


RESOLVERS = {
    A.TEAM_PRINCIPAL: _team_principal,
    A.UNIT_PRINCIPAL: _team_principal,
    A.PARTY_SECRETARY: _party_secretary,
    A.SUPERVISING_LEADER: _supervising_leader,
    A.TOWNSHIP_COMMITTEE: _township_committee,
    **{kind: _body(kind) for kind in BODY_KINDS},
}
RESOLVERS = {str(authority): resolve for authority, resolve in RESOLVERS.items()}


def holders(authority, org, team=None):
    """The active users who hold AUTHORITY at ORG, as a queryset in a fixed order.
    本班子主要负责同志 and 单位主要领导 are read from TEAM (one of ORG's teams: the team
    whose document it is); every other authority from ORG alone, so TEAM may be left out."""
    return RESOLVERS[str(authority)](team, org).filter(is_active=True).distinct().order_by("pk")


def assignees(authority, document):
    """The active users who may act for AUTHORITY on DOCUMENT, in a fixed order, in one
    query once the document's team and org are loaded (a body's: once its acting bodies
    are read). Never the document's author."""
    users = holders(authority, document.team.org, document.team)
    if document.person_id is not None:
        users = users.exclude(person__pk=document.person_id)
    return list(users)


# Routes between requests: read again only when who holds what has changed (orgs.stamps).
KEPT_ROUTES = stamps.Kept(size=4096)


def route_assignees(document, steps=None):
    """[(step, [users])] for DOCUMENT's route (or STEPS): what assignees() gives for each
    step, with every body of the route (督导组, 活动办 …) read together in a few plain
    queries (their grants, the bodies given none, their members), however many steps
    they hold. The chain is asked for on every page of a document and after every save,
    so each process keeps it, by the document's team, author and authorities, until the
    token of who holds what changes; every caller gets its own copies of the users."""
    if steps is None:
        steps = route_for(document)
    authorities = tuple(str(step.authority) for step in steps)
    kept = KEPT_ROUTES.get(
        (document.team_id, document.person_id, authorities),
        stamps.token(stamps.GRANTS),
        lambda: tuple(tuple(users) for _step, users in _read_route(document, steps)),
    )
    return [(step, [copy.copy(user) for user in users]) for step, users in zip(steps, kept, strict=True)]


def _read_route(document, steps):
    kinds = {str(step.authority) for step in steps} & (WHOLE | set(NEAREST))
    bodies = _bodies_covering(document, kinds) if kinds else {}
    return [
        (
            step,
            bodies[str(step.authority)]
            if str(step.authority) in bodies
            else assignees(step.authority, document),
        )
        for step in steps
    ]


def _bodies_covering(document, kinds):
    """{kind: [active users acting for it on DOCUMENT, by pk]} for the body KINDS: the
    members of every acting body (acting_bodies) in one query, the author left out."""
    acting = acting_bodies(kinds, document.team.org)
    members = (
        get_user_model()
        .groups.through.objects.filter(group_id__in=set().union(*acting.values()), user__is_active=True)
        .annotate(person=F("user__person__id"))
        .select_related("user")
    )
    users = {kind: {} for kind in kinds}
    for member in members:
        if document.person_id is not None and member.person == document.person_id:
            continue
        for kind, groups in acting.items():
            if member.group_id in groups:
                users[kind][member.user_id] = member.user
    return {kind: [found[pk] for pk in sorted(found)] for kind, found in users.items()}


def missing(document, steps=None):
    """The steps of DOCUMENT's route (or STEPS) whose authority resolves to nobody: an
    error for the filer and the administrator to see before submission."""
    return [step for step, users in route_assignees(document, steps) if not users]
