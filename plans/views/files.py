"""A document as files: the notice's spreadsheet and the official PDF. Importing a
filled spreadsheet is in plans/views/imports.py."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from rectify import renderings

from .. import pages, spreadsheets
from ..models import Document
from ..pdf import kept_pdf, pdf_filename
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
    """The document's print as it stands: kept once the worker has printed it, a page that
    waits for it meanwhile (rectify.renderings). A read is logged when the PDF is served."""
    document = document_or_404(request.user, pk)
    rendering = kept_pdf(document, retry="retry" in request.GET)
    response = renderings.answer(request, rendering, pdf_filename(document))
    if response["Content-Type"] == "application/pdf":
        pages.document_read.send(Document, user=request.user, document=document, what="pdf")
    return response
