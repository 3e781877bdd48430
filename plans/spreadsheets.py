"""Spreadsheets: the notice's two tables (领导班子整改问题清单, 领导干部个人整改清单) and
the plan's two attachments (附件1、2); what is exported is imported back field for field.

What views, commands and tests use; the work is done in plans/sheets/.

    export_workbook(document) -> bytes       the list in the notice's layout, print-ready
    export_workbook(document, empty=True)    the same table with no rows, to fill in
    export_filename(document) -> str         "中共长沙县委整改问题清单.xlsx"
    read_workbook(data) -> Reading           what an office's file says, with row errors
    Reading.as_json() / Reading.from_json()  the preview, as plain data
    check_reading(document, reading)         refuse at the preview what does not fit
    import_reading(user, document, reading)  -> rows imported, all or nothing
    SheetError(message)                      a file or import refused; .message in Chinese
    MAX_BYTES, MAX_ROWS                      the size of file and list accepted
    MAX_MEGABYTES, megabytes(size)           MAX_BYTES and a file's size as messages state them
"""

from .sheets.export import export_filename, export_workbook
from .sheets.importing import check_reading, import_reading
from .sheets.layout import MAX_BYTES, MAX_MEGABYTES, MAX_ROWS, SheetError, megabytes
from .sheets.reading import Reading, ReadRow, read_workbook

__all__ = [
    "MAX_BYTES",
    "MAX_MEGABYTES",
    "MAX_ROWS",
    "ReadRow",
    "Reading",
    "SheetError",
    "check_reading",
    "export_filename",
    "export_workbook",
    "import_reading",
    "megabytes",
    "read_workbook",
]
