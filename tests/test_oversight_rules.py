"""Sections 五, 六 and 七 as rules (oversight.rules), and explain_oversight.

The rules are checked against the notice itself: every basis must be a sentence of it,
every clause of section 六 that names documents must be carried by a rule of the body it
names, and the answers below are those its sentences give (the choices where the notice is
silent are documented in oversight/rules.py and pinned here).
"""

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from orgs.models import AuthorityKind, Level, OrgKind, Person, Rank, Role, TeamKind
from oversight import rules
from oversight.rules import Check, Publication, Scope, Unchecked, checks, publication
from plans.documents import open_individual_document, open_team_document
from plans.models import Document, Item
from plans.words import DocumentKind
from review import routing
from review.routing import Subject, Unrouted, subject_of

from .conftest import seat

NOTICE = (Path(__file__).resolve().parents[1] / "docs" / "notice.txt").read_text(encoding="utf-8")

A = AuthorityKind
D = DocumentKind
T = TeamKind
LG, PG, PO, CG, CO = A.LOCAL_GROUP, A.PROVINCIAL_GROUP, A.PROVINCIAL_OFFICE, A.CENTRAL_GROUP, A.CENTRAL_OFFICE
CITY, COUNTY, TOWNSHIP, VILLAGE = Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE
REGION = OrgKind.REGION


def plan(level, team, org_kind=REGION):
    """The plan (or list) the team files, as plans.structure decides."""
    return Subject(routing.filed_kinds(level, org_kind, team)[0], level, org_kind, team)


def measures(level, team, role=Role.MEMBER, rank=Rank.CHU, org_kind=REGION):
    return Subject(D.INDIVIDUAL, level, org_kind, team, role, rank)


def listing(level, org_kind=REGION, team=T.GRASSROOTS):
    return Subject(D.GRASSROOTS_LIST, level, org_kind, team)


def who(subject):
    """The checks as (authority, share) pairs, in the order checks() gives them."""
    return [(check.authority, check.share) for check in checks(subject)]


def section(number):
    """The paragraph of the notice that opens with NUMBER (六、…), without its number."""
    for line in NOTICE.splitlines():
        if line.startswith(f"{number}、"):
            return line[len(number) + 1 :]
    raise AssertionError(number)


# The rules against the notice -------------------------------------------------------


def test_every_basis_is_a_sentence_of_the_notice():
    for basis in rules.BASES:
        assert basis in NOTICE, basis
    for check_rule in rules.RULES:
        assert check_rule.basis in NOTICE, check_rule.code
    for publication_rule in rules.PUBLICATION_RULES:
        assert publication_rule.basis in NOTICE, publication_rule
    for _subject, found, published in rules.table():
        for check in found:
            assert check.basis in NOTICE, check
        assert published.basis in NOTICE, published


def test_section_six_is_quoted_body_by_body_and_whole():
    # Four sentences, one per body, each quoted whole from the body's name to its 。.
    sentences = [sentence + "。" for sentence in section("六").split("。") if sentence]
    assert list(rules.SECTION_SIX) == sentences
    names = {
        CO: "中央教育实践活动办",
        CG: "中央第一巡回督导组",
        PG: "省委驻市州督导组",
        PO: "省委教育实践活动办",
    }
    five = "省、市、县三级督导组要加强督促指导并进行抽查"
    assert five in rules.THREE_LEVEL_GROUPS and rules.THREE_LEVEL_GROUPS in section("五")
    for check_rule in rules.RULES:
        if check_rule.basis == rules.THREE_LEVEL_GROUPS:
            assert check_rule.authority in (PG, LG), check_rule.code
        else:
            assert check_rule.basis in rules.SECTION_SIX, check_rule.code
            assert check_rule.basis.startswith(names[check_rule.authority]), check_rule.code
    # Each body of 六 has rules citing its own sentence; 五 names the provincial and local groups.
    for authority, name in names.items():
        assert any(r.basis.startswith(name) for r in rules.rules_for(authority)), authority
    for authority in (PG, LG):
        assert any(r.basis == rules.THREE_LEVEL_GROUPS for r in rules.rules_for(authority)), authority


# Every clause of section 六 that names documents, with documents it names: the body that
# sentence belongs to must spot-check each, citing the sentence.
CLAUSES = {
    "中央教育实践活动办直接抽查部分市州委常委的个人整改措施": [
        (CO, measures(CITY, T.PARTY_COMMITTEE, rank=Rank.TING)),
    ],
    "抽查县市区委领导班子整改方案、县市区委书记和部分常委的个人整改措施。": [
        (CO, plan(COUNTY, T.PARTY_COMMITTEE)),
        (CO, measures(COUNTY, T.PARTY_COMMITTEE, Role.PRINCIPAL)),
        (CO, measures(COUNTY, T.PARTY_COMMITTEE)),
    ],
    "中央第一巡回督导组将抽查市州人大、政府、政协领导班子": [
        (CG, plan(CITY, T.CONGRESS)),
        (CG, plan(CITY, T.GOVERNMENT)),
        (CG, plan(CITY, T.CPPCC)),
    ],
    "县市区委常委班子的整改方案": [(CG, plan(COUNTY, T.PARTY_COMMITTEE))],
    "市县直属单位和企事业单位、执法监管部门和窗口单位、乡镇（街道）领导班子整改方案": [
        (CG, plan(CITY, T.UNIT, OrgKind.ORGAN)),
        (CG, plan(COUNTY, T.UNIT, OrgKind.ENTERPRISE)),
        (CG, plan(COUNTY, T.UNIT, OrgKind.ENFORCEMENT)),
        (CG, plan(CITY, T.UNIT, OrgKind.WINDOW)),
        (CG, plan(TOWNSHIP, T.PARTY_COMMITTEE)),
        (CG, plan(TOWNSHIP, T.CONGRESS)),
        (CG, plan(TOWNSHIP, T.GOVERNMENT)),
    ],
    "抽查村、社区和非公有制经济组织、社会组织及其他基层组织的整改清单。": [
        (CG, listing(VILLAGE, team=T.PARTY_COMMITTEE)),
        (CG, listing(VILLAGE)),
        (CG, listing(COUNTY, OrgKind.NONPUBLIC)),
        (CG, listing(TOWNSHIP, OrgKind.SOCIAL)),
        (CG, listing(CITY, OrgKind.GRASSROOTS)),
    ],
    "省委驻市州督导组要抽查县市区委常委个人整改措施": [(PG, measures(COUNTY, T.PARTY_COMMITTEE))],
    "县市区人大、政府、政协领导班子整改方案及班子成员、法检“两长”和其他在职党员领导干部的个人整改措施": [
        (PG, plan(COUNTY, T.CONGRESS)),
        (PG, plan(COUNTY, T.GOVERNMENT)),
        (PG, plan(COUNTY, T.CPPCC)),
        (PG, measures(COUNTY, T.CONGRESS)),
        (PG, measures(COUNTY, T.GOVERNMENT, rank=Rank.KE)),
        (PG, measures(COUNTY, T.CPPCC, Role.PRINCIPAL)),
        (PG, measures(COUNTY, T.COURT, Role.PRINCIPAL)),
        (PG, measures(COUNTY, T.PROCURATORATE, Role.PRINCIPAL)),
        (PG, measures(COUNTY, T.COURT, rank=Rank.KE)),
        # 其他在职党员领导干部 without a seat, in whichever of the county's teams they serve.
        (PG, measures(COUNTY, T.GOVERNMENT, Role.OTHER)),
        (PG, measures(COUNTY, T.PARTY_COMMITTEE, Role.OTHER, Rank.KE)),
        (PG, measures(COUNTY, T.PROCURATORATE, Role.OTHER)),
    ],
    "抽查市、县直机关和企事业单位、执法监管部门和窗口单位领导班子的整改方案和主要负责同志的个人整改措施": [
        (PG, plan(CITY, T.UNIT, OrgKind.ORGAN)),
        (PG, plan(COUNTY, T.UNIT, OrgKind.ENTERPRISE)),
        (PG, measures(CITY, T.UNIT, Role.PRINCIPAL, org_kind=OrgKind.ENFORCEMENT)),
        (PG, measures(COUNTY, T.UNIT, Role.PRINCIPAL, org_kind=OrgKind.WINDOW)),
    ],
    "调阅部分乡镇、街道党委班子的整改方案和党委书记的整改措施（按20%左右的比例掌握）": [
        (PG, plan(TOWNSHIP, T.PARTY_COMMITTEE)),
        (PG, measures(TOWNSHIP, T.PARTY_COMMITTEE, Role.PRINCIPAL, Rank.KE)),
    ],
    "抽查部分村、社区和非有制经济组织、社会组织及其他基层党组织的整改清单。": [
        (PG, listing(VILLAGE, team=T.PARTY_COMMITTEE)),
        (PG, listing(COUNTY, OrgKind.SOCIAL)),
    ],
    "省委教育实践活动办将抽查县市区委常委个人整改措施": [(PO, measures(COUNTY, T.PARTY_COMMITTEE))],
    "抽查县市区人大、政府、政协领导班子整改方案和班子成员个人整改措施": [
        (PO, plan(COUNTY, T.CONGRESS)),
        (PO, plan(COUNTY, T.GOVERNMENT)),
        (PO, plan(COUNTY, T.CPPCC)),
        (PO, measures(COUNTY, T.GOVERNMENT)),
        (PO, measures(COUNTY, T.CONGRESS, Role.PRINCIPAL)),
    ],
    "抽查市、县直机关和企事业单位以及乡镇、街道领导班子整改方案、主要负责同志的整改措施": [
        (PO, plan(CITY, T.UNIT, OrgKind.ORGAN)),
        (PO, plan(COUNTY, T.UNIT, OrgKind.ENTERPRISE)),
        (PO, plan(TOWNSHIP, T.GOVERNMENT)),
        (PO, measures(CITY, T.UNIT, Role.PRINCIPAL, org_kind=OrgKind.ORGAN)),
        (PO, measures(TOWNSHIP, T.PARTY_COMMITTEE, Role.PRINCIPAL)),
        (PO, measures(TOWNSHIP, T.GOVERNMENT, Role.PRINCIPAL)),
    ],
    "抽查部分村、社区和非公有制经济组织、社会组织及其他基层党组织的整改清单": [
        (PO, listing(VILLAGE)),
        (PO, listing(TOWNSHIP, OrgKind.NONPUBLIC)),
    ],
}
# The office's last clause is its bulletin (点名通报), not a check.
BULLETIN = "并对抽查发现的问题进行点名通报。"


def test_the_clauses_above_are_all_of_section_six():
    clauses = [
        clause
        for sentence in section("六").split("。")
        if sentence
        for clause in (sentence + "。").split("，")
    ]
    assert set(clauses) - {BULLETIN} == set(CLAUSES)


@pytest.mark.parametrize("clause", list(CLAUSES))
def test_every_clause_of_section_six_is_checked_by_its_body(clause):
    for authority, subject in CLAUSES[clause]:
        found = {check.authority: check for check in checks(subject)}
        assert authority in found, (clause, subject)
        assert clause in found[authority].basis, (clause, subject)


def test_section_five_adds_the_provincial_and_local_groups():
    for subject in (
        plan(COUNTY, T.UNIT, OrgKind.ORGAN),
        measures(COUNTY, T.UNIT, org_kind=OrgKind.ORGAN),
        plan(TOWNSHIP, T.GOVERNMENT),
        measures(TOWNSHIP, T.CONGRESS, rank=Rank.KE),
        listing(VILLAGE),
    ):
        found = {check.authority: check for check in checks(subject)}
        assert {LG, PG} <= set(found), subject
        assert found[LG].basis == rules.THREE_LEVEL_GROUPS
    # Where 六 names the provincial group too, it cites 六 (the sentence that says how much).
    township = {check.authority: check for check in checks(plan(TOWNSHIP, T.PARTY_COMMITTEE))}
    assert township[PG].basis == rules.PROVINCIAL_GROUP and township[PG].share == 0.2
    # Where only 五 names it, 五.
    member = {check.authority: check for check in checks(measures(COUNTY, T.UNIT, org_kind=OrgKind.ORGAN))}
    assert member[PG].basis == rules.THREE_LEVEL_GROUPS


def test_only_the_township_call_up_has_a_share_and_draws_townships():
    shared = {r.code for r in rules.RULES if r.share is not None}
    assert shared == {"provincial_group.township_committee_plans", "provincial_group.township_secretaries"}
    assert {r.code for r in rules.RULES if r.draws_townships} == shared
    assert all(
        rules.rule(code).share == 0.2 and "按20%左右的比例掌握" in rules.rule(code).basis for code in shared
    )


def test_no_body_spot_checks_what_it_reviews():
    # Section 四 gives a body every document of its chain to decide on; 六 spot-checks the others.
    for subject, steps in routing.table():
        reviewed = {step.authority for step in steps if step.mode == routing.REVIEW}
        assert not reviewed & {check.authority for check in checks(subject)}, subject


def test_rules_are_named_found_and_alive():
    codes = [r.code for r in rules.RULES]
    assert len(codes) == len(set(codes))
    subjects = list(routing.subjects())
    for check_rule in rules.RULES:
        assert check_rule.code.startswith(check_rule.authority + "."), check_rule.code
        assert check_rule.code.isascii() and check_rule.label
        assert rules.rule(check_rule.code) is check_rule
        assert any(check_rule.applies(subject) for subject in subjects), check_rule.code
    with pytest.raises(KeyError):
        rules.rule("central_office.everything")
    assert [r.code for r in rules.rules_for(CO)] == [
        "central_office.city_committee_members",
        "central_office.county_committee_plan",
        "central_office.county_committee_measures",
    ]
    assert rules.rules_for(A.TEAM_PRINCIPAL) == []
    with pytest.raises(KeyError):
        rules.rules_for("nobody")
    # Notice order: 六 body by body, then 五.
    order = [r.authority for r in rules.RULES if r.basis != rules.THREE_LEVEL_GROUPS]
    assert order == sorted(order, key=[CO, CG, PG, PO].index)
    first_five = next(i for i, r in enumerate(rules.RULES) if r.basis == rules.THREE_LEVEL_GROUPS)
    assert all(r.basis == rules.THREE_LEVEL_GROUPS for r in rules.RULES[first_five:])


# Answers for representative documents -------------------------------------------------

NONE = None
TWENTY = 0.2


@pytest.mark.parametrize(
    ("subject", "expected", "scope"),
    [
        # 县市区委常委班子: the centre spot-checks (六); the province reviews it (四).
        (plan(COUNTY, T.PARTY_COMMITTEE), [(CG, NONE), (CO, NONE)], Scope.PUBLIC),
        # Its attachments go with it.
        (
            Subject(D.SPECIAL_RECTIFICATION, COUNTY, REGION, T.PARTY_COMMITTEE),
            [(CG, NONE), (CO, NONE)],
            Scope.PUBLIC,
        ),
        (Subject(D.INSTITUTION_PLAN, CITY, REGION, T.PARTY_COMMITTEE), [], Scope.PUBLIC),
        # 市州委常委班子: reviewed all the way up to the centre, spot-checked by nobody.
        (plan(CITY, T.PARTY_COMMITTEE), [], Scope.PUBLIC),
        (measures(CITY, T.PARTY_COMMITTEE, Role.PRINCIPAL, Rank.TING), [], Scope.INTERNAL),
        (measures(CITY, T.PARTY_COMMITTEE, rank=Rank.TING), [(CO, NONE)], Scope.INTERNAL),
        (plan(CITY, T.GOVERNMENT), [(CG, NONE)], Scope.PUBLIC),
        (measures(CITY, T.GOVERNMENT, rank=Rank.TING), [], Scope.INTERNAL),
        # 县市区委书记 and 常委.
        (measures(COUNTY, T.PARTY_COMMITTEE, Role.PRINCIPAL), [(CO, NONE)], Scope.INTERNAL),
        (measures(COUNTY, T.PARTY_COMMITTEE), [(PG, NONE), (PO, NONE), (CO, NONE)], Scope.INTERNAL),
        # 县市区人大、政府、政协: the plans and members; the county head the province reviews.
        (plan(COUNTY, T.GOVERNMENT), [(PG, NONE), (PO, NONE)], Scope.PUBLIC),
        (measures(COUNTY, T.GOVERNMENT), [(PG, NONE), (PO, NONE)], Scope.INTERNAL),
        (measures(COUNTY, T.GOVERNMENT, Role.PRINCIPAL), [], Scope.INTERNAL),
        (measures(COUNTY, T.CPPCC, Role.PRINCIPAL), [(PG, NONE), (PO, NONE)], Scope.INTERNAL),
        # Township committee: the provincial group calls up about 20%.
        (plan(TOWNSHIP, T.PARTY_COMMITTEE), [(LG, NONE), (PG, TWENTY), (PO, NONE), (CG, NONE)], Scope.PUBLIC),
        (
            measures(TOWNSHIP, T.PARTY_COMMITTEE, Role.PRINCIPAL, Rank.KE),
            [(LG, NONE), (PG, TWENTY), (PO, NONE)],
            Scope.INTERNAL,
        ),
        (measures(TOWNSHIP, T.GOVERNMENT, rank=Rank.KE), [(LG, NONE), (PG, NONE)], Scope.INTERNAL),
        # Direct units.
        (plan(COUNTY, T.UNIT, OrgKind.ORGAN), [(LG, NONE), (PG, NONE), (PO, NONE), (CG, NONE)], Scope.PUBLIC),
        (measures(COUNTY, T.UNIT, org_kind=OrgKind.ORGAN), [(LG, NONE), (PG, NONE)], Scope.INTERNAL),
        (plan(CITY, T.UNIT, OrgKind.ENFORCEMENT), [(PG, NONE), (PO, NONE), (CG, NONE)], Scope.PUBLIC),
        (
            measures(CITY, T.UNIT, Role.PRINCIPAL, org_kind=OrgKind.WINDOW),
            [(PG, NONE), (PO, NONE)],
            Scope.INTERNAL,
        ),
        (measures(CITY, T.UNIT, org_kind=OrgKind.ORGAN), [], Scope.INTERNAL),
        # Courts and procuratorates (not in the notice): as direct units.
        (plan(COUNTY, T.COURT), [(LG, NONE), (PG, NONE), (PO, NONE), (CG, NONE)], Scope.PUBLIC),
        (plan(CITY, T.PROCURATORATE), [(PG, NONE), (PO, NONE), (CG, NONE)], Scope.PUBLIC),
        (
            measures(COUNTY, T.PROCURATORATE, Role.PRINCIPAL),
            [(LG, NONE), (PG, NONE), (PO, NONE)],
            Scope.INTERNAL,
        ),
        (measures(CITY, T.COURT, Role.PRINCIPAL, Rank.TING), [], Scope.INTERNAL),
        # A unit inside a township (not in the notice): the groups of 五.
        (plan(TOWNSHIP, T.UNIT, OrgKind.ENTERPRISE), [(LG, NONE), (PG, NONE)], Scope.PUBLIC),
        # 其他党员领导干部 (no seat): only where a clause names them. 常委, 班子成员,
        # 主要负责同志 and 党委书记 are seats; 六's provincial group names the county's
        # 其他在职党员领导干部, 五's 三级督导组 the 其他党员干部 of county units and townships.
        (measures(COUNTY, T.PARTY_COMMITTEE, Role.OTHER), [(PG, NONE)], Scope.INTERNAL),
        (measures(COUNTY, T.GOVERNMENT, Role.OTHER, Rank.KE), [(PG, NONE)], Scope.INTERNAL),
        (measures(COUNTY, T.COURT, Role.OTHER), [(LG, NONE), (PG, NONE)], Scope.INTERNAL),
        (measures(CITY, T.GOVERNMENT, Role.OTHER, Rank.TING), [], Scope.INTERNAL),
        (
            measures(TOWNSHIP, T.PARTY_COMMITTEE, Role.OTHER, Rank.KE),
            [(LG, NONE), (PG, NONE)],
            Scope.INTERNAL,
        ),
        (measures(TOWNSHIP, T.GOVERNMENT, Role.OTHER, Rank.KE), [(LG, NONE), (PG, NONE)], Scope.INTERNAL),
        (
            measures(COUNTY, T.UNIT, Role.OTHER, Rank.KE, org_kind=OrgKind.ORGAN),
            [(LG, NONE), (PG, NONE)],
            Scope.INTERNAL,
        ),
        (measures(CITY, T.UNIT, Role.OTHER, org_kind=OrgKind.ORGAN), [], Scope.INTERNAL),
        # Grassroots lists, at any level: every body, and published to the masses.
        (
            listing(VILLAGE, team=T.PARTY_COMMITTEE),
            [(LG, NONE), (PG, NONE), (PO, NONE), (CG, NONE)],
            Scope.MASSES,
        ),
        (listing(VILLAGE), [(LG, NONE), (PG, NONE), (PO, NONE), (CG, NONE)], Scope.MASSES),
        (
            listing(TOWNSHIP, OrgKind.NONPUBLIC),
            [(LG, NONE), (PG, NONE), (PO, NONE), (CG, NONE)],
            Scope.MASSES,
        ),
        (listing(CITY, OrgKind.SOCIAL), [(LG, NONE), (PG, NONE), (PO, NONE), (CG, NONE)], Scope.MASSES),
    ],
)
def test_representative_documents(subject, expected, scope):
    assert who(subject) == expected
    assert publication(subject).scope == scope


def test_publication_bases():
    assert publication(plan(COUNTY, T.CONGRESS)) == Publication("public", rules.PUBLIC)
    assert publication(measures(VILLAGE, T.UNIT, org_kind=OrgKind.ORGAN)) == Publication(
        "internal", rules.INTERNAL
    )
    assert publication(listing(VILLAGE)) == Publication("masses", rules.MASSES)
    assert "并在当地媒体公开或以其他适当方式公开" in rules.PUBLIC
    assert {p.scope for _subject, _checks, p in rules.table()} == set(Scope.values)


def test_exactly_one_publication_rule_per_document():
    for subject in routing.subjects():
        if routing.carried_by(subject.kind):
            # Published with the plan it travels inside.
            assert publication(subject) == publication(replace(subject, kind=D.TEAM_PLAN))
            assert not any(r.applies(subject) for r in rules.PUBLICATION_RULES)
            continue
        assert sum(r.applies(subject) for r in rules.PUBLICATION_RULES) == 1, subject


def test_as_json():
    check = checks(plan(TOWNSHIP, T.PARTY_COMMITTEE))[1]
    assert check == Check("provincial_group", 0.2, rules.PROVINCIAL_GROUP)
    assert check.as_json() == {"authority": "provincial_group", "share": 0.2, "basis": rules.PROVINCIAL_GROUP}
    assert checks(plan(COUNTY, T.PARTY_COMMITTEE))[0].as_json()["share"] is None
    assert publication(listing(VILLAGE)).as_json() == {"scope": "masses", "basis": rules.MASSES}


def test_the_whole_table():
    rows = rules.table()
    assert [subject for subject, _checks, _publication in rows] == list(routing.subjects())
    for subject, found, _published in rows:
        authorities = [check.authority for check in found]
        assert len(authorities) == len(set(authorities)), subject
        assert authorities == sorted(authorities, key=list(A.values).index), subject
        assert set(authorities) <= {LG, PG, PO, CG, CO}
    used = {check.authority for _subject, found, _p in rows for check in found}
    assert used == {LG, PG, PO, CG, CO}


@pytest.mark.parametrize(
    "subject",
    [
        Subject(D.TEAM_PLAN, Level.PROVINCE, REGION, T.PARTY_COMMITTEE),
        Subject(D.GRASSROOTS_LIST, COUNTY, REGION, T.GOVERNMENT),
        Subject(D.TEAM_PLAN, TOWNSHIP, REGION, T.COURT),
        Subject(D.INDIVIDUAL, COUNTY, REGION, T.GOVERNMENT),
        Subject("plan", COUNTY, REGION, T.GOVERNMENT),
    ],
)
def test_documents_the_notice_does_not_provide_for(subject):
    with pytest.raises(Unchecked) as error:
        checks(subject)
    assert isinstance(error.value, Unrouted)
    assert any("\u4e00" <= char <= "\u9fff" for char in str(error.value))
    with pytest.raises(Unchecked):
        publication(subject)


# documents_q on the cast --------------------------------------------------------------


def test_documents_q_selects_what_applies(cast):
    township_secretary = Person.objects.create(name="周建军")
    seat(township_secretary, cast.xingsha_committee, "党工委书记", role=Role.PRINCIPAL, rank=Rank.KE)
    city_member = Person.objects.create(name="李卫东")
    seat(city_member, cast.cs_committee, "市委常委", rank=Rank.TING)
    gone = Person.objects.create(name="王离任")
    gone_seat = seat(gone, cast.committee, "原县委常委")
    documents = [
        open_team_document(team)
        for team in (
            cast.cs_committee,
            cast.committee,
            cast.government,
            cast.xingsha_committee,
            cast.kaiyuan_committee,
            cast.edu_team,
            cast.yx_committee,
        )
    ]
    documents += [
        open_individual_document(team, person)
        for team, person in (
            (cast.committee, cast.secretary_person),
            (cast.committee, cast.member_person),
            (cast.government, cast.principal_person),
            (cast.government, cast.deputy_person),
            (cast.xingsha_committee, township_secretary),
            (cast.cs_committee, city_member),
            (cast.committee, gone),
        )
    ]
    gone_seat.active = False  # a former member's measures: no role in the team now
    gone_seat.save()
    every = list(Document.objects.select_related("team__org", "person"))
    assert len(every) == len(documents) + 6  # the attachments of the three party committees
    for document in every:
        Item.objects.create(document=document, section="probe")
    subjects = {}
    for document in every:
        try:
            subjects[document.pk] = subject_of(document)
        except Unrouted:
            subjects[document.pk] = None
    matched = 0
    for check_rule in rules.RULES:
        expected = {pk for pk, subject in subjects.items() if subject and check_rule.applies(subject)}
        assert set(Document.objects.filter(check_rule.documents_q()).values_list("pk", flat=True)) == expected
        items = Item.objects.filter(check_rule.documents_q("document__"))
        assert set(items.values_list("document_id", flat=True)) == expected, check_rule.code
        matched += bool(expected)
    assert matched >= 15
    secretaries = Document.objects.filter(rules.rule("provincial_group.township_secretaries").documents_q())
    assert [d.person for d in secretaries] == [township_secretary]
    members = Document.objects.filter(rules.rule("central_office.county_committee_measures").documents_q())
    assert {d.person for d in members} == {cast.secretary_person, cast.member_person}


# explain_oversight --------------------------------------------------------------------


def explain(*args):
    out = io.StringIO()
    call_command("explain_oversight", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "subject"),
    [
        (
            ["--document", "team_plan", "--level", "county", "--team", "party_committee"],
            plan(COUNTY, T.PARTY_COMMITTEE),
        ),
        (
            ["--document", "simplified_plan", "--level", "township", "--team", "party_committee"],
            plan(TOWNSHIP, T.PARTY_COMMITTEE),
        ),
        (
            [
                "--document",
                "individual",
                "--level",
                "township",
                "--team",
                "party_committee",
                "--role",
                "principal",
            ],
            Subject(D.INDIVIDUAL, TOWNSHIP, REGION, T.PARTY_COMMITTEE, Role.PRINCIPAL, Rank.NONE),
        ),
        (["--document", "grassroots_list", "--level", "village", "--team", "grassroots"], listing(VILLAGE)),
        (
            [
                "--document",
                "grassroots_list",
                "--level",
                "county",
                "--team",
                "grassroots",
                "--org-kind",
                "nonpublic",
            ],
            listing(COUNTY, OrgKind.NONPUBLIC),
        ),
        (
            ["--document", "simplified_plan", "--level", "county", "--team", "unit"],
            plan(COUNTY, T.UNIT, OrgKind.ORGAN),
        ),
        (
            ["--document", "team_plan", "--level", "city", "--team", "party_committee"],
            plan(CITY, T.PARTY_COMMITTEE),
        ),
    ],
)
def test_explain_oversight_json(args, subject):
    raw = explain(*args, "--json")
    printed = json.loads(raw)
    assert set(printed) == {"checks", "publication"}
    assert all(set(check) == {"authority", "share", "basis"} for check in printed["checks"])
    assert set(printed["publication"]) == {"scope", "basis"}
    assert printed == {
        "checks": [check.as_json() for check in checks(subject)],
        "publication": publication(subject).as_json(),
    }
    assert "\\u" not in raw


def test_explain_oversight_json_values():
    township = json.loads(
        explain("--document", "simplified_plan", "--level", "township", "--team", "party_committee", "--json")
    )
    assert [(c["authority"], c["share"]) for c in township["checks"]] == [
        ("local_group", None),
        ("provincial_group", 0.2),
        ("provincial_office", None),
        ("central_group", None),
    ]
    assert township["publication"]["scope"] == "public"
    village = json.loads(
        explain("--document", "grassroots_list", "--level", "village", "--team", "party_committee", "--json")
    )
    assert village["publication"] == {"scope": "masses", "basis": rules.MASSES}
    city = json.loads(
        explain("--document", "team_plan", "--level", "city", "--team", "party_committee", "--json")
    )
    assert city["checks"] == []


def test_explain_oversight_readable():
    text = explain("--document", "simplified_plan", "--level", "township", "--team", "party_committee")
    assert "整改方案｜乡镇、街道 地区 党委（常委）班子" in text
    assert "抽查  省委派驻该市州督导组（provincial_group）  按20%左右的比例调阅" in text
    assert "抽查  市、县督导组（local_group）  抽查" in text
    assert "公开  在当地媒体公开或以其他适当方式公开（public）" in text
    assert rules.PROVINCIAL_GROUP in text and rules.THREE_LEVEL_GROUPS in text
    attachment = explain("--document", "institution_plan", "--level", "county", "--team", "party_committee")
    assert "随方案一并抽查、一并公开" in attachment and routing.INSTITUTIONS in attachment
    city = explain("--document", "team_plan", "--level", "city", "--team", "party_committee")
    assert "未列入抽查范围" in city


def test_explain_oversight_names_the_other_cadres_where_the_notice_does():
    args = ("--document", "individual", "--role", "other")
    county = explain(*args, "--level", "county", "--team", "government", "--rank", "chu")
    assert "领导干部个人整改措施｜县市区 地区 政府班子｜其他党员领导干部 处级" in county
    assert "抽查  省委派驻该市州督导组（provincial_group）  抽查" in county
    assert "依据：" + rules.PROVINCIAL_GROUP in county and "其他在职党员领导干部" in rules.PROVINCIAL_GROUP
    # Not 常委: the central office's 县市区委书记和部分常委 leaves them out.
    committee = json.loads(explain(*args, "--level", "county", "--team", "party_committee", "--json"))
    assert [c["authority"] for c in committee["checks"]] == ["provincial_group"]
    # In a township committee: 五's 其他党员干部, not the 20% call-up of 党委书记的整改措施.
    township = json.loads(
        explain(*args, "--level", "township", "--team", "party_committee", "--rank", "ke", "--json")
    )
    assert township["checks"] == [
        {"authority": "local_group", "share": None, "basis": rules.THREE_LEVEL_GROUPS},
        {"authority": "provincial_group", "share": None, "basis": rules.THREE_LEVEL_GROUPS},
    ]
    others = json.loads(explain("--table", "--json", "--document", "individual", "--role", "other"))
    assert others and all(row["subject"]["role"] == "other" for row in others)
    city = [
        row for row in others if row["subject"]["level"] == "city" and row["subject"]["org_kind"] == "region"
    ]
    assert city and all(row["checks"] == [] for row in city)


def test_explain_oversight_table():
    rows = json.loads(explain("--table", "--json"))
    assert len(rows) == len(rules.table())
    assert set(rows[0]) == {"subject", "checks", "publication"}
    text = explain("--table")
    assert f"共 {len(rows)} 种组合" in text
    footnotes = text.split("依据：\n", 1)[1]
    bases = {check.basis for _s, found, _p in rules.table() for check in found}
    bases |= {p.basis for _s, _c, p in rules.table()}
    for basis in bases:
        assert footnotes.count(basis) == 1, basis
    body = text.split("依据：\n", 1)[0]
    assert rules.PROVINCIAL_GROUP not in body  # cited by number, printed once below
    assert "省委派驻该市州督导组（20%）[" in body
    villages = json.loads(explain("--table", "--json", "--level", "village", "--document", "grassroots_list"))
    assert villages and all(row["subject"]["level"] == "village" for row in villages)
    assert all(row["publication"]["scope"] == "masses" for row in villages)


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
        (["--table", "--org-kind", "company"], "organ（直属机关）"),
        (["--document", "grassroots_list", "--level", "county", "--team", "government"], "不填报整改清单"),
        (["--document", "team_plan", "--level", "province", "--team", "party_committee"], "不含省级"),
        (["--document", "team_plan", "--level", "county"], "--team"),
        (
            ["--document", "team_plan", "--level", "county", "--team", "government", "--role", "member"],
            "--role",
        ),
        (
            ["--document", "individual", "--level", "county", "--team", "government", "--role", "others"],
            "--role 的代码“others”无效。可用的代码：principal（主要负责同志）、member（班子成员）、other（其他党员领导干部）",
        ),
    ],
)
def test_explain_oversight_refuses_what_does_not_exist(args, message):
    with pytest.raises(CommandError) as error:
        explain(*args)
    assert message in str(error.value)
