"""A PDF in a browser while the worker prints it (rectify/renderings.py): the page waits,
says so if printing failed, and opens the PDF once it is kept. The tasks wait in a queue
nobody runs here, so the test plays the worker itself."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plans import pdf as printing
from rectify.models import Rendering, RenderingState

from .conftest import login
from .factories import filled_team_plan

pytestmark = [
    pytest.mark.browser,
    # The worker prints from its one thread; here the test prints beside the live server's.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]


def test_the_waiting_page_waits_fails_and_opens_the_pdf(page, live_server, cast, artifacts, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    plan = filled_team_plan(cast)
    login(page, live_server, "filer")
    url = live_server.url + reverse("plans:pdf", args=[plan.pk])
    page.goto(url)
    expect(page.locator("#rendering")).to_contain_text("正在生成PDF……")
    page.screenshot(path=artifacts / "pdf-waiting.png", full_page=True)

    rendering = Rendering.objects.get()
    Rendering.objects.filter(pk=rendering.pk).update(state=RenderingState.FAILED, error="bench")
    expect(page.locator("#rendering")).to_contain_text("PDF没有生成出来", timeout=10_000)
    page.screenshot(path=artifacts / "pdf-failed.png", full_page=True)

    page.get_by_role("link", name="重新生成").click()
    expect(page.locator("#rendering")).to_contain_text("正在生成PDF……")
    assert Rendering.objects.get().state == RenderingState.QUEUED
    pdf = lambda response: response.headers.get("content-type") == "application/pdf"  # noqa: E731
    with page.expect_response(pdf, timeout=15_000) as opened:
        printing.print_document.call(rendering.pk, plan.pk)  # the worker prints it
    assert opened.value.url == url and opened.value.status == 200
    assert Rendering.objects.get().state == RenderingState.READY
