"""A 5,000-row import from the browser, with the tasks worker of production (the
database queue) running beside the live server: the upload answers at once with a
progress bar, the preview comes when the worker has read the file, the confirmation
shows the writing and then what was imported. Screenshots land in test-artifacts/."""

import io
import threading

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from plans.documents import open_team_document
from plans.models import Item

from .conftest import login
from .test_import_worker import long_list
from .workers import db_worker

pytestmark = pytest.mark.browser

ROWS = 5000
WAIT = {"timeout": 120_000}  # a loaded machine reads and writes 5,000 rows slowly


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def work():
    """Start the worker in a thread of its own (its own database connection), as
    manage.py db_worker runs: through everything queued, then it stops."""

    def run():
        try:
            db_worker("browser-test").run()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_5000_row_import_from_the_browser(page, live_server, cast, artifacts, tmp_path, queue):
    plan = open_team_document(cast.committee, cast.filer)
    path = tmp_path / "清单.xlsx"
    path.write_bytes(long_list(ROWS))
    login(page, live_server, "filer")
    page.goto(live_server.url + reverse("plans:import", args=[plan.pk]))
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()

    # The upload answered before anything was read: the page shows where the file stands.
    expect(page.locator("#import-progress")).to_be_visible()
    expect(page.locator("#import-state")).to_have_text("排队等待读取")
    page.screenshot(path=artifacts / "import-queued.png", full_page=False)
    worker = work()
    expect(page.locator("#confirm-import")).to_have_text(f"确认导入 {ROWS} 行", **WAIT)
    expect(page.locator("#preview-rest")).to_contain_text(f"另有 {ROWS - 200} 行没有列出")
    assert page.locator("#preview tbody tr").count() == 200
    page.screenshot(path=artifacts / "import-preview-5000.png", full_page=False)
    worker.join()

    page.locator("#confirm-import").click()
    expect(page.locator("#import-state")).to_have_text("排队等待写入")
    expect(page.locator("#import-progress-text")).to_contain_text(f"{ROWS} 行正在排队等待写入")
    page.screenshot(path=artifacts / "import-writing.png", full_page=False)
    worker = work()
    expect(page.locator("#import-done")).to_have_text(f"已从“清单.xlsx”导入 {ROWS} 行。", **WAIT)
    page.screenshot(path=artifacts / "import-done.png", full_page=False)
    worker.join()

    # The document holds them: in the database, and in its Excel, taken as the browser would.
    assert Item.objects.filter(document=plan, section="problems").count() == ROWS
    assert Item.objects.filter(document=plan, section="measures").count() == ROWS
    link = page.locator("#back-to-document")
    assert link.get_attribute("href") == reverse("plans:document", args=[plan.pk])
    exported = page.request.get(live_server.url + reverse("plans:export", args=[plan.pk]), timeout=120_000)
    assert exported.ok
    sheet = load_workbook(io.BytesIO(exported.body()), read_only=True).worksheets[0]
    problems = {row[2] for row in sheet.iter_rows(values_only=True) if len(row) > 2}
    assert {f"会议多、文件多（第{n}条）" for n in range(1, ROWS + 1)} <= problems
