"""A table of the pages as an Excel workbook: one sheet, a bold header row, the columns
as wide as their text, frozen under the header. Pages that offer 导出 Excel of what they
show hand their headers and rows here, so the download says what the page says."""

import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WIDTH = 60
# What a spreadsheet would take for a formula: text starting so stays text.
FORMULA_STARTS = ("=", "+", "-", "@")


def keep_text(cell):
    """Text stays text in every workbook we write: never a formula, never an error code
    such as #N/A, whatever it starts with (a cell of openpyxl, plain or write-only)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def workbook(title, headers, rows):
    """The bytes of an .xlsx whose one sheet, TITLE, holds HEADERS and ROWS."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31]
    sheet.append([str(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [len(str(header)) for header in headers]
    for row in rows:
        values = ["" if value is None else value for value in row]
        sheet.append(values)
        for index, (value, cell) in enumerate(zip(values, sheet[sheet.max_row], strict=True)):
            keep_text(cell)
            widths[index] = max(widths[index], min(MAX_WIDTH, len(str(value))))
    for index, width in enumerate(widths, start=1):
        # CJK characters are about two Latin ones wide.
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, 2 * width + 2)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(title, headers, rows, filename):
    response = HttpResponse(workbook(title, headers, rows), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
