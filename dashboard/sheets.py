"""A dashboard table as an Excel file: its title and region, the time of its figures,
the same headers the page shows, then the rows (numbers as numbers, rates as
percentages). Written with a write-only workbook; text never becomes a formula."""

import datetime as dt
import io
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from rectify.tables import keep_text

from .tables import DATE, NUMBER, PERCENT, TEXT

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name="宋体", size=14, bold=True)
HEADER_FONT = Font(name="黑体", size=11)
BODY_FONT = Font(name="宋体", size=11)
BOLD_FONT = Font(name="宋体", size=11, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
OVERDUE_FILL = PatternFill("solid", fgColor="F8D7DA")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def _width(text):
    """Display width in Excel characters: a Chinese character takes two."""
    text = str(text)
    return (len(text.encode("utf-8")) + len(text)) // 2


def filename(region, table):
    return re.sub(r'[\\/:*?"<>|\s]+', "", f"{region.name}{table.title}") + ".xlsx"


def workbook(table, region, stamp):
    """The bytes of an .xlsx holding TABLE of REGION; STAMP says the time of the figures."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.title[:31])
    widths = [max(_width(column.label) + 2, 8) for column in table.columns]
    for row in table.rows:
        for index, cell in enumerate(row):
            if table.columns[index].type in (TEXT, DATE):
                widths[index] = min(max(widths[index], _width(_text(cell.value)) + 2), 60)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B4"

    def cell(value, font=BODY_FONT, alignment=LEFT, border=True, fill=None, number_format=None):
        item = WriteOnlyCell(sheet, value=value)
        item.font = font
        item.alignment = alignment
        if border:
            item.border = BORDER
        if fill is not None:
            item.fill = fill
        if number_format:
            item.number_format = number_format
        return keep_text(item)

    sheet.append([cell(f"{region.name}{table.title}", TITLE_FONT, border=False)])
    sheet.append([cell(str(stamp), border=False)])
    sheet.append([cell(column.label, HEADER_FONT, CENTER, fill=HEADER_FILL) for column in table.columns])
    for row, css in zip(table.rows, table.classes, strict=True):
        font = BOLD_FONT if css == "total" else BODY_FONT
        fill = OVERDUE_FILL if css == "overdue" else None
        cells = []
        for column, item in zip(table.columns, row, strict=True):
            value = item.value
            if column.type == PERCENT:
                cells.append(cell(value, font, RIGHT, fill=fill, number_format="0.0%"))
            elif column.type == NUMBER:
                cells.append(cell(value, font, RIGHT, fill=fill, number_format="#,##0"))
            elif column.type == DATE and isinstance(value, dt.datetime):
                cells.append(cell(value, font, CENTER, fill=fill, number_format="yyyy-mm-dd hh:mm"))
            else:
                cells.append(cell(_text(value), font, LEFT, fill=fill))
        sheet.append(cells)
    if table.note:
        sheet.append([])
        sheet.append([cell(table.note, border=False)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(value):
    return "" if value is None else str(value)
