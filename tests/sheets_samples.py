"""Workbooks as offices fill in the notice's two tables, and files that must be refused.

Built with openpyxl the way Excel or WPS leaves them: titles and 单位 lines above the
header, headers retyped with spaces and line breaks, merged category cells, blank
rows, notes under the table.
"""

import datetime as dt
import io
import zipfile

from openpyxl import Workbook


def xlsx(rows, merges=(), title="Sheet1", before=()):
    """An .xlsx with ROWS on a sheet TITLE (after sheets BEFORE: [(title, rows)])."""
    workbook = Workbook()
    first = workbook.active
    sheets = [*before, (title, rows)]
    for index, (name, content) in enumerate(sheets):
        sheet = first if index == 0 else workbook.create_sheet()
        sheet.title = name
        for row in content:
            sheet.append(list(row))
        if index == len(sheets) - 1:
            for cells in merges:
                sheet.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# 领导班子整改问题清单 as a county office fills it in.
TEAM_ROWS = [
    ["领导班子整改问题清单"],  # 1
    ["单 位：中共长沙县委办公室", None, None, None, "2014年 8 月 25 日"],  # 2
    ["序  号", "问题\n类别", "问 题 清 单", "整改任务\n和措施", "责 任 人", "整改\u3000时限"],  # 3
    [
        1,
        "遵守政治纪律方面存在的问题",
        "班子成员贯彻决策部署有打折扣现象",
        "每月召开一次常委会学习会",
        "夏海波",
        dt.datetime(2014, 10, 31),
    ],  # 4
    [None, None, "个别干部在网上发表不当言论", "开展政治纪律专题教育", "欧阳明辉", "2014年10月底前"],  # 5
    [
        2,
        "贯彻中央八项和省委九项规定问题",
        "公务接待有超标准现象",
        "出台公务接待管理办法",
        "夏海波",
        "长期坚持",
    ],  # 6
    [None, None, None, "接待费支出比上年压缩30%", "县委办 张三", "12月底前"],  # 7: problem merged C6:C7
    [None, None, None, None, None, None],  # 8: a blank row
    [
        3,
        "“四风”方面存在的突出问题",
        "文山会海问题仍然突出",
        "全县性会议压缩三分之一",
        "欧阳明辉",
        "2014.11",
    ],  # 9
    [None, None, "督查检查考核过多过滥", None, None, None],  # 10: category left blank, not merged
    [
        4,
        "关系群众切身利益方面的突出问题",
        "征地补偿款发放不及时",
        "年底前全部发放到户",
        "夏海波",
        "2014年12月31日",
    ],  # 11
    [
        5,
        "服务群众“最后一公里”存在的突出问题",
        "便民服务中心坐班制度不落实",
        "推行便民服务代办制",
        "欧阳明辉",
        "2015年上半年",
    ],  # 12
    [None, None, None, None, None, None],  # 13
    ["注：1.问题类别按通知要求填写；2.整改时限要具体到月。"],  # 14
    ["填表说明：本表一式三份，报县委教育实践活动办。"],  # 15
    [None, None, "这一行在说明之后，不读", "尽快", None, "尽快"],  # 16
]
TEAM_MERGES = ["A1:F1", "A2:D2", "E2:F2", "A4:A5", "B4:B5", "A6:A7", "B6:B7", "C6:C7", "A14:F14", "A15:F15"]

# 领导干部个人整改清单, with category headings and a problem merged over two measures.
INDIVIDUAL_ROWS = [
    ["领导干部个人整改清单"],  # 1
    ["  姓名：欧阳明辉          职务：县委常委、组织部部长          2014年8月28日"],  # 2
    ["序号", "“四风”方面\n突出问题", "具体整改措施", "整改时限", "备注"],  # 3
    ["一、遵守政治纪律方面存在的问题"],  # 4
    [1, "对中央和省委决策部署学习不深", "每月参加一次中心组学习", "2014年9月底前", None],  # 5
    [None, "二、“四风”方面存在的突出问题"],  # 6: a heading in the problem column
    [2, "下基层调研少，存在为官不为现象", "每月到联系村走访2次", "2014年10月底前", "为官不为"],  # 7
    [None, None, "年底前完成4篇调研报告", "长期坚持", None],  # 8: problem merged B7:B8
    [3, "文风不实，讲话稿照本宣科", "讲话一律不超过30分钟", dt.datetime(2014, 12, 31), "自查发现"],  # 9
    [None, None, None, None, None],  # 10
    ["注：整改时限要具体。"],  # 11
]
INDIVIDUAL_MERGES = ["A1:E1", "A2:E2", "A4:E4", "A7:A8", "B7:B8", "A11:E11"]


def team_workbook():
    return xlsx(TEAM_ROWS, TEAM_MERGES, title="整改问题清单")


def individual_workbook():
    return xlsx(INDIVIDUAL_ROWS, INDIVIDUAL_MERGES, title="个人整改清单")


# Files to refuse ------------------------------------------------------------------------


def rewrite(data, replace=None, add=None):
    """DATA (an .xlsx) with members changed by REPLACE {name: bytes -> bytes} and ADD {name: bytes}."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if replace and info.filename in replace:
                content = replace[info.filename](content)
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


ENTITIES = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
EXTERNAL = b'<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


def with_doctype(declaration, part="xl/worksheets/sheet1.xml", root=b"<worksheet"):
    def inject(content):
        assert root in content, part
        return content.replace(root, declaration + root, 1)

    return rewrite(team_workbook(), replace={part: inject})
