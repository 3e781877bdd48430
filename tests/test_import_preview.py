"""Importing the notice's tables says what is wrong at the preview: a file in the wrong
layout is refused there, with nothing kept to confirm; rows the document cannot take are
marked in the preview with the reason; the empty table of the notice can be downloaded,
filled in and imported."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans.documents import open_individual_document, open_team_document
from plans.models import ImportState, Item
from plans.sheets.layout import INDIVIDUAL_COLUMNS, TEAM_COLUMNS, header_text
from plans.words import Priority

from .importing import confirm, latest, upload
from .sheets_samples import TEAM_MERGES, TEAM_ROWS, individual_workbook, xlsx

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["序号", "问题类别", "问题清单", "整改任务和措施", "责任人", "整改时限"]


def template(client, document):
    response = client.get(reverse("plans:import_template", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return response


def refused_at_the_preview(client, document, response, message):
    html = response.content.decode()
    assert message in html and 'role="alert"' in html
    assert "确认导入" not in html
    assert latest(document).state == ImportState.REFUSED


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (
            "individual_table",
            "这是一张领导干部个人整改清单，不能导入《中共长沙县委常委班子整改方案》；请上传领导班子整改问题清单。",
        ),
        ("wrong_headers", "没有找到表头。请使用通知所附表格的格式"),
        ("wrong_sheet", "没有找到表头。请使用通知所附表格的格式"),
        ("not_xlsx", "文件不是 Excel 工作簿（.xlsx）"),
        ("empty_template", "表格中没有可导入的内容：表头下面还没有填写任何一行"),
    ],
)
def test_a_file_in_the_wrong_layout_is_refused_at_the_preview(cast, client, case, message):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    before = list(Item.objects.filter(document=plan).values_list("pk", "revision"))
    data = {
        "individual_table": individual_workbook,
        "wrong_headers": lambda: xlsx(
            [["姓名", "联系电话", "通讯地址"], ["张三", "0731-1234567", "星沙大道1号"]]
        ),
        # The workbook of the attachment (专项整治), not the problem list.
        "wrong_sheet": lambda: xlsx(
            [
                ["序号", "专项整治任务", "工作措施", "责任单位", "完成时限"],
                [1, "整治庸懒散", "开展明察暗访", "县纪委", "长期坚持"],
            ],
            title="附件1",
        ),
        "not_xlsx": lambda: b"PK\x03\x04 not really a workbook",
        "empty_template": lambda: template(client, plan).content,
    }[case]()
    response = upload(client, plan, data)
    refused_at_the_preview(client, plan, response, message)
    assert list(Item.objects.filter(document=plan).values_list("pk", "revision")) == before


def test_bad_rows_are_marked_in_the_preview_with_the_reason(cast, client):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    data = xlsx(
        [
            HEADER,
            [1, "“四风”方面", "会议多", "精简会议", "夏海波", "2014年10月底前"],  # row 2: fine
            [2, None, None, "压缩文件", "夏海波", "尽快"],  # row 3: a measure with no problem; deadline
            [3, None, None, None, None, None],
        ]
    )
    # A team plan needs a category on each problem: a table without the column says which rows.
    no_category = xlsx(
        [
            ["序号", "问题清单", "整改措施", "责任人", "整改时限"],
            [1, "会议多", "精简会议", "夏海波", "长期坚持"],
        ]
    )
    response = upload(client, plan, data)
    html = response.content.decode()
    assert "表格中有 2 处问题，已在下表中标红并写明原因" in html
    good = html.split('id="row-2"', 1)[0].rsplit("<tr", 1)[1]
    assert "table-danger" not in good
    bad = html.split('id="row-3"', 1)[0].rsplit("<tr", 1)[1]
    assert "table-danger" in bad
    reasons = html.split('id="row-3"', 1)[1].split("</tr>", 2)[1]
    assert "有整改措施，但没有填写针对的问题；" in reasons and "整改时限“尽快”无法识别" in reasons
    assert "确认导入" not in html

    response = upload(client, plan, no_category)
    html = response.content.decode()
    assert (
        "领导班子整改方案的每个问题都要有问题类别，这一行没有填写“问题类别”。"
        in html.split('id="row-2"', 1)[1]
    )
    assert "确认导入" not in html
    assert not plan.items.filter(section="problems").exists()


def test_the_empty_template_is_the_notices_table_and_goes_back_in_filled(cast, client):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    page = client.get(reverse("plans:import", args=[plan.pk])).content.decode()
    assert (
        reverse("plans:import_template", args=[plan.pk]) in page and "下载空表：领导班子整改问题清单" in page
    )
    response = template(client, plan)
    assert (
        "attachment" in response["Content-Disposition"]
        and "%EF%BC%88%E7%A9%BA%E8%A1%A8%EF%BC%89" in response["Content-Disposition"]
    )
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert "领导班子整改问题清单" in str(sheet["A1"].value)
    header = [sheet.cell(row=3, column=n).value for n in range(1, len(TEAM_COLUMNS) + 1)]
    assert header == [header_text(text) for _field, text, _width in TEAM_COLUMNS]
    assert sheet.max_row == 3  # no rows under the header

    sheet.append(
        [1, "“四风”方面存在的突出问题", "会议多、文件多", "压缩会议和文件数量", "夏海波", "2014年10月底前"]
    )
    sheet.append([None, None, "调研走过场", "建立领导干部联系点制度", "欧阳明辉", "长期坚持"])
    filled = io.BytesIO()
    workbook.save(filled)
    preview = upload(client, plan, filled.getvalue())
    assert preview.status_code == 200 and "会议多、文件多" in preview.content.decode()
    assert "已从“清单.xlsx”导入 2 行" in confirm(client, plan).content.decode()
    assert set(plan.items.filter(section="problems").values_list("text", flat=True)) == {
        "会议多、文件多",
        "调研走过场",
    }


def test_an_individuals_empty_template_is_the_individual_table(cast, client):
    measures = open_individual_document(cast.committee, cast.member_person, cast.member)
    client.force_login(cast.member)
    sheet = load_workbook(io.BytesIO(template(client, measures).content)).active
    header = [sheet.cell(row=3, column=n).value for n in range(1, len(INDIVIDUAL_COLUMNS) + 1)]
    assert header == [header_text(text) for _field, text, _width in INDIVIDUAL_COLUMNS]
    assert "领导干部个人整改清单" in str(sheet["A1"].value)


def test_a_trailing_priority_column_is_read_past(cast, client):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    rows = [list(row) for row in TEAM_ROWS]
    header_at = next(n for n, row in enumerate(rows) if row and row[0] == "序  号")
    rows[header_at] = [*rows[header_at], "轻重缓急"]
    for row in rows[header_at + 1 :]:
        if len(row) >= 6 and any(row[2:4]):
            row.extend([None] * (6 - len(row)) + ["急"])
    with_priority = upload(client, plan, xlsx(rows, TEAM_MERGES))
    html = with_priority.content.decode()
    assert with_priority.status_code == 200 and "确认导入" in html
    assert "已从“清单.xlsx”导入 8 行" in confirm(client, plan).content.decode()
    assert plan.items.filter(section="problems").count() == 7
    assert set(plan.items.filter(section="problems").values_list("priority", flat=True)) == {Priority.URGENT}
    assert not plan.items.filter(note__contains="急").exists()
    assert not plan.items.filter(text="急").exists()


def test_a_file_without_the_priority_column_weighs_its_problems_normal(cast, client):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    assert upload(client, plan, xlsx(TEAM_ROWS, TEAM_MERGES)).status_code == 200
    confirm(client, plan)
    problems = plan.items.filter(section="problems")
    assert problems.count() == 7
    assert set(problems.values_list("priority", flat=True)) == {Priority.NORMAL}


def test_a_priority_the_table_does_not_know_is_marked_in_the_preview(cast, client):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    rows = [list(row) for row in TEAM_ROWS]
    header_at = next(n for n, row in enumerate(rows) if row and row[0] == "序  号")
    rows[header_at] = [*rows[header_at], "轻重缓急"]
    bad = header_at + 1
    rows[bad] = [*rows[bad], *[None] * (6 - len(rows[bad])), "很急"]
    count = Item.objects.count()

    response = upload(client, plan, xlsx(rows, TEAM_MERGES))

    html = response.content.decode()
    # The row (Excel row 4) is red, and the line under it says why.
    row = html[html.index(f'<tr class="table-danger" id="row-{bad + 1}">') :]
    reason = row[row.index("row-problem") : row.index("</tr>", row.index("row-problem"))]
    assert "轻重缓急“很急”无法识别，只能填“急”“重”“一般”之一，或留空（即“一般”）。" in reason
    assert "确认导入" not in html
    assert Item.objects.count() == count


def test_the_template_reaches_only_who_may_read(cast, client):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.outsider)
    assert client.get(reverse("plans:import_template", args=[plan.pk])).status_code == 404
    attachment = plan.attachments.get(kind="special_rectification")
    client.force_login(cast.filer)
    response = client.get(reverse("plans:import_template", args=[attachment.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[3]] == ["序号", "专项整治项目", "整治措施", "责任单位", "时限"]
    assert sheet.max_row == 3
