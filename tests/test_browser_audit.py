"""The audit in a real browser: a county filer deletes a row of the plan; the provincial
office opens 操作记录 from its dashboard and finds the row's tombstone, on a desktop and
on a phone. Screenshots land in test-artifacts/."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plans import editing
from plans.documents import open_team_document

from .conftest import login

pytestmark = pytest.mark.browser


def test_the_office_finds_a_deleted_row_in_the_audit(page, live_server, cast, artifacts):
    plan = open_team_document(cast.committee, cast.filer)
    item = editing.add_item(cast.filer, plan, "problems", {"text": "公款吃喝问题禁而未绝", "unit": "县委办"})

    login(page, live_server, "filer")
    page.goto(live_server.url + reverse("plans:document", args=[plan.pk]))
    row = page.locator(f"#item-{item.uid}")
    row.get_by_role("button", name="删除").click()
    expect(page.locator(f"#item-{item.uid}")).to_have_count(0)

    login(page, live_server, "office")
    page.goto(live_server.url + reverse("dashboard:region", args=[cast.changsha.code]))
    page.locator("#audit-link").click()
    expect(page.locator("h1")).to_contain_text("操作记录")
    deleted = page.locator("#audit .audit-item_deleted")
    expect(deleted).to_contain_text("删除条目")
    expect(deleted).to_contain_text("公款吃喝问题禁而未绝")
    expect(deleted).to_contain_text("王丽")
    expect(deleted).to_contain_text("县委办")
    page.screenshot(path=artifacts / "audit-office.png", full_page=True)

    # A filter that cannot be read is said, and the page stays usable.
    page.fill("#f-document", "第三份")
    page.get_by_role("button", name="查看").click()
    expect(page.locator(".alert-warning")).to_contain_text("文件编号应是数字。")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("audit:index") + f"?document={plan.pk}")
    expect(page.locator("#audit .audit-item_deleted")).to_contain_text("公款吃喝问题禁而未绝")
    page.screenshot(path=artifacts / "audit-office-phone.png", full_page=True)
