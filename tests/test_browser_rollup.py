"""The roll-ups in a real browser: the provincial office opens the dashboard, sees how
the approved measures stand (整改落实), clicks 长沙市's measures into the city's ledger,
narrows it to what is overdue and downloads the Excel, on a desktop and on a 390-pixel
phone. Screenshots land in test-artifacts/."""

import io

import pytest
from django.core.cache import cache
from openpyxl import load_workbook
from playwright.sync_api import expect

from dashboard.refresh import refresh_now
from ledger import region as ledgers
from ledger.words import PROGRESS_COLUMNS

from .conftest import login
from .test_ledger_region import NOTICE_HEADERS, ledger  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def counted(ledger):  # noqa: F811
    refresh_now()
    cache.clear()
    return ledger


def test_the_office_drills_from_completion_into_a_citys_ledger(page, live_server, counted, artifacts):
    found = ledgers.counts(counted.changsha)
    login(page, live_server, "office")
    page.get_by_role("link", name="督导看板").click()
    expect(page.locator("h1")).to_contain_text("湖南省")
    completion = page.locator("#table-completion")
    expect(completion).to_contain_text("措施总数")
    row = completion.locator("tr", has_text="长沙市")
    expect(row).to_contain_text(str(found["measures"]))
    page.locator("#completion").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "rollup-dashboard.png", full_page=True)

    row.get_by_role("link", name=str(found["measures"]), exact=True).first.click()
    expect(page.locator("h1")).to_contain_text("长沙市 · 整改台账")
    expect(page.locator("#count-measures")).to_have_text(str(found["measures"]))
    expect(page.locator("#count-overdue")).to_have_text(str(found["overdue"]))
    expect(page.locator("#ledger tbody tr")).to_have_count(min(found["measures"], 50))
    page.screenshot(path=artifacts / "rollup-city-ledger.png", full_page=True)

    page.locator("#summary").get_by_text("逾期").click()
    expect(page.locator("#ledger tbody tr")).to_have_count(found["overdue"])
    expect(page.locator("#ledger tbody tr.table-danger")).to_have_count(found["overdue"])

    with page.expect_download() as download:
        page.locator("#export-inline").click()
    assert download.value.suggested_filename == "长沙市整改台账.xlsx"
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[2]) == NOTICE_HEADERS + [str(label) for _field, label in PROGRESS_COLUMNS]
    measures = [r for r in rows[3:] if r[3]]
    assert len(measures) == found["overdue"] and all(r[6] == "整改中（逾期）" for r in measures)

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#ledger")).to_be_visible()
    page.screenshot(path=artifacts / "rollup-city-ledger-phone.png", full_page=True)
