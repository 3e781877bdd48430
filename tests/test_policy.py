"""The access policy: every role against objects inside and outside its reach."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from orgs import policy
from orgs.models import Org, Person, Position, Team, TeamUserGrant
from orgs.policy import Right

from .conftest import fresh

ROLES = ("filer", "member", "principal", "secretary", "group", "office", "outsider", "admin", "nobody")

# Which orgs each role may see. Filers and members see their team's org only;
# a party secretary the whole region; a supervision group its cities; the office
# the province; the outsider only 攸县.
EVERY_ORG = {
    "hunan",
    "changsha",
    "csx",
    "xingsha",
    "kaiyuan",
    "edu",
    "furong",
    "zhuzhou",
    "youxian",
    "wangling",
    "wangling_village",
}
ORG_VISIBLE = {
    "filer": {"csx"},
    "member": {"csx"},
    "principal": {"csx"},
    "secretary": {"csx", "xingsha", "kaiyuan", "edu"},
    "group": {"changsha", "csx", "xingsha", "kaiyuan", "edu", "furong"},
    "office": EVERY_ORG,
    "outsider": {"youxian"},
    "admin": EVERY_ORG,
    "nobody": set(),
}
ORGS = sorted(EVERY_ORG)

TEAMS = (
    "cs_committee",
    "committee",
    "government",
    "xingsha_committee",
    "kaiyuan_committee",
    "edu_team",
    "yx_committee",
)
# (view, file, oversee) per role and team; anything not listed is invisible.
TEAM_RIGHTS = {
    "filer": {"committee": "VF-"},
    "member": {"committee": "VF-"},
    "principal": {"government": "VF-"},
    "secretary": {
        "committee": "VFO",
        "government": "V-O",
        "xingsha_committee": "V-O",
        "kaiyuan_committee": "V-O",
        "edu_team": "V-O",
    },
    "group": {t: "V-O" for t in TEAMS if t != "yx_committee"},
    "office": {t: "V-O" for t in TEAMS},
    "outsider": {"yx_committee": "VF-"},
    "admin": {t: "V-O" for t in TEAMS},
    "nobody": {},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("org", ORGS)
def test_org_visibility(cast, role, org):
    user = fresh(getattr(cast, role))
    target = getattr(cast, org)
    expected = org in ORG_VISIBLE[role]
    assert policy.orgs(user).filter(pk=target.pk).exists() is expected
    assert policy.can(user, Right.VIEW, target) is expected
    if expected:
        assert policy.get_or_404(user, Org, pk=target.pk) == target
    else:
        with pytest.raises(Http404):
            policy.get_or_404(user, Org, pk=target.pk)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("team", TEAMS)
def test_team_rights(cast, role, team):
    user = fresh(getattr(cast, role))
    target = Team.objects.select_related("org").get(pk=getattr(cast, team).pk)
    rights = TEAM_RIGHTS[role].get(team, "---")
    view, file, oversee = (flag != "-" for flag in rights)
    assert policy.teams(user).filter(pk=target.pk).exists() is view
    assert policy.can(user, Right.VIEW, target) is view
    assert policy.can(user, Right.FILE, target) is file
    assert policy.can(user, Right.OVERSEE, target) is oversee
    if view and not file:
        with pytest.raises(PermissionDenied):
            policy.require(user, Right.FILE, target)
    if not view:
        with pytest.raises(Http404):
            policy.get_or_404(user, Team, pk=target.pk)


@pytest.mark.parametrize(
    "role, visible",
    [
        ("filer", {"夏海波", "欧阳明辉"}),
        ("member", {"夏海波", "欧阳明辉"}),
        ("principal", {"杨沅江", "蔡湘云"}),
        ("secretary", {"夏海波", "欧阳明辉", "杨沅江", "蔡湘云"}),
        ("group", {"夏海波", "欧阳明辉", "杨沅江", "蔡湘云"}),
        ("office", {"夏海波", "欧阳明辉", "杨沅江", "蔡湘云", "谭卫平"}),
        ("outsider", {"谭卫平"}),
        ("nobody", set()),
    ],
)
def test_people_visible(cast, role, visible):
    user = fresh(getattr(cast, role))
    assert set(policy.people(user).values_list("name", flat=True)) == visible


def test_inactive_position_gives_no_seat(cast):
    cast.member_person.positions.update(active=False)
    member = fresh(cast.member)
    assert not policy.can(member, Right.FILE, cast.committee)
    assert not policy.orgs(member).exists()


def test_party_secretary_reach_follows_the_position(cast):
    """Handing the secretary's post to someone else moves the region with it."""
    cast.secretary_person.positions.update(active=False)
    secretary = fresh(cast.secretary)
    assert not policy.can(secretary, Right.VIEW, cast.xingsha)


def test_inactive_user_reaches_nothing(cast):
    cast.office.is_active = False
    cast.office.save()
    assert not policy.orgs(fresh(cast.office)).exists()


def test_direct_user_grant_reaches_subtree(cast):
    from guardian.shortcuts import assign_perm

    assign_perm("orgs.oversee_org", cast.nobody, cast.xingsha)
    nobody = fresh(cast.nobody)
    assert policy.can(nobody, Right.VIEW, cast.kaiyuan)
    assert not policy.can(nobody, Right.VIEW, cast.csx)


def test_nested_grants_are_kept_once(cast):
    from guardian.shortcuts import assign_perm

    assign_perm("orgs.oversee_org", cast.group, cast.csx)  # inside the group's 长沙市
    assert len(policy.reach(fresh(cast.group)).spans) == 1


def test_reach_is_computed_once_per_user_object(cast, django_assert_num_queries):
    office = fresh(cast.office)
    with django_assert_num_queries(1 + 2):  # the grants' token, then the two unions
        policy.reach(office)
    with django_assert_num_queries(0):
        policy.can(office, Right.VIEW, cast.kaiyuan)
        policy.can(office, Right.OVERSEE, cast.csx)


def test_the_next_request_reads_only_the_token(cast, django_assert_num_queries):
    """What the first request of a user read is kept by the process: the next request
    (a new user object) reads the grants' token and nothing else, and sees the same."""
    first = policy.reach(fresh(cast.office))
    office = fresh(cast.office)
    with django_assert_num_queries(1):
        again = policy.reach(office)
    assert again.spans == first.spans and dict(again.memberships) == dict(first.memberships)


def test_a_change_of_who_holds_what_is_seen_by_the_next_request(cast):
    """Every way the reach can change moves the token, so the kept reach is not read."""
    from guardian.shortcuts import assign_perm, remove_perm

    assert not policy.reach(fresh(cast.nobody)).covers(cast.kaiyuan)
    assign_perm("orgs.oversee_org", cast.nobody, cast.kaiyuan)
    assert policy.reach(fresh(cast.nobody)).covers(cast.kaiyuan)
    remove_perm("orgs.oversee_org", cast.nobody, cast.kaiyuan)
    assert not policy.reach(fresh(cast.nobody)).covers(cast.kaiyuan)

    # A body's member, and no longer one.
    group_member = fresh(cast.group)
    assert policy.reach(group_member).spans
    group_member.groups.clear()
    assert not policy.reach(fresh(cast.group)).spans
    # No longer a filer of the team (a bulk delete, which no signal reports).
    assert cast.committee.pk in policy.reach(fresh(cast.filer)).memberships
    TeamUserGrant.objects.filter(user=cast.filer).delete()
    assert cast.committee.pk not in policy.reach(fresh(cast.filer)).memberships
    # A seat given up, by a bulk update.
    assert policy.reach(fresh(cast.secretary)).reads(cast.csx)
    Position.objects.filter(person__user=cast.secretary).update(active=False)
    assert not policy.reach(fresh(cast.secretary)).reads(cast.csx)


def test_a_rolled_back_change_leaves_nothing_kept_behind(cast):
    """What was read inside a transaction that rolled back is kept under a token nobody
    will see again: the next change, whatever it is, gets a token of its own."""
    from django.db import transaction
    from guardian.shortcuts import assign_perm

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        assign_perm("orgs.oversee_org", cast.nobody, cast.hunan)
        assert policy.reach(fresh(cast.nobody)).covers(cast.kaiyuan)
        raise RolledBack
    assert not policy.reach(fresh(cast.nobody)).covers(cast.kaiyuan)
    assign_perm("orgs.oversee_org", cast.nobody, cast.edu)
    reach = policy.reach(fresh(cast.nobody))
    assert reach.covers(cast.edu) and not reach.covers(cast.kaiyuan)


@pytest.mark.parametrize("top", ["hunan", "kaiyuan"])
def test_reach_costs_the_same_whatever_the_depth(cast, django_assert_num_queries, top):
    """A grant at the province and one at a village cost the same queries."""
    from guardian.shortcuts import assign_perm

    assign_perm("orgs.oversee_org", cast.nobody, getattr(cast, top))
    nobody = fresh(cast.nobody)
    with django_assert_num_queries(1 + 2):
        reach = policy.reach(nobody)
    assert reach.covers(cast.kaiyuan)
    with django_assert_num_queries(1):
        assert policy.orgs(nobody).filter(pk=cast.kaiyuan.pk).exists()


def test_unknown_object_kind_is_an_error(cast):
    with pytest.raises(TypeError):
        policy.can(fresh(cast.office), Right.VIEW, Person.objects.first())
