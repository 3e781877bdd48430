"""The dashboard in a real browser: the provincial office opens it from the menu, sees
the charts drawn, and drills down 长沙市 → 长沙县 → 星沙街道, on a desktop and on a
390-pixel phone. Screenshots land in test-artifacts/."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from dashboard.models import Freshness
from dashboard.refresh import refresh_now

from . import test_moves
from .conftest import PASSWORD, csp_violations, login

pytestmark = pytest.mark.browser

# The demo with every document opened and some taken through review to every state.
demo = test_moves.demo

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def board(request, settings):
    """The reviewed demo (tests/test_moves.py) with its figures counted once: while it is
    built, what it changes is only queued, not counted change by change."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    # What migrations wrote is gone after a live-server test flushed the database: put
    # the special-rectification catalogue back, as tests/conftest.py's cast does.
    importlib.import_module("plans.migrations.0002_special_tasks").seed(django_apps, None)
    states = request.getfixturevalue("demo")
    refresh_now()
    Freshness.objects.update(queued_at=None, dirty=False)  # what the demo queued ran just now
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    office = get_user_model().objects.get(username="province_office")
    office.set_password(PASSWORD)
    office.save()
    return states


def drawn(page, chart):
    """ECharts drew CHART: a canvas with a size inside its box."""
    canvas = page.locator(f"#{chart} canvas").first
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box["width"] > 100 and box["height"] > 100, (chart, box)


def test_the_office_drills_down_from_the_province(page, live_server, board, artifacts):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    refused = csp_violations(page)
    login(page, live_server, "province_office")
    page.get_by_role("link", name="督导看板").click()
    expect(page.locator("h1")).to_contain_text("湖南省")
    expect(page.locator("#as-of")).to_contain_text("数据截至")
    expect(page.locator("#updating")).to_have_count(0)
    for chart in ("chart-states", "chart-treemap", "chart-days"):
        drawn(page, chart)
    # A tooltip, which ECharts writes as markup with style attributes (settings.SECURE_CSP).
    page.locator("#chart-days canvas").first.hover()
    page.locator("#chart-treemap canvas").first.hover()
    expect(page.locator("#table-progress")).to_contain_text("长沙市")
    page.screenshot(path=artifacts / "dashboard-province.png", full_page=True)

    page.locator("#table-progress").get_by_role("link", name="长沙市").click()
    expect(page.locator("h1")).to_contain_text("长沙市")
    expect(page.locator("#table-progress")).to_contain_text("本级")
    page.locator("#table-progress").get_by_role("link", name="长沙县").click()
    expect(page.locator("h1")).to_contain_text("长沙县")
    drawn(page, "chart-states")
    expect(page.locator(".breadcrumb")).to_contain_text("长沙市")
    expect(page.locator("#table-oldest")).to_contain_text("同志个人整改措施")
    page.screenshot(path=artifacts / "dashboard-county.png", full_page=True)

    # Narrowed to the leaders' measures, then one township, counted live.
    page.locator("#kinds").get_by_role("link", name="领导干部个人整改措施").click()
    expect(page.locator("#kinds .active")).to_contain_text("个人整改措施")
    page.locator("#table-progress").get_by_role("link", name="星沙街道").click()
    expect(page.locator("#as-of")).to_contain_text("实时数据")
    expect(page.locator("#kinds .active")).to_contain_text("个人整改措施")  # kept on the way down
    page.screenshot(path=artifacts / "dashboard-township.png", full_page=True)

    # Who has not filed in the county, and the files to take away.
    page.goto(live_server.url + reverse("dashboard:region", args=["430121"]))
    page.get_by_role("link", name="未报送名单").click()
    expect(page.locator("#table-unfiled")).to_contain_text("草稿")
    page.screenshot(path=artifacts / "dashboard-unfiled.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename == "长沙县未报送名单.xlsx"
    assert refused == []

    assert all(url.startswith(live_server.url) for url in requests), [
        url for url in requests if not url.startswith(live_server.url)
    ]


def test_on_a_phone_the_charts_fit_and_the_tables_scroll(page, live_server, board, artifacts):
    page.set_viewport_size(PHONE)
    login(page, live_server, "province_office")
    page.goto(live_server.url + reverse("dashboard:region", args=["43"]))
    drawn(page, "chart-states")
    # Nothing is wider than the screen but the tables, which scroll inside their box.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=artifacts / "dashboard-province-phone.png", full_page=True)
    page.goto(live_server.url + reverse("dashboard:region", args=["430121"]))
    drawn(page, "chart-states")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=artifacts / "dashboard-county-phone.png", full_page=True)
