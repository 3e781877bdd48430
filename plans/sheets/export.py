"""Every list in the layout of the notice's two tables, ready to print on A4.

    领导班子整改问题清单   team plans, simplified plans and grassroots lists: a row per
                           measure, the problem it answers merged down its measures'
                           rows, its category (and number) merged down the category's.
    领导干部个人整改清单   individual measures: the same, "为官不为" marked in 备注; the
                           problems of each category under a heading row, except in
                           section 五's lighter format, whose lists are 条目式.
    附件1、附件2           the attachments, as simple tables in the same style.

After the notice's own columns, so that their layout stays the notice's: 轻重缓急 (the
problem's priority, section 一), 责任单位 (a plan's measures), the four responses a
problem answers and, in an individual's list, the team's problems it claims. With them
an exported list is imported back field for field (plans/sheets/reading.py).

Written with a write-only workbook (rows stream out; merges and print settings are set
before or beside them). Text never becomes a formula: every string is written as a
string, and those starting with =, +, - or @ also carry Excel's quote prefix.
"""

import datetime as dt
import io
import re
from collections import defaultdict
from itertools import groupby

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from rectify.dates import deadline_label
from rectify.tables import keep_text

from ..documents import numbered_problems
from ..models import Item
from ..structure import INDIVIDUAL_ASPECTS, INDIVIDUAL_PROBLEMS, TEAM_ASPECTS, structure_of
from ..words import (
    GRASSROOTS_TITLE,
    INACTION_MARK,
    INDIVIDUAL_TITLE,
    TABLE_CATEGORY,
    TEAM_TITLE,
    Category,
    DocumentKind,
    Focus,
    Origin,
    Priority,
)
from .layout import (
    ADDRESSES_COLUMN,
    ANSWERS_COLUMN,
    ATTACHMENT_COLUMNS,
    CLAIMS_COLUMN,
    INDIVIDUAL_COLUMNS,
    INSTITUTION,
    MEASURE_ONLY,
    NO_PROBLEM,
    PRIORITY_COLUMN,
    SPECIAL,
    TEAM_COLUMNS,
    UNIT_COLUMN,
    header_text,
)

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
LINE_HEIGHT = 14.5  # points per line of 11 pt 宋体
HEADER_ROW = 3  # title, the 单位 (or 姓名/职务) and date line, then the header

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
# The sheet's cell styles, registered once as named styles: giving a cell a named style
# costs a lookup, where setting font, alignment and border one by one hashes each.
STYLES = {
    "title": {"font": Font(name="宋体", size=18, bold=True), "alignment": CENTER},
    "info": {"font": Font(name="宋体", size=12), "alignment": LEFT},
    "info_right": {"font": Font(name="宋体", size=12), "alignment": RIGHT},
    "header": {"font": Font(name="黑体", size=11), "alignment": CENTER, "border": BORDER},
    "heading": {"font": Font(name="黑体", size=11), "alignment": LEFT, "border": BORDER},
    "left": {"font": Font(name="宋体", size=11), "alignment": LEFT, "border": BORDER},
    "center": {"font": Font(name="宋体", size=11), "alignment": CENTER, "border": BORDER},
}
STYLE_PREFIX = "整改清单"
# Fields whose cells are centred; the others are text read left to right.
CENTRED = {"number", "category", "owner", "deadline", "unit", "origin", "priority"}

FILE_SUFFIX = {
    DocumentKind.TEAM_PLAN: "整改问题清单",
    DocumentKind.SIMPLIFIED_PLAN: "整改问题清单",
    DocumentKind.GRASSROOTS_LIST: "整改清单",
    DocumentKind.INDIVIDUAL: "个人整改清单",
    DocumentKind.SPECIAL_RECTIFICATION: "专项整治工作方案",
    DocumentKind.INSTITUTION_PLAN: "制度建设计划",
}
TEAM_SUFFIXES = ("常委班子", "领导班子", "班子")


def export_filename(document):
    """'中共长沙县委整改问题清单.xlsx', '欧阳明辉个人整改清单.xlsx' …"""
    if document.kind == DocumentKind.INDIVIDUAL:
        base = document.person.name
    else:
        base = _unit(document)
        for suffix in TEAM_SUFFIXES:
            if base.endswith(suffix) and len(base) > len(suffix):
                base = base[: -len(suffix)]
                break
    name = re.sub(r'[\\/:*?"<>|\s]+', "", f"{base}{FILE_SUFFIX[document.kind]}")
    return f"{name}.xlsx"


def export_workbook(document, empty=False):
    """The bytes of an .xlsx holding DOCUMENT's list in the notice's layout. EMPTY: the
    table with its title, 单位 line and header and no rows, to be filled in and imported."""
    items = document.items.select_related("owner", "special_task").order_by("section", "position", "id")
    if empty:
        items = items.none()
    sections = defaultdict(list)
    for item in items:
        sections[item.section].append(item)
    kind = document.kind
    if kind == DocumentKind.SPECIAL_RECTIFICATION:
        return _special(document, sections["tasks"])
    if kind == DocumentKind.INSTITUTION_PLAN:
        return _institutions(document, sections["tasks"])
    links = _links(document) if not empty else _Links()
    if kind == DocumentKind.INDIVIDUAL:
        return _individual(document, sections, links)
    return _team(document, sections, links)


class _Links:
    """An exported document's links, each kind read in one query: which problems each
    measure addresses, which inputs (四个回应) each item answers, which of the team's
    problems each claims."""

    def __init__(self):
        self.addresses = defaultdict(list)
        self.answers = defaultdict(list)
        self.claims = defaultdict(list)
        self.addressed = {}  # measure pk -> the problems it addresses, when several


def _links(document):
    links = _Links()
    for measure_id, problem_id in Item.addresses.through.objects.filter(
        from_item__document=document
    ).values_list("from_item_id", "to_item_id"):
        links.addresses[measure_id].append(problem_id)
    answered = Item.answers.through.objects.filter(item__document=document).order_by(
        "input__source", "input__position", "input_id"
    )
    for item_id, text in answered.values_list("item_id", "input__text"):
        links.answers[item_id].append(text)
    claimed = Item.claims.through.objects.filter(from_item__document=document).order_by(
        "to_item__category", "to_item__position", "to_item_id"
    )
    for item_id, text in claimed.values_list("from_item_id", "to_item__text"):
        links.claims[item_id].append(text)
    return links


def _unit(document):
    return document.unit_name or document.team.name


def _date_line(document):
    return document.dated or _("年　　月　　日")


# The cells of one row -----------------------------------------------------------


def _priority(problem):
    """A problem's 轻重缓急 as the editor shows it."""
    return str(Priority(problem.priority).label) if problem.priority in Priority.values else ""


def _deadline_value(item):
    """A date cell for a dated deadline; otherwise the deadline as written."""
    if item.deadline and not item.deadline_text:
        return item.deadline
    if not item.deadline and not item.deadline_text:
        return None
    return deadline_label(item.deadline, item.deadline_text)


def _lines(texts):
    return "\n".join(texts)


def _addressing(sections, links):
    """{problem pk: [measures addressing it]} and the measures that address none. A
    measure that addresses several problems is written once, under the first of them,
    and its row names them all (links.addressed)."""
    texts = {problem.pk: problem.text for problem in sections["problems"]}
    order = {pk: n for n, pk in enumerate(texts)}
    by_problem = defaultdict(list)
    loose = []
    for measure in sections["measures"]:
        targets = [pk for pk in links.addresses.get(measure.pk, ()) if pk in texts]
        if not targets:
            loose.append(measure)
            continue
        targets.sort(key=order.get)
        by_problem[targets[0]].append(measure)
        if len(targets) > 1:
            links.addressed[measure.pk] = _lines(texts[pk] for pk in targets)
    return by_problem, loose


# The two tables of the notice --------------------------------------------------
#
# A problem takes one row per measure that answers it (one row if none): its number, its
# text and what is the problem's (轻重缓急, the four responses it answers) merged down
# them, each measure with its own owner, unit and deadline. A measure that answers no
# problem says so in the problem cell (NO_PROBLEM), for a blank one is the problem above;
# only under 推进专项整治和建章立制, which has no problems of its own, is it left blank.


def _team(document, sections, links):
    grassroots = document.kind == DocumentKind.GRASSROOTS_LIST
    if grassroots:
        extra = (PRIORITY_COLUMN, ANSWERS_COLUMN)
    else:
        extra = (PRIORITY_COLUMN, UNIT_COLUMN, ANSWERS_COLUMN, ADDRESSES_COLUMN)
    table = _Table(_("整改问题清单"), (*TEAM_COLUMNS, *extra), printed=len(TEAM_COLUMNS) + 1)
    blocks = []  # (category, {problem's fields}, [{each measure's fields}])
    if grassroots:
        for entry in sections["entries"]:
            blocks.append(
                (
                    entry.category or None,
                    {
                        "problem": entry.text,
                        "priority": _priority(entry),
                        "answers": _lines(links.answers[entry.pk]),
                    },
                    [
                        {
                            "measures": entry.measures,
                            "owner": entry.owner_name,
                            "deadline": _deadline_value(entry),
                        }
                    ],
                )
            )
        title = GRASSROOTS_TITLE
    else:
        by_problem, loose = _addressing(sections, links)
        for problem in sections["problems"]:
            problem_values = {
                "problem": problem.text,
                "priority": _priority(problem),
                "answers": _lines(links.answers[problem.pk]),
            }
            blocks.append(
                (problem.category or None, problem_values, _measure_rows(by_problem[problem.pk], links))
            )
        for measure in loose:
            category = measure.category or None
            text = "" if category in MEASURE_ONLY else str(NO_PROBLEM)
            blocks.append((category, {"problem": text}, _measure_rows([measure], links)))
        title = TEAM_TITLE
    order = {code: n for n, code in enumerate(TEAM_ASPECTS)}
    blocks.sort(key=lambda block: order.get(block[0], len(order)))
    table.title(title)
    table.info(
        [
            (_("单位：%(unit)s") % {"unit": _unit(document)}, 4, "info"),
            (_date_line(document), table.printed - 4, "info_right"),
        ]
    )
    table.header()
    if not any(block[0] for block in blocks):  # a simplified plan or a list: numbered one by one
        for number, (_category, problem_values, rows) in enumerate(blocks, start=1):
            table.block({"number": number, **problem_values}, rows)
        return table.save()
    # As the notice's table: each category numbered once, its number and name merged down its rows.
    for category, group in groupby(blocks, key=lambda block: block[0]):
        first = table.row + 1
        for index, (_category, problem_values, rows) in enumerate(group):
            shared = dict(problem_values)
            if category and index == 0:
                shared["number"] = TEAM_ASPECTS.index(category) + 1 if category in TEAM_ASPECTS else None
                shared["category"] = str(TABLE_CATEGORY.get(category, Category(category).label))
            table.block(shared, rows)
        if category:
            table.merge_down(first, table.row, ("number", "category"))
    return table.save()


def _measure_rows(measures, links):
    return [
        {
            "measures": measure.text,
            "owner": measure.owner_name,
            "unit": measure.unit,
            "deadline": _deadline_value(measure),
            "addresses": links.addressed.get(measure.pk),
        }
        for measure in measures
    ]


def _individual(document, sections, links):
    by_problem, loose = _addressing(sections, links)
    structure = structure_of(document)
    numbered = numbered_problems(structure, sections["problems"])
    categorised = bool(structure.problems.categories)
    table = _Table(
        _("个人整改清单"),
        (*INDIVIDUAL_COLUMNS, PRIORITY_COLUMN, ANSWERS_COLUMN, CLAIMS_COLUMN, ADDRESSES_COLUMN),
        printed=len(INDIVIDUAL_COLUMNS) + 1,
    )
    table.title(INDIVIDUAL_TITLE)
    table.info(
        [
            (_("姓名：%(name)s") % {"name": document.person.name}, 2, "info"),
            (_("职务：%(position)s") % {"position": document.position_title}, 1, "info"),
            (_date_line(document), table.printed - 3, "info_right"),
        ]
    )
    table.header()
    # Each block under the heading of its category; a measure that answers no problem
    # under the category its aspect answers (理论武装和政治纪律: 政治纪律 …).
    blocks = []  # (category, {problem's fields}, [{each measure's fields}])
    for number, problem in numbered:
        shared = {
            "number": number,
            "problem": problem.text,
            "priority": _priority(problem),
            "answers": _lines(links.answers[problem.pk]),
            "claims": _lines(links.claims[problem.pk]),
        }
        measures = by_problem.get(problem.pk, [])
        rows = [
            _individual_row(measure, links, problem if index == 0 else None)
            for index, measure in enumerate(measures)
        ]
        blocks.append((problem.category, shared, rows or [{"note": _note([problem])}]))
    problem_of = dict(zip(INDIVIDUAL_ASPECTS, INDIVIDUAL_PROBLEMS, strict=True))
    for measure in loose:
        blocks.append(
            (
                problem_of.get(measure.category, ""),
                {"problem": str(NO_PROBLEM)},
                [_individual_row(measure, links)],
            )
        )
    if categorised:
        order = {code: n for n, code in enumerate(INDIVIDUAL_PROBLEMS)}
        blocks.sort(key=lambda block: order.get(block[0], len(order)))
    previous = object()
    for category, shared, rows in blocks:
        if categorised and category != previous:
            table.heading(Category(category).label if category else "")
            previous = category
        table.block(shared, rows)
    return table.save()


def _individual_row(measure, links, problem=None):
    """A measure's cells; PROBLEM: the problem it answers, on its first row (备注 marks the
    problem's "为官不为" there)."""
    return {
        "measures": measure.text,
        "deadline": _deadline_value(measure),
        "note": _note([problem, measure] if problem is not None else [measure]),
        "addresses": links.addressed.get(measure.pk),
    }


def _note(items):
    """备注: "为官不为" marked, then the notes of the problem and its measures."""
    lines = [str(INACTION_MARK)] if any(item.inaction for item in items) else []
    for item in items:
        if item.note and item.note not in lines:
            lines.append(item.note)
    return "\n".join(lines)


# The attachments ------------------------------------------------------------------


def _special(document, tasks):
    table = _attachment(document, _("专项整治"), ATTACHMENT_COLUMNS[SPECIAL])
    for number, task in enumerate(tasks, start=1):
        name = task.special_task.name if task.special_task_id else task.text
        table.data([number, name, task.measures, task.unit, _deadline_value(task)])
    return table.save()


def _institutions(document, tasks):
    table = _attachment(document, _("制度建设"), ATTACHMENT_COLUMNS[INSTITUTION])
    for number, task in enumerate(tasks, start=1):
        origin = Origin(task.origin).label if task.origin else ""
        focus = Focus(task.focus).label if task.focus else ""
        table.data([number, task.text, origin, task.unit, _deadline_value(task), focus])
    return table.save()


def _attachment(document, sheet_title, columns):
    """The table of an attachment: its five columns printed (附件2's 重点领域 after them)."""
    table = _Table(sheet_title, columns, printed=5)
    table.title(document.title)
    table.info(
        [
            (_("单位：%(unit)s") % {"unit": _unit(document)}, 3, "info"),
            (_date_line(document), 2, "info_right"),
        ]
    )
    table.header()
    return table


# Writing ----------------------------------------------------------------------------


def _width(text):
    """Display width of TEXT in Excel characters: a Chinese character takes two."""
    return (len(text.encode("utf-8")) + len(text)) // 2


class _Table:
    """One sheet: a title, an information line, the header row, then data rows.

    Page setup, column widths and row heights are given before the rows they govern
    are written, as a write-only sheet requires. PRINTED: how many of the columns are
    printed (the title centred over them); those after them are kept for the import."""

    def __init__(self, sheet_title, columns, printed=None):
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(str(sheet_title))
        self.fields = [name for name, _header, _width in columns]
        self.headers = [header_text(header) for _name, header, _width in columns]
        self.widths = [width for _name, _header, width in columns]
        self.printed = printed or len(self.fields)
        self.row = 0
        self.styles = {}
        for name, attributes in STYLES.items():
            style = NamedStyle(name=f"{STYLE_PREFIX}{name}", **attributes)
            self.workbook.add_named_style(style)
            self.styles[name] = style.name
        sheet = self.sheet
        for index, width in enumerate(self.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.page_setup.paperSize = "9"  # A4
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
        sheet.print_options.horizontalCentered = True
        sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        sheet.oddFooter.center.text = _("第 &P 页，共 &N 页")

    def _cell(self, value, style):
        if isinstance(value, Promise):  # a lazily translated label
            value = str(value)
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.style = self.styles[style]
        if isinstance(value, str):
            keep_text(cell)
        elif isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
        return cell

    def _append(self, cells, height):
        self.row += 1
        self.sheet.row_dimensions[self.row].height = height
        self.sheet.append(cells)

    def _merge_across(self, first, last):
        self.sheet.merged_cells.add(
            f"{get_column_letter(first)}{self.row}:{get_column_letter(last)}{self.row}"
        )

    def title(self, text):
        self._append([self._cell(str(text), "title")], 40)
        self._merge_across(1, self.printed)

    def info(self, parts):
        """(value, columns spanned, style) side by side: 单位：… and the date."""
        cells = []
        for value, span, style in parts:
            cells.append(self._cell(value if isinstance(value, dt.date) else str(value), style))
            cells.extend([None] * (span - 1))
        self._append(cells, 24)
        column = 1
        for _value, span, _style in parts:
            if span > 1:
                self._merge_across(column, column + span - 1)
            column += span

    def header(self):
        cells = [self._cell(header, "header") for header in self.headers]
        self._append(cells, max(30, self._height(self.headers)))

    def heading(self, text):
        """A row across the table naming the category of the rows under it."""
        cells = [self._cell(str(text), "heading")] + [self._cell(None, "left") for _field in self.fields[1:]]
        self._append(cells, 24)
        self._merge_across(1, self.printed)

    def data(self, values):
        cells = [
            self._cell(value if value not in ("", None) else None, "center" if name in CENTRED else "left")
            for name, value in zip(self.fields, values, strict=True)
        ]
        self._append(cells, self._height(values))

    def block(self, shared, rows):
        """Rows with SHARED's fields (a problem's) on the first and merged down them all,
        and each of ROWS' fields (a measure's) on its own row."""
        first = self.row + 1
        for index, values in enumerate(rows or [{}]):
            cells = {**values, **shared} if index == 0 else values
            self.data([cells.get(name) for name in self.fields])
        self.merge_down(first, self.row, [name for name in shared if name in self.fields])

    def merge_down(self, first, last, fields):
        if last > first:
            for name in fields:
                letter = get_column_letter(self.fields.index(name) + 1)
                self.sheet.merged_cells.add(f"{letter}{first}:{letter}{last}")

    def _height(self, values):
        """Points for the row to show every line of its wrapped text in the printed columns."""
        lines = 1
        for value, width in zip(values[: self.printed], self.widths[: self.printed], strict=True):
            if isinstance(value, str) and value:
                usable = max(width - 2, 2)
                lines = max(lines, sum(-(-max(_width(line), 1) // usable) for line in value.split("\n")))
        return min(409, round(lines * LINE_HEIGHT + 6, 1))

    def save(self):
        if self.printed < len(self.fields):
            self.sheet.print_area = f"A1:{get_column_letter(self.printed)}{self.row}"
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


# The sheet writer, for other lists in the notice's layout (the ledger's, with its
# progress columns after the notice's own).
ListTable = _Table
