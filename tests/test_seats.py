"""One person, one individual measures, under and routed by their highest seat; who is
asked to file (wrote 对照检查材料); cadres without a seat (其他党员领导干部).

The order of seats (orgs/seats.py) is checked against routing itself: of two seats one
person holds, the one chosen reaches at least as high an authority as the other. Every
pair of seats the demo and seed_scale give one person is checked so.
"""

import re
from itertools import combinations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dashboard.due import INDIVIDUAL
from dashboard.unfiled import unfiled
from devdata.scale.people import _region_seats
from orgs import policy
from orgs.models import Level, OrgKind, Person, Position, Rank, Role, Team, TeamKind
from orgs.seats import highest, seat_rank
from plans.documents import _create, open_individual_document
from plans.models import Document
from plans.structure import asked_to_file, has_individual_measures, measures_seat, seats_of
from plans.words import DocumentKind
from review import routing
from review.routing import Subject, Unrouted, route, route_for

from .conftest import seat, user
from .test_demo import seed


def reached(subject):
    """The authorities SUBJECT's route reaches. A party committee's 本班子主要负责同志 is
    本级党委书记 (the same person), and is counted as such."""
    committee = subject.team_kind == TeamKind.PARTY_COMMITTEE and subject.org_kind == OrgKind.REGION
    return {
        "party_secretary" if committee and step.authority == "team_principal" else step.authority
        for step in route(subject)
    }


def top(subject):
    """The highest tier a route reaches."""
    return max(routing.TIERS[authority] for authority in reached(subject))


def subject(level, org_kind, team_kind, role, rank):
    return Subject(
        str(DocumentKind.INDIVIDUAL), str(level), str(org_kind), str(team_kind), str(role), str(rank)
    )


def choose(*subjects):
    return min(subjects, key=lambda s: seat_rank(s.level, s.org_kind, s.team_kind, s.role, s.rank))


# The pairs the data gives one person --------------------------------------------------------


def scale_pairs():
    """The seats seed_scale gives one person in two teams of a city or county."""
    pairs = []
    for city in (True, False):
        level = Level.CITY if city else Level.COUNTY
        shared = {}
        for kind, seats in _region_seats("市" if city else "县", city).items():
            for order, (_title, rank, _login, share, *other) in enumerate(seats):
                role = other[0] if other else Role.PRINCIPAL if order == 0 else Role.MEMBER
                if share:
                    shared.setdefault(share, []).append(subject(level, OrgKind.REGION, kind, role, rank))
        pairs += [pair for held in shared.values() for pair in combinations(held, 2)]
    return pairs


@pytest.mark.parametrize("pair", scale_pairs(), ids=lambda pair: f"{pair[0].level}-{pair[0].team_kind}")
def test_each_pair_of_seats_seed_scale_gives_routes_as_its_highest(pair):
    chosen = choose(*pair)
    other = pair[1] if chosen == pair[0] else pair[0]
    assert top(chosen) >= top(other)
    # Everyone above the seat's own principal whom the other seat reaches, this one reaches.
    assert reached(chosen) >= reached(other) - {"team_principal"}


def test_seed_scale_gives_people_two_seats():
    """The test above checks something: 县长 and 常务副县长 sit in two teams in both."""
    assert len(scale_pairs()) == 4


def test_each_pair_of_seats_the_demo_gives_routes_as_its_highest(demo_tree, settings):
    settings.DEBUG = True
    seed()
    people = Person.objects.filter(positions__active=True).distinct()
    pairs = 0
    for person in people:
        held = [p for p in seats_of(person) if has_individual_measures(p.team)]
        if len(held) < 2:
            continue
        best = measures_seat(held)
        for position in held:
            document = open_individual_document(position.team, person)
            # Opened from any seat, it is the one measures, under the highest seat …
            assert document.team_id == best.team_id, (person.name, position.title)
            # … and routed as that seat is: never lower than another seat would go.
            org = best.team.org
            expected = subject(org.level, org.kind, best.team.kind, best.role, best.rank)
            assert route_for(document) == route(expected)
            if position.pk != best.pk:
                pairs += 1
                lower = subject(
                    position.team.org.level,
                    position.team.org.kind,
                    position.team.kind,
                    position.role,
                    position.rank,
                )
                assert top(expected) >= top(lower)
    assert pairs >= 4  # 市长/县长 and 常务副市长/县长 in both demo cities' and counties' teams


# The notice's cases -----------------------------------------------------------------------


def test_a_county_head_who_is_deputy_secretary_files_once_and_goes_to_the_province(cast, leaders):
    seat(cast.principal_person, cast.committee, "县委副书记", order=1)
    from_committee = open_individual_document(cast.committee, cast.principal_person)
    from_government = open_individual_document(cast.government, cast.principal_person)
    assert from_committee == from_government and from_committee.team == cast.government
    steps = [step.authority for step in route_for(from_committee)]
    assert steps == ["party_secretary", "provincial_group", "provincial_office", "provincial_leaders"]
    assert Document.objects.filter(person=cast.principal_person, kind=DocumentKind.INDIVIDUAL).count() == 1


def test_a_city_mayor_in_the_city_committee_goes_to_the_provincial_chief(cast):
    city_government = Team.objects.create(
        org=cast.changsha, kind=TeamKind.GOVERNMENT, name="长沙市人民政府党组班子"
    )
    mayor = Person.objects.create(name="市长甲")
    seat(mayor, cast.cs_committee, "市委副书记", rank=Rank.TING, order=1)
    seat(mayor, city_government, "市长", role=Role.PRINCIPAL, rank=Rank.TING)
    document = open_individual_document(cast.cs_committee, mayor)
    assert document.team == city_government
    assert "provincial_chief" in {step.authority for step in route_for(document)}


def test_the_order_prefers_the_region_s_heads_then_the_higher_level_then_the_principal():
    county_head = subject(Level.COUNTY, OrgKind.REGION, TeamKind.GOVERNMENT, Role.PRINCIPAL, Rank.CHU)
    city_member = subject(Level.CITY, OrgKind.REGION, TeamKind.CONGRESS, Role.MEMBER, Rank.TING)
    county_member = subject(Level.COUNTY, OrgKind.REGION, TeamKind.PARTY_COMMITTEE, Role.MEMBER, Rank.CHU)
    unit_head = subject(Level.COUNTY, OrgKind.ORGAN, TeamKind.UNIT, Role.PRINCIPAL, Rank.CHU)
    township_head = subject(Level.TOWNSHIP, OrgKind.REGION, TeamKind.GOVERNMENT, Role.PRINCIPAL, Rank.KE)
    township_member = subject(Level.TOWNSHIP, OrgKind.REGION, TeamKind.PARTY_COMMITTEE, Role.MEMBER, Rank.KE)
    assert choose(county_head, city_member) == county_head
    assert choose(city_member, county_member) == city_member
    assert choose(county_member, unit_head) == county_member
    assert choose(township_member, township_head) == township_head
    for higher, lower in (
        (county_head, city_member),
        (county_member, unit_head),
        (township_head, township_member),
    ):
        assert top(higher) >= top(lower)


def test_highest_breaks_a_tie_by_the_older_position(cast):
    person = Person.objects.create(name="并列")
    first = seat(person, cast.government, "副县长", order=2)
    second = seat(person, cast.edu_team, "局长", role=Role.PRINCIPAL)
    assert highest([second, first]) == first


# Measures opened under a lower seat before --------------------------------------------------


def test_measures_under_a_lower_seat_are_kept_to_read_and_not_routed(cast, client):
    seat(cast.principal_person, cast.committee, "县委副书记", order=1)
    old = _create(cast.committee, DocumentKind.INDIVIDUAL, person=cast.principal_person)
    old.items.create(section="problems", text="此前写下的问题，一字不丢")
    kept = open_individual_document(cast.government, cast.principal_person)
    kept.items.create(section="problems", text="按最高职务填写的问题")
    with pytest.raises(Unrouted, match="保留供查阅"):
        route_for(old)
    assert route_for(kept)
    assert old.items.get().text == "此前写下的问题，一字不丢"
    assert open_individual_document(cast.committee, cast.principal_person) == old
    client.force_login(cast.filer)
    page = client.get(reverse("plans:team_documents", args=[cast.committee.pk])).content.decode()
    assert "保留供查阅" in page and "长沙县人民政府党组班子填报" in page


def test_going_to_the_higher_seat_is_offered_only_to_who_may_fill_it(cast, client):
    seat(cast.principal_person, cast.committee, "县委副书记", order=1)
    client.force_login(cast.filer)  # fills the committee's documents, not the government's
    page = client.get(reverse("plans:team_documents", args=[cast.committee.pk])).content.decode()
    assert "按最高职务（县长）在长沙县人民政府党组班子填报" in page and "前往填写" not in page
    client.force_login(cast.principal)  # the 县长 themself
    page = client.get(reverse("plans:team_documents", args=[cast.committee.pk])).content.decode()
    assert "前往填写" in page


# Who is asked to file ------------------------------------------------------------------------


def test_only_those_who_wrote_self_inspection_are_asked(cast, client):
    outside = Person.objects.create(name="党外副县长", party_member=False, user=user("outside"))
    position = seat(outside, cast.government, "副县长", order=3)
    position.wrote_self_inspection = False
    position.save()
    assert not asked_to_file(seats_of(outside))
    assert cast.deputy_person.name in {row["person_name"] for row in unfiled(cast.csx, INDIVIDUAL)}
    assert outside.name not in {row["person_name"] for row in unfiled(cast.csx, INDIVIDUAL)}
    client.force_login(outside.user)
    response = client.post(reverse("plans:open_measures", args=[cast.government.pk, outside.pk]), follow=True)
    assert "没有撰写对照检查材料" in response.content.decode()
    assert not Document.objects.filter(person=outside).exists()
    page = client.get(reverse("plans:team_documents", args=[cast.government.pk])).content.decode()
    assert "未撰写对照检查材料，不需制定" in page


def test_the_migration_marks_non_party_members_as_not_having_written_it(cast):
    from importlib import import_module

    from django.apps import apps

    outside = Person.objects.create(name="党外", party_member=False)
    position = seat(outside, cast.government, "副县长", order=3)
    assert position.wrote_self_inspection
    import_module(
        "orgs.migrations.0002_position_other_role_and_self_inspection"
    ).non_party_members_wrote_none(apps, None)
    position.refresh_from_db()
    assert not position.wrote_self_inspection
    assert Position.objects.get(person=cast.deputy_person).wrote_self_inspection


def test_the_unfiled_list_names_a_leader_once_at_the_highest_seat(cast):
    seat(cast.principal_person, cast.committee, "县委副书记", order=1)
    rows = [row for row in unfiled(cast.csx, INDIVIDUAL) if row["person_name"] == cast.principal_person.name]
    assert [row["team_ref"] for row in rows] == [cast.government.pk]


# 其他党员领导干部: recorded without a seat -----------------------------------------------------


@pytest.mark.parametrize(
    ("level", "org_kind", "team_kind", "rank", "authorities"),
    [
        (Level.COUNTY, OrgKind.REGION, TeamKind.GOVERNMENT, Rank.CHU, ["party_secretary"]),
        (Level.COUNTY, OrgKind.REGION, TeamKind.PARTY_COMMITTEE, Rank.CHU, ["party_secretary"]),
        (Level.COUNTY, OrgKind.REGION, TeamKind.CONGRESS, Rank.KE, ["team_principal"]),
        (
            Level.CITY,
            OrgKind.REGION,
            TeamKind.GOVERNMENT,
            Rank.TING,
            ["party_secretary", "provincial_group", "provincial_office", "provincial_leaders"],
        ),
        (Level.CITY, OrgKind.REGION, TeamKind.COURT, Rank.CHU, ["unit_principal", "party_secretary"]),
        (Level.TOWNSHIP, OrgKind.REGION, TeamKind.PARTY_COMMITTEE, Rank.KE, ["unit_principal"]),
        (Level.COUNTY, OrgKind.ORGAN, TeamKind.UNIT, Rank.KE, ["unit_principal"]),
    ],
)
def test_other_leading_cadres_are_routed_as_sections_four_and_five_say(
    level, org_kind, team_kind, rank, authorities
):
    steps = route(subject(level, org_kind, team_kind, Role.OTHER, rank))
    assert [step.authority for step in steps] == authorities


def test_other_leading_cadres_file_their_own_measures_but_not_the_team_plan(cast, client):
    account = user("other")
    other = Person.objects.create(name="调研员甲", user=account)
    seat(other, cast.government, "县人民政府调研员", role=Role.OTHER, order=9)
    membership = policy.reach(get_user_model().objects.get(pk=account.pk)).memberships[cast.government.pk]
    assert not membership.fills_team_documents
    client.force_login(account)
    response = client.post(reverse("plans:open_measures", args=[cast.government.pk, other.pk]))
    document = Document.objects.get(person=other)
    assert response.status_code == 302 and document.team == cast.government
    assert [step.authority for step in route_for(document)] == ["party_secretary"]
    assert client.post(reverse("plans:open_team", args=[cast.government.pk])).status_code == 403
    assert cast.government.principal.person == cast.principal_person


def test_demo_has_others_and_a_non_party_member(demo_tree, settings):
    settings.DEBUG = True
    seed()
    assert Position.objects.filter(role=Role.OTHER, team__org__code="430121001").exists()
    assert Position.objects.filter(
        role=Role.OTHER, team__org__code="430121", team__kind="government"
    ).exists()
    outside = Position.objects.filter(person__party_member=False)
    assert outside.exists() and not outside.filter(wrote_self_inspection=True).exists()


def test_the_admin_offers_a_non_party_member_s_new_position_unmarked(cast, client):
    def marked(page, index):
        return re.search(rf'<input[^>]*name="positions-{index}-wrote_self_inspection"[^>]*>', page).group(0)

    outside = Person.objects.create(name="党外人士", party_member=False)
    client.force_login(cast.admin)
    page = client.get(reverse("admin:orgs_person_change", args=[outside.pk])).content.decode()
    assert "checked" not in marked(page, 0)
    member = client.get(reverse("admin:orgs_person_change", args=[cast.member_person.pk])).content.decode()
    assert "checked" in marked(member, 1)  # the new row under the member's one position
