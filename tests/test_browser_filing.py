"""Filing in a real browser: every kind of document filled end to end by the people who
fill it, the checklist watched until it turns green. Screenshots land in test-artifacts/.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm
from playwright.sync_api import expect

from plans.forms import TEXT_LIMITS
from plans.models import Document, Item, SpecialTask
from plans.words import DocumentKind

from .conftest import csp_violations, login
from .pdfs import get_pdf_in
from .sheets_samples import team_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = pytest.mark.browser


def settled(page):
    """Wait until every edit typed so far has reached the server."""
    page.wait_for_function("() => window.rectifyPending && window.rectifyPending() === 0")
    page.wait_for_load_state("networkidle")


def add_row(page, section, category="all"):
    # A page just navigated to: its buttons act once htmx has set them up.
    page.wait_for_function("() => window.htmx && document.readyState === 'complete'")
    rows = page.locator(f"#list-{section}-{category} form.item")
    before = rows.count()
    page.locator(f"#section-{section} button.add-row[hx-target='#list-{section}-{category}']").click()
    expect(rows).to_have_count(before + 1)
    page.wait_for_load_state("networkidle")
    return rows.last


def pick(row, name, label):
    row.locator(f"details.picker[data-name={name}] summary").click()
    row.locator(f"details.picker[data-name={name}] label", has_text=label).locator("input").check()


def register(page, team_url_name, lines, source=None):
    page.get_by_role("link", name="四个回应登记").click()
    if source:
        page.select_option("#id_source", source)
    page.fill("#id_text", "\n".join(lines))
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".alert-success")).to_contain_text(f"已登记 {len(lines)} 条")
    page.go_back()
    page.go_back()
    page.reload()


def test_a_leader_fills_their_individual_measures(page, live_server, cast, artifacts):
    login(page, live_server, "member")
    page.locator("#my-positions").get_by_role("link", name="整改方案和个人整改措施").click()
    page.locator("#individual-measures tr", has_text="欧阳明辉").get_by_role(
        "button", name="开始填写"
    ).click()
    expect(page.locator("h1")).to_contain_text("欧阳明辉同志个人整改措施")
    # What the member must answer: a criticism at the 民主生活会.
    register(page, "plans:register", ["到联系点调研次数偏少"], source="life_meeting")
    expect(page.locator(".responses")).to_contain_text("0/1")

    problems = {
        "political_discipline": "对中央和省委决策部署学习领会不深",
        "eight_rules": "到基层调研有时前呼后拥",
        "four_winds": "到联系点调研次数偏少，存在为官不为现象",
    }
    for category, text in problems.items():
        row = add_row(page, "problems", category)
        row.locator("textarea[name=text]").fill(text)
        if category == "four_winds":
            row.locator("input[name=inaction]").check()
            pick(row, "answers", "到联系点调研次数偏少")
        settled(page)
    measures = {
        "theory_and_discipline": ("每月参加1次中心组学习，年底前撰写2篇学习体会", "对中央和省委"),
        "eight_rules": ("下基层调研一律轻车简从，不安排陪同", "前呼后拥"),
        "style_and_four_winds": ("每月到联系村走访2次，年底前完成4篇调研报告", "为官不为"),
    }
    for aspect, (text, problem) in measures.items():
        row = add_row(page, "measures", aspect)
        row.locator("textarea[name=text]").fill(text)
        row.locator("input[name=deadline]").fill("2014年12月底前")
        pick(row, "addresses", problem)
        if aspect == "style_and_four_winds":
            row.locator("input[name=inaction]").check()
        settled(page)
        expect(row.locator(".item-feedback")).to_contain_text("2014年12月31日")
    page.screenshot(path=artifacts / "filing-individual.png", full_page=True)
    expect(page.locator("#check-state")).to_contain_text("可以提交", timeout=10_000)

    document = Document.objects.get(person=cast.member_person)
    assert document.items.filter(section="problems", inaction=True).count() == 1
    assert all(item.addresses.exists() for item in document.items.filter(section="measures"))


def test_a_township_files_its_simplified_plan(page, live_server, cast, artifacts):
    assign_perm("orgs.file_team", cast.filer, cast.xingsha_committee)
    login(page, live_server, "filer")
    page.goto(live_server.url + reverse("plans:team_documents", args=[cast.xingsha_committee.pk]))
    page.get_by_role("button", name="开始填写整改方案").click()
    expect(page.locator("#section-requirements")).to_contain_text("整改的总体要求和目标")
    expect(page.locator("text=第一块")).to_have_count(0)
    register(page, "plans:register", ["街道便民服务大厅午休时间不办事"], source="mass_opinion")

    page.locator("#section-requirements textarea").fill(
        "以解决群众反映强烈的突出问题为重点，年底前见到实效。"
    )
    row = add_row(page, "problems")
    row.locator("textarea[name=text]").fill("便民服务大厅午休时间不办事，群众意见大")
    pick(row, "answers", "午休时间不办事")
    settled(page)
    row = add_row(page, "measures")
    row.locator("textarea[name=text]").fill("10月1日起便民服务大厅实行午间轮班制，每周公示值班表")
    row.locator("input[name=owner]").fill("街道办主任")
    row.locator("input[name=deadline]").fill("2014年9月底前")
    pick(row, "addresses", "午休时间不办事")
    settled(page)
    expect(page.locator("#check-state")).to_contain_text("可以提交", timeout=10_000)
    page.screenshot(path=artifacts / "filing-township.png", full_page=True)
    document = Document.objects.get(team=cast.xingsha_committee)
    assert document.kind == DocumentKind.SIMPLIFIED_PLAN


def test_a_village_files_its_list_and_rows_move_and_go(page, live_server, cast, artifacts):
    assign_perm("orgs.file_team", cast.filer, cast.kaiyuan_committee)
    refused = csp_violations(page)
    login(page, live_server, "filer")
    page.goto(live_server.url + reverse("plans:team_documents", args=[cast.kaiyuan_committee.pk]))
    page.get_by_role("button", name="开始填写整改清单").click()
    register(page, "plans:register", ["小区路灯坏了没人修", "村务公开栏更新不及时"], source="mass_opinion")
    entries = {
        "小区路灯坏了没人修": ("10月底前更换全部损坏路灯，设立报修电话", "小区路灯"),
        "村务公开栏更新不及时": ("每月5日前更新公开栏，接受居民监督", "村务公开栏"),
        "一条写错的": ("待删除", None),
    }
    for text, (measures, answers) in entries.items():
        row = add_row(page, "entries")
        row.locator("textarea[name=text]").fill(text)
        row.locator("textarea[name=measures]").fill(measures)
        row.locator("input[name=owner]").fill("刘娟")
        row.locator("input[name=deadline]").fill("2014年10月底前")
        if answers:
            pick(row, "answers", answers)
        settled(page)
    rows = page.locator("#list-entries-all form.item")
    # Move the second row up: it becomes the first, without a page load.
    rows.nth(1).get_by_role("button", name="上移").click()
    expect(rows.first.locator("textarea[name=text]")).to_have_value("村务公开栏更新不及时")
    rows.nth(2).get_by_role("button", name="删除").click()
    expect(rows).to_have_count(2)
    settled(page)
    expect(page.locator("#check-state")).to_contain_text("可以提交", timeout=10_000)
    page.screenshot(path=artifacts / "filing-village.png", full_page=True)
    document = Document.objects.get(team=cast.kaiyuan_committee)
    assert [item.text for item in document.items.order_by("position")] == [
        "村务公开栏更新不及时",
        "小区路灯坏了没人修",
    ]
    # The order survives a reload.
    page.reload()
    expect(rows.first.locator("textarea[name=text]")).to_have_value("村务公开栏更新不及时")
    assert refused == []


def test_two_filers_editing_one_row_see_both_versions(page, live_server, cast, artifacts, browser):
    assign_perm("orgs.file_team", cast.member, cast.kaiyuan_committee)
    assign_perm("orgs.file_team", cast.filer, cast.kaiyuan_committee)
    login(page, live_server, "filer")
    page.goto(live_server.url + reverse("plans:team_documents", args=[cast.kaiyuan_committee.pk]))
    page.get_by_role("button", name="开始填写整改清单").click()
    row = add_row(page, "entries")
    row.locator("textarea[name=text]").fill("第一版")
    settled(page)
    url = page.url

    other = browser.new_context().new_page()
    login(other, live_server, "member")
    other.goto(url)
    other.locator("#list-entries-all form.item textarea[name=text]").first.fill("欧阳明辉改的")
    settled(other)

    row.locator("textarea[name=text]").fill("王丽改的")
    expect(row.locator(".conflict")).to_contain_text("刚被")
    expect(row.locator(".version.theirs")).to_contain_text("欧阳明辉改的")
    expect(row.locator(".version.mine")).to_contain_text("王丽改的")
    page.screenshot(path=artifacts / "filing-conflict.png", full_page=True)
    item = Item.objects.get(document__team=cast.kaiyuan_committee)
    assert item.text == "欧阳明辉改的"
    row.get_by_role("button", name="保留我的版本").click()
    settled(page)
    item.refresh_from_db()
    assert item.text == "王丽改的"


def test_what_was_typed_survives_an_expired_session(page, live_server, cast, artifacts):
    assign_perm("orgs.file_team", cast.filer, cast.kaiyuan_committee)
    login(page, live_server, "filer")
    page.goto(live_server.url + reverse("plans:team_documents", args=[cast.kaiyuan_committee.pk]))
    page.get_by_role("button", name="开始填写整改清单").click()
    row = add_row(page, "entries")
    settled(page)
    url = page.url
    page.context.clear_cookies(name="sessionid")  # the session expires
    row.locator("textarea[name=text]").fill("会话过期后输入的问题")
    expect(row.locator(".item-feedback")).to_contain_text("在新窗口重新登录")
    item = Item.objects.get(document__team=cast.kaiyuan_committee)
    assert item.text == ""

    login(page, live_server, "filer")
    page.goto(url)
    # The copy kept in the browser is put back and saved.
    expect(page.locator("#restored")).to_be_visible()
    settled(page)
    item.refresh_from_db()
    assert item.text == "会话过期后输入的问题"


def test_the_county_committee_files_its_plan_imports_the_table_and_prints(page, live_server, cast, artifacts):
    """The journey of issue 3's first paragraph: 中共长沙县委's filer fills the six blocks and
    both attachments, imports a filled copy of the notice's table, watches the checklist
    turn green, exports the table and prints the plan."""
    login(page, live_server, "filer")
    page.locator("#my-teams").get_by_role("link", name="填报整改文件").click()
    page.get_by_role("button", name="开始填写领导班子整改方案").click()
    expect(page.locator("h1")).to_contain_text("中共长沙县委常委班子整改方案")
    plan_url = page.url

    # What the plan must answer, one of each source.
    page.get_by_role("link", name="四个回应登记").click()
    for source, text in (
        ("mass_opinion", "群众反映会议多、文件多"),
        ("self_inspection", "公务接待超标准"),
        ("life_meeting", "调研走过场"),
        ("superior", "征地补偿款发放慢"),
    ):
        page.select_option("#id_source", source)
        page.fill("#id_text", text)
        page.get_by_role("button", name="登记").click()
        expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#source-superior")).to_contain_text("征地补偿款发放慢")
    page.screenshot(path=artifacts / "filing-register.png", full_page=True)
    page.goto(plan_url)

    header = page.locator("form.header")
    header.locator("input[name=presided_by_secretary]").check()
    header.locator("input[name=meeting_name]").fill("县委常委会第42次会议")
    header.locator("input[name=meeting_date]").fill("2014-08-20")
    header.locator("input[name=dated]").fill("2014-08-25")
    blocks = {
        "principles": "以党的群众路线教育实践活动为契机，坚持问题导向，边学边查边改。",
        "goal_near": "2014年10月底前，群众反映强烈的突出问题得到有效解决。",
        "goal_mid": "2015年6月底前，“四风”问题得到根本扭转。",
        "goal_long": "建立健全作风建设长效机制。",
        "self_building": "坚持民主集中制，每半年召开一次专题民主生活会。",
        "leadership": "成立由县委书记任组长的整改工作领导小组，每月调度一次。",
    }
    for code, text in blocks.items():
        page.locator(f"#section-{code} textarea").fill(text)
    row = add_row(page, "phase_tasks")
    row.locator("select[name=phase]").select_option("near")
    row.locator("textarea[name=text]").fill("集中整改群众反映强烈的突出问题")
    row.locator("input[name=deadline]").fill("2014年10月底前")
    settled(page)

    # Import the notice's table as the office filled it.
    page.get_by_role("link", name="导入Excel").click()
    page.set_input_files(
        "input[type=file]",
        {"name": "长沙县委整改问题清单.xlsx", "mimeType": XLSX, "buffer": team_workbook()},
    )
    page.get_by_role("button", name="预览").click()
    expect(page.locator("#preview")).to_contain_text("文山会海问题仍然突出")
    expect(page.locator("#import-errors")).to_have_count(0)
    page.screenshot(path=artifacts / "filing-import-preview.png", full_page=True)
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("#import-done")).to_contain_text("导入")
    page.locator("#back-to-document").click()
    expect(page.locator("#list-problems-four_winds")).to_contain_text("督查检查考核过多过滥")

    # Cite the four responses from the problems they answer.
    for category, problem, entry in (
        ("four_winds", "文山会海问题仍然突出", "群众反映会议多"),
        ("eight_rules", "公务接待有超标准现象", "公务接待超标准"),
        ("four_winds", "督查检查考核过多过滥", "调研走过场"),
        ("mass_interests", "征地补偿款发放不及时", "征地补偿款发放慢"),
    ):
        row = page.locator(f"#list-problems-{category} form.item").filter(
            has=page.locator("textarea", has_text=problem)
        )
        pick(row, "answers", entry)
        settled(page)

    # The imported problem that came without a measure gets one, and the sixth aspect.
    row = add_row(page, "measures", "four_winds")
    row.locator("textarea[name=text]").fill("督查检查考核事项压减50%，年底前公布保留清单")
    row.locator("input[name=owner]").fill("欧阳明辉")
    row.locator("input[name=deadline]").fill("2014年12月底前")
    pick(row, "addresses", "督查检查考核过多过滥")
    settled(page)
    row = add_row(page, "measures", "special_and_institutions")
    row.locator("textarea[name=text]").fill("按附件1、附件2推进专项整治和制度建设，每季度通报一次进展")
    row.locator("input[name=owner]").fill("夏海波")
    row.locator("input[name=unit]").fill("县委办")
    row.locator("input[name=deadline]").fill("长期坚持")
    settled(page)

    # 附件1: every task the notice requires; 附件2: one institution.
    page.get_by_role("link", name="附件1 专项整治工作方案").click()
    for task in SpecialTask.objects.filter(required=True):
        row = add_row(page, "tasks")
        row.locator("select[name=special_task]").select_option(str(task.pk))
        row.locator("textarea[name=measures]").fill(f"开展{task.name[:10]}专项行动，年底前完成一轮排查")
        row.locator("input[name=unit]").fill("县纪委")
        row.locator("input[name=deadline]").fill("2014年12月底前")
        settled(page)
    expect(page.locator("#check-state")).to_contain_text("可以提交", timeout=10_000)
    page.get_by_role("link", name="附件2 制度建设计划").click()
    row = add_row(page, "tasks")
    row.locator("select[name=origin]").select_option("new")
    row.locator("select[name=focus]").select_option("organs")
    row.locator("textarea[name=text]").fill("制定《县委常委会重大事项决策程序规定》")
    row.locator("input[name=unit]").fill("县委办")
    row.locator("input[name=deadline]").fill("2014年11月底前")
    settled(page)

    page.goto(plan_url)
    expect(page.locator("#check-state")).to_contain_text("可以提交", timeout=10_000)
    page.screenshot(path=artifacts / "filing-team-plan.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    printed = get_pdf_in(
        page, live_server.url + page.get_by_role("link", name="打印（PDF）").get_attribute("href")
    )
    assert printed.status == 200 and printed.headers["content-type"] == "application/pdf"
    assert printed.body().startswith(b"%PDF")
    (artifacts / "filing-team-plan.pdf").write_bytes(printed.body())

    plan = Document.objects.get(team=cast.committee, kind=DocumentKind.TEAM_PLAN)
    assert plan.meeting_name == "县委常委会第42次会议" and plan.presided_by_secretary
    assert plan.items.filter(section="problems").count() == 7
    assert plan.items.get(text="每月召开一次常委会学习会").owner == cast.secretary_person


def open_list(page, live_server, cast):
    """The filer opens 开元路社区's 整改清单 and adds a row; the row is returned saved."""
    assign_perm("orgs.file_team", cast.filer, cast.kaiyuan_committee)
    login(page, live_server, "filer")
    page.goto(live_server.url + reverse("plans:team_documents", args=[cast.kaiyuan_committee.pk]))
    page.get_by_role("button", name="开始填写整改清单").click()
    row = add_row(page, "entries")
    settled(page)
    return row, Item.objects.get(document__team=cast.kaiyuan_committee)


def test_what_is_typed_offline_waits_and_is_saved_when_back(page, live_server, cast, artifacts):
    row, item = open_list(page, live_server, cast)
    state = page.locator("#connection")
    expect(state).to_contain_text("全部内容已保存")

    page.context.set_offline(True)
    expect(state).to_contain_text("网络已断开")
    row.locator("textarea[name=text]").fill("断网时写下的问题")
    expect(state).to_contain_text("1 处修改暂存在本机浏览器中")
    expect(row.locator(".item-feedback")).to_contain_text("连接恢复后自动保存")
    page.screenshot(path=artifacts / "filing-offline.png", full_page=True)
    item.refresh_from_db()
    assert item.text == ""

    page.context.set_offline(False)
    expect(state).to_contain_text("全部内容已保存")
    settled(page)
    item.refresh_from_db()
    assert item.text == "断网时写下的问题"


def test_leaving_with_unsaved_text_asks_first(page, live_server, cast):
    row, item = open_list(page, live_server, cast)
    page.context.set_offline(True)
    field = row.locator("textarea[name=text]")
    field.click()
    page.keyboard.type("还没保存的字")
    expect(page.locator("#connection")).to_contain_text("暂存在本机浏览器中")
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"


def test_an_unreadable_deadline_is_marked_and_the_measure_saved(page, live_server, cast, artifacts):
    row, item = open_list(page, live_server, cast)
    row.locator("textarea[name=measures]").fill("每月底公开一次村务收支")
    row.locator("input[name=deadline]").fill("等上级通知")
    deadline = row.locator("input[name=deadline]")
    expect(deadline).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(row.locator(".field-error")).to_contain_text("看不懂整改时限“等上级通知”")
    expect(row.locator(".item-feedback")).to_contain_text("整改时限没有保存")
    page.screenshot(path=artifacts / "filing-unreadable-deadline.png", full_page=True)
    item.refresh_from_db()
    assert item.measures == "每月底公开一次村务收支"
    assert item.deadline_text == "" and item.deadline is None
    expect(deadline).to_have_value("等上级通知")

    # Corrected, the mark goes and the date is read in the plan's year.
    deadline.fill("年底前")
    expect(row.locator(".field-error")).to_have_count(0)
    expect(deadline).not_to_have_class(re.compile(r"\bis-invalid\b"))
    settled(page)
    item.refresh_from_db()
    assert item.deadline_text == "年底前" and item.deadline.isoformat() == "2014-12-31"


def test_a_huge_paste_stays_in_the_field_and_the_rest_of_the_row_is_saved(page, live_server, cast, artifacts):
    row, item = open_list(page, live_server, cast)
    text = row.locator("textarea[name=text]")
    text.fill("群众反映的问题" * 2000)  # 14,000 characters: near no limit yet, past this one
    expect(row.locator(".limit-note.over")).to_contain_text("超出上限")
    pasted = "整改" * 150_000  # 300,000 characters
    text.fill(pasted)
    expect(row.locator(".limit-note.over")).to_contain_text("已输入 300,000 字")
    expect(row.locator(".limit-note.over")).to_contain_text("内容仍在这里和本机浏览器中")
    saving = reverse("plans:item_save", args=[item.pk])
    with page.expect_response(
        lambda response: (
            response.url.endswith(saving)
            and "held=text" in (response.request.post_data or "")
            and quote("刘娟") in (response.request.post_data or "")
        )
    ) as answer:
        row.locator("input[name=owner]").fill("刘娟")
    assert answer.value.status == 200
    assert quote("整改") not in answer.value.request.post_data  # the paste stayed here
    page.wait_for_load_state("networkidle")
    expect(row.locator(".item-feedback")).to_contain_text("已保存")
    row.locator(".limit-note.over").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "filing-size-notice.png")
    assert "RequestDataTooBig" not in page.content()
    item.refresh_from_db()
    assert item.owner_text == "刘娟" and item.text == ""
    assert text.input_value() == pasted
    kept = page.evaluate(
        f"() => JSON.parse(localStorage.getItem('rectify:draft:item-{item.uid}')).values.text"
    )
    assert kept == pasted
    assert page.evaluate("() => window.rectifyPending()") == 1  # leaving would ask first

    # Cut down under the limit, it is saved.
    text.fill("村务公开栏更新不及时")
    expect(row.locator(".limit-note")).to_have_count(0)
    settled(page)
    item.refresh_from_db()
    assert item.text == "村务公开栏更新不及时"


def test_a_row_saved_with_a_field_held_back_comes_back_after_a_reload_without_a_conflict(
    page, live_server, cast
):
    row, item = open_list(page, live_server, cast)
    limit = TEXT_LIMITS["text"]
    too_long = "问" * (limit + 5)
    row.locator("textarea[name=text]").fill(too_long)
    saving = reverse("plans:item_save", args=[item.pk])
    with page.expect_response(
        lambda response: response.url.endswith(saving) and quote("刘娟") in (response.request.post_data or "")
    ) as answer:
        row.locator("input[name=owner]").fill("刘娟")  # saved; the text is held back
    assert answer.value.status == 200
    page.wait_for_load_state("networkidle")
    item.refresh_from_db()
    assert item.owner_text == "刘娟" and item.revision > 1
    # The copy is put back and sent again, on the revision the last save made.
    with page.expect_response(lambda response: response.url.endswith(saving)) as again:
        page.reload()
    assert again.value.status == 200
    page.wait_for_load_state("networkidle")
    row = page.locator(f"#item-{item.uid}")
    expect(row.locator("textarea[name=text]")).to_have_value(too_long)
    expect(row.locator(".limit-note.over")).to_contain_text("超出上限")
    assert page.locator(".conflict").count() == 0
    assert "被他人修改" not in page.content()
    item.refresh_from_db()
    assert item.owner_text == "刘娟" and item.text == ""


def test_near_its_limit_a_field_says_how_much_is_left(page, live_server, cast):
    row, item = open_list(page, live_server, cast)
    limit = TEXT_LIMITS["text"]
    row.locator("textarea[name=text]").fill("问" * (limit - 100))
    expect(row.locator(".limit-note")).to_contain_text("还可输入 100 字")
    settled(page)
    item.refresh_from_db()
    assert len(item.text) == limit - 100


def test_a_pause_in_typing_costs_one_request_and_the_checklist_follows(page, live_server, cast, artifacts):
    row, item = open_list(page, live_server, cast)
    page.wait_for_timeout(1000)  # the add's own answer has come and gone
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    checklist = page.locator("#checklist")
    expect(checklist).not_to_contain_text("可以提交")
    row.locator("textarea[name=text]").fill("村务公开不及时")
    row.locator("textarea[name=measures]").fill("每月底公开一次村务收支")
    row.locator("input[name=owner]").fill("李红")
    row.locator("input[name=deadline]").fill("2014年10月底前")
    settled(page)
    page.wait_for_timeout(1500)  # longer than the delay after which the page used to ask
    # Each save (one per pause, one per field left) is the only request it costs: the
    # checklist came with it, nothing is asked afterwards.
    saving = live_server.url + reverse("plans:item_save", args=[item.pk])
    assert sent and all(url == saving for url in sent), sent
    expect(checklist).to_contain_text("可以提交")
    expect(page.locator(f"#flags-{item.uid} .badge")).to_have_count(0)
    page.screenshot(path=artifacts / "filing-one-request-per-save.png", full_page=True)

    # Emptied, the row is flagged in the same answer.
    sent.clear()
    row.locator("input[name=deadline]").fill("")
    expect(page.locator(f"#flags-{item.uid} .badge")).not_to_have_count(0)
    expect(checklist).to_contain_text("须整改")
    settled(page)
    assert len([url for url in sent if "/save/" in url]) == 1 and not [
        url for url in sent if "/checklist/" in url
    ]
