"""The register and the import preview in a real browser: a column of 180 群众意见 pasted
whole, what a paste did line by line, a preview that marks its bad rows, and the editor's
添加一条 sending its key. Screenshots land in test-artifacts/."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plans.documents import open_team_document
from plans.models import Input

from .conftest import login
from .sheets_samples import xlsx

pytestmark = pytest.mark.browser


def test_a_column_of_180_opinions_is_pasted_whole(page, live_server, cast, artifacts):
    Input.objects.create(team=cast.committee, source="mass_opinion", text="会议多、文件多", position=1)
    column = [f"第{n}条：群众反映办事窗口排队时间长、部分干部服务态度生硬" for n in range(1, 179)]
    column += ["会议多、文件多", "长" * 4001]
    assert len("\n".join(column[:178])) > 5000
    login(page, live_server, "filer")
    page.goto(live_server.url + reverse("plans:register", args=[cast.committee.pk]))
    expect(page.locator("#paste-limits")).to_contain_text("一次最多粘贴 5000 行")
    page.fill("#id_text", "\n".join(column))
    expect(page.locator("#paste-count")).to_contain_text("已填 180 行")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".alert-warning")).to_contain_text(
        "已登记 178 条征求到的群众意见；1 条与已有的重复，未再登记；1 条未登记，原因见下。"
    )
    expect(page.locator("#paste-refused")).to_contain_text("超过 4000 字（本行 4001 字）")
    expect(page.locator("#paste-duplicates")).to_contain_text("登记簿中已有相同的一条")
    expect(page.locator("#id_text")).to_have_value("长" * 4001)
    expect(page.locator("#source-mass_opinion .count")).to_have_text("179")
    page.screenshot(path=artifacts / "register-paste-report.png", full_page=False)
    assert Input.objects.filter(source="mass_opinion").count() == 179


def test_the_import_preview_marks_bad_rows(page, live_server, cast, artifacts, tmp_path):
    plan = open_team_document(cast.committee, cast.filer)
    path = tmp_path / "清单.xlsx"
    path.write_bytes(
        xlsx(
            [
                ["序号", "问题类别", "问题清单", "整改任务和措施", "责任人", "整改时限", "轻重缓急"],
                [1, "“四风”方面", "会议多", "精简会议", "夏海波", "2014年10月底前", "急"],
                [2, None, None, "压缩文件", "夏海波", "尽快", "缓"],
                [3, "最后一公里", "窗口服务差", "推行代办制", "欧阳明辉", "长期坚持", None],
            ]
        )
    )
    login(page, live_server, "filer")
    page.goto(live_server.url + reverse("plans:import", args=[plan.pk]))
    expect(page.locator("#import-template")).to_contain_text("下载空表：领导班子整改问题清单")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="预览").click()
    expect(page.locator("#import-errors")).to_contain_text("已在下表中标红并写明原因")
    expect(page.locator("tr.row-problem")).to_contain_text("有整改措施，但没有填写针对的问题")
    expect(page.locator("#confirm-import")).to_have_count(0)
    page.screenshot(path=artifacts / "import-preview-bad-rows.png", full_page=True)


def test_add_one_sends_a_key_and_a_new_one_for_the_next_click(page, live_server, cast):
    plan = open_team_document(cast.committee, cast.filer)
    login(page, live_server, "filer")
    page.goto(live_server.url + reverse("plans:document", args=[plan.pk]))
    page.wait_for_function("() => window.htmx && document.readyState === 'complete'")
    button = page.locator("#section-problems button.add-row").first
    keys = []
    for _click in range(2):
        with page.expect_request(
            lambda request: request.method == "POST" and "/items/add" in request.url
        ) as sent:
            button.click()
        keys.append(sent.value.headers.get("x-once-key"))
        page.wait_for_load_state("networkidle")
    assert all(keys) and keys[0] != keys[1]
    expect(page.locator("#section-problems form.item")).to_have_count(
        plan.items.filter(section="problems").count()
    )


def test_deleting_an_entry_asks_first(page, live_server, cast):
    entry = Input.objects.create(
        team=cast.committee, source="mass_opinion", text="会议多、文件多", position=1
    )
    login(page, live_server, "filer")  # answers each question with 确定, as the person would
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.message))
    page.goto(live_server.url + reverse("plans:register", args=[cast.committee.pk]))
    page.locator(f"#input-{entry.pk}").get_by_role("button", name="删除").click()
    expect(page.locator(f"#input-{entry.pk}")).to_have_count(0)
    assert asked == ["确定删除这一条吗？"]
    assert not Input.objects.filter(pk=entry.pk).exists()
