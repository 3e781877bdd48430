"""Importing a filled spreadsheet: upload (the file is kept, the worker reads it), the
page of one import (progress, then the preview with row-level problems, then progress
of the writing and what was imported), its confirmation. The work is in plans/imports.py."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from rectify.middleware import accepts_upload
from rectify.once import once

from .. import imports, spreadsheets
from ..forms import UploadForm
from ..models import Import, ImportState
from ..structure import structure_of
from ..words import (
    CATEGORY_COLUMN,
    CATEGORY_SHORT,
    COMPLETION,
    INDIVIDUAL_TITLE,
    ITEM_FIELDS,
    NUMBER,
    SPECIAL_MEASURES,
    TEAM_TITLE,
    DocumentKind,
    Focus,
    Origin,
    Priority,
    text_label,
)
from .common import document_or_404, require_filing
from .editor import IMPORTABLE_KINDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The preview of a read table: the fields of a row read (ReadRow), by name and header.
PREVIEW_COLUMNS = (
    ("number", NUMBER),
    ("category", CATEGORY_COLUMN),
    ("problem", text_label("problems")),
    ("measures", ITEM_FIELDS["measures"]),
    ("owner", ITEM_FIELDS["owner"]),
    ("deadline", ITEM_FIELDS["deadline"]),
    ("note", ITEM_FIELDS["note"]),
    ("priority", ITEM_FIELDS["priority"]),
)
# The preview of 附件1's and 附件2's tables: the task is read as a row's problem.
TASK_COLUMNS = {
    DocumentKind.SPECIAL_RECTIFICATION: (
        ("number", NUMBER),
        ("problem", ITEM_FIELDS["special_task"]),
        ("measures", SPECIAL_MEASURES),
        ("unit", ITEM_FIELDS["unit"]),
        ("deadline", ITEM_FIELDS["deadline"]),
    ),
    DocumentKind.INSTITUTION_PLAN: (
        ("number", NUMBER),
        ("problem", text_label("tasks")),
        ("origin", ITEM_FIELDS["origin"]),
        ("unit", ITEM_FIELDS["unit"]),
        ("deadline", COMPLETION),
        ("focus", ITEM_FIELDS["focus"]),
    ),
}
# Whose measures have a 责任单位, shown after 责任人.
WITH_UNIT = (DocumentKind.TEAM_PLAN, DocumentKind.SIMPLIFIED_PLAN)
# The preview lists this many rows from the top, and every row with a problem after
# them: a list of thousands of rows stays a light page.
PREVIEW_ROWS = 200


def preview_columns(document):
    """PREVIEW_COLUMNS as DOCUMENT takes them: without 问题类别 where its problems have no
    category (a simplified plan, a list, section 五's lighter measures)."""
    if document.kind in TASK_COLUMNS:
        return list(TASK_COLUMNS[document.kind])
    problems = structure_of(document).problems
    categorised = problems is not None and "category" in problems.fields
    columns = []
    for name, header in PREVIEW_COLUMNS:
        if name != "category" or categorised:
            columns.append((name, header))
        if name == "owner" and document.kind in WITH_UNIT:
            columns.append(("unit", ITEM_FIELDS["unit"]))
    return columns


def _preview(reading):
    """(rows shown, rows not shown): the first PREVIEW_ROWS rows read and every row with a
    problem, each with its number in the list, its category's name and its problems."""
    problems = {}
    for error in reading["errors"]:
        problems.setdefault(error["row"], []).append(error["message"])
    rows = []
    for number, row in enumerate(reading["items"], start=1):
        found = problems.get(row["row"], []) if row["row"] else []
        if number > PREVIEW_ROWS and not found:
            continue
        label = CATEGORY_SHORT.get(row["category"], "") if row["category"] else ""
        weight = Priority(row["priority"]).label if row["priority"] else ""
        labels = {
            "origin_label": Origin(row["origin"]).label if row.get("origin") else "",
            "focus_label": Focus(row["focus"]).label if row.get("focus") else "",
        }
        rows.append(
            row
            | labels
            | {"number": number, "category_label": label, "priority_label": weight, "problems": found}
        )
    return rows, len(reading["items"]) - len(rows)


def _loose_errors(reading):
    """Errors of rows that are not in the preview (a category cell on its own …)."""
    shown = {item["row"] for item in reading["items"]}
    return [error for error in reading["errors"] if error["row"] not in shown]


def table_title(document):
    """The table an import into DOCUMENT takes: one of the notice's two, or its attachment's."""
    if document.kind == DocumentKind.INDIVIDUAL:
        return INDIVIDUAL_TITLE
    if document.kind in TASK_COLUMNS:
        return DocumentKind(document.kind).label
    return TEAM_TITLE


def _importable(request, document):
    """None, or the answer for a document with no table to import."""
    if document.kind in IMPORTABLE_KINDS:
        return None
    messages.error(request, _("这类文件没有对应的Excel表格，请在页面上填写。"))
    return redirect("plans:document", document.pk)


def _page(request, document, form=None, an_import=None, status=200):
    context = {
        "document": document,
        "form": form or UploadForm(),
        "import": an_import,
        "table_title": table_title(document),
        "max_mb": spreadsheets.MAX_MEGABYTES,
        "max_rows": f"{spreadsheets.MAX_ROWS:,}",
    }
    if an_import is not None and an_import.state == ImportState.PREVIEW:
        reading = an_import.reading
        rows, hidden = _preview(reading)
        context |= {
            "reading": reading,
            "rows": rows,
            "hidden": hidden,
            "loose_errors": _loose_errors(reading),
            "columns": preview_columns(document),
            "superseded": imports.superseded(an_import),
        }
    return render(request, "plans/import.html", context, status=status)


@require_GET
def import_template(request, pk):
    """The notice's empty table for this document: its title, 单位 line and header."""
    document = document_or_404(request.user, pk)
    if (refusal := _importable(request, document)) is not None:
        return refusal
    name = spreadsheets.export_filename(document).removesuffix(".xlsx")
    response = HttpResponse(spreadsheets.export_workbook(document, empty=True), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, _("%(name)s（空表）.xlsx") % {"name": name}
    )
    return response


@accepts_upload(spreadsheets.MAX_BYTES)
@require_http_methods(["GET", "POST"])
@once
def import_sheet(request, pk):
    """The upload form; a file sent is kept and its reading queued (plans/imports.py),
    and the answer is the page of that import. Sent twice with the form's key (a double
    click, a browser's retry) it keeps one file and answers with the same import."""
    user = request.user
    document = document_or_404(user, pk)
    require_filing(user, document)
    if (refusal := _importable(request, document)) is not None:
        return refusal
    if request.method == "GET":
        return _page(request, document)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, document, form, status=422)
    try:
        with transaction.atomic():
            an_import = imports.upload(user, document, form.cleaned_data["file"])
    except spreadsheets.SheetError as error:
        form.add_error("file", error.message)
        return _page(request, document, form, status=422)
    return redirect("plans:import_page", document.pk, an_import.pk)


def _import_or_404(user, document, import_pk, defer=False):
    """The user's own import into DOCUMENT: anybody else's does not exist. DEFER: without
    its reading (the preview, large), for what needs only its state."""
    queryset = Import.objects.filter(document=document, user=user)
    if defer:
        queryset = queryset.defer("reading")
    return get_object_or_404(queryset, pk=import_pk)


@require_GET
def import_page(request, pk, import_pk):
    """One import: its progress, its preview or why it was refused, what it imported."""
    document = document_or_404(request.user, pk)
    an_import = _import_or_404(request.user, document, import_pk)
    return _page(request, document, an_import=an_import)


@require_GET
def import_progress(request, pk, import_pk):
    """The progress of an import being read or written, polled by its page; once it is
    done the page is loaded afresh to show what came of it."""
    document = document_or_404(request.user, pk)
    an_import = _import_or_404(request.user, document, import_pk, defer=True)
    if request.htmx and an_import.state not in imports.IN_PROGRESS:
        return HttpResponseClientRefresh()
    return render(request, "plans/_import_progress.html", {"document": document, "import": an_import})


@require_POST
@once
def import_confirm(request, pk, import_pk):
    """确认导入: the preview is claimed and its writing queued; the answer is the page
    of the import, which shows the writing and then what was imported. Sent twice (a
    double click, two tabs of the same preview) it is answered as the first was."""
    user = request.user
    document = document_or_404(user, pk)
    require_filing(user, document)
    an_import = _import_or_404(user, document, import_pk, defer=True)
    try:
        imports.confirm(user, an_import)
    except imports.NotConfirmed as error:
        messages.error(request, error.message)
        if an_import.state == ImportState.PREVIEW and imports.superseded(an_import):
            return redirect("plans:import", document.pk)
        return redirect("plans:document", document.pk)
    return redirect("plans:import_page", document.pk, an_import.pk)
