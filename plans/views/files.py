"""A document as files: the notice's spreadsheet, the official PDF, and importing a
filled spreadsheet (read, preview with row-level problems, then write)."""

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rectify import renderings
from rectify.once import FIELD, new_key, once

from .. import editing, pages, spreadsheets
from ..forms import UploadForm
from ..models import Document
from ..pdf import kept_pdf, pdf_filename
from ..structure import structure_of
from ..words import (
    CATEGORY_COLUMN,
    CATEGORY_SHORT,
    INDIVIDUAL_TITLE,
    ITEM_FIELDS,
    NUMBER,
    TEAM_TITLE,
    DocumentKind,
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


def preview_columns(document):
    """PREVIEW_COLUMNS as DOCUMENT takes them: without 问题类别 where its problems have no
    category (a simplified plan, a list, section 五's lighter measures)."""
    problems = structure_of(document).problems
    categorised = problems is not None and "category" in problems.fields
    return [(name, header) for name, header in PREVIEW_COLUMNS if name != "category" or categorised]


def _download(content, content_type, filename, attachment=True):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    return response


@require_GET
def export(request, pk):
    document = document_or_404(request.user, pk)
    pages.document_read.send(Document, user=request.user, document=document, what="xlsx")
    return _download(spreadsheets.export_workbook(document), XLSX, spreadsheets.export_filename(document))


@require_GET
def pdf(request, pk):
    """The document's print as it stands: kept once the worker has printed it, a page that
    waits for it meanwhile (rectify.renderings). A read is logged when the PDF is served."""
    document = document_or_404(request.user, pk)
    rendering = kept_pdf(document, retry="retry" in request.GET)
    response = renderings.answer(request, rendering, pdf_filename(document))
    if response["Content-Type"] == "application/pdf":
        pages.document_read.send(Document, user=request.user, document=document, what="pdf")
    return response


def _preview_rows(reading):
    """The rows read, each with its category's name and the problems found in it."""
    problems = {}
    for error in reading.errors:
        problems.setdefault(error["row"], []).append(error["message"])
    rows = []
    for row in reading.as_json(rows=True)["items"]:
        label = CATEGORY_SHORT.get(row["category"], "") if row["category"] else ""
        weight = Priority(row["priority"]).label if row["priority"] else ""
        rows.append(
            row
            | {"category_label": label, "priority_label": weight, "problems": problems.get(row["row"], [])}
        )
    return rows


def _loose_errors(reading):
    """Errors of rows that are not in the preview (a category cell on its own …)."""
    shown = {item.row for item in reading.items}
    return [error for error in reading.errors if error["row"] not in shown]


@require_GET
def import_template(request, pk):
    """The notice's empty table for this document: its title, 单位 line and header."""
    document = document_or_404(request.user, pk)
    if document.kind not in IMPORTABLE_KINDS:
        messages.error(request, _("这类文件没有对应的Excel表格，请在页面上填写。"))
        return redirect("plans:document", document.pk)
    name = spreadsheets.export_filename(document).removesuffix(".xlsx")
    return _download(
        spreadsheets.export_workbook(document, empty=True), XLSX, _("%(name)s（空表）.xlsx") % {"name": name}
    )


def _session_key(document):
    return f"import:{document.pk}"


@require_http_methods(["GET", "POST"])
@once
def import_sheet(request, pk):
    """Step 1 (upload → preview) and step 2 (confirm → write) of an import."""
    user = request.user
    document = document_or_404(user, pk)
    require_filing(user, document)
    if document.kind not in IMPORTABLE_KINDS:
        messages.error(request, _("这类文件没有对应的Excel表格，请在页面上填写。"))
        return redirect("plans:document", document.pk)
    key = _session_key(document)
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, document, key)
    form = UploadForm(request.POST or None, request.FILES or None)
    reading = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > spreadsheets.MAX_BYTES:
                    raise spreadsheets.SheetError(
                        _("文件太大（%(size).1f MB），上限是 %(limit)d MB。")
                        % {"size": spreadsheets.megabytes(upload.size), "limit": spreadsheets.MAX_MEGABYTES}
                    )
                reading = spreadsheets.read_workbook(upload.read())
                reading.errors = spreadsheets.check_reading(document, reading)
            except spreadsheets.SheetError as error:
                form.add_error("file", error.message)
                reading = None
                status = 422
            else:
                # The confirmation carries this preview's key: sent twice, or from two
                # tabs showing it, it imports once and both answers say so (rectify/once.py).
                request.session[key] = {
                    "reading": reading.as_json(rows=True),
                    "name": upload.name,
                    "stamp": document.updated_at.isoformat(),
                    "key": new_key(),
                }
                if reading.errors:
                    status = 422
        else:
            status = 422
    return render(
        request,
        "plans/import.html",
        {
            "document": document,
            "form": form,
            "reading": reading,
            "json": reading.as_json() if reading else None,
            "rows": _preview_rows(reading) if reading else [],
            "loose_errors": _loose_errors(reading) if reading else [],
            "once_key": request.session.get(key, {}).get("key") if reading else None,
            "upload_name": request.session.get(key, {}).get("name") if reading else None,
            "table_title": INDIVIDUAL_TITLE if document.kind == DocumentKind.INDIVIDUAL else TEAM_TITLE,
            "max_mb": spreadsheets.MAX_MEGABYTES,
            "columns": preview_columns(document),
        },
        status=status,
    )


def _confirm(request, document, key):
    pending = request.session.get(key)
    if not pending:
        messages.error(request, _("没有待导入的内容（可能已经导入过）。请重新上传文件。"))
        return redirect("plans:document", document.pk)
    if request.POST.get(FIELD) != pending.get("key"):
        messages.error(
            request, _("这份预览已被之后上传的文件替换，没有导入。请重新上传要导入的文件，核对预览后再确认。")
        )
        return redirect("plans:import", document.pk)
    reading = spreadsheets.Reading.from_json(pending["reading"])
    try:
        with transaction.atomic():
            # The document must be as it was when the preview was shown: a second click,
            # or somebody's edit in between, would otherwise import the rows twice.
            locked = Document.objects.select_for_update().get(pk=document.pk)
            if locked.updated_at != dt.datetime.fromisoformat(pending["stamp"]):
                raise spreadsheets.SheetError(
                    _("预览之后本文件已有改动（或已经导入过），为避免重复导入，请重新上传并核对预览。")
                )
            count = spreadsheets.import_reading(request.user, locked, reading)
    except (spreadsheets.SheetError, editing.EditError) as error:
        request.session.pop(key, None)
        messages.error(request, error.message)
        return redirect("plans:document", document.pk)
    request.session.pop(key, None)
    messages.success(request, _("已从“%(name)s”导入 %(n)d 行。") % {"name": pending["name"], "n": count})
    return redirect("plans:document", document.pk)
