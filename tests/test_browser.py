"""Journeys in a real browser: Playwright driving Debian's Chromium against the live server.

Screenshots land in test-artifacts/ to be looked at."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import csp_violations, login

pytestmark = pytest.mark.browser


@pytest.fixture
def watched(page, live_server):
    """The page, with every request it makes recorded."""
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.requests = requests
    return page


def test_office_browses_the_tree_and_searches(watched, live_server, cast, artifacts):
    page = watched
    refused = csp_violations(page)
    login(page, live_server, "office")
    expect(page.locator("#my-jurisdiction")).to_contain_text("湖南省")
    page.screenshot(path=artifacts / "home-office.png", full_page=True)

    page.get_by_role("link", name="组织机构").click()
    page.get_by_role("link", name="湖南省").click()
    expect(page.locator("h1")).to_contain_text("湖南省")
    page.locator("#children").get_by_role("link", name="长沙市").click()
    page.locator("#children").get_by_role("link", name="长沙县").click()
    expect(page.locator("#teams")).to_contain_text("中共长沙县委常委班子")
    expect(page.locator("#teams")).to_contain_text("夏海波（县委书记）")
    page.screenshot(path=artifacts / "org-county.png", full_page=True)
    page.locator("#children").get_by_role("link", name="星沙街道").click()
    page.locator("#children").get_by_role("link", name="开元路社区居委会").click()
    expect(page.locator(".breadcrumb")).to_contain_text("湖南省")
    expect(page.locator(".breadcrumb")).to_contain_text("星沙街道")
    expect(page.locator("#teams")).to_contain_text("中共开元路社区委员会")
    page.screenshot(path=artifacts / "org-village.png", full_page=True)

    page.get_by_role("link", name="中共开元路社区委员会").click()
    expect(page.locator("h1")).to_contain_text("中共开元路社区委员会")

    # Search as you type: htmx replaces the results without a page load.
    page.get_by_role("link", name="查找").click()
    page.get_by_role("searchbox").fill("网岭")
    expect(page.locator("#results")).to_contain_text("网岭村委会")
    expect(page.locator("#results")).to_contain_text("湖南省 › 株洲市 › 攸县 › 网岭镇")
    page.get_by_role("searchbox").fill("430121")
    expect(page.locator("#results")).to_contain_text("长沙县")
    expect(page.locator("#results")).not_to_contain_text("网岭村委会")
    page.screenshot(path=artifacts / "search.png", full_page=True)
    assert refused == []

    assert page.requests and all(url.startswith(live_server.url) for url in page.requests), [
        url for url in page.requests if not url.startswith(live_server.url)
    ]


def test_filer_finds_their_team_and_nothing_else(page, live_server, cast, artifacts):
    login(page, live_server, "filer")
    expect(page.locator("#my-teams")).to_contain_text("中共长沙县委常委班子")
    expect(page.locator("#my-teams")).to_contain_text("欧阳明辉")
    page.screenshot(path=artifacts / "home-filer.png", full_page=True)
    response = page.goto(live_server.url + reverse("org_detail", args=[cast.xingsha.pk]))
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("页面不存在")


def test_outsider_opens_nothing_of_another_city(page, live_server, cast, artifacts):
    login(page, live_server, "outsider")
    expect(page.locator("#my-teams")).to_contain_text("中共攸县县委常委班子")
    for org in (cast.changsha, cast.csx, cast.kaiyuan):
        response = page.goto(live_server.url + reverse("org_detail", args=[org.pk]))
        assert response.status == 404
    response = page.goto(live_server.url + reverse("team_detail", args=[cast.committee.pk]))
    assert response.status == 404
    page.screenshot(path=artifacts / "outsider-404.png", full_page=True)


def test_wrong_password_then_logout(page, live_server, cast):
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", "group")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    expect(page.locator(".alert-danger")).to_contain_text("用户名或密码不正确")
    login(page, live_server, "group")
    page.get_by_role("button", name="退出").click()
    expect(page.locator(".card-header")).to_contain_text("用户登录")
