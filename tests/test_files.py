"""A document as files over HTTP: export, print, and import with its preview step."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans import editing
from plans.documents import open_individual_document, open_team_document
from plans.models import Document, ImportState, Item
from plans.words import Status

from .factories import filled_team_plan
from .importing import confirm, latest, upload
from .pdfs import get_pdf
from .sheets_samples import individual_workbook, team_workbook

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_export_and_print_reach_only_who_may_read(cast, client):
    plan = filled_team_plan(cast)
    client.force_login(cast.filer)
    sheet = client.get(reverse("plans:export", args=[plan.pk]))
    assert sheet.status_code == 200 and sheet["Content-Type"] == XLSX
    assert "attachment" in sheet["Content-Disposition"] and ".xlsx" in sheet["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(sheet.content))
    assert "领导班子整改问题清单" in str(workbook.active["A1"].value)
    printed = get_pdf(client, reverse("plans:pdf", args=[plan.pk]))
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    assert printed.getvalue().startswith(b"%PDF") and "inline" in printed["Content-Disposition"]
    for account in (cast.outsider, cast.group):
        client.force_login(account)
        assert client.get(reverse("plans:export", args=[plan.pk])).status_code == 404
        assert client.get(reverse("plans:pdf", args=[plan.pk])).status_code == 404


def test_import_previews_then_writes_once(cast, client):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    preview = upload(client, plan, team_workbook())
    html = preview.content.decode()
    assert preview.status_code == 200 and "文山会海问题仍然突出" in html and "确认导入" in html
    # Nothing is written by the preview.
    assert not plan.items.filter(section="problems").exists()

    done = confirm(client, plan)
    assert "已从“清单.xlsx”导入 8 行" in done.content.decode()
    problems = plan.items.filter(section="problems").count()
    assert problems == 7
    # The second click of a double click is answered as the first, and imports nothing.
    again = confirm(client, plan)
    assert "已从“清单.xlsx”导入 8 行" in again.content.decode()
    assert plan.items.filter(section="problems").count() == problems
    # A confirmation with no preview behind it finds nothing left to import.
    assert "没有待导入的内容" in confirm(client, plan, "").content.decode()
    assert plan.items.filter(section="problems").count() == problems


def test_an_edit_after_the_preview_makes_the_preview_stale(cast, client):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    upload(client, plan, team_workbook())
    block = plan.items.get(section="principles")
    editing.save_item(cast.member, block, block.revision, {"text": "同事刚写的"})
    response = confirm(client, plan)
    assert "预览之后本文件已有改动" in response.content.decode()
    assert not plan.items.filter(section="problems").exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"not a spreadsheet at all", "清单.xlsx", "文件不是 Excel 工作簿（.xlsx）"),
        ("序号,问题\n1,会议多".encode(), "清单.csv", "请在 Excel 或 WPS 中另存为 .xlsx"),
        (b"PK" + b"\0" * (6 * 1024 * 1024), "大文件.xlsx", "文件超过 5 MB"),
    ],
)
def test_a_bad_file_is_refused_with_a_message_and_writes_nothing(cast, client, data, name, message):
    plan = open_team_document(cast.committee, cast.filer)
    before = Item.objects.count()
    client.force_login(cast.filer)
    response = upload(client, plan, data, name)
    html = response.content.decode()
    assert message in html and "确认导入" not in html
    assert Item.objects.count() == before
    # Too large: refused by the length of the request before it is read (tests/test_uploads.py),
    # nothing kept; anything else: refused by the reading.
    refused = latest(plan)
    if name == "大文件.xlsx":
        assert refused is None and response.status_code == 413
    else:
        assert 'role="alert"' in html and refused.state == ImportState.REFUSED and response.status_code == 200


def test_the_wrong_table_for_the_document_is_refused_at_the_preview(cast, client):
    measures = open_individual_document(cast.committee, cast.member_person, cast.member)
    client.force_login(cast.member)
    response = upload(client, measures, team_workbook())
    html = response.content.decode()
    assert "这是一张领导班子整改问题清单，不能导入" in html and "请上传领导干部个人整改清单" in html
    assert "确认导入" not in html and latest(measures).state == ImportState.REFUSED
    assert not measures.items.exists()
    upload(client, measures, individual_workbook())
    confirm(client, measures)
    assert measures.items.filter(section="problems").exists()


def test_import_is_refused_under_review_and_to_strangers(cast, client):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.outsider)
    assert upload(client, plan, team_workbook()).status_code == 404
    Document.objects.filter(pk=plan.pk).update(status=Status.SUBMITTED)
    client.force_login(cast.filer)
    response = upload(client, plan, team_workbook())
    assert response.status_code == 403 and "审阅中" in response.content.decode()
    assert not plan.items.filter(section="problems").exists()


def test_attachments_are_imported_from_their_own_tables(cast, client):
    """附件1 and 附件2 as the export writes them: uploaded, previewed on the worker and
    written, every task back with its unit, deadline, origin and focus."""
    plan = filled_team_plan(cast)
    client.force_login(cast.filer)
    for attachment in plan.attachments.all():
        data = client.get(reverse("plans:export", args=[attachment.pk])).content
        before = list(
            attachment.items.values_list(
                "special_task", "text", "measures", "unit", "deadline", "origin", "focus"
            )
        )
        attachment.items.all().delete()
        page = upload(client, attachment, data).content.decode()
        assert "确认导入" in page, page
        assert latest(attachment).state == ImportState.PREVIEW
        confirm(client, attachment)
        assert latest(attachment).state == ImportState.DONE
        after = list(
            attachment.items.values_list(
                "special_task", "text", "measures", "unit", "deadline", "origin", "focus"
            )
        )
        assert after == before and after
