"""Spot checks on the demo: who may open one and for what, the draw, reading a sampled
document only while the check is open (and every read logged), findings answered and
accepted, and the pages that do it."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from orgs import policy
from orgs.models import Authority, AuthorityKind, Org, Person, Position, Role, Team, TeamKind
from oversight import draw, transitions
from oversight.models import Event, Finding, Reading, Sample, SpotCheck
from oversight.words import CheckState, FindingState, Method
from plans.documents import open_team_document
from plans.models import Document
from plans.words import DocumentKind, Status
from rectify.tables import workbook
from review import transitions as review
from review.models import Notification
from review.moves import NotAllowed, NotReady, Stale

from .pdfs import get_pdf
from .test_demo import seed
from .test_moves import fill_team_plan

COUNTY_PLAN = "central_office.county_committee_plan"


def account(username):
    return get_user_model().objects.get(username=username)


def body(kind, name=None):
    bodies = Authority.objects.filter(kind=kind)
    return bodies.get(name=name) if name else bodies.get()


def sees(username, document):
    user = account(username)  # a fresh user: no cached reach
    return (
        policy.visible(user, Document).filter(pk=document.pk).exists(),
        policy.can(user, policy.Right.VIEW, document),
    )


@pytest.fixture
def demo(demo_tree, settings):
    settings.DEBUG = True
    seed()


@pytest.fixture
def county_plan(demo, django_capture_on_commit_callbacks):
    """长沙县委's team plan, submitted: its chain runs to the provincial office, not to the
    central bodies."""
    plan = fill_team_plan("csx_filer", "430121")
    with django_capture_on_commit_callbacks(execute=True):
        review.submit(account("csx_filer"), plan)
    plan.refresh_from_db()
    return plan


def open_central(classes=(COUNTY_PLAN,), region="43"):
    return transitions.open_check(
        account("central_office"),
        body(AuthorityKind.CENTRAL_OFFICE),
        Org.objects.get(code=region),
        list(classes),
    )


def pick_plan(spot_check, plan, username="central_office"):
    return transitions.pick(account(username), spot_check.pk, spot_check.revision, plan.team_id, plan.kind)


# Who reads what --------------------------------------------------------------------------


def test_a_checker_reads_a_sampled_document_only_while_the_check_is_open(county_plan):
    assert sees("central_office", county_plan) == (False, False)
    spot_check = open_central()
    assert sees("central_office", county_plan) == (False, False)  # open, but not sampled
    pick_plan(spot_check, county_plan)
    assert sees("central_office", county_plan) == (True, True)
    # Nobody else gains anything from it: not the other central body, not an outsider.
    assert sees("central_group", county_plan) == (False, False)
    assert sees("outsider", county_plan) == (False, False)
    assert sees("zz_group", county_plan) == (False, False)
    spot_check.refresh_from_db()
    transitions.close_check(account("central_office"), spot_check.pk, spot_check.revision)
    assert sees("central_office", county_plan) == (False, False)


def test_a_sampled_draft_is_not_read_it_shows_as_not_filed(demo, client):
    plan = fill_team_plan("csx_filer", "430121")
    assert plan.status == Status.DRAFT
    spot_check = open_central()
    pick_plan(spot_check, plan)
    assert sees("central_office", plan) == (False, False)
    client.force_login(account("central_office"))
    page = client.get(reverse("oversight:check", args=[spot_check.pk])).content.decode()
    assert "未报送" in page and "1 份未报送" in page


def test_the_bodies_that_supervise_read_their_jurisdiction_the_others_what_is_sent(county_plan):
    # The provincial group and office review it; the city's group and the county's own
    # group supervise 长沙 day to day; the central bodies and the leaders' office do not.
    for username in ("cs_group", "province_office", "csx_group", "csx_secretary"):
        assert sees(username, county_plan) == (True, True), username
    for username in ("central_group", "central_office", "province_chief", "zz_group", "outsider"):
        assert sees(username, county_plan) == (False, False), username


def test_every_read_of_a_sampled_document_is_logged(county_plan, client):
    spot_check = open_central()
    pick_plan(spot_check, county_plan)
    client.force_login(account("central_office"))
    assert client.get(reverse("plans:document", args=[county_plan.pk])).status_code == 200
    assert get_pdf(client, reverse("plans:pdf", args=[county_plan.pk])).status_code == 200
    reads = list(Reading.objects.filter(spot_check=spot_check).values_list("what", "user__username"))
    assert sorted(reads) == [("page", "central_office"), ("pdf", "central_office")]
    # A reviewer reading it on its chain is not reading a sample.
    client.force_login(account("cs_group"))
    client.get(reverse("plans:document", args=[county_plan.pk]))
    assert Reading.objects.count() == 2


# Opening a check -----------------------------------------------------------------------


def test_a_body_checks_only_its_classes_within_its_jurisdiction(demo):
    group = body(AuthorityKind.PROVINCIAL_GROUP, "省委派驻长沙市督导组")
    cs_group = account("cs_group")
    # The provincial group does not check the county party committee's plan (section 六
    # gives it to the central bodies): refused, and nothing opened.
    with pytest.raises(NotReady):
        transitions.open_check(cs_group, group, Org.objects.get(code="4301"), [COUNTY_PLAN])
    with pytest.raises(NotAllowed):
        transitions.open_check(
            cs_group, group, Org.objects.get(code="4302"), ["provincial_group.township_committee_plans"]
        )
    with pytest.raises(NotAllowed):  # not a member of that body
        transitions.open_check(
            account("zz_group"),
            group,
            Org.objects.get(code="4301"),
            ["provincial_group.township_committee_plans"],
        )
    assert not SpotCheck.objects.exists()


def test_a_draw_samples_the_townships_anyone_can_recompute(demo):
    group = body(AuthorityKind.PROVINCIAL_GROUP, "省委派驻长沙市督导组")
    county = Org.objects.get(code="430121")
    spot_check = transitions.open_check(
        account("cs_group"),
        group,
        county,
        ["provincial_group.township_committee_plans", "provincial_group.township_secretaries"],
        method=Method.DRAW,
        percent=20,
        seed="2014081501",
    )
    expected = draw.draw_region(county, 20, "2014081501").as_json()
    assert spot_check.drawn == expected
    assert spot_check.seed == "2014081501" and spot_check.percent == 20
    drawn = {code for stratum in expected["strata"] for code in stratum["drawn"]}
    # Every sample is the committee plan or the secretary's measures of a drawn township.
    for sample in Sample.objects.filter(spot_check=spot_check).select_related("team__org", "township"):
        assert sample.township.code in drawn
        assert sample.team.org == sample.township and sample.team.kind == TeamKind.PARTY_COMMITTEE
        assert sample.kind in (DocumentKind.SIMPLIFIED_PLAN, DocumentKind.INDIVIDUAL)
    assert Event.objects.filter(spot_check=spot_check, action="draw").get().data == expected
    # A draw needs its seed first.
    with pytest.raises(NotReady):
        transitions.open_check(
            account("cs_group"),
            group,
            county,
            ["provincial_group.township_committee_plans"],
            method=Method.DRAW,
            percent=20,
            seed=" ",
        )


def test_the_other_cadres_are_sampled_where_the_notice_names_them(demo):
    group = body(AuthorityKind.PROVINCIAL_GROUP, "省委派驻长沙市督导组")
    county = Org.objects.get(code="430121")
    secretary = Position.objects.get(title="党工委书记", team__org__code="430121001").person
    office = Position.objects.get(
        title="党政综合办公室主任", role=Role.OTHER, team__org__code="430121001"
    ).person
    researcher = Position.objects.get(title="县人民政府调研员", team__org=county).person

    def opened(classes, **drawn):
        return transitions.open_check(account("cs_group"), group, county, classes, **drawn)

    # 调阅…党委书记的整改措施（按20%左右的比例掌握）: every township drawn, and of the
    # committee's people only its secretary, not the 其他党员干部 recorded in it.
    drawn = opened(
        ["provincial_group.township_secretaries"], method=Method.DRAW, percent=100, seed="2014081502"
    )
    people = set(Sample.objects.filter(spot_check=drawn).values_list("person", flat=True))
    assert secretary.pk in people and office.pk not in people
    # 县市区…其他在职党员领导干部的个人整改措施: the county's 调研员, picked by hand.
    cadres = opened(["provincial_group.county_other_cadres"])
    assert {entry.person_id for entry in transitions.candidates(cadres)} == {researcher.pk}
    transitions.pick(
        account("cs_group"),
        cadres.pk,
        cadres.revision,
        Position.objects.get(person=researcher).team_id,
        "individual",
        researcher.pk,
    )
    # 五: 乡镇、街道领导班子及成员和其他党员干部, all of them.
    townships = {entry.person_id for entry in transitions.candidates(opened(["provincial_group.townships"]))}
    assert {secretary.pk, office.pk} <= townships


def test_picking_twice_or_from_an_old_page_changes_nothing(county_plan):
    spot_check = open_central()
    old = spot_check.revision
    pick_plan(spot_check, county_plan)
    with pytest.raises(Stale):  # the page it was picked from is out of date
        transitions.pick(account("central_office"), spot_check.pk, old, county_plan.team_id, county_plan.kind)
    spot_check.refresh_from_db()
    with pytest.raises(Stale):  # a double click
        pick_plan(spot_check, county_plan)
    with pytest.raises(NotAllowed):  # not of the check's classes
        transitions.pick(
            account("central_office"),
            spot_check.pk,
            spot_check.revision,
            county_plan.team_id,
            DocumentKind.INDIVIDUAL,
        )
    assert Sample.objects.filter(spot_check=spot_check).count() == 1


# Findings ------------------------------------------------------------------------------


@pytest.fixture
def sampled(county_plan):
    spot_check = open_central()
    pick_plan(spot_check, county_plan)
    spot_check.refresh_from_db()
    return spot_check, county_plan


def test_a_finding_that_requires_rectification_is_answered_and_accepted(
    sampled, client, django_capture_on_commit_callbacks
):
    spot_check, plan = sampled
    item = plan.items.exclude(text="").first()
    with django_capture_on_commit_callbacks(execute=True):
        finding = transitions.record_finding(
            account("central_office"),
            spot_check.pk,
            plan.pk,
            "not_concrete",
            "serious",
            "整改措施停留在口号，没有可检查的节点。",
            requires_rectification=True,
            item_uid=item.uid,
        )
    assert finding.state == FindingState.OPEN
    assert Notification.objects.filter(user__username="csx_filer", link=f"/documents/{plan.pk}/").exists()

    # The filer sees it under the item and answers there.
    client.force_login(account("csx_filer"))
    page = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert "整改措施停留在口号" in page and reverse("oversight:answer", args=[finding.pk]) in page
    response = client.post(
        reverse("oversight:answer", args=[finding.pk]),
        {"revision": finding.revision, "answer": "已细化到季度节点。"},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.state == FindingState.ANSWERED and finding.answer == "已细化到季度节点。"

    # Only the checking body decides; keeping it open needs a reason.
    with pytest.raises(NotAllowed):
        transitions.decide(account("cs_group"), finding.pk, finding.revision, accept=True)
    with pytest.raises(NotReady):
        transitions.decide(account("central_office"), finding.pk, finding.revision, accept=False)
    transitions.decide(account("central_office"), finding.pk, finding.revision, accept=False, note="仍无时限")
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN
    transitions.answer(account("csx_filer"), finding.pk, finding.revision, "已明确2014年12月底前完成。")
    finding.refresh_from_db()
    transitions.decide(account("central_office"), finding.pk, finding.revision, accept=True)
    finding.refresh_from_db()
    assert finding.state == FindingState.ACCEPTED
    actions = list(Event.objects.filter(finding=finding).values_list("action", flat=True))
    assert actions == ["find", "answer", "keep_open", "answer", "accept"]


def test_a_finding_is_recorded_only_by_a_checker_on_a_sampled_filed_document(sampled, demo_tree):
    spot_check, plan = sampled
    with pytest.raises(NotAllowed):
        transitions.record_finding(account("csx_filer"), spot_check.pk, plan.pk, "other", "minor", "x")
    with pytest.raises(NotReady):
        transitions.record_finding(account("central_office"), spot_check.pk, plan.pk, "other", "minor", "  ")
    other = open_team_document(Team.objects.get(org__code="430121", kind=TeamKind.GOVERNMENT))
    with pytest.raises(NotAllowed):
        transitions.record_finding(account("central_office"), spot_check.pk, other.pk, "other", "minor", "x")
    transitions.close_check(account("central_office"), spot_check.pk, spot_check.revision)
    with pytest.raises(Stale):
        transitions.record_finding(account("central_office"), spot_check.pk, plan.pk, "other", "minor", "x")
    assert not Finding.objects.exists()


def test_a_refused_finding_gives_back_what_was_typed(sampled, client):
    spot_check, plan = sampled
    client.force_login(account("central_office"))
    response = client.post(
        reverse("oversight:record", args=[spot_check.pk]),
        {"document": plan.pk, "ground": "", "severity": "general", "text": "责任人写的是单位而不是人"},
        follow=True,
    )
    page = response.content.decode()
    assert "请选择问题类型" in page and "责任人写的是单位而不是人" in page
    assert not Finding.objects.exists()


# Pages ---------------------------------------------------------------------------------


def test_the_pages_open_a_check_by_hand_and_pick(county_plan, client):
    client.force_login(account("central_office"))
    office = body(AuthorityKind.CENTRAL_OFFICE)
    form = client.get(reverse("oversight:new")).content.decode()
    assert "县市区委领导班子整改方案" in form and "中央教育实践活动办直接抽查" in form
    # A refused form keeps what was typed.
    refused = client.post(
        reverse("oversight:new"),
        {f"region-{office.pk}": Org.objects.get(code="43").pk, "method": "hand", "title": "八月抽查"},
    )
    assert refused.status_code == 200 and "八月抽查" in refused.content.decode()
    assert not SpotCheck.objects.exists()
    response = client.post(
        reverse("oversight:new"),
        {
            f"region-{office.pk}": Org.objects.get(code="43").pk,
            f"classes-{office.pk}": COUNTY_PLAN,
            "method": "hand",
            "title": "八月抽查",
        },
    )
    spot_check = SpotCheck.objects.get()
    assert response.url == reverse("oversight:check", args=[spot_check.pk])
    page = client.get(reverse("oversight:check", args=[spot_check.pk]) + "?q=长沙县").content.decode()
    assert "中共长沙县委常委班子" in page
    client.post(
        reverse("oversight:pick", args=[spot_check.pk]),
        {
            "revision": spot_check.revision,
            "team": county_plan.team_id,
            "kind": county_plan.kind,
            "person": "",
        },
    )
    page = client.get(reverse("oversight:check", args=[spot_check.pk])).content.decode()
    assert reverse("plans:document", args=[county_plan.pk]) in page and "审阅中" in page
    sheet = client.get(reverse("oversight:check_export", args=[spot_check.pk]))
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("oversight:index")).status_code == 200


def test_strangers_do_not_reach_a_check(sampled, client):
    spot_check, _plan = sampled
    for username in ("outsider", "zz_group", "csx_filer"):
        client.force_login(account(username))
        assert client.get(reverse("oversight:check", args=[spot_check.pk])).status_code == 404, username
        assert (
            client.post(
                reverse("oversight:close", args=[spot_check.pk]), {"revision": spot_check.revision}
            ).status_code
            == 404
        )
    # The provincial office supervises the province: it sees the check but cannot act in it.
    client.force_login(account("province_office"))
    assert client.get(reverse("oversight:check", args=[spot_check.pk])).status_code == 200
    response = client.post(
        reverse("oversight:close", args=[spot_check.pk]), {"revision": spot_check.revision}
    )
    assert response.status_code == 403
    assert SpotCheck.objects.get().state == CheckState.OPEN
    # A filer has no spot checks to run.
    client.force_login(account("csx_filer"))
    assert client.get(reverse("oversight:new")).status_code == 403
    assert Person.objects.exists()


def test_the_export_keeps_text_that_looks_like_a_formula_as_text():
    book = load_workbook(io.BytesIO(workbook("抽查", ["名称", "份数"], [['=HYPERLINK("x")', 3]])))
    cell = book.active["A2"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
    assert book.active["B2"].value == 3


def test_the_admin_shows_a_check_its_findings_and_record_and_changes_none(sampled, client):
    spot_check, plan = sampled
    finding = transitions.record_finding(
        account("central_office"), spot_check.pk, plan.pk, "other", "minor", "x"
    )
    client.force_login(account("admin"))
    for model, pk in (
        ("spotcheck", spot_check.pk),
        ("finding", finding.pk),
        ("event", Event.objects.first().pk),
    ):
        assert client.get(reverse(f"admin:oversight_{model}_changelist")).status_code == 200
        page = client.get(reverse(f"admin:oversight_{model}_change", args=[pk]))
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        assert client.post(reverse(f"admin:oversight_{model}_delete", args=[pk])).status_code == 403
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_malformed_ids_and_a_foreign_next_change_nothing_and_never_fail(sampled, client):
    spot_check, plan = sampled
    client.force_login(account("central_office"))
    big = "9" * 30
    record = client.post(
        reverse("oversight:record", args=[spot_check.pk]),
        {"document": big, "ground": "other", "severity": "minor", "text": "x"},
    )
    assert record.status_code == 404
    pick = client.post(
        reverse("oversight:pick", args=[spot_check.pk]),
        {"revision": spot_check.revision, "team": "abc", "kind": "team_plan", "person": big},
    )
    assert pick.status_code == 403
    unpick = client.post(
        reverse("oversight:unpick", args=[spot_check.pk]), {"revision": spot_check.revision, "sample": big}
    )
    assert unpick.status_code == 302
    assert Sample.objects.filter(spot_check=spot_check).count() == 1 and not Finding.objects.exists()
    # A pick goes back to this check's page, never to an address it was handed.
    transitions.unpick(
        account("central_office"),
        spot_check.pk,
        spot_check.revision,
        Sample.objects.get(spot_check=spot_check).pk,
    )
    spot_check.refresh_from_db()
    response = client.post(
        reverse("oversight:pick", args=[spot_check.pk]),
        {
            "revision": spot_check.revision,
            "team": plan.team_id,
            "kind": plan.kind,
            "person": "",
            "next": "//evil.example/phish",
        },
    )
    assert response.url == reverse("oversight:check", args=[spot_check.pk]) + "#candidates"
    assert Sample.objects.filter(spot_check=spot_check).count() == 1
