"""The review journey of issue 4 in a real browser: 中共长沙县委's plan submitted, returned
by the provincial supervision group with grounds and comments on two items, revised and
resubmitted, compared and approved, approved by the provincial office and read by the
provincial leaders. Screenshots land in test-artifacts/."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plans import editing
from plans.models import Document
from plans.words import Status
from review import transitions
from review.models import COMMENT_MAX_CHARS, RESUBMIT_NOTE_MAX_CHARS, CommentDraft, Event, Review

from .conftest import login
from .factories import filled_team_plan

pytestmark = pytest.mark.browser


def test_a_plan_is_returned_revised_and_approved(page, live_server, cast, leaders, artifacts):
    for account, name in ((cast.group, "彭志刚"), (cast.office, "贺湘华")):
        account.first_name = name
        account.save()
    plan = filled_team_plan(cast)
    url = live_server.url + reverse("plans:document", args=[plan.pk])
    problems = list(plan.items.filter(section="problems").order_by("category", "position"))

    # The filer sees the chain before submitting, and submits.
    login(page, live_server, "filer")
    page.goto(url)
    expect(page.locator("#route-preview")).to_contain_text("省委派驻该市州督导组")
    expect(page.locator("#route-preview")).to_contain_text("彭志刚")
    page.get_by_role("button", name="报送审阅").click()
    expect(page.locator(".alert-success")).to_contain_text("已报送审阅")
    expect(page.locator("textarea")).to_have_count(0)

    # The supervision group finds it in its inbox and returns it with two comments.
    login(page, live_server, "group")
    page.get_by_role("link", name="审阅待办").click()
    expect(page.locator("#inbox")).to_contain_text(plan.title)
    page.screenshot(path=artifacts / "review-inbox-group.png", full_page=True)
    page.locator("#inbox").get_by_role("link", name=plan.title).click()
    for problem, text in ((problems[0], "措施要写明学习会的具体内容"), (problems[1], "压缩比例要有基数")):
        note = page.locator(f"#item-{problem.uid} details.item-note")
        note.locator("summary").click()
        note.locator("textarea").fill(text)
    decision = page.locator("#return-form")
    decision.locator("input[value=not_concrete]").check()
    decision.locator("input[value=four_responses]").check()
    decision.locator("input[value=mass_opinion]").check()
    decision.locator("textarea[name=note]").fill("请对照意见逐条修改")
    page.screenshot(path=artifacts / "review-returning.png", full_page=True)
    decision.get_by_role("button", name="退回修改").click()
    expect(page.locator(".alert-success")).to_contain_text("已退回修改")
    plan.refresh_from_db()
    assert plan.status == Status.RETURNED

    # The filer sees the comments beside the items, revises, addresses them and resubmits.
    login(page, live_server, "filer")
    page.goto(url)
    first = page.locator(f"#item-{problems[0].uid}")
    expect(first.locator(".item-comments")).to_contain_text("措施要写明学习会的具体内容")
    expect(page.locator("#timeline")).to_contain_text("整改措施不具体")
    page.screenshot(path=artifacts / "review-returned-filer.png", full_page=True)
    first.locator("textarea[name=text]").fill("个别班子成员对中央决策部署领会不深（已补充具体表现）")
    page.wait_for_function("() => window.rectifyPending() === 0")
    first.locator(".item-comments input[name=addressed]").check()
    expect(first.locator(".item-comments")).to_contain_text("已记录")
    second = page.locator(f"#item-{problems[1].uid}")
    second.locator(".item-comments input[name=answer]").fill("基数为2013年接待费支出，已在措施中注明")
    second.locator(".item-comments input[name=answer]").press("Enter")
    expect(second.locator(".item-comments")).to_contain_text("已记录")
    page.reload()
    page.locator("#resubmit-form textarea").fill("已按意见修改")
    page.get_by_role("button", name="重新报送").click()
    expect(page.locator(".alert-success")).to_contain_text("已重新报送")

    # The group sees exactly what changed and approves.
    login(page, live_server, "group")
    page.goto(url)
    page.get_by_role("link", name="查看第 2 版修改了什么").click()
    expect(page.locator(f"#change-{problems[0].uid}")).to_contain_text("已补充具体表现")
    expect(page.locator(f"#change-{problems[0].uid} .old")).to_contain_text(problems[0].text)
    expect(page.locator("#comments")).to_contain_text("已整改")
    expect(page.locator("#comments")).to_contain_text("基数为2013年接待费支出")
    page.screenshot(path=artifacts / "review-changes.png", full_page=True)
    page.goto(url)
    page.get_by_role("button", name="审阅通过").click()
    expect(page.locator(".alert-success")).to_contain_text("已审阅通过")

    # The provincial office approves; the provincial leaders receive it for reading.
    login(page, live_server, "office")
    page.goto(url)
    page.get_by_role("button", name="审阅通过").click()
    # The group's step already reads 已通过 on this page: wait for the office's own answer
    # before the next login clears the cookies under a request still on its way.
    expect(page.locator(".alert-success")).to_contain_text("已审阅通过")
    expect(page.locator("#review")).to_contain_text("已通过")
    login(page, live_server, "leader")
    page.get_by_role("link", name="审阅待办").click()
    page.locator("#inbox input[name=step]").check()
    page.get_by_role("button", name="所选送阅文件标记为已阅").click()
    expect(page.locator(".alert-success")).to_contain_text("已将 1 份文件标记为已阅")

    plan.refresh_from_db()
    assert plan.status == Status.APPROVED
    actions = list(Event.objects.filter(document=plan).values_list("action", flat=True))
    assert [a for a in actions if a != "address"] == [
        "submit",
        "return",
        "resubmit",
        "approve",
        "approve",
        "approved",
        "read",
    ]
    assert actions.count("address") >= 2 and actions.index("address") < actions.index("resubmit")
    login(page, live_server, "filer")
    page.goto(url)
    timeline = page.locator("#timeline")
    for word in ("报送", "退回修改", "修改后重新报送", "审阅通过", "审阅完成", "已阅"):
        expect(timeline).to_contain_text(word)
    page.screenshot(path=artifacts / "review-approved.png", full_page=True)
    assert Review.objects.get(document=plan).versions.count() == 2
    assert Document.objects.get(pk=plan.pk).status == Status.APPROVED


def test_the_send_buttons_wait_for_the_document_and_say_why(page, live_server, cast, leaders, artifacts):
    """A filer's submit waits for the checks, and resubmit for every comment to be answered;
    each says why beside it and wakes as the filer works, keeping the note typed for it."""
    plan = filled_team_plan(cast)
    measure = plan.items.filter(section="measures").order_by("position", "id").first()
    editing.save_item(cast.filer, measure, measure.revision, {"deadline": None, "deadline_text": ""})
    url = live_server.url + reverse("plans:document", args=[plan.pk])

    login(page, live_server, "filer")
    page.goto(url)
    send = page.locator("#submit-document")
    expect(send).to_be_disabled()
    expect(page.locator(".send-reason")).to_contain_text("没有具体明确整改时限")
    page.locator("#review").screenshot(path=artifacts / "review-send-waits.png")
    page.locator(f"#form-{measure.uid} input[name=deadline]").fill("2014年10月底前")
    expect(send).to_be_enabled()
    expect(page.locator(".send-reason")).to_have_count(0)
    send.click()
    expect(page.locator(".alert-success")).to_contain_text("已报送审阅")

    review = Review.objects.get(document=plan)
    step = review.steps.get(authority="provincial_group")
    transitions.return_for_revision(
        cast.group, step.pk, review.revision, [{"reason": "not_concrete"}], {measure.uid: "请写明学习内容"}
    )
    page.goto(url)
    resend = page.locator("#resubmit")
    expect(resend).to_be_disabled()
    expect(page.locator(".send-reason")).to_contain_text("还有 1 条审阅意见")
    page.locator("#resubmit-form textarea[name=note]").fill("已补充学习内容")
    page.locator(f"#item-{measure.uid} .item-comments input[name=addressed]").check()
    expect(resend).to_be_enabled()
    expect(page.locator("#resubmit-form textarea[name=note]")).to_have_value("已补充学习内容")
    resend.click()
    expect(page.locator(".alert-success")).to_contain_text("已重新报送")
    assert Event.objects.get(document=plan, action="resubmit").comment == "已补充学习内容"


def test_submitting_asks_first_and_cancelling_submits_nothing(page, live_server, cast, leaders, artifacts):
    """报送 freezes the document for the review: the filer is asked first, with the route;
    answering 取消 leaves it a draft to go on writing, 确定 submits it."""
    plan = filled_team_plan(cast)
    login(page, live_server, "filer", accept_dialogs=False)
    asked, answers = [], []

    def answer(dialog):
        asked.append(dialog.message)
        if answers.pop(0):
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", answer)
    page.goto(live_server.url + reverse("plans:document", args=[plan.pk]))
    send = page.locator("#submit-document")
    answers.append(False)
    send.click()
    assert len(asked) == 1 and asked[0].endswith("确定报送吗？")
    assert "冻结为不可更改的版本" in asked[0] and "省委派驻该市州督导组" in asked[0]
    expect(send).to_be_enabled()  # not marked sent: the filer may still send it
    expect(page.locator(".alert-success")).to_have_count(0)
    assert Document.objects.get(pk=plan.pk).status == Status.DRAFT
    assert not Review.objects.filter(document=plan).exists()
    page.locator("#review").screenshot(path=artifacts / "review-submit-kept-draft.png")

    answers.append(True)
    send.click()
    expect(page.locator(".alert-success")).to_contain_text("已报送审阅")
    assert len(asked) == 2 and asked[1] == asked[0]
    assert Document.objects.get(pk=plan.pk).status == Status.SUBMITTED
    assert Review.objects.filter(document=plan).count() == 1


def test_a_reviewer_loses_nothing_written(page, live_server, cast, leaders, artifacts):
    """批注 on two items and a 总体意见 survive a return refused for want of a ground and a
    reload; approving with them written asks whether to send them or discard them."""
    plan = filled_team_plan(cast)
    review = transitions.submit(cast.filer, plan)
    url = live_server.url + reverse("plans:document", args=[plan.pk])
    problems = list(plan.items.filter(section="problems").order_by("category", "position"))
    written = {problems[0].uid: "措施要写明学习会的具体内容", problems[1].uid: "压缩比例要有基数"}

    login(page, live_server, "group")
    page.goto(url)
    for uid, text in written.items():
        note = page.locator(f"#item-{uid} details.item-note")
        note.locator("summary").click()
        note.locator("textarea").fill(text)
    decision = page.locator("#return-form")
    decision.locator("textarea[name=note]").fill("请对照意见逐条修改")
    # (a) No ground ticked: refused, in Chinese, and every word is still there.
    decision.get_by_role("button", name="退回修改").click()
    expect(page.locator(".alert-danger")).to_contain_text("退回修改须至少选择一条理由。")
    for uid, text in written.items():
        expect(page.locator(f"#item-{uid} details.item-note textarea")).to_have_value(text)
        expect(page.locator(f"#item-{uid} details.item-note")).to_have_attribute("open", "")
    expect(page.locator("#return-note")).to_have_value("请对照意见逐条修改")
    page.screenshot(path=artifacts / "review-drafts-kept.png", full_page=True)
    # (b) Typed on, then the page reloaded: still there.
    page.locator(f"#item-{problems[0].uid} details.item-note textarea").fill(
        "措施要写明学习会的具体内容和时间"
    )
    page.wait_for_function("() => window.reviewPending() === 0")
    expect(page.locator(f"#item-{problems[0].uid} .draft-state")).to_contain_text("已保存")
    page.reload()
    expect(page.locator(f"#item-{problems[0].uid} details.item-note textarea")).to_have_value(
        "措施要写明学习会的具体内容和时间"
    )
    expect(page.locator(f"#item-{problems[1].uid} details.item-note textarea")).to_have_value(
        "压缩比例要有基数"
    )
    expect(page.locator("#return-note")).to_have_value("请对照意见逐条修改")
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED and not Event.objects.filter(action="return").exists()

    # (c) Approving asks; cancelling changes nothing; sending records them as remarks.
    page.locator(f"#item-{problems[1].uid} details.item-note textarea").fill("")
    page.get_by_role("button", name="审阅通过").click()
    dialog = page.locator("#remarks-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("已写：批注 1 条、总体意见。")
    page.screenshot(path=artifacts / "review-approve-asks.png", full_page=True)
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_be_hidden()
    assert not Event.objects.filter(action="approve").exists()
    page.get_by_role("button", name="审阅通过").click()
    dialog.get_by_role("button", name="通过，并送达这些意见").click()
    expect(page.locator(".alert-success")).to_contain_text("已审阅通过")
    event = Event.objects.get(action="approve")
    assert event.comment == "请对照意见逐条修改"
    assert [(str(c.item_uid), c.text) for c in event.comments.all()] == [
        (str(problems[0].uid), "措施要写明学习会的具体内容和时间")
    ]

    # The office writes a 批注 and approves, discarding it: nothing is sent.
    login(page, live_server, "office")
    page.goto(url)
    note = page.locator(f"#item-{problems[2].uid} details.item-note")
    note.locator("summary").click()
    note.locator("textarea").fill("这条不必送")
    page.get_by_role("button", name="审阅通过").click()
    page.locator("#remarks-dialog").get_by_role("button", name="通过，放弃这些批注").click()
    expect(page.locator(".alert-success")).to_contain_text("已审阅通过")
    office = Event.objects.filter(action="approve").order_by("id").last()
    assert office.actor == cast.office and office.comment == "" and not office.comments.exists()
    review.refresh_from_db()
    assert review.state == "approved"

    # The filer reads the group's remark beside its item.
    login(page, live_server, "filer")
    page.goto(url)
    expect(page.locator(f"#item-{problems[0].uid} .item-comments")).to_contain_text("审阅通过时的意见")
    expect(page.locator(f"#item-{problems[0].uid} .item-comments")).to_contain_text("具体内容和时间")
    expect(page.locator("#timeline")).to_contain_text("请对照意见逐条修改")


def test_a_comment_says_its_limit_as_it_nears_it(page, live_server, cast, leaders):
    plan = filled_team_plan(cast)
    step = transitions.submit(cast.filer, plan).steps.get(authority="provincial_group")
    problem = plan.items.filter(section="problems").order_by("category", "position").first()
    login(page, live_server, "group")
    page.goto(live_server.url + reverse("plans:document", args=[plan.pk]))
    note = page.locator(f"#item-{problem.uid} details.item-note")
    note.locator("summary").click()
    near = "批" * (COMMENT_MAX_CHARS - 100)
    note.locator("textarea").fill(near)
    expect(note.locator(".limit-note")).to_have_text(
        f"已输入 {len(near):,} 字，上限 {COMMENT_MAX_CHARS:,} 字，还可输入 100 字。"
    )
    expect(note.locator(".limit-note.over")).to_have_count(0)
    page.wait_for_function("() => window.reviewPending() === 0")
    expect(note.locator(".draft-state")).to_contain_text("已保存")
    assert CommentDraft.objects.get(step=step, item_uid=problem.uid).text == near
    # Well under the limit, nothing is said.
    note.locator("textarea").fill("措施要具体")
    expect(note.locator(".limit-note")).to_have_count(0)


def test_a_comment_over_its_limit_stays_in_the_browser_and_holds_the_decision(
    page, live_server, cast, leaders, artifacts
):
    """Past the limit the 批注 is not sent: it stays in its field and in the browser, a
    return or an approval is held with the field focused, a reload puts it back; cut
    down, it is saved and the return goes."""
    plan = filled_team_plan(cast)
    step = transitions.submit(cast.filer, plan).steps.get(authority="provincial_group")
    problem = plan.items.filter(section="problems").order_by("category", "position").first()
    url = live_server.url + reverse("plans:document", args=[plan.pk])
    login(page, live_server, "group")
    page.goto(url)
    note = page.locator(f"#item-{problem.uid} details.item-note")
    area = note.locator("textarea")
    note.locator("summary").click()
    too_long = "批注" * (COMMENT_MAX_CHARS // 2) + "超出的十个字超出的十"
    area.fill(too_long)
    told = note.locator(".limit-note.over")
    expect(told).to_contain_text(
        f"已输入 {len(too_long):,} 字，超出上限 10 字（上限 {COMMENT_MAX_CHARS:,} 字）"
    )
    expect(told).to_contain_text("内容仍在这里和本机浏览器中")
    expect(told).to_contain_text("删减之前不能退回修改或审阅通过")
    expect(area).to_have_attribute("class", re.compile(r"\bis-invalid\b"))
    note.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "review-comment-over-limit.png")

    # 退回修改 is held: nothing leaves, the field is focused and keeps its text.
    decision = page.locator("#return-form")
    decision.locator("input[value=not_concrete]").check()
    decision.locator("textarea[name=note]").fill("请对照意见逐条修改")
    decision.get_by_role("button", name="退回修改").click()
    expect(area).to_be_focused()
    expect(area).to_have_value(too_long)
    # 审阅通过 too (focus elsewhere first, to see it come back).
    decision.locator("textarea[name=note]").focus()
    page.get_by_role("button", name="审阅通过").click()
    expect(area).to_be_focused()
    expect(page.locator("#remarks-dialog")).to_be_hidden()
    plan.refresh_from_db()
    assert (
        plan.status == Status.SUBMITTED
        and not Event.objects.filter(action__in=["return", "approve"]).exists()
    )
    assert not CommentDraft.objects.filter(step=step, item_uid=problem.uid).exists()

    # A reload puts it back from the browser, still said to be over.
    page.reload()
    area = page.locator(f"#item-{problem.uid} details.item-note textarea")
    expect(area).to_have_value(too_long)
    expect(page.locator(f"#item-{problem.uid} .limit-note.over")).to_contain_text("超出上限 10 字")
    assert not CommentDraft.objects.filter(step=step, item_uid=problem.uid).exists()

    # Cut down, it is saved, and the return carries it.
    area.fill(too_long[:COMMENT_MAX_CHARS])
    expect(page.locator(f"#item-{problem.uid} .limit-note.over")).to_have_count(0)
    page.wait_for_function("() => window.reviewPending() === 0")
    assert CommentDraft.objects.get(step=step, item_uid=problem.uid).text == too_long[:COMMENT_MAX_CHARS]
    page.locator("#return-form input[value=not_concrete]").check()
    page.locator("#return-form").get_by_role("button", name="退回修改").click()
    expect(page.locator(".alert-success")).to_contain_text("已退回修改")
    assert Event.objects.get(action="return").comments.get().text == too_long[:COMMENT_MAX_CHARS]


def test_a_resubmission_note_over_its_limit_is_held(page, live_server, cast, leaders, artifacts):
    plan = filled_team_plan(cast)
    review = transitions.submit(cast.filer, plan)
    step = review.steps.get(authority="provincial_group")
    transitions.return_for_revision(cast.group, step.pk, review.revision, [{"reason": "not_concrete"}])
    login(page, live_server, "filer")
    page.goto(live_server.url + reverse("plans:document", args=[plan.pk]))
    area = page.locator("#resubmit-note")
    too_long = "改" * (RESUBMIT_NOTE_MAX_CHARS + 3)
    area.fill(too_long)
    expect(page.locator("#resubmit-form .limit-note.over")).to_contain_text(
        f"超出上限 3 字（上限 {RESUBMIT_NOTE_MAX_CHARS:,} 字）：删减到 {RESUBMIT_NOTE_MAX_CHARS:,} 字以内才能重新报送"
    )
    page.locator("#review").screenshot(path=artifacts / "review-resubmit-note-over-limit.png")
    page.locator("#resubmit").click()
    expect(area).to_be_focused()
    expect(area).to_have_value(too_long)
    assert Document.objects.get(pk=plan.pk).status == Status.RETURNED
    area.fill("已按意见修改")
    page.locator("#resubmit").click()
    expect(page.locator(".alert-success")).to_contain_text("已重新报送")
    assert Event.objects.get(action="resubmit").comment == "已按意见修改"
