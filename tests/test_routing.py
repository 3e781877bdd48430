"""Routing (section 四 and 五 as rules), the authorities' people, and explain_route.

The rules are checked against the notice itself: every basis must be a sentence of it,
and each chain below is the one its sentences give (the decisions where the notice is
silent are documented in review/routing.py and pinned here).
"""

import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from guardian.shortcuts import assign_perm, remove_perm

from orgs.models import (
    Authority,
    AuthorityKind,
    Level,
    Org,
    OrgKind,
    Person,
    Position,
    Rank,
    Role,
    Team,
    TeamKind,
)
from plans.documents import open_individual_document, open_team_document
from plans.models import Document
from plans.words import DocumentKind
from review import routing
from review.assignees import assignees, missing, route_assignees
from review.routing import READ, REVIEW, Subject, Unrouted, route, route_for, subject_of

from .conftest import seat, user

# The notice ships with the project (docs/notice.txt), so a clone anywhere can check
# the rules against it.
NOTICE = (Path(__file__).resolve().parents[1] / "docs" / "notice.txt").read_text(encoding="utf-8")

A = AuthorityKind
GROUP, OFFICE, LEADERS = A.PROVINCIAL_GROUP, A.PROVINCIAL_OFFICE, A.PROVINCIAL_LEADERS
# 经省委督导组审阅把关后，报省委教育实践活动办审阅，并送省委有关领导审阅
PROVINCE = [(1, GROUP, REVIEW), (2, OFFICE, REVIEW), (2, LEADERS, READ)]


def shifted(steps, by):
    return [(stage + by, authority, mode) for stage, authority, mode in steps]


def chain(kind, level, team, org_kind=OrgKind.REGION, role=None, rank=None):
    """The route as (stage, authority, mode) triples."""
    return [
        (step.stage, step.authority, step.mode)
        for step in route(Subject(kind, level, org_kind, team, role, rank))
    ]


def individual(level, team, role=Role.MEMBER, rank=Rank.CHU, org_kind=OrgKind.REGION):
    return chain(DocumentKind.INDIVIDUAL, level, team, org_kind, role, rank)


# The rules against the notice -------------------------------------------------------


def test_every_basis_is_a_sentence_of_the_notice():
    for basis in routing.BASES:
        assert basis in NOTICE, basis
    for rule in routing.RULES:
        assert rule.basis in NOTICE, rule.basis
    for _kind, basis in routing.CARRIED_BY.values():
        assert basis in NOTICE, basis
    for _subject, steps in routing.table():
        for step in steps:
            assert step.basis in NOTICE, step


def test_county_people_congress_government_cppcc_plans_go_to_the_county_secretary():
    for team in (TeamKind.CONGRESS, TeamKind.GOVERNMENT, TeamKind.CPPCC):
        steps = route(Subject(DocumentKind.TEAM_PLAN, Level.COUNTY, OrgKind.REGION, team))
        assert [(s.stage, s.authority, s.mode) for s in steps] == [(1, A.PARTY_SECRETARY, REVIEW)]
        assert "要分别报市州、县市区委书记审阅" in steps[0].basis


def test_county_party_committee_plan_goes_to_the_province():
    steps = route(Subject(DocumentKind.TEAM_PLAN, Level.COUNTY, OrgKind.REGION, TeamKind.PARTY_COMMITTEE))
    assert [(s.stage, s.authority, s.mode) for s in steps] == PROVINCE
    assert all("县市区委班子整改方案" in s.basis for s in steps)


def test_city_party_committee_plan_goes_up_to_the_chief_and_the_centre():
    assert chain(DocumentKind.TEAM_PLAN, Level.CITY, TeamKind.PARTY_COMMITTEE) == PROVINCE + [
        (3, A.PROVINCIAL_CHIEF, REVIEW),
        (4, A.CENTRAL_GROUP, REVIEW),
        (4, A.CENTRAL_OFFICE, REVIEW),
    ]
    steps = route(Subject(DocumentKind.TEAM_PLAN, Level.CITY, OrgKind.REGION, TeamKind.PARTY_COMMITTEE))
    assert "要报省委主要领导审阅" in steps[3].basis
    assert "还要报中央第一巡回督导组和中央教育实践活动办审阅" in steps[4].basis == steps[5].basis


def test_city_people_congress_government_cppcc_plans_go_to_the_secretary_then_the_province():
    for team in (TeamKind.CONGRESS, TeamKind.GOVERNMENT, TeamKind.CPPCC):
        assert chain(DocumentKind.TEAM_PLAN, Level.CITY, team) == [(1, A.PARTY_SECRETARY, REVIEW)] + shifted(
            PROVINCE, 1
        )


def test_members_of_a_county_four_big_team():
    # 本班子主要负责同志, then for 人大、政府、政协 members the county secretary.
    for team in (TeamKind.CONGRESS, TeamKind.GOVERNMENT, TeamKind.CPPCC):
        assert individual(Level.COUNTY, team) == [
            (1, A.TEAM_PRINCIPAL, REVIEW),
            (2, A.PARTY_SECRETARY, REVIEW),
        ]
        # 班子成员 whatever their rank.
        assert individual(Level.COUNTY, team, rank=Rank.KE) == individual(Level.COUNTY, team)
    # A standing-committee member's principal is the secretary: one step, not two.
    assert individual(Level.COUNTY, TeamKind.PARTY_COMMITTEE) == [(1, A.TEAM_PRINCIPAL, REVIEW)]


def test_county_party_and_government_heads():
    # The secretary's own measures skip both 本班子主要负责同志 and 本级党委书记: that is himself.
    assert individual(Level.COUNTY, TeamKind.PARTY_COMMITTEE, Role.PRINCIPAL) == PROVINCE
    # The county head: not his own principal; the secretary; then 党政正职 go to the province.
    assert individual(Level.COUNTY, TeamKind.GOVERNMENT, Role.PRINCIPAL) == [
        (1, A.PARTY_SECRETARY, REVIEW)
    ] + shifted(PROVINCE, 1)
    # The heads of 人大 and 政协 are not 党政正职.
    assert individual(Level.COUNTY, TeamKind.CONGRESS, Role.PRINCIPAL) == [(1, A.PARTY_SECRETARY, REVIEW)]


def test_city_leaders():
    ting = {"rank": Rank.TING}
    assert individual(Level.CITY, TeamKind.PARTY_COMMITTEE, **ting) == [
        (1, A.TEAM_PRINCIPAL, REVIEW)
    ] + shifted(PROVINCE, 1)
    assert individual(Level.CITY, TeamKind.GOVERNMENT, **ting) == [
        (1, A.TEAM_PRINCIPAL, REVIEW),
        (2, A.PARTY_SECRETARY, REVIEW),
    ] + shifted(PROVINCE, 2)
    # 市州委书记: the province, the chief (党政正职) and the centre.
    assert individual(Level.CITY, TeamKind.PARTY_COMMITTEE, Role.PRINCIPAL, **ting) == PROVINCE + [
        (3, A.PROVINCIAL_CHIEF, REVIEW),
        (4, A.CENTRAL_GROUP, REVIEW),
        (4, A.CENTRAL_OFFICE, REVIEW),
    ]
    # The mayor: the city secretary, the province and the chief, not the centre.
    assert individual(Level.CITY, TeamKind.GOVERNMENT, Role.PRINCIPAL, **ting) == [
        (1, A.PARTY_SECRETARY, REVIEW)
    ] + shifted(PROVINCE, 1) + [(4, A.PROVINCIAL_CHIEF, REVIEW)]
    # The head of the city 人大: the city secretary and the province.
    assert individual(Level.CITY, TeamKind.CONGRESS, Role.PRINCIPAL, **ting) == [
        (1, A.PARTY_SECRETARY, REVIEW)
    ] + shifted(PROVINCE, 1)


def test_courts_and_procuratorates():
    for team in (TeamKind.COURT, TeamKind.PROCURATORATE):
        # 法检“两长” go to the secretary; a city's to the province as well.
        assert individual(Level.COUNTY, team, Role.PRINCIPAL) == [(1, A.PARTY_SECRETARY, REVIEW)]
        assert individual(Level.CITY, team, Role.PRINCIPAL, Rank.TING) == [
            (1, A.PARTY_SECRETARY, REVIEW)
        ] + shifted(PROVINCE, 1)
        # Other members: their principal; 厅处级 the secretary; 厅级 at a city the province.
        assert individual(Level.COUNTY, team, rank=Rank.KE) == [(1, A.UNIT_PRINCIPAL, REVIEW)]
        assert individual(Level.COUNTY, team, rank=Rank.CHU) == [
            (1, A.UNIT_PRINCIPAL, REVIEW),
            (2, A.PARTY_SECRETARY, REVIEW),
        ]
        assert individual(Level.CITY, team, rank=Rank.CHU) == [
            (1, A.UNIT_PRINCIPAL, REVIEW),
            (2, A.PARTY_SECRETARY, REVIEW),
        ]
        assert individual(Level.CITY, team, rank=Rank.TING) == [
            (1, A.UNIT_PRINCIPAL, REVIEW),
            (2, A.PARTY_SECRETARY, REVIEW),
        ] + shifted(PROVINCE, 2)
        # Their plans go where their 两长's measures go, not to the province.
        assert chain(DocumentKind.SIMPLIFIED_PLAN, Level.COUNTY, team) == [(1, A.PARTY_SECRETARY, REVIEW)]
        assert chain(DocumentKind.TEAM_PLAN, Level.CITY, team) == [(1, A.PARTY_SECRETARY, REVIEW)]


def test_direct_units_follow_section_five():
    for org_kind in (OrgKind.ORGAN, OrgKind.ENTERPRISE, OrgKind.ENFORCEMENT, OrgKind.WINDOW):
        # 县市区直属单位: simplified plan, 单位主要领导 for members, 分管领导 for the plan and head.
        assert chain(DocumentKind.SIMPLIFIED_PLAN, Level.COUNTY, TeamKind.UNIT, org_kind) == [
            (1, A.SUPERVISING_LEADER, REVIEW)
        ]
        assert individual(Level.COUNTY, TeamKind.UNIT, org_kind=org_kind) == [(1, A.UNIT_PRINCIPAL, REVIEW)]
        # A 处级 unit head is not "其他在职厅处级党员领导干部" of the region: no secretary.
        assert individual(Level.COUNTY, TeamKind.UNIT, Role.PRINCIPAL, org_kind=org_kind) == [
            (1, A.SUPERVISING_LEADER, REVIEW)
        ]
        # 市州直属单位 "参照": a full team plan, the same two leaders.
        assert chain(DocumentKind.TEAM_PLAN, Level.CITY, TeamKind.UNIT, org_kind) == [
            (1, A.SUPERVISING_LEADER, REVIEW)
        ]
        assert individual(Level.CITY, TeamKind.UNIT, Role.PRINCIPAL, Rank.CHU, org_kind) == [
            (1, A.SUPERVISING_LEADER, REVIEW)
        ]
    steps = route(Subject(DocumentKind.SIMPLIFIED_PLAN, Level.COUNTY, OrgKind.ORGAN, TeamKind.UNIT))
    assert (
        steps[0].basis
        == "单位主要领导和分管领导要严格审核把关，省、市、县三级督导组要加强督促指导并进行抽查。"
    )


def test_townships():
    for team in (TeamKind.PARTY_COMMITTEE, TeamKind.CONGRESS, TeamKind.GOVERNMENT):
        assert chain(DocumentKind.SIMPLIFIED_PLAN, Level.TOWNSHIP, team) == [
            (1, A.SUPERVISING_LEADER, REVIEW)
        ]
        assert individual(Level.TOWNSHIP, team, rank=Rank.KE) == [(1, A.UNIT_PRINCIPAL, REVIEW)]
        assert individual(Level.TOWNSHIP, team, Role.PRINCIPAL, Rank.KE) == [
            (1, A.SUPERVISING_LEADER, REVIEW)
        ]


def test_grassroots_lists():
    # A village's or community's list, and any grassroots organisation within a township:
    # the township party committee.
    for team in (TeamKind.PARTY_COMMITTEE, TeamKind.GRASSROOTS):
        steps = route(Subject(DocumentKind.GRASSROOTS_LIST, Level.VILLAGE, OrgKind.REGION, team))
        assert [(s.stage, s.authority, s.mode) for s in steps] == [(1, A.TOWNSHIP_COMMITTEE, REVIEW)]
        assert "（即整改清单）" in steps[0].basis
    for org_kind in (OrgKind.NONPUBLIC, OrgKind.SOCIAL, OrgKind.GRASSROOTS):
        for level in (Level.TOWNSHIP, Level.VILLAGE):
            assert chain(DocumentKind.GRASSROOTS_LIST, level, TeamKind.GRASSROOTS, org_kind) == [
                (1, A.TOWNSHIP_COMMITTEE, REVIEW)
            ]
        # Directly under a city or county there is no township: the leader in charge.
        for level in (Level.CITY, Level.COUNTY):
            assert chain(DocumentKind.GRASSROOTS_LIST, level, TeamKind.GRASSROOTS, org_kind) == [
                (1, A.SUPERVISING_LEADER, REVIEW)
            ]


def test_attachments_travel_with_their_team_plan():
    for level in (Level.CITY, Level.COUNTY):
        plan = chain(DocumentKind.TEAM_PLAN, level, TeamKind.PARTY_COMMITTEE)
        for kind in (DocumentKind.SPECIAL_RECTIFICATION, DocumentKind.INSTITUTION_PLAN):
            assert chain(kind, level, TeamKind.PARTY_COMMITTEE) == plan
            assert routing.carried_by(kind) == DocumentKind.TEAM_PLAN
            # …报省委教育实践活动办: the plan's chain reaches the office.
            assert (2, OFFICE, REVIEW) in plan
    assert routing.carried_by(DocumentKind.TEAM_PLAN) is None


@pytest.mark.parametrize(
    "subject",
    [
        # A county government files a team plan, not a grassroots list.
        Subject(DocumentKind.GRASSROOTS_LIST, Level.COUNTY, OrgKind.REGION, TeamKind.GOVERNMENT),
        # Villages file lists, not individual measures.
        Subject(
            DocumentKind.INDIVIDUAL, Level.VILLAGE, OrgKind.REGION, TeamKind.PARTY_COMMITTEE, "member", "none"
        ),
        # Only city and county party committees carry the attachments.
        Subject(DocumentKind.SPECIAL_RECTIFICATION, Level.COUNTY, OrgKind.REGION, TeamKind.GOVERNMENT),
        Subject(DocumentKind.INSTITUTION_PLAN, Level.TOWNSHIP, OrgKind.REGION, TeamKind.PARTY_COMMITTEE),
        # A township has no court; a region no unit team.
        Subject(DocumentKind.SIMPLIFIED_PLAN, Level.TOWNSHIP, OrgKind.REGION, TeamKind.COURT),
        Subject(DocumentKind.TEAM_PLAN, Level.COUNTY, OrgKind.REGION, TeamKind.UNIT),
        # The notice is about 市州、县市区 and below.
        Subject(DocumentKind.TEAM_PLAN, Level.PROVINCE, OrgKind.REGION, TeamKind.PARTY_COMMITTEE),
        Subject(DocumentKind.SIMPLIFIED_PLAN, Level.PROVINCE, OrgKind.ORGAN, TeamKind.UNIT),
        # Individual measures need the person's role and rank.
        Subject(DocumentKind.INDIVIDUAL, Level.COUNTY, OrgKind.REGION, TeamKind.GOVERNMENT),
        Subject("plan", Level.COUNTY, OrgKind.REGION, TeamKind.GOVERNMENT),
    ],
)
def test_documents_the_notice_does_not_provide_for_are_not_routed(subject):
    with pytest.raises(Unrouted):
        route(subject)


def test_the_whole_table():
    rows = routing.table()
    subjects = [subject for subject, _steps in rows]
    assert len(subjects) == len(set(subjects))
    # Every document kind, team kind and org kind of domain.md, every level below the province.
    assert {s.kind for s in subjects} == set(DocumentKind.values)
    assert {s.team_kind for s in subjects} == set(TeamKind.values)
    assert {s.org_kind for s in subjects} == set(OrgKind.values)
    assert {s.level for s in subjects} == set(Level.values) - {Level.PROVINCE}
    individual_rows = {(s.role, s.rank) for s in subjects if s.kind == DocumentKind.INDIVIDUAL}
    assert individual_rows == {(role, rank) for role in Role.values for rank in Rank.values}
    # Local groups are in no chain: they 督促指导 and spot-check (section 六).
    used = {step.authority for _subject, steps in rows for step in steps}
    assert used == set(AuthorityKind.values) - {A.LOCAL_GROUP}
    for subject, steps in rows:
        # Somebody decides every document; stages run 1, 2, … with no gap.
        assert any(step.mode == REVIEW for step in steps), subject
        stages = [step.stage for step in steps]
        assert stages == sorted(stages) and sorted(set(stages)) == list(range(1, max(stages) + 1)), subject
        # Nobody reviews their own.
        if subject.kind != DocumentKind.INDIVIDUAL or subject.role == Role.PRINCIPAL:
            assert not {A.TEAM_PRINCIPAL, A.UNIT_PRINCIPAL} & {step.authority for step in steps}, subject
        assert all(step.mode in (REVIEW, READ) for step in steps)
    # A team never files a kind not its own.
    kinds = {(s.kind, s.level, s.org_kind, s.team_kind) for s in subjects}
    assert ("simplified_plan", "county", "region", "court") in kinds
    assert ("team_plan", "city", "region", "court") in kinds
    assert ("team_plan", "county", "region", "court") not in kinds
    assert ("grassroots_list", "county", "region", "government") not in kinds
    assert ("individual", "village", "region", "party_committee") not in kinds
    assert ("special_rectification", "county", "region", "government") not in kinds


def test_step_as_json():
    step = route(Subject(DocumentKind.TEAM_PLAN, Level.COUNTY, OrgKind.REGION, TeamKind.GOVERNMENT))[0]
    assert step.as_json() == {
        "stage": 1,
        "authority": "party_secretary",
        "mode": "review",
        "basis": routing.SECRETARY,
    }
    assert json.dumps(step.as_json(), ensure_ascii=False)


# explain_route ----------------------------------------------------------------------


def explain(*args):
    out = io.StringIO()
    call_command("explain_route", *args, stdout=out)
    return out.getvalue()


def test_explain_route_json():
    printed = json.loads(
        explain("--document", "team_plan", "--level", "city", "--team", "party_committee", "--json")
    )
    assert printed == {
        "steps": [
            step.as_json()
            for step in route(
                Subject(DocumentKind.TEAM_PLAN, Level.CITY, OrgKind.REGION, TeamKind.PARTY_COMMITTEE)
            )
        ]
    }
    assert [(s["stage"], s["authority"], s["mode"]) for s in printed["steps"]][-2:] == [
        (4, "central_group", "review"),
        (4, "central_office", "review"),
    ]
    measures = json.loads(
        explain(
            "--document",
            "individual",
            "--level",
            "county",
            "--team",
            "government",
            "--role",
            "member",
            "--rank",
            "chu",
            "--json",
        )
    )
    assert [s["authority"] for s in measures["steps"]] == ["team_principal", "party_secretary"]
    unit = json.loads(
        explain("--document", "simplified_plan", "--level", "county", "--team", "unit", "--json")
    )
    assert [s["authority"] for s in unit["steps"]] == ["supervising_leader"]


def test_explain_route_prints_chinese_not_escapes():
    raw = explain("--document", "team_plan", "--level", "county", "--team", "government", "--json")
    assert "县市区委书记审阅" in raw and "\\u" not in raw


def test_explain_route_readable():
    text = explain("--document", "team_plan", "--level", "county", "--team", "party_committee")
    assert "领导班子整改方案｜县市区 地区 党委（常委）班子" in text
    assert "第1步  审阅（通过或退回）  省委派驻该市州督导组（provincial_group）" in text
    assert "第2步  送阅（不影响流转）  省委有关领导（provincial_leaders）" in text
    attachment = explain(
        "--document", "special_rectification", "--level", "county", "--team", "party_committee"
    )
    assert "不单独报送" in attachment and routing.SPECIAL in attachment


def test_explain_route_table():
    rows = json.loads(explain("--table", "--json"))
    assert len(rows) == len(routing.table())
    assert {row["subject"]["kind"] for row in rows} == set(DocumentKind.values)
    assert {row["subject"]["level"] for row in rows} == set(Level.values) - {"province"}
    assert {row["subject"]["team_kind"] for row in rows} == set(TeamKind.values)
    text = explain("--table")
    assert f"共 {len(rows)} 种组合" in text
    for basis in {step.basis for _subject, steps in routing.table() for step in steps}:
        assert basis in text
    assert routing.SPECIAL in text and routing.INSTITUTIONS in text
    # Options narrow the table.
    villages = json.loads(explain("--table", "--json", "--level", "village", "--document", "grassroots_list"))
    assert villages and all(row["subject"]["level"] == "village" for row in villages)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--document", "plan", "--level", "county", "--team", "government"],
            "team_plan（领导班子整改方案）",
        ),
        (["--document", "team_plan", "--level", "town", "--team", "government"], "township（乡镇、街道）"),
        (["--document", "team_plan", "--level", "county", "--team", "gov"], "government（政府班子）"),
        (
            ["--document", "individual", "--level", "county", "--team", "government", "--rank", "vice"],
            "ting（厅级）",
        ),
        (["--document", "grassroots_list", "--level", "county", "--team", "government"], "不填报整改清单"),
        (["--document", "team_plan", "--level", "county"], "--team"),
        (
            ["--document", "team_plan", "--level", "county", "--team", "government", "--role", "member"],
            "--role",
        ),
    ],
)
def test_explain_route_refuses_what_does_not_exist(args, message):
    with pytest.raises(CommandError) as error:
        explain(*args)
    assert message in str(error.value)


# subject_of and assignees on the cast -----------------------------------------------


def body(kind, name, *orgs):
    authority = Authority.objects.create(kind=kind, name=name)
    account = user(f"member-of-{authority.pk}")
    authority.group.user_set.add(account)
    for org in orgs:
        assign_perm("orgs.oversee_org", authority.group, org)
    return account


def authorities(steps):
    return [step.authority for step in steps]


def test_subject_of_a_document(cast):
    measures = open_individual_document(cast.committee, cast.member_person)
    assert subject_of(measures) == Subject(
        "individual", "county", "region", "party_committee", "member", "chu"
    )
    plan = open_team_document(cast.edu_team)
    assert subject_of(plan) == Subject("simplified_plan", "county", "organ", "unit")
    assert authorities(route_for(plan)) == [A.SUPERVISING_LEADER]
    Position.objects.filter(person=cast.member_person).update(active=False)
    with pytest.raises(Unrouted):
        subject_of(measures)


def test_county_government_plan_goes_to_the_county_secretary(cast):
    plan = open_team_document(cast.government)
    assert authorities(route_for(plan)) == [A.PARTY_SECRETARY]
    assert assignees(A.PARTY_SECRETARY, plan) == [cast.secretary]
    assert missing(plan) == []
    # An inactive account acts for nobody.
    cast.secretary.is_active = False
    cast.secretary.save()
    assert [step.authority for step in missing(plan)] == [A.PARTY_SECRETARY]


def test_county_committee_plan_and_its_attachments(cast):
    plan = open_team_document(cast.committee)
    assert assignees(GROUP, plan) == [cast.group]
    assert assignees(OFFICE, plan) == [cast.office]
    # Nobody holds 省委有关领导 in the cast: reported, never skipped.
    assert authorities(missing(plan)) == [LEADERS]
    for attachment in plan.attachments.all():
        assert route_for(attachment) == route_for(plan)
    # 攸县 is not in the 长沙市 group's cities.
    youxian = open_team_document(cast.yx_committee)
    assert assignees(GROUP, youxian) == []
    assert authorities(missing(youxian)) == [GROUP, LEADERS]


def test_city_committee_plan_reports_every_unheld_authority(cast):
    plan = open_team_document(cast.cs_committee)
    assert authorities(missing(plan)) == [LEADERS, A.PROVINCIAL_CHIEF, A.CENTRAL_GROUP, A.CENTRAL_OFFICE]
    # Provincial and central bodies with no jurisdiction cover the whole province; one
    # whose jurisdiction is another city does not cover this one.
    chief = body(A.PROVINCIAL_CHIEF, "省委主要领导")
    body(A.CENTRAL_OFFICE, "中央教育实践活动办（株洲）", cast.zhuzhou)
    central = body(A.CENTRAL_GROUP, "中央第一巡回督导组", cast.hunan)
    assert assignees(A.PROVINCIAL_CHIEF, plan) == [chief]
    assert assignees(A.CENTRAL_GROUP, plan) == [central]
    assert authorities(missing(plan)) == [LEADERS, A.CENTRAL_OFFICE]
    # The route's own steps may be passed in.
    steps = route_for(plan)
    assert missing(plan, steps[:1]) == []


def test_members_measures_go_to_their_principal(cast):
    measures = open_individual_document(cast.committee, cast.member_person)
    assert authorities(route_for(measures)) == [A.TEAM_PRINCIPAL]
    assert assignees(A.TEAM_PRINCIPAL, measures) == [cast.secretary]
    assert missing(measures) == []
    deputy = open_individual_document(cast.government, cast.deputy_person)
    assert authorities(route_for(deputy)) == [A.TEAM_PRINCIPAL, A.PARTY_SECRETARY]
    assert assignees(A.TEAM_PRINCIPAL, deputy) == [cast.principal]
    assert assignees(A.PARTY_SECRETARY, deputy) == [cast.secretary]


def test_nobody_reviews_their_own(cast):
    own = open_individual_document(cast.committee, cast.secretary_person)
    steps = route_for(own)
    assert authorities(steps) == [GROUP, OFFICE, LEADERS]
    # Even asked directly, the author is not among the people who act.
    assert assignees(A.TEAM_PRINCIPAL, own) == []
    assert assignees(A.PARTY_SECRETARY, own) == []
    head = open_individual_document(cast.government, cast.principal_person)
    assert authorities(route_for(head)) == [A.PARTY_SECRETARY, GROUP, OFFICE, LEADERS]
    assert assignees(A.PARTY_SECRETARY, head) == [cast.secretary]
    assert assignees(A.TEAM_PRINCIPAL, head) == []


def test_the_township_committee_reviews_village_lists(cast):
    village = open_team_document(cast.kaiyuan_committee)
    assert village.kind == DocumentKind.GRASSROOTS_LIST
    assert authorities(missing(village)) == [A.TOWNSHIP_COMMITTEE]
    xingsha_secretary = user("xingsha_secretary")
    seat(
        Person.objects.create(name="周建军", user=xingsha_secretary),
        cast.xingsha_committee,
        "党工委书记",
        role=Role.PRINCIPAL,
        rank=Rank.KE,
    )
    # The principal of the village's own party committee is not the township's.
    seat(
        Person.objects.create(name="刘娟", user=user("kaiyuan_secretary")),
        cast.kaiyuan_committee,
        "社区党委书记",
        role=Role.PRINCIPAL,
    )
    assert assignees(A.TOWNSHIP_COMMITTEE, village) == [xingsha_secretary]
    assert missing(village) == []
    # A social organisation inside the community: the same township committee.
    social = Org.objects.create(
        name="开元路社区志愿者协会", kind=OrgKind.SOCIAL, level=Level.VILLAGE, parent=cast.kaiyuan
    )
    team = Team.objects.create(org=social, kind=TeamKind.GRASSROOTS, name="开元路社区志愿者协会党支部")
    listing = open_team_document(Team.objects.select_related("org").get(pk=team.pk))
    assert assignees(A.TOWNSHIP_COMMITTEE, listing) == [xingsha_secretary]


def test_the_supervising_leader_is_a_region_leader_granted_the_unit(cast):
    plan = open_team_document(cast.edu_team)
    assert authorities(missing(plan)) == [A.SUPERVISING_LEADER]
    # A grant alone does not make a 分管领导, nor does a position without the grant, nor a
    # grant on the whole county.
    clerk = user("clerk")
    assign_perm("orgs.oversee_org", clerk, cast.edu)
    cast.deputy_person.user = user("deputy")
    cast.deputy_person.save()
    other = user("other_deputy")
    seat(Person.objects.create(name="黎明", user=other), cast.government, "副县长", order=3)
    assign_perm("orgs.oversee_org", other, cast.csx)
    assert assignees(A.SUPERVISING_LEADER, plan) == []
    assign_perm("orgs.oversee_org", cast.deputy_person.user, cast.edu)
    assert assignees(A.SUPERVISING_LEADER, plan) == [cast.deputy_person.user]
    assert missing(plan) == []


def test_the_nearest_local_group(cast):
    county_group = body(A.LOCAL_GROUP, "长沙县委督导组", cast.csx)
    city_group = body(A.LOCAL_GROUP, "长沙市委督导组", cast.changsha)
    township = open_team_document(cast.xingsha_committee)
    assert assignees(A.LOCAL_GROUP, township) == [county_group]
    furong = Team.objects.create(org=cast.furong, kind=TeamKind.GOVERNMENT, name="芙蓉区人民政府党组班子")
    assert assignees(A.LOCAL_GROUP, open_team_document(furong)) == [city_group]
    assert assignees(A.LOCAL_GROUP, open_team_document(cast.yx_committee)) == []


def test_a_provincial_group_covers_whole_cities(cast):
    # A provincial group granted one county does not thereby cover that county's city.
    body(A.PROVINCIAL_GROUP, "省委派驻攸县工作组", cast.youxian)
    assert assignees(GROUP, open_team_document(cast.yx_committee)) == []
    zhuzhou_group = body(A.PROVINCIAL_GROUP, "省委派驻株洲市督导组", cast.zhuzhou)
    assert assignees(GROUP, open_team_document(cast.yx_committee)) == [zhuzhou_group]


def test_the_bodies_read_together_are_those_read_one_by_one(cast):
    """route_assignees reads every body of a route together; for every kind of body, on
    documents at every level, it names exactly whom assignees() names."""
    body(A.LOCAL_GROUP, "长沙县委督导组", cast.csx)
    body(A.LOCAL_GROUP, "长沙市委督导组", cast.changsha)
    body(A.LOCAL_GROUP, "株洲市委督导组（无成员）", cast.zhuzhou).groups.clear()
    body(A.PROVINCIAL_GROUP, "省委派驻攸县工作组", cast.youxian)
    body(A.PROVINCIAL_GROUP, "省委派驻株洲市督导组", cast.zhuzhou)
    chief = body(A.PROVINCIAL_CHIEF, "省委主要领导")
    body(A.PROVINCIAL_LEADERS, "省委有关领导（长沙）", cast.changsha)
    body(A.CENTRAL_OFFICE, "中央教育实践活动办（株洲）", cast.zhuzhou)
    central = body(A.CENTRAL_GROUP, "中央第一巡回督导组", cast.hunan)
    central.is_active = False
    central.save()
    body(A.CENTRAL_GROUP, "中央第二巡回督导组")
    # One account in two bodies, and a body member who writes measures of their own.
    Authority.objects.get(name="长沙县委督导组").group.user_set.add(chief, cast.secretary)
    Authority.objects.get(name="省委主要领导").group.user_set.add(cast.secretary)
    documents = [
        open_team_document(team)
        for team in (
            cast.committee,
            cast.cs_committee,
            cast.yx_committee,
            cast.xingsha_committee,
            cast.government,
        )
    ] + [open_individual_document(cast.committee, cast.secretary_person)]
    every = [SimpleNamespace(authority=kind) for kind in A.values]
    for document in Document.objects.filter(pk__in=[d.pk for d in documents]).select_related("team__org"):
        expected = [(step, assignees(step.authority, document)) for step in every]
        assert route_assignees(document, every) == expected, document.title
        steps = route_for(document)
        assert route_assignees(document) == [(step, assignees(step.authority, document)) for step in steps]
    assert any(users for _step, users in expected)


def test_queries_are_a_constant_number_per_step(cast, django_assert_num_queries):
    open_team_document(cast.cs_committee)
    open_team_document(cast.kaiyuan_committee)
    open_individual_document(cast.government, cast.principal_person)
    loaded = Document.objects.select_related("team__org")
    city = loaded.get(team=cast.cs_committee, kind=DocumentKind.TEAM_PLAN)
    # The token of who holds what (orgs.stamps), the city's line of ancestors, then its
    # six steps, all bodies: their grants, the bodies given none, their members.
    with django_assert_num_queries(1 + 1 + 3):
        missing(city)
    village = loaded.get(team=cast.kaiyuan_committee)
    with django_assert_num_queries(1 + 1 + 1):  # its ancestors, one step, however deep it lies
        missing(village)
    head = loaded.get(team=cast.government, kind=DocumentKind.INDIVIDUAL)
    # The person's position, the token, the ancestors, the secretary, then three bodies.
    with django_assert_num_queries(1 + 1 + 1 + 1 + 3):
        missing(head)
    # Asked again (the next save, the next page): the token, and the position the
    # individual measures are routed by.
    with django_assert_num_queries(1):
        missing(city)
    with django_assert_num_queries(1 + 1):
        missing(head)


def test_a_kept_route_follows_every_change_of_its_holders(cast):
    """The route a process keeps is read again after any change of who would act: a new
    member of the body, a member made inactive, a renamed one, a grant withdrawn."""
    open_team_document(cast.cs_committee)
    document = Document.objects.select_related("team__org").get(
        team=cast.cs_committee, kind=DocumentKind.TEAM_PLAN
    )

    def group_step():
        return next(
            users for step, users in route_assignees(document) if step.authority == A.PROVINCIAL_GROUP
        )

    assert [user.pk for user in group_step()] == [cast.group.pk]
    newcomer = get_user_model().objects.create_user("newcomer", first_name="新来")
    cast.group_body.group.user_set.add(newcomer)
    assert [user.pk for user in group_step()] == sorted([cast.group.pk, newcomer.pk])
    get_user_model().objects.filter(pk=cast.group.pk).update(first_name="改名")
    assert {user.first_name for user in group_step()} == {"改名", "新来"}
    get_user_model().objects.filter(pk=newcomer.pk).update(is_active=False)
    assert [user.pk for user in group_step()] == [cast.group.pk]
    # Each caller gets its own copies: what one changes, the next does not see.
    group_step()[0].first_name = "别人的"
    assert group_step()[0].first_name == "改名"
    remove_perm("orgs.oversee_org", cast.group_body.group, cast.changsha)
    assert cast.group.pk not in [user.pk for user in group_step()]
