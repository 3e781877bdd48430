"""Imports on the tasks worker (plans/imports.py): the upload is kept and read there with
its progress shown, the preview is kept on the Import (never in the session), the
confirmation writes on the worker in one transaction, in bulk; the limits are said
before anything is written; what protected the confirmation in the request still does."""

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm
from openpyxl import Workbook

from orgs.models import Team, TeamKind
from plans import editing, imports
from plans.documents import open_individual_document, open_team_document
from plans.editing import ITEM_FIELDS
from plans.models import Document, Import, ImportState, Item
from plans.sheets import importing
from plans.spreadsheets import MAX_ROWS, export_workbook, import_reading, read_workbook
from plans.words import DocumentKind, Status

from .conftest import user
from .factories import filled_individual
from .importing import XLSX, confirm, confirm_url, latest, upload, worked
from .sheets_samples import TEAM_MERGES, TEAM_ROWS, individual_workbook, team_workbook, xlsx
from .test_lighter import township_cadre

pytestmark = pytest.mark.django_db

S = ImportState
TOO_MANY = "表格超过 10,000 行，请分成几个文件上传。"


def long_list(rows, bad_at=None):
    """A team list of ROWS problems, each with its measure, as Excel leaves a large one;
    the row BAD_AT (counted from 1) has a deadline nobody can read."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["领导班子整改问题清单"])
    sheet.append(["序号", "问题类别", "问题清单", "整改任务和措施", "责任人", "整改时限"])
    for n in range(1, rows + 1):
        deadline = "过几天" if n == bad_at else "2014年12月底前"
        sheet.append(
            [n, "“四风”方面", f"会议多、文件多（第{n}条）", f"压缩会议（第{n}条）", "夏海波", deadline]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def queued_upload(client, document, data, name="清单.xlsx"):
    """Upload without the worker running: (the answer, the callbacks it queued)."""
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        response = client.post(
            reverse("plans:import", args=[document.pk]),
            {"file": SimpleUploadedFile(name, data, content_type=XLSX)},
        )
    return response, queued


def run(callbacks):
    with TestCase.captureOnCommitCallbacks(execute=True):
        for callback in callbacks:
            callback()


@pytest.fixture
def plan(cast, client):
    client.force_login(cast.filer)
    return open_team_document(cast.committee, cast.filer)


# The flow ---------------------------------------------------------------------------------


def test_the_upload_answers_at_once_with_progress_and_the_worker_makes_the_preview(cast, client, plan):
    response, queued = queued_upload(client, plan, team_workbook())
    an_import = latest(plan)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:import_page", args=[plan.pk, an_import.pk])
    assert an_import.state == S.QUEUED and an_import.user == cast.filer and an_import.name == "清单.xlsx"
    # The file is kept through the storage under a name of its own, not the one uploaded.
    assert default_storage.exists(an_import.file.name) and "清单" not in an_import.file.name
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-progress"' in page and "hx-trigger" in page and "排队等待读取" in page
    assert "确认导入" not in page

    poll = reverse("plans:import_progress", args=[plan.pk, an_import.pk])
    waiting = client.get(poll, HTTP_HX_REQUEST="true")
    assert waiting.status_code == 200 and "排队等待读取" in waiting.content.decode()

    run(queued)
    an_import.refresh_from_db()
    assert an_import.state == S.PREVIEW and an_import.count == 8
    assert len(an_import.reading["items"]) == 8
    # Read: the poll has the page loaded afresh, which shows the preview.
    assert client.get(poll, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    page = client.get(response["Location"]).content.decode()
    assert "文山会海问题仍然突出" in page and "确认导入 8 行" in page
    # The preview is the Import's, not the session's.
    assert not any(key.startswith("import:") for key in client.session.keys())
    assert not plan.items.filter(section="problems").exists()


def test_the_confirmation_shows_the_writing_then_what_was_imported(cast, client, plan):
    upload(client, plan, team_workbook())
    an_import = latest(plan)
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        response = client.post(confirm_url(an_import), {"once": str(an_import.key)})
    assert response["Location"] == reverse("plans:import_page", args=[plan.pk, an_import.pk])
    page = client.get(response["Location"]).content.decode()
    assert "排队等待写入" in page and "8 行" in page and 'id="import-progress"' in page
    run(queued)
    page = client.get(response["Location"]).content.decode()
    assert "已从“清单.xlsx”导入 8 行。" in page
    assert reverse("plans:document", args=[plan.pk]) in page.split('id="back-to-document"', 1)[1][:200]
    an_import.refresh_from_db()
    assert an_import.state == S.DONE and an_import.finished_at is not None
    assert plan.items.filter(section="problems").count() == 7


def test_the_reading_reports_its_progress(cast, client, plan):
    rows = [["序号", "问题类别", "问题清单", "整改任务和措施", "责任人", "整改时限"]]
    rows += [[n, "“四风”方面", f"会议多（第{n}条）", "压缩会议", "夏海波", "长期坚持"] for n in range(1, 600)]
    upload(client, plan, xlsx(rows))
    an_import = latest(plan)
    assert an_import.state == S.PREVIEW
    # Reported every 250 rows of the sheet, against the rows its dimension says it has.
    assert (an_import.read, an_import.total) == (500, 600)
    # A file that does not say (openpyxl's write-only workbooks): the rows read alone.
    upload(client, plan, long_list(600))
    assert (latest(plan).read, latest(plan).total) == (500, None)


def test_a_long_preview_lists_its_first_rows_every_bad_row_and_how_many_more(cast, client, plan):
    page = upload(client, plan, long_list(1200, bad_at=900)).content.decode()
    assert "表格中有 1 处问题" in page
    assert page.count('<tr id="row-') + page.count('<tr class="table-danger" id="row-') == 201
    assert 'id="row-902"' in page and "整改时限“过几天”无法识别" in page  # row 900 under two lines
    assert "另有 999 行没有列出" in page
    assert "确认导入" not in page


# Limits, said before anything is written ---------------------------------------------------


def test_a_list_of_more_than_10000_rows_is_refused_before_anything_is_written(cast, client, plan):
    before = Item.objects.count()
    page = upload(client, plan, long_list(MAX_ROWS + 1)).content.decode()
    assert TOO_MANY in page and 'role="alert"' in page and "确认导入" not in page
    an_import = latest(plan)
    assert an_import.state == S.REFUSED and an_import.reading is None
    assert Item.objects.count() == before


def test_a_list_of_exactly_10000_rows_is_imported(cast, client, plan):
    page = upload(client, plan, long_list(MAX_ROWS)).content.decode()
    assert "确认导入 10000 行" in page
    assert "已从“清单.xlsx”导入 10000 行。" in confirm(client, plan).content.decode()
    assert plan.items.filter(section="problems").count() == MAX_ROWS
    assert plan.items.filter(section="measures").count() == MAX_ROWS
    assert Item.addresses.through.objects.filter(from_item__document=plan).count() == MAX_ROWS


def test_a_file_over_the_size_limit_is_refused_in_the_request_and_nothing_is_kept(cast, client, plan):
    response = client.post(
        reverse("plans:import", args=[plan.pk]),
        {"file": SimpleUploadedFile("大文件.xlsx", b"PK" + b"\0" * (6 * 1024 * 1024), content_type=XLSX)},
    )
    # Refused by the length the request declares, before its body is read (tests/test_uploads.py).
    assert response.status_code == 413 and "文件超过 5 MB，没有上传" in response.content.decode()
    assert not Import.objects.exists()


# What protected the confirmation --------------------------------------------------------


def test_a_newer_upload_replaces_an_older_preview(cast, client, plan):
    upload(client, plan, team_workbook())
    older = latest(plan)
    upload(client, plan, xlsx(TEAM_ROWS, TEAM_MERGES), name="新清单.xlsx")
    page = client.get(reverse("plans:import_page", args=[plan.pk, older.pk])).content.decode()
    assert "已被之后上传的文件替换" in page and "确认导入" not in page
    response = confirm(client, plan, an_import=older)
    assert "这份预览已被之后上传的文件替换，没有导入" in response.content.decode()
    assert not plan.items.filter(section="problems").exists()
    assert "已从“新清单.xlsx”导入 8 行。" in confirm(client, plan).content.decode()


def test_an_edit_between_the_confirmation_and_the_writing_refuses_and_writes_nothing(cast, client, plan):
    upload(client, plan, team_workbook())
    an_import = latest(plan)
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        client.post(confirm_url(an_import), {"once": str(an_import.key)})
    block = plan.items.get(section="principles")
    editing.save_item(cast.filer, block, block.revision, {"text": "刚写的"})
    run(queued)
    page = client.get(reverse("plans:import_page", args=[plan.pk, an_import.pk])).content.decode()
    assert "没有导入" in page and "预览之后本文件已有改动" in page
    assert latest(plan).state == S.FAILED
    assert not plan.items.filter(section="problems").exists()


def test_a_document_sent_for_review_before_the_writing_is_left_as_it_was(cast, client, plan):
    upload(client, plan, team_workbook())
    an_import = latest(plan)
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        client.post(confirm_url(an_import), {"once": str(an_import.key)})
    Document.objects.filter(pk=plan.pk).update(status=Status.SUBMITTED)
    run(queued)
    an_import.refresh_from_db()
    assert an_import.state == S.FAILED and "审阅中，现在不能修改" in an_import.message
    assert not plan.items.filter(section="problems").exists()


def test_only_the_documents_filers_import_and_nobody_sees_anothers_import(cast, client, plan):
    upload(client, plan, team_workbook())
    an_import = latest(plan)
    colleague = user("colleague")
    assign_perm("orgs.file_team", colleague, cast.committee)
    client.force_login(colleague)
    for name in ("plans:import_page", "plans:import_progress"):
        assert client.get(reverse(name, args=[plan.pk, an_import.pk])).status_code == 404
    assert client.post(confirm_url(an_import), {"once": str(an_import.key)}).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(reverse("plans:import_page", args=[plan.pk, an_import.pk])).status_code == 404
    client.force_login(cast.admin)  # sees every document, fills none
    assert client.post(confirm_url(an_import), {"once": str(an_import.key)}).status_code == 403
    assert latest(plan).state == S.PREVIEW and not plan.items.filter(section="problems").exists()


def test_a_task_run_twice_does_its_work_once(cast, client, plan):
    upload(client, plan, team_workbook())
    an_import = latest(plan)
    imports.read_task.call(an_import.pk)  # read already: nothing to claim
    confirm(client, plan)
    imports.write_task.call(an_import.pk)
    assert plan.items.filter(section="problems").count() == 7


def test_old_imports_and_their_files_are_pruned_and_a_stalled_one_says_so(cast, client, plan):
    upload(client, plan, team_workbook())
    old = latest(plan)
    Import.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - imports.RETENTION - dt.timedelta(hours=1)
    )
    upload(client, plan, team_workbook())
    stalled = latest(plan)
    Import.objects.filter(pk=stalled.pk).update(
        state=S.WRITING, changed_at=timezone.now() - imports.STALLED - dt.timedelta(minutes=1)
    )
    assert imports.prune() == 1
    assert not Import.objects.filter(pk=old.pk).exists() and not default_storage.exists(old.file.name)
    stalled.refresh_from_db()
    assert stalled.state == S.FAILED and "写入被中断，没有导入任何内容" in stalled.message
    assert default_storage.exists(stalled.file.name)


# The bulk write ---------------------------------------------------------------------------


def rows_of(document):
    """Every row of DOCUMENT as the editor would show it, links by their targets' place."""
    items = list(document.items.order_by("section", "position", "id").prefetch_related("addresses"))
    place = {item.pk: (item.section, item.position) for item in items}
    return [
        (
            item.section,
            item.position,
            *(getattr(item, name) for name in ITEM_FIELDS if name != "owner"),
            item.owner_id,
            item.updated_by_id,
            sorted(place[target.pk] for target in item.addresses.all()),
        )
        for item in items
    ]


def row_by_row(user, document, reading):
    """The import as it was written before: each row through plans.editing.add_item."""
    importer = importing._Importer(user, document)
    importer.run(reading.items)
    made = {}
    links = {}
    for measure, problem in importer.links:
        links.setdefault(id(measure), []).append(problem)
    for item in importer.items:
        values = {name: getattr(item, name) for name in ITEM_FIELDS}
        targets = [made[id(problem)] for problem in links.get(id(item), [])]
        made[id(item)] = editing.add_item(
            user, document, item.section, values, {"addresses": targets} if targets else None
        )


def village_list(cast):
    team = Team.objects.create(
        org=cast.wangling_village, kind=TeamKind.PARTY_COMMITTEE, name="中共网岭村总支部委员会"
    )
    document = open_team_document(team)
    assert document.kind == DocumentKind.GRASSROOTS_LIST
    return cast.admin, document


CASES = {
    # A county committee's plan: categories, merged problem cells, a measure with no problem.
    "team": (lambda cast: (cast.filer, open_team_document(cast.committee, cast.filer)), team_workbook),
    "team-merged": (
        lambda cast: (cast.filer, open_team_document(cast.committee, cast.filer)),
        lambda: xlsx(TEAM_ROWS, TEAM_MERGES),
    ),
    "individual": (
        lambda cast: (cast.member, open_individual_document(cast.committee, cast.member_person, cast.member)),
        individual_workbook,
    ),
    # Section 五's lighter measures: the full table's rows go in 条目式.
    "lighter": (
        lambda cast: (
            (cadre := township_cadre(cast)).user,
            open_individual_document(cast.xingsha_committee, cadre, cadre.user),
        ),
        None,
    ),
    "simplified": (lambda cast: (cast.filer, open_team_document(cast.edu_team, cast.filer)), team_workbook),
    "grassroots": (village_list, team_workbook),
}


@pytest.mark.parametrize("case", CASES)
def test_the_bulk_write_gives_the_document_the_row_by_row_path_gave(cast, case):
    who, data = CASES[case]
    account, document = who(cast)
    reading = read_workbook(data() if data else export_workbook(filled_individual(cast)))
    # Appended after what the document already holds.
    section = "entries" if document.kind == DocumentKind.GRASSROOTS_LIST else "problems"
    editing.add_item(account, document, section, {"text": "已有的一条"})
    kept = set(document.items.values_list("pk", flat=True))

    row_by_row(account, document, reading)
    expected = rows_of(document)
    Item.objects.filter(document=document).exclude(pk__in=kept).delete()

    assert import_reading(account, document, reading) == len(reading.items)
    assert rows_of(document) == expected
    assert len(expected) > len(kept)
    assert Document.objects.get(pk=document.pk).updated_by == account


@pytest.mark.parametrize("rows", [10, 1000])
def test_the_write_costs_the_same_queries_for_ten_rows_as_for_a_thousand(
    cast, plan, rows, django_assert_max_num_queries
):
    reading = read_workbook(long_list(rows))
    with django_assert_max_num_queries(12):
        assert import_reading(cast.filer, plan, reading) == rows
    assert plan.items.filter(section="measures").count() == rows


def test_the_confirmation_is_on_the_import_not_the_document_import_url(cast, client, plan):
    """The upload URL takes files only: a confirmation posted there is an upload with no
    file, refused, and writes nothing."""
    upload(client, plan, team_workbook())
    an_import = latest(plan)
    response = worked(
        lambda: client.post(
            reverse("plans:import", args=[plan.pk]), {"confirm": "1", "once": str(an_import.key)}
        )
    )
    assert response.status_code == 422
    assert latest(plan).state == S.PREVIEW and not plan.items.filter(section="problems").exists()
