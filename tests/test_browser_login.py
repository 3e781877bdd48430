"""Signing in, being locked out and changing one's password in a real browser, and the
pages around them kept within the Content-Security-Policy. Screenshots land in
test-artifacts/."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import PASSWORD, csp_violations, login

pytestmark = pytest.mark.browser


def signed_in_cookie(account, live_server):
    client = Client()
    client.force_login(account)
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {"name": django_settings.SESSION_COOKIE_NAME, "value": key, "url": live_server.url}


def try_password(page, live_server, username, password):
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_a_locked_out_account_is_told_in_chinese_and_the_admin_unlocks_it(
    page, live_server, cast, artifacts, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    refused = csp_violations(page)
    for _ in range(3):
        try_password(page, live_server, "filer", "not-the-password")
    expect(page.locator(".alert-danger")).to_contain_text("密码错误次数过多")
    try_password(page, live_server, "filer", PASSWORD)
    expect(page.locator(".alert-danger")).to_contain_text("请联系系统管理员解锁")
    page.screenshot(path=artifacts / "login-locked.png", full_page=True)

    # Every try came from this computer's address, which is locked now too: the admin's
    # session is made on the server and handed to a second browser.
    admin = page.context.browser.new_context()
    admin.add_cookies([signed_in_cookie(cast.admin, live_server)])
    desk = admin.new_page()
    refused += csp_violations(desk)
    desk.goto(live_server.url + reverse("admin:axes_accessattempt_changelist"))
    expect(desk.locator("#result_list")).to_contain_text("filer")
    desk.screenshot(path=artifacts / "admin-attempts.png", full_page=True)
    desk.locator("#action-toggle").check()
    desk.select_option("select[name=action]", "delete_selected")
    desk.locator("button[name=index]").click()
    desk.locator("input[type=submit]").click()
    expect(desk.locator(".messagelist")).to_be_visible()
    admin.close()

    login(page, live_server, "filer")
    assert refused == []


def test_a_user_changes_their_password_from_the_header(page, live_server, cast, artifacts):
    refused = csp_violations(page)
    login(page, live_server, "filer")
    page.get_by_role("link", name="修改密码").click()
    expect(page.locator("h1")).to_contain_text("修改密码")
    page.fill("#id_old_password", "wrong")
    page.fill("#id_new_password1", "Xiang-qun-2014-31")
    page.fill("#id_new_password2", "Xiang-qun-2014-31")
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("旧密码不正确")
    page.screenshot(path=artifacts / "password-refused.png", full_page=True)
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", "Xiang-qun-2014-31")
    page.fill("#id_new_password2", "Xiang-qun-2014-31")
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator("h1")).to_contain_text("密码已修改")
    page.screenshot(path=artifacts / "password-changed.png", full_page=True)
    page.get_by_role("button", name="退出").click()
    login(page, live_server, "filer", "Xiang-qun-2014-31")
    assert refused == []
