"""A document as files: the notice's spreadsheet and the official PDF. Importing a
filled spreadsheet is in plans/views/imports.py."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from .. import pages, spreadsheets
from ..models import Document
from ..pdf import pdf_filename, render_pdf
from .common import document_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    document = document_or_404(request.user, pk)
    pages.document_read.send(Document, user=request.user, document=document, what="pdf")
    return _download(render_pdf(document), "application/pdf", pdf_filename(document), attachment=False)
