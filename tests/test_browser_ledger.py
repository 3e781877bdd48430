"""The ledger in a real browser (issue 10): the filer of 中共长沙县委 reports a measure of
its approved plan with a PDF as evidence and 已完成; the provincial supervision group finds
it waiting, opens the evidence and closes it (销号); another measure reported done is sent
back with a reason, and the filer reads the reason. Screenshots land in test-artifacts/,
one of them on a phone-sized screen."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ledger.models import Entry, Evidence
from ledger.words import Action, EntryState

from .conftest import login
from .factories import approved, filled_team_plan
from .test_ledger_evidence import PDF

pytestmark = pytest.mark.browser


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_measure_is_reported_verified_and_closed_another_sent_back(
    page, live_server, cast, leaders, artifacts, media, tmp_path
):
    cast.group.first_name = "彭志刚"
    cast.group.save()
    plan = approved(filled_team_plan(cast), by=cast.filer)
    first, second = Entry.objects.filter(document=plan).order_by("position")[:2]
    minutes = tmp_path / "常委会会议纪要.pdf"
    minutes.write_bytes(PDF)

    # The filer goes from the approved plan to its ledger and reports the first measure.
    login(page, live_server, "filer")
    page.goto(live_server.url + reverse("plans:document", args=[plan.pk]))
    page.locator("#open-ledger").click()
    expect(page.locator("h1")).to_contain_text("整改台账")
    page.screenshot(path=artifacts / "ledger-document.png", full_page=True)
    page.locator(f"#entry-{first.pk} a").click()
    form = page.locator("#report-form")
    form.locator("textarea[name=text]").fill("已召开常委会专题研究，制定公务接待清单，接待费同比下降三成。")
    form.locator("input[type=file]").set_input_files(str(minutes))
    form.locator("#report-done").check()
    page.screenshot(path=artifacts / "ledger-reporting.png", full_page=True)
    form.get_by_role("button", name="报告").click()
    expect(page.locator(".alert-success")).to_contain_text("等待核验")
    expect(page.locator("h1")).to_contain_text("已完成，待核验")
    expect(page.locator(".evidence-link")).to_have_text("常委会会议纪要.pdf")

    # The second measure is reported done too (without a file).
    page.goto(live_server.url + reverse("ledger:entry", args=[second.pk]))
    page.locator("#report-text").fill("已建立下基层调研制度。")
    page.locator("#report-done").check()
    page.get_by_role("button", name="报告").click()
    expect(page.locator(".alert-success")).to_contain_text("等待核验")

    # The group finds both waiting, downloads the evidence and closes the first.
    login(page, live_server, "group")
    page.get_by_role("link", name="整改台账").click()
    page.get_by_role("link", name="待核验").click()
    expect(page.locator("#ledger-list .ledger-row")).to_have_count(2)
    page.screenshot(path=artifacts / "ledger-verify-queue.png", full_page=True)
    page.locator("#ledger-list").get_by_role("link", name=f"第{first.number}条", exact=False).click()
    with page.expect_download() as download:
        page.locator(".evidence-link").click()
    assert download.value.suggested_filename == "常委会会议纪要.pdf"
    assert open(download.value.path(), "rb").read() == PDF
    page.screenshot(path=artifacts / "ledger-verifying.png", full_page=True)
    page.get_by_role("button", name="核验销号").click()
    expect(page.locator(".alert-success")).to_contain_text("已核验销号")
    expect(page.locator("h1")).to_contain_text("已销号")
    expect(page.locator("#entry-events")).to_contain_text("核验销号 · 彭志刚")

    # The second is sent back with a reason; a refusal without one keeps nothing lost.
    page.goto(live_server.url + reverse("ledger:entry", args=[second.pk]))
    page.locator("#send-back-reason").fill("调研制度须附上半年调研台账，请补充后再报。")
    page.get_by_role("button", name="退回继续整改").click()
    expect(page.locator(".alert-success")).to_contain_text("已退回继续整改")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.closed_by) == (EntryState.CLOSED, cast.group)
    assert second.state == EntryState.OPEN
    assert second.events.filter(action=Action.SEND_BACK).exists()
    assert Evidence.objects.filter(report__entry=first).count() == 1

    # The filer sees the reason on their tasks and on the measure, on a phone.
    login(page, live_server, "filer")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("ledger:mine"))
    expect(page.locator("#ledger-list")).to_contain_text("退回理由：调研制度须附上半年调研台账")
    page.screenshot(path=artifacts / "ledger-mine-phone.png", full_page=True)
    page.goto(live_server.url + reverse("ledger:entry", args=[second.pk]))
    expect(page.locator("#sent-back")).to_contain_text("调研制度须附上半年调研台账，请补充后再报。")
    expect(page.locator("#report-form")).to_be_visible()
    page.screenshot(path=artifacts / "ledger-sent-back-phone.png", full_page=True)
