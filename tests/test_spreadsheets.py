"""Spreadsheets: the notice's two tables exported print-ready, read back as offices fill
them in, bad files refused whole, and import all-or-nothing through the editing module."""

import datetime as dt
import io
import json
import os
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from orgs.models import Team, TeamKind
from plans import editing
from plans.documents import open_individual_document, open_team_document
from plans.models import Document, Item
from plans.sheets.layout import header_field, match_category
from plans.spreadsheets import (
    MAX_BYTES,
    MAX_ROWS,
    Reading,
    SheetError,
    export_filename,
    export_workbook,
    import_reading,
    read_workbook,
)
from plans.structure import INDIVIDUAL_PROBLEMS, TEAM_ASPECTS
from plans.words import CATEGORY_SHORT, Category, DocumentKind, Priority, Status

from .factories import filled_individual, filled_team_plan
from .sheets_samples import (
    ENTITIES,
    EXTERNAL,
    individual_workbook,
    rewrite,
    team_workbook,
    with_doctype,
    xlsx,
    zipped,
)

C = Category
TEAM_HEADERS = ["序号", "问题类别", "问题清单", "整改任务和措施", "责任人", "整改时限"]
INDIVIDUAL_HEADERS = ["序号", "“四风”方面突出问题", "具体整改措施", "整改时限", "备注"]
PRIORITY = "轻重缓急"  # after the notice's columns
# After 轻重缓急, kept for the import and not printed.
TEAM_EXTRA = ["责任单位", "回应的意见", "针对的问题"]
INDIVIDUAL_EXTRA = ["回应的意见", "认领的班子问题", "针对的问题"]
INJECTIONS = ['=HYPERLINK("http://example.com","点我")', "+86-731-84012345", "-1+2", "@SUM(A1:A9)"]


def sheet_of(data):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def merged(sheet):
    return {str(cells) for cells in sheet.merged_cells.ranges}


def lists(document):
    """The list items of DOCUMENT as plain data, links by text (uids differ after import).
    Only what the tables carry: not 责任单位 or the four responses a problem cites."""
    rows = []
    for item in document.items.exclude(section__in=_text_blocks(document)).order_by("section", "position"):
        rows.append(
            {
                "section": item.section,
                "category": item.category,
                "text": item.text,
                "measures": item.measures,
                "owner": item.owner_id,
                "owner_text": item.owner_text,
                "deadline": item.deadline,
                "deadline_text": item.deadline_text,
                "inaction": item.inaction,
                "note": item.note,
                "priority": item.priority,
                "addresses": sorted(problem.text for problem in item.addresses.all()),
            }
        )
    return rows


def _text_blocks(document):
    from plans.structure import structure_of

    return [section.code for section in structure_of(document).sections if section.single]


def clear_lists(user, document):
    for item in document.items.exclude(section__in=_text_blocks(document)):
        editing.delete_item(user, item, item.revision)


def in_table_order(rows, order):
    """ROWS of one section sorted as the table lists them: by category, else as they were."""
    rank = {code: n for n, code in enumerate(order)}
    return sorted(rows, key=lambda row: rank.get(row["category"], len(rank)))


# Export: the notice's layout, ready to print --------------------------------------------


def test_team_list_has_the_notice_layout(cast):
    plan = filled_team_plan(cast, problems=10)
    first = (
        plan.items.filter(section="problems", category=C.POLITICAL_DISCIPLINE).order_by("position").first()
    )
    editing.save_item(cast.filer, first, first.revision, {"priority": Priority.URGENT})
    sheet = sheet_of(export_workbook(plan))

    assert sheet["A1"].value == "领导班子整改问题清单"
    assert sheet["A2"].value == "单位：中共长沙县委常委班子"
    assert sheet["E2"].value == dt.datetime(2014, 8, 25)
    assert [cell.value for cell in sheet[3]] == [*TEAM_HEADERS, PRIORITY, *TEAM_EXTRA]
    # Printed: the notice's columns and 轻重缓急; 责任单位 and the four responses are the import's.
    assert sheet.print_area == "'整改问题清单'!$A$1:$G$14"
    assert [sheet.cell(row, 8).value for row in (4, 14)] == ["县委办", "县委办"]
    assert (
        sheet["I4"].value == plan.items.filter(section="problems").order_by("position")[0].answers.get().text
    )
    # Two problems per category: the number and the category merged down their two rows.
    assert {"A1:G1", "A2:D2", "E2:G2", "A4:A5", "B4:B5", "A12:A13", "B12:B13"} <= merged(sheet)
    # Each problem's priority in the column after the notice's; a measure alone has none.
    assert [sheet.cell(row, 7).value for row in (4, 5, 6, 14)] == ["急", "一般", "一般", None]
    assert [sheet.cell(row, 2).value for row in (4, 6, 8, 10, 12)] == [
        "遵守政治纪律方面存在的问题",
        "贯彻中央八项和省委九项规定问题",
        "“四风”方面存在的突出问题",
        "关系群众切身利益方面的突出问题",
        "服务群众“最后一公里”存在的突出问题",
    ]
    assert [sheet.cell(row, 1).value for row in (4, 6, 8, 10, 12, 14)] == [1, 2, 3, 4, 5, 6]
    assert sheet["C4"].value.startswith("个别班子成员对中央和省委决策部署领会不深")
    assert sheet["D4"].value.startswith("每月召开一次常委会学习会")
    assert sheet["E4"].value == "夏海波"
    assert sheet["F4"].value == "2014年12月底前"
    # The measure that answers no problem (推进专项整治和建章立制) closes the table.
    assert sheet["B14"].value == "推进专项整治和建章立制"
    assert sheet["C14"].value is None
    assert sheet["F14"].value == "长期坚持"
    assert sheet.max_row == 14

    # Print-ready: A4 landscape, fit to one page wide, the header repeated on every page.
    assert str(sheet.page_setup.paperSize) == "9"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4"
    assert all(sheet.cell(row, column).alignment.wrap_text for row in (3, 4, 14) for column in range(1, 7))
    assert sheet.cell(4, 3).border.left.style == "thin"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEF"]
    assert widths[2] > 30 and widths[3] > 30 and widths[0] < 10
    assert sheet.row_dimensions[4].height >= 30  # two lines of 42 characters of Chinese


def test_long_text_gets_a_taller_row(cast):
    plan = open_team_document(cast.committee, cast.filer)
    editing.add_item(cast.filer, plan, "problems", {"category": C.FOUR_WINDS, "text": "会"})
    editing.add_item(cast.filer, plan, "problems", {"category": C.FOUR_WINDS, "text": "会议过多。" * 40})
    sheet = sheet_of(export_workbook(plan))
    assert sheet.row_dimensions[5].height > 3 * sheet.row_dimensions[4].height


def test_several_measures_share_the_problem_row(cast):
    plan = open_team_document(cast.committee, cast.filer)
    problem = editing.add_item(cast.filer, plan, "problems", {"category": C.FOUR_WINDS, "text": "会议多"})
    for text, owner, unit, deadline, deadline_text in (
        ("精简会议", cast.secretary_person, "县委办", dt.date(2014, 10, 31), "2014年10月底前"),
        ("压缩文件", None, "县政府办", dt.date(2014, 12, 31), ""),
        ("建立会议审批制度", cast.secretary_person, "", None, "长期坚持"),
    ):
        editing.add_item(
            cast.filer,
            plan,
            "measures",
            {
                "category": C.FOUR_WINDS,
                "text": text,
                "owner": owner,
                "owner_text": "" if owner else "王某某（县委办主任）",
                "unit": unit,
                "deadline": deadline,
                "deadline_text": deadline_text,
            },
            links={"addresses": [problem]},
        )
    data = export_workbook(plan)
    sheet = sheet_of(data)
    # A row per measure with its own owner, unit and deadline; the problem merged down them.
    assert [[sheet.cell(row, column).value for column in (4, 5, 6, 8)] for row in (4, 5, 6)] == [
        ["精简会议", "夏海波", "2014年10月底前", "县委办"],
        ["压缩文件", "王某某（县委办主任）", dt.datetime(2014, 12, 31), "县政府办"],
        ["建立会议审批制度", "夏海波", "长期坚持", None],
    ]
    assert sheet["C4"].value == "会议多"
    assert {"A4:A6", "B4:B6", "C4:C6", "G4:G6", "I4:I6"} <= merged(sheet)
    # Read back: three measures of one problem, each its own.
    rows = read_workbook(data).items
    assert [(row.problem, row.measures, row.owner, row.unit, row.deadline) for row in rows] == [
        ("会议多", "精简会议", "夏海波", "县委办", dt.date(2014, 10, 31)),
        ("会议多", "压缩文件", "王某某（县委办主任）", "县政府办", dt.date(2014, 12, 31)),
        ("会议多", "建立会议审批制度", "夏海波", None, None),
    ]


def test_individual_list_has_the_notice_layout(cast):
    measures = filled_individual(cast)
    sheet = sheet_of(export_workbook(measures))

    assert sheet["A1"].value == "领导干部个人整改清单"
    assert sheet["A2"].value == "姓名：欧阳明辉"
    assert sheet["C2"].value == "职务：县委常委、组织部部长"
    assert [cell.value for cell in sheet[3]] == [*INDIVIDUAL_HEADERS, PRIORITY, *INDIVIDUAL_EXTRA]
    assert [sheet.cell(row, 6).value for row in (5, 7, 9)] == ["一般", "一般", "一般"]
    # Problems in three categories: a heading row across the table before each.
    assert [sheet.cell(row, 1).value for row in (4, 6, 8)] == [
        "遵守政治纪律方面存在的问题",
        "贯彻中央八项规定和省委九项规定精神方面存在的问题",
        "“四风”方面存在的突出问题",
    ]
    assert {"A1:F1", "A4:F4", "A6:F6", "A8:F8"} <= merged(sheet)
    assert [sheet.cell(row, 1).value for row in (5, 7, 9)] == [1, 2, 3]
    assert sheet["C9"].value == "每月到联系村走访2次，年底前完成4篇调研报告"
    assert sheet["D9"].value == "2014年12月底前"
    assert sheet["E9"].value == "“为官不为”问题"  # the four-winds problem is one of inaction
    assert sheet["E5"].value is None
    assert sheet.print_title_rows == "$3:$3"
    assert str(sheet.page_setup.paperSize) == "9"


def test_attachments_export_as_simple_tables(cast):
    plan = filled_team_plan(cast)
    special = plan.attachments.get(kind=DocumentKind.SPECIAL_RECTIFICATION)
    institutions = plan.attachments.get(kind=DocumentKind.INSTITUTION_PLAN)

    sheet = sheet_of(export_workbook(special))
    assert sheet["A1"].value == "中共长沙县委常委班子专项整治工作方案"
    assert [cell.value for cell in sheet[3]] == ["序号", "专项整治项目", "整治措施", "责任单位", "时限"]
    assert sheet["B4"].value == special.items.order_by("position").first().special_task.name
    assert sheet["D4"].value == "县纪委"
    assert sheet.max_row == 3 + special.items.count()

    sheet = sheet_of(export_workbook(institutions))
    assert [cell.value for cell in sheet[3]] == [
        "序号",
        "制度建设任务",
        "来源",
        "责任单位",
        "完成时限",
        "重点领域",
    ]
    assert [cell.value for cell in sheet[4]] == [
        1,
        "制定《县委常委会重大事项决策程序规定》",
        "结合实际健全完善",
        "县委办",
        "2014年11月底前",
        "市、县机关：科学民主决策、党务政务公开和各领域办事公开",
    ]
    assert sheet.print_area == "'制度建设'!$A$1:$E$4"
    assert sheet.print_title_rows == "$3:$3"


def test_export_filenames(cast):
    plan = filled_team_plan(cast)
    assert export_filename(plan) == "中共长沙县委整改问题清单.xlsx"
    assert export_filename(plan.attachments.get(kind=DocumentKind.SPECIAL_RECTIFICATION)) == (
        "中共长沙县委专项整治工作方案.xlsx"
    )
    assert export_filename(open_individual_document(cast.committee, cast.member_person)) == (
        "欧阳明辉个人整改清单.xlsx"
    )
    assert export_filename(open_team_document(cast.kaiyuan_committee)) == "中共开元路社区委员会整改清单.xlsx"


def test_text_that_looks_like_a_formula_stays_text(cast):
    plan = open_team_document(cast.committee, cast.filer)
    for text in INJECTIONS:
        problem = editing.add_item(cast.filer, plan, "problems", {"category": C.FOUR_WINDS, "text": text})
        editing.add_item(
            cast.filer,
            plan,
            "measures",
            {"category": C.FOUR_WINDS, "text": text, "owner_text": "=1+1", "deadline_text": "长期坚持"},
            links={"addresses": [problem]},
        )
    data = export_workbook(plan)

    sheet = sheet_of(data)
    for row, text in enumerate(INJECTIONS, start=4):
        for column in (3, 4):
            cell = sheet.cell(row, column)
            assert cell.value == text
            assert cell.data_type == "s"
            assert cell.quotePrefix is True
        assert sheet.cell(row, 5).value == "=1+1" and sheet.cell(row, 5).data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    # and reading it back is no formula either
    reading = read_workbook(data)
    assert [item.problem for item in reading.items] == INJECTIONS
    assert {item.owner for item in reading.items} == {"=1+1"}


# Round trips ----------------------------------------------------------------------------


def test_team_plan_round_trip(cast):
    plan = filled_team_plan(cast, problems=10)
    # 轻重缓急 comes back as weighed: the column after the notice's is read too.
    problems = plan.items.filter(section="problems").order_by("category", "position")
    for problem, priority in zip(
        problems, [Priority.URGENT, Priority.IMPORTANT, Priority.URGENT], strict=False
    ):
        editing.save_item(cast.filer, problem, problem.revision, {"priority": priority})
    before = lists(plan)
    assert {row["priority"] for row in before} == set(Priority.values)
    data = export_workbook(plan)
    clear_lists(cast.filer, plan)
    assert not lists(plan)

    imported = import_reading(cast.filer, plan, read_workbook(data))

    assert imported == 11
    after = lists(plan)
    problems = in_table_order([row for row in before if row["section"] == "problems"], TEAM_ASPECTS)
    measures = in_table_order([row for row in before if row["section"] == "measures"], TEAM_ASPECTS)
    assert [row for row in after if row["section"] == "problems"] == problems
    assert [row for row in after if row["section"] == "measures"] == measures
    # Owners are the team's people again, not names as text.
    assert {row["owner"] for row in after if row["section"] == "measures"} == {
        cast.secretary_person.pk,
        cast.member_person.pk,
    }
    assert all(row["owner_text"] == "" for row in after)


def test_individual_round_trip(cast):
    document = filled_individual(cast)
    before = lists(document)
    data = export_workbook(document)
    clear_lists(cast.member, document)

    imported = import_reading(cast.member, document, read_workbook(data))

    assert imported == 3
    after = lists(document)
    assert [row for row in after if row["section"] == "problems"] == in_table_order(
        [row for row in before if row["section"] == "problems"], INDIVIDUAL_PROBLEMS
    )
    assert [row for row in after if row["section"] == "measures"] == [
        row for row in before if row["section"] == "measures"
    ]
    assert [row["inaction"] for row in after if row["section"] == "problems"] == [False, False, True]


def test_simplified_plan_and_grassroots_list_round_trip(cast):
    street = open_team_document(cast.xingsha_committee, cast.filer)
    problem = editing.add_item(
        cast.filer, street, "problems", {"text": "办事窗口推诿扯皮", "priority": Priority.IMPORTANT}
    )
    editing.add_item(
        cast.filer,
        street,
        "measures",
        {"text": "推行首问负责制", "owner_text": "街道办主任", "deadline": dt.date(2014, 11, 30)},
        links={"addresses": [problem]},
    )
    sheet = sheet_of(export_workbook(street))
    assert [cell.value for cell in sheet[4]] == [
        1,
        None,
        "办事窗口推诿扯皮",
        "推行首问负责制",
        "街道办主任",
        dt.datetime(2014, 11, 30),
        "重",
        None,
        None,
        None,
    ]
    bureau = open_team_document(cast.edu_team, cast.filer)  # a county unit: a simplified plan too
    assert import_reading(cast.filer, bureau, read_workbook(export_workbook(street))) == 1
    assert [(row["section"], row["text"], row["owner_text"], row["deadline"]) for row in lists(bureau)] == [
        ("measures", "推行首问负责制", "街道办主任", dt.date(2014, 11, 30)),
        ("problems", "办事窗口推诿扯皮", "", None),
    ]
    assert lists(bureau)[0]["addresses"] == ["办事窗口推诿扯皮"]

    community = open_team_document(cast.kaiyuan_committee, cast.filer)
    editing.add_item(
        cast.filer,
        community,
        "entries",
        {
            "text": "小区路灯长期不亮",
            "measures": "10月底前全部修复",
            "owner_text": "社区主任",
            "deadline_text": "2014年10月底前",
        },
    )
    village_team = Team.objects.create(
        org=cast.wangling_village, kind=TeamKind.PARTY_COMMITTEE, name="中共网岭村总支部委员会"
    )
    village = open_team_document(village_team)
    assert village.kind == DocumentKind.GRASSROOTS_LIST
    assert import_reading(cast.admin, village, read_workbook(export_workbook(community))) == 1
    [entry] = lists(village)
    assert (
        entry["text"],
        entry["measures"],
        entry["owner_text"],
        entry["deadline"],
        entry["deadline_text"],
    ) == (
        "小区路灯长期不亮",
        "10月底前全部修复",
        "社区主任",
        dt.date(2014, 10, 31),
        "2014年10月底前",
    )


# Reading what offices fill in ------------------------------------------------------------


def test_reads_a_team_list_as_offices_fill_it(cast):
    reading = read_workbook(team_workbook())

    assert reading.kind == "team"
    assert reading.unit == "中共长沙县委办公室"
    assert reading.date == dt.date(2014, 8, 25)
    assert reading.errors == []
    assert [(item.row, item.category, item.problem, item.measures, item.owner) for item in reading.items] == [
        (4, C.POLITICAL_DISCIPLINE, "班子成员贯彻决策部署有打折扣现象", "每月召开一次常委会学习会", "夏海波"),
        (5, C.POLITICAL_DISCIPLINE, "个别干部在网上发表不当言论", "开展政治纪律专题教育", "欧阳明辉"),
        (6, C.EIGHT_RULES, "公务接待有超标准现象", "出台公务接待管理办法", "夏海波"),
        (7, C.EIGHT_RULES, "公务接待有超标准现象", "接待费支出比上年压缩30%", "县委办 张三"),
        (9, C.FOUR_WINDS, "文山会海问题仍然突出", "全县性会议压缩三分之一", "欧阳明辉"),
        (10, C.FOUR_WINDS, "督查检查考核过多过滥", "", None),
        (11, C.MASS_INTERESTS, "征地补偿款发放不及时", "年底前全部发放到户", "夏海波"),
        (12, C.LAST_MILE, "便民服务中心坐班制度不落实", "推行便民服务代办制", "欧阳明辉"),
    ]
    assert [(item.deadline, item.deadline_text) for item in reading.items] == [
        (dt.date(2014, 10, 31), ""),
        (dt.date(2014, 10, 31), "2014年10月底前"),
        (None, "长期坚持"),
        (dt.date(2014, 12, 31), "12月底前"),  # the year of the date line
        (dt.date(2014, 11, 30), "2014.11"),
        (None, ""),
        (dt.date(2014, 12, 31), "2014年12月31日"),
        (dt.date(2015, 6, 30), "2015年上半年"),
    ]


def test_imports_a_team_list_as_offices_fill_it(cast):
    plan = open_team_document(cast.committee, cast.filer)
    assert import_reading(cast.filer, plan, read_workbook(team_workbook())) == 8

    problems = list(plan.items.filter(section="problems").order_by("position"))
    measures = list(plan.items.filter(section="measures").order_by("position"))
    # The problem merged over two rows is one problem with two measures.
    assert len(problems) == 7 and len(measures) == 7
    shared = problems[2]
    assert shared.text == "公务接待有超标准现象"
    assert sorted(m.text for m in shared.addressed_by.all()) == [
        "出台公务接待管理办法",
        "接待费支出比上年压缩30%",
    ]
    assert [m.category for m in measures] == [
        C.POLITICAL_DISCIPLINE,
        C.POLITICAL_DISCIPLINE,
        C.EIGHT_RULES,
        C.EIGHT_RULES,
        C.FOUR_WINDS,
        C.MASS_INTERESTS,
        C.LAST_MILE,
    ]
    assert measures[0].owner == cast.secretary_person and measures[0].owner_text == ""
    assert measures[3].owner is None and measures[3].owner_text == "县委办 张三"
    assert problems[4].text == "督查检查考核过多过滥" and not problems[4].addressed_by.exists()


def test_reads_an_individual_list_as_offices_fill_it(cast):
    reading = read_workbook(individual_workbook())

    assert reading.kind == "individual"
    assert (reading.name, reading.position, reading.date) == (
        "欧阳明辉",
        "县委常委、组织部部长",
        dt.date(2014, 8, 28),
    )
    assert reading.unit is None
    assert reading.errors == []
    assert [(item.row, item.category, item.problem, item.measures, item.note) for item in reading.items] == [
        (5, C.POLITICAL_DISCIPLINE, "对中央和省委决策部署学习不深", "每月参加一次中心组学习", None),
        (7, C.FOUR_WINDS, "下基层调研少，存在为官不为现象", "每月到联系村走访2次", "为官不为"),
        (8, C.FOUR_WINDS, "下基层调研少，存在为官不为现象", "年底前完成4篇调研报告", None),
        (9, C.FOUR_WINDS, "文风不实，讲话稿照本宣科", "讲话一律不超过30分钟", "自查发现"),
    ]

    document = open_individual_document(cast.committee, cast.member_person, cast.member)
    assert import_reading(cast.member, document, reading) == 4
    problems = list(document.items.filter(section="problems").order_by("position"))
    measures = list(document.items.filter(section="measures").order_by("position"))
    assert [(p.category, p.inaction) for p in problems] == [
        (C.POLITICAL_DISCIPLINE, False),
        (C.FOUR_WINDS, True),
        (C.FOUR_WINDS, False),
    ]
    assert [(m.category, m.inaction, m.note) for m in measures] == [
        (C.THEORY_AND_DISCIPLINE, False, ""),
        (C.STYLE_AND_FOUR_WINDS, True, ""),
        (C.STYLE_AND_FOUR_WINDS, False, ""),
        (C.STYLE_AND_FOUR_WINDS, False, "自查发现"),
    ]
    assert [list(m.addresses.all()) for m in measures] == [
        [problems[0]],
        [problems[1]],
        [problems[1]],
        [problems[2]],
    ]


def test_individual_rows_without_a_category_are_four_winds(cast):
    data = xlsx(
        [
            ["姓名：欧阳明辉", None, "职务：县委常委"],
            ["序号", '"四风"方面突出问题', "具体整改措施", "整改时限", "备注"],
            [1, "调研不深入", "每季度蹲点调研一周", "长期坚持", None],
        ]
    )
    reading = read_workbook(data)
    assert reading.kind == "individual" and reading.items[0].category is None
    document = open_individual_document(cast.committee, cast.member_person, cast.member)
    import_reading(cast.member, document, reading)
    assert [(i.section, i.category) for i in document.items.order_by("section")] == [
        ("measures", C.STYLE_AND_FOUR_WINDS),
        ("problems", C.FOUR_WINDS),
    ]


def test_header_below_an_explanation_sheet_and_a_date_cell(cast):
    data = xlsx(
        [
            ["中共长沙县委常委班子整改问题清单"],
            ["单位：", "中共长沙县委", None, "日期：", dt.datetime(2014, 9, 1)],
            [],
            ["序号", "问题类别", "存在问题", "整改措施", "责任领导", "完成时限"],
            [1, "“四风”方面", "会议多", "精简会议", "夏海波", "2014年10月"],
        ],
        before=[("填表说明", [["请按通知附表填写。"], ["序号从1开始。"]])],
    )
    reading = read_workbook(data)
    assert reading.unit == "中共长沙县委"
    assert reading.date == dt.date(2014, 9, 1)
    assert [(i.row, i.category, i.problem, i.deadline) for i in reading.items] == [
        (5, C.FOUR_WINDS, "会议多", dt.date(2014, 10, 31))
    ]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("序  号", "number"),
        ("序\u3000号", "number"),
        ("问题\n类别", "category"),
        ("问 题 清 单", "problem"),
        ("“四风”方面\n突出问题", "problem"),
        ('"四风"方面突出问题', "problem"),
        ("整改任务\n和措施", "measures"),
        ("具体整改措施", "measures"),
        ("责 任 人", "owner"),
        ("整改\u3000时限", "deadline"),
        ("备　注", "note"),
        ("领导干部个人整改措施的填报说明，请认真阅读", None),
    ],
)
def test_header_texts(text, field):
    assert header_field(text) == field


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("贯彻中央八项和省委九项规定问题", C.EIGHT_RULES),
        ("“四风”方面存在的突出问题", C.FOUR_WINDS),
        ("关系群众切身利益方面的突出问题", C.MASS_INTERESTS),
        ("服务群众“最后一公里”存在的突出问题", C.LAST_MILE),
        ("遵守政治纪律方面存在的问题", C.POLITICAL_DISCIPLINE),
        ("联系服务群众“最后一公里”方面存在的突出问题", C.LAST_MILE),
        ("一、遵守政治纪律方面", C.POLITICAL_DISCIPLINE),
        ('（三）"四风"方面\n存在的突出问题', C.FOUR_WINDS),
        ("贯彻中央八项规定和省委九项规定 精神方面存在的问题", C.EIGHT_RULES),
        ("推进专项整治和建章立制的措施和要求", C.SPECIAL_AND_INSTITUTIONS),
        ("four_winds", C.FOUR_WINDS),
    ]
    + [(str(code.label), code.value) for code in Category]
    + [(str(name), code) for code, name in CATEGORY_SHORT.items()],
)
def test_category_names(text, code):
    assert match_category(text) == code
    assert match_category(text, strict=True) == code


def test_category_words_only_in_the_category_column():
    assert match_category("作风方面“四风”问题比较突出") == C.FOUR_WINDS
    assert match_category("作风方面“四风”问题比较突出", strict=True) is None
    assert match_category("其他问题") is None


def test_row_errors_name_the_row_and_nothing_is_imported(cast):
    data = xlsx(
        [
            ["序号", "问题类别", "问题清单", "整改任务和措施", "责任人", "整改时限"],
            [1, "遵守政治纪律", None, "加强学习", "夏海波", "2014年10月底前"],
            [None, None, "学习不够", "加强学习", None, "尽快"],
            [None, "其他问题", "学习不够", "加强学习", None, None],
            [None, None, None, None, "李四", "2014年12月"],
            [2, "“四风”方面", "会议多", "精简会议", "夏海波", "10月底前"],
            [None, None, "会议多", "精简会议", "张" * 101, None],
        ]
    )
    reading = read_workbook(data)
    assert [(error["row"], error["message"]) for error in reading.errors] == [
        (
            2,
            "有整改措施，但没有填写针对的问题；如果这条措施不针对具体问题，请在问题栏填写“（不针对具体问题）”。",
        ),
        (3, "整改时限“尽快”无法识别，请写成“2014年10月底前”“2014年12月31日”或“长期坚持”。"),
        (4, "无法识别问题类别“其他问题”。"),
        (5, "只填了责任人、时限或备注，没有问题和整改措施。"),
        (6, "整改时限“10月底前”无法识别，请写成“2014年10月底前”“2014年12月31日”或“长期坚持”。"),
        (7, "责任人过长（不超过 100 字）。"),
    ]
    plan = open_team_document(cast.committee, cast.filer)
    count = Item.objects.count()
    with pytest.raises(SheetError, match="第2行：有整改措施"):
        import_reading(cast.filer, plan, reading)
    assert Item.objects.count() == count


def test_reading_survives_the_session(cast):
    reading = read_workbook(team_workbook())
    data = json.loads(json.dumps(reading.as_json()))
    assert set(data) == {"kind", "unit", "name", "position", "date", "items", "errors"}
    assert set(data["items"][0]) == {
        "category",
        "problem",
        "measures",
        "owner",
        "deadline",
        "deadline_text",
        "note",
        "priority",
        "unit",
        "answers",
        "claims",
        "addresses",
        "origin",
        "focus",
    }
    again = Reading.from_json(data)
    assert again.as_json() == reading.as_json()
    assert Reading.from_json(json.loads(json.dumps(reading.as_json(rows=True)))) == reading
    with pytest.raises(SheetError, match="预览数据已失效"):
        Reading.from_json({"kind": "team", "items": [{"category": "nonsense"}]})
    with pytest.raises(SheetError, match="预览数据已失效"):
        Reading.from_json({"kind": "team", "items": [{"priority": "急急"}]})


# Import refuses what does not fit ---------------------------------------------------------


def test_a_team_plan_needs_categories(cast):
    data = xlsx(
        [
            ["序号", "问题清单", "整改措施", "责任人", "整改时限"],
            [1, "会议多", "精简会议", "夏海波", "长期坚持"],
            [2, "文件多", "压缩文件", "夏海波", "长期坚持"],
        ]
    )
    reading = read_workbook(data)
    assert reading.kind == "team" and reading.errors == []
    plan = open_team_document(cast.committee, cast.filer)
    count = Item.objects.count()
    with pytest.raises(
        SheetError, match="第2行：领导班子整改方案的每个问题都要有问题类别，这一行没有填写“问题类别”；第3行"
    ):
        import_reading(cast.filer, plan, reading)
    assert Item.objects.count() == count
    # A simplified plan has no categories: the same table goes in.
    assert import_reading(cast.filer, open_team_document(cast.xingsha_committee, cast.filer), reading) == 2


def test_import_refuses_what_does_not_fit(cast):
    plan = open_team_document(cast.committee, cast.filer)
    individual = open_individual_document(cast.committee, cast.member_person, cast.member)
    team_reading = read_workbook(team_workbook())
    individual_reading = read_workbook(individual_workbook())
    count = Item.objects.count()

    with pytest.raises(
        SheetError, match="这是一张领导干部个人整改清单，不能导入《中共长沙县委常委班子整改方案》"
    ):
        import_reading(cast.filer, plan, individual_reading)
    with pytest.raises(SheetError, match="请上传领导干部个人整改清单"):
        import_reading(cast.member, individual, team_reading)
    special = plan.attachments.get(kind=DocumentKind.SPECIAL_RECTIFICATION)
    with pytest.raises(SheetError, match="这是一张领导班子整改问题清单，不能导入《.*专项整治工作方案》"):
        import_reading(cast.filer, special, team_reading)
    # A team category that is not an individual's.
    wrong = Reading.from_json({**individual_reading.as_json(), "items": [team_reading.items[-1].as_json()]})
    with pytest.raises(SheetError, match="不能归入“联系服务群众“最后一公里”方面存在的突出问题”"):
        import_reading(cast.member, individual, wrong)
    with pytest.raises(SheetError, match="没有可导入的内容"):
        import_reading(cast.filer, plan, Reading(kind="team"))

    Document.objects.filter(pk=plan.pk).update(status=Status.SUBMITTED)
    with pytest.raises(SheetError, match="审阅中，现在不能修改"):
        import_reading(cast.filer, plan, team_reading)
    assert Item.objects.count() == count


# Bad files --------------------------------------------------------------------------------


def _formula():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "问题类别", "问题清单", "整改任务和措施", "责任人", "整改时限"])
    sheet.append([1, "“四风”方面", "会议多", "精简会议", "夏海波", "长期坚持"])
    sheet["D3"] = '=HYPERLINK("http://evil.example","点击")'
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _too_many_rows():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["序号", "问题清单", "整改措施", "责任人", "整改时限"])
    for n in range(MAX_ROWS + 1):
        sheet.append([n + 1, f"问题{n}", f"措施{n}", "夏海波", "长期坚持"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bomb():
    return rewrite(team_workbook(), add={"xl/filler.xml": b"<a>" + b" " * (70 * 1024 * 1024) + b"</a>"})


def _broken_sheet():
    return rewrite(
        team_workbook(), replace={"xl/worksheets/sheet1.xml": lambda content: content[: len(content) // 2]}
    )


BAD_FILES = {
    "empty": (lambda: b"", "文件是空的"),
    "random bytes": (lambda: os.urandom(4096), "文件不是 Excel 工作簿（.xlsx）"),
    "xls": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096), "旧版 Excel（.xls）"),
    "csv": (lambda: "序号,问题清单,整改措施\n1,会议多,精简会议\n".encode("gbk"), "文件不是 Excel 工作簿"),
    "zip of text": (lambda: zipped({"readme.txt": b"hello"}), "文件不是 Excel 工作簿"),
    "docx": (
        lambda: zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
        "文件不是 Excel 工作簿",
    ),
    "oversize": (lambda: b"PK\x03\x04" + bytes(MAX_BYTES), "文件超过 5 MB"),
    "xlsm": (lambda: rewrite(team_workbook(), add={"xl/vbaProject.bin": os.urandom(512)}), "含有宏"),
    "macro content type": (
        lambda: rewrite(
            team_workbook(),
            replace={
                "[Content_Types].xml": lambda content: content.replace(
                    b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
                )
            },
        ),
        "含有宏",
    ),
    "entity expansion": (lambda: with_doctype(ENTITIES), "DOCTYPE 或 ENTITY"),
    "external entity": (
        lambda: with_doctype(EXTERNAL, part="xl/workbook.xml", root=b"<workbook"),
        "xl/workbook.xml”中含有 DOCTYPE",
    ),
    "zip bomb": (_bomb, "解压后过大"),
    "formula": (_formula, "单元格 Sheet!D3 是公式"),
    "no header": (lambda: xlsx([["姓名", "电话"], ["张三", "12345"]]), "没有找到表头"),
    "too many rows": (_too_many_rows, "表格超过 10,000 行"),
    "broken sheet": (_broken_sheet, "无法读取这个工作簿"),
}


@pytest.fixture(scope="module")
def bad_files():
    return {name: build() for name, (build, _message) in BAD_FILES.items()}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_are_refused_and_nothing_is_written(cast, bad_files, tmp_path, name):
    data, message = bad_files[name], BAD_FILES[name][1]
    with pytest.raises(SheetError) as refused:
        read_workbook(data)
    assert message in refused.value.message

    plan = open_team_document(cast.committee, cast.filer)
    count = Item.objects.count()
    path = tmp_path / "upload.xlsx"
    path.write_bytes(data)
    with pytest.raises(
        CommandError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")
    ):
        call_command(
            "import_list", str(path), "--into", str(plan.pk), "--user", "filer", stdout=io.StringIO()
        )
    assert Item.objects.count() == count


def test_the_sample_workbook_itself_is_fine():
    # The bad files above are the good sample with one thing changed.
    assert read_workbook(team_workbook()).errors == []
    assert zipfile.is_zipfile(io.BytesIO(team_workbook()))


# The command ---------------------------------------------------------------------------------


def test_command_dry_run_prints_json_and_writes_nothing(cast, tmp_path):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(team_workbook())
    count = Item.objects.count()
    out = io.StringIO()
    call_command("import_list", str(path), "--dry-run", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data == read_workbook(team_workbook()).as_json()
    assert (data["kind"], data["unit"], data["date"]) == ("team", "中共长沙县委办公室", "2014-08-25")
    assert data["items"][0] == {
        "category": "political_discipline",
        "problem": "班子成员贯彻决策部署有打折扣现象",
        "measures": "每月召开一次常委会学习会",
        "owner": "夏海波",
        "deadline": "2014-10-31",
        "deadline_text": "",
        "note": None,
        "priority": None,
        "unit": None,
        "answers": "",
        "claims": "",
        "addresses": "",
        "origin": None,
        "focus": None,
    }
    assert data["errors"] == []
    assert Item.objects.count() == count


def test_command_summary_in_chinese(cast, tmp_path):
    path = tmp_path / "个人.xlsx"
    path.write_bytes(individual_workbook())
    out = io.StringIO()
    call_command("import_list", str(path), stdout=out)
    assert "领导干部个人整改清单，姓名：欧阳明辉，职务：县委常委、组织部部长，2014年8月28日" in out.getvalue()
    assert "共读取 4 行" in out.getvalue()


def test_command_imports_into_a_document(cast, tmp_path):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(team_workbook())
    plan = open_team_document(cast.committee, cast.filer)
    count = Item.objects.count()

    out = io.StringIO()
    call_command("import_list", str(path), "--into", str(plan.pk), "--user", "filer", "--dry-run", stdout=out)
    assert "试运行：可以导入 8 行" in out.getvalue()
    assert Item.objects.count() == count

    out = io.StringIO()
    call_command("import_list", str(path), "--into", str(plan.pk), "--user", "filer", stdout=out)
    assert "已导入 8 行到《中共长沙县委常委班子整改方案》" in out.getvalue()
    assert Item.objects.count() == count + 14


def test_command_checks_who_imports(cast, tmp_path):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(team_workbook())
    plan = open_team_document(cast.committee, cast.filer)
    count = Item.objects.count()
    with pytest.raises(CommandError, match="须用 --user"):
        call_command("import_list", str(path), "--into", str(plan.pk))
    with pytest.raises(CommandError, match="用户“outsider”不能填报"):
        call_command("import_list", str(path), "--into", str(plan.pk), "--user", "outsider")
    with pytest.raises(CommandError, match="没有编号为 999999 的整改文件"):
        call_command("import_list", str(path), "--into", "999999", "--user", "filer")
    with pytest.raises(CommandError, match="无法打开文件"):
        call_command("import_list", str(tmp_path / "missing.xlsx"))
    assert Item.objects.count() == count
