"""An overdue measure escalates to the body above: 中共长沙县委's approved plan has a measure
whose deadline passed 20 days ago by the test's clock; the schedule runs; the provincial
supervision group stationed at 长沙市 logs in, reads the notification and finds the measure
in 逾期督办. Screenshots land in test-artifacts/."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ledger import chase
from ledger.models import Entry

from .conftest import login
from .factories import approved, filled_team_plan

pytestmark = pytest.mark.browser


def test_an_overdue_measure_escalates_to_the_body_above(
    page, live_server, cast, leaders, artifacts, settings
):
    plan = approved(filled_team_plan(cast), by=cast.filer)
    measure = (
        Entry.objects.filter(document=plan, section="measures", standing=False).order_by("position").first()
    )
    settings.LEDGER_TODAY = measure.deadline + dt.timedelta(days=20)
    chase.chase()

    login(page, live_server, "group")
    page.goto(live_server.url + reverse("review:inbox"))
    note = page.locator("#notifications li", has_text=measure.text[:20])
    expect(note).to_contain_text("督办")
    expect(note).to_contain_text("已超过整改时限20天")
    page.locator("#notifications").screenshot(path=str(artifacts / "chase-notification.png"))

    note.locator("a").click()
    expect(page.locator("#ledger-tabs a.nav-link.active")).to_have_text("逾期督办")
    row = page.locator("#overdue tr.overdue-row", has_text=measure.text[:20])
    expect(row).to_contain_text(plan.title)
    expect(row).to_contain_text("夏海波")
    expect(row.locator("td.count")).to_have_text("20")
    expect(row).to_contain_text("已督办")
    expect(page.locator(".navbar a.nav-link.active")).to_have_text("整改台账")
    page.screenshot(path=str(artifacts / "chase-overdue.png"), full_page=True)

    row.locator("a").click()
    expect(page).to_have_url(live_server.url + reverse("plans:document", args=[plan.pk]))
