"""Section 七 in a browser: a county plan and a village list, approved, are published by
their filer from the document's page and then found on /public/ by a visitor who never
logs in (the village's 公示 PDF looked at); a leader's measures published within the team
are read by a colleague only after publication."""

import re
import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orgs.models import Person, Position
from publication.models import Publication

from .conftest import fresh, login, user
from .factories import approved, filled_individual, filled_team_plan
from .pdfs import get_pdf_in
from .test_publication import village_list

pytestmark = pytest.mark.browser


def publish_on_page(page, live_server, document, channel):
    page.goto(live_server.url + reverse("plans:document", args=[document.pk]))
    panel = page.locator("#publication")
    expect(panel).to_contain_text("公开范围")
    panel.locator("input[name=channel]").fill(channel)
    panel.get_by_role("button", name="公开审阅通过的版本").click()
    expect(page.locator(".alert-success")).to_contain_text("已公开")
    expect(page.locator("#publication")).to_contain_text(channel)


def as_visitor(page):
    page.context.clear_cookies()


def test_a_county_plan_and_a_village_list_are_found_on_the_public_site(
    page, live_server, cast, leaders, artifacts
):
    plan = approved(filled_team_plan(cast), by=cast.filer)
    listing = village_list(cast)
    login(page, live_server, "filer")
    publish_on_page(page, live_server, plan, "长沙县人民政府门户网站")
    page.screenshot(path=artifacts / "publication-panel.png", full_page=True)
    publish_on_page(page, live_server, listing, "开元路社区居务公开栏")

    as_visitor(page)
    page.goto(live_server.url + reverse("publication:public"))
    expect(page.locator("#published")).to_contain_text(plan.title)
    expect(page.locator("#published")).to_contain_text(listing.title)
    page.get_by_role("link", name="湖南省").click()
    page.get_by_role("link", name="长沙市").click()
    page.locator("input[name=q]").fill("开元路")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("#published")).to_contain_text(listing.title)
    expect(page.locator("#published")).not_to_contain_text(plan.title)
    page.screenshot(path=artifacts / "public-search.png", full_page=True)
    page.get_by_role("link", name=listing.title).click()
    expect(page.locator("#public-list")).to_contain_text("整改中")
    expect(page.locator("#public-list")).to_contain_text("长期坚持")
    page.screenshot(path=artifacts / "public-village-list.png", full_page=True)
    notice = get_pdf_in(
        page, live_server.url + page.get_by_role("link", name="公示（PDF）").get_attribute("href")
    )
    assert notice.ok and notice.headers["content-type"] == "application/pdf"
    (artifacts / "public-notice.pdf").write_bytes(notice.body())
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            str(artifacts / "public-notice.pdf"),
            str(artifacts / "public-notice"),
        ],
        check=True,
    )
    pages = subprocess.run(
        ["pdfinfo", str(artifacts / "public-notice.pdf")], capture_output=True, text=True
    ).stdout
    assert re.search(r"^Pages:\s+1$", pages, re.M)  # one sheet for the notice board

    page.goto(live_server.url + reverse("publication:public"))
    page.get_by_role("link", name=plan.title).click()
    expect(page.locator("article")).to_contain_text(plan.items.filter(section="problems").first().text)
    page.screenshot(path=artifacts / "public-county-plan.png", full_page=True)
    assert not page.context.cookies()


def test_measures_published_within_the_team_are_read_by_a_colleague_only_after(
    page, live_server, cast, leaders, artifacts
):
    measures = filled_individual(cast)
    colleague = user("colleague")
    Position.objects.create(
        person=Person.objects.create(name="罗志强", user=colleague),
        team=cast.committee,
        title="县委常委、宣传部部长",
    )
    url = live_server.url + reverse("plans:document", args=[measures.pk])
    login(page, live_server, "colleague")
    page.goto(live_server.url + reverse("plans:team_documents", args=[cast.committee.pk]))
    expect(page.locator("#individual-measures")).to_contain_text("在班子内部公开后可查阅")
    assert page.goto(url).status == 404
    approved(measures, by=fresh(cast.member))
    assert page.goto(url).status == 404  # approved, not yet published

    login(page, live_server, "member")
    publish_on_page(page, live_server, measures, "县委常委班子会议通报")
    assert Publication.objects.get(document=measures).scope == "internal"
    expect(page.locator("#publication")).not_to_contain_text("查看公开页面")

    login(page, live_server, "colleague")
    assert page.goto(url).status == 200
    expect(page.locator("h1")).to_contain_text(measures.title)
    page.screenshot(path=artifacts / "publication-internal.png", full_page=True)
