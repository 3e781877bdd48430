"""The supervising bodies' journey in a real browser: the provincial office at its
dashboard, the province's group for 长沙 drawing a fifth of 长沙县's townships by a seed,
reading a drawn township's plan and recording a finding under an item, the township
answering it, the group accepting it, and the office naming it in a bulletin that it
issues and prints. Screenshots land in test-artifacts/ (desktop and phone)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from devdata import demo, samples
from orgs.models import Team, TeamKind
from oversight.models import Bulletin, Finding, Reading, SpotCheck
from oversight.words import FindingState
from review import transitions

from .conftest import login as login_as
from .pdfs import get_pdf_in
from .test_demo import seed

pytestmark = pytest.mark.browser


def login(page, live_server, username):
    login_as(page, live_server, username, demo.PASSWORD)


# A seed under which 星沙街道 (430121001) is among the townships of 长沙县 drawn at 20%.
SEED = "2014-08-02"


@pytest.fixture
def township_plan(demo_tree, settings):
    """The demo, and 星沙街道党工委's plan filed: submitted to its 分管领导."""
    settings.DEBUG = True
    seed()
    team = Team.objects.get(org__code="430121001", kind=TeamKind.PARTY_COMMITTEE)
    filer = get_user_model().objects.get(username="xs_filer")
    owners = [position.person for position in team.positions.filter(active=True)[:2]]
    plan = samples.fill_simplified_plan(filer, team, owners)
    transitions.submit(filer, plan)
    return plan


def test_the_office_and_a_group_check_find_and_name(page, live_server, township_plan, artifacts):
    plan = township_plan
    problem = plan.items.filter(section="problems").order_by("position").first()

    # The provincial office at its dashboard, down to the county.
    login(page, live_server, "province_office")
    page.get_by_role("link", name="督导看板").first.click()
    expect(page.locator("h1")).to_contain_text("湖南省")
    expect(page.locator("canvas").first).to_be_visible()
    page.screenshot(path=artifacts / "oversight-dashboard-province.png", full_page=True)
    page.get_by_role("link", name="长沙市").first.click()
    expect(page.locator("h1")).to_contain_text("长沙市")
    page.get_by_role("link", name="长沙县").first.click()
    expect(page.locator("h1")).to_contain_text("长沙县")
    page.screenshot(path=artifacts / "oversight-dashboard-county.png", full_page=True)

    # 省委派驻长沙市督导组 draws the townships of 长沙县 with a seed typed in first.
    login(page, live_server, "cs_group")
    page.get_by_role("link", name="督导抽查").first.click()
    expect(page.locator("h1")).to_contain_text("督导抽查")
    page.screenshot(path=artifacts / "oversight-index.png", full_page=True)
    page.locator("#new-check").click()
    form = page.locator("#check-form")
    form.locator("select").select_option(label="　　长沙县")
    form.locator("input[value='provincial_group.township_committee_plans']").check()
    form.locator("input[value='provincial_group.township_secretaries']").check()
    form.locator("input[name=method][value=draw]").check()
    form.locator("#percent").fill("20")
    form.locator("#seed").fill(SEED)
    page.screenshot(path=artifacts / "oversight-new-check.png", full_page=True)
    form.get_by_role("button", name="开展抽查").click()
    expect(page.locator(".alert-success")).to_contain_text("已开展抽查")
    expect(page.locator("#draw")).to_contain_text(SEED)
    expect(page.locator("#strata")).to_contain_text("星沙街道")
    expect(page.locator("#samples")).to_contain_text("未报送")
    page.screenshot(path=artifacts / "oversight-draw.png", full_page=True)
    spot_check = SpotCheck.objects.get()
    assert "430121001" in spot_check.drawn["strata"][0]["drawn"]

    # It reads the drawn township's plan (the read is logged) and records a finding on
    # a problem, requiring rectification.
    page.locator("#samples tr", has_text="星沙街道").filter(has_text="整改方案").get_by_role(
        "link", name="调阅"
    ).click()
    expect(page.locator("h1")).to_contain_text(plan.title)
    assert Reading.objects.filter(spot_check=spot_check, document=plan, what="page").exists()
    row = page.locator(f"#item-{problem.uid}")
    row.locator("details.item-note summary", has_text="记录发现问题").click()
    finding_form = row.locator("form.finding-form")
    finding_form.locator("select[name=ground]").select_option("not_targeted")
    finding_form.locator("select[name=severity]").select_option("serious")
    finding_form.locator("textarea[name=text]").fill("问题表述笼统，没有点到具体的人和事。")
    finding_form.locator("input[name=requires]").check()
    finding_form.get_by_role("button", name="记录发现问题").click()
    expect(page.locator(".alert-success")).to_contain_text("已记录发现问题")
    expect(page.locator(f"#item-{problem.uid} .item-findings")).to_contain_text("没有点到具体的人和事")
    page.screenshot(path=artifacts / "oversight-finding.png", full_page=True)

    # The township's filer sees it beside the problem and answers.
    login(page, live_server, "xs_filer")
    page.goto(live_server.url + reverse("plans:document", args=[plan.pk]))
    findings = page.locator(f"#item-{problem.uid} .item-findings")
    expect(findings).to_contain_text("待整改")
    findings.locator("textarea[name=answer]").fill("已补充：某某同志2次无故缺席中心组学习。")
    findings.get_by_role("button", name="答复整改情况").click()
    expect(page.locator(".alert-success")).to_contain_text("已答复整改情况")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=artifacts / "oversight-answer-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The group finds the answer waiting for it and accepts it on its check's page.
    login(page, live_server, "cs_group")
    page.get_by_role("link", name="督导抽查").first.click()
    expect(page.locator("#awaiting")).to_contain_text(plan.title)
    page.screenshot(path=artifacts / "oversight-index-awaiting.png", full_page=True)
    page.goto(live_server.url + reverse("oversight:check", args=[spot_check.pk]))
    page.locator("#findings").get_by_role("button", name="认可整改").click()
    expect(page.locator(".alert-success")).to_contain_text("已认可整改")
    finding = Finding.objects.get()
    assert finding.state == FindingState.ACCEPTED

    # The provincial office names it in a bulletin, issues and prints it.
    login(page, live_server, "province_office")
    page.get_by_role("link", name="督导抽查").first.click()
    page.get_by_role("link", name="点名通报").first.click()
    page.locator("#new-bulletin").click()
    bulletin_form = page.locator("#bulletin-form")
    bulletin_form.locator("input[name=title]").fill("关于乡镇整改方案抽查发现问题的通报")
    bulletin_form.locator(f"#finding-{finding.pk}").check()
    bulletin_form.locator("#save-bulletin").click()
    expect(page.locator("body")).to_contain_text("没有点到具体的人和事")
    page.locator("#issue-bulletin").click()
    expect(page.locator("body")).to_contain_text("湘群办通报〔")
    bulletin = Bulletin.objects.get()
    assert bulletin.issued and bulletin.number == 1
    page.screenshot(path=artifacts / "oversight-bulletin.png", full_page=True)
    pdf = get_pdf_in(page, live_server.url + reverse("oversight:bulletin_pdf", args=[bulletin.pk]))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (artifacts / "oversight-bulletin.pdf").write_bytes(pdf.body())

    # The county's office is told, and finds it on its dashboard.
    login(page, live_server, "csx_group")
    page.get_by_role("link", name="审阅待办").click()
    expect(page.locator("#notifications")).to_contain_text("湘群办通报〔")
    page.get_by_role("link", name="督导看板").first.click()
    expect(page.locator("#bulletins")).to_contain_text("关于乡镇整改方案抽查发现问题的通报")
