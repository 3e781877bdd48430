"""A region's ledger (整改台账) and its Excel, and one document's ledger as Excel.

Who reads a region's ledger is who oversees the region (督导审阅: the supervision groups,
the offices, the party secretary of the region), as on the dashboard: a region outside
the user's reach does not exist (404); one they see but do not oversee is refused (403).
A document's ledger goes with the document: whoever may read the document may export it.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from orgs import policy
from orgs.models import Org, OrgKind
from orgs.policy import Right
from plans import pages
from plans.models import Document
from plans.views.common import document_or_404
from plans.words import Category, DocumentKind
from rectify.once import once

from .. import clock, sheets, words
from .. import region as ledgers
from ..models import Export
from ..words import ExportState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 50
EXPORTS_SHOWN = 5  # the user's latest exports of the region listed on its page


def _region(user, code):
    region = policy.get_or_404(user, Org, code=code, kind=OrgKind.REGION)
    policy.require(user, Right.OVERSEE, region)
    return region


def _shown(filters, found):
    """How many measures the filters select: read from the counts, never counted again."""
    return found[filters.state] if filters.state else found["measures"]


def _exports(user, region):
    """{"exports": the user's latest exports of REGION, "pending": whether one is being
    written (the page then asks again every few seconds)}: one query."""
    exports = list(Export.objects.filter(requested_by=user, region=region)[:EXPORTS_SHOWN])
    pending = any(export.state in (ExportState.QUEUED, ExportState.RUNNING) for export in exports)
    return {"exports": exports, "pending": pending}


@require_GET
def region_ledger(request, code):
    user = request.user
    region = _region(user, code)
    filters = ledgers.Filters.from_query(request.GET)
    today = clock.today()
    found = ledgers.counts(region, filters, today)
    paginator = Paginator(ledgers.rows(ledgers.entries_of(region, filters, today)), PER_PAGE)
    paginator.count = _shown(filters, found)  # known already: no COUNT query
    page = paginator.get_page(request.GET.get("page"))
    rows = [ledgers.describe(row, today) for row in page.object_list]
    states = [
        (code, label, found[code], filters.query(state=code, page=""))
        for code, label in words.ROLLUP_STATES.items()
    ]
    shown = _shown(filters, found)
    return render(
        request,
        "ledger/region.html",
        {
            "region": region,
            "filters": filters,
            "found": found,
            "states": states,
            "all_states": filters.query(state="", page=""),
            "rate": _percent(ledgers.completion_rate(found["closed"], found["measures"] - found["standing"])),
            "page": page,
            "rows": rows,
            "categories": [*Category.choices, (ledgers.NO_CATEGORY, words.NO_CATEGORY)],
            "kinds": DocumentKind.choices,
            "crumbs": policy.crumbs(user, region),
            "inline": shown <= sheets.inline_rows(),
            "shown": shown,
            **_exports(user, region),
            "query": filters.query(),
            "words": words,
        },
    )


@require_GET
def region_export(request, code):
    """The region's ledger as Excel, written now: only as large as a county's (a larger
    one is asked for with a POST and written on the worker)."""
    region = _region(request.user, code)
    filters = ledgers.Filters.from_query(request.GET)
    if _shown(filters, ledgers.counts(region, filters)) > sheets.inline_rows():
        messages.info(request, _("这个范围的整改措施较多，请点“后台生成 Excel”，生成后在本页下载。"))
        return redirect(f"{reverse('ledger:region', args=[region.code])}?{filters.query()}")
    return _download(sheets.export_region(region, filters), sheets.region_filename(region))


@require_POST
@once
def region_export_queue(request, code):
    """Ask the worker for the region's ledger as Excel; the page shows its progress."""
    user = request.user
    region = _region(user, code)
    filters = ledgers.Filters.from_query(request.POST)
    sheets.queue_region_export(user, region, filters, _shown(filters, ledgers.counts(region, filters)))
    messages.success(request, _("已安排在后台生成 Excel，生成后在本页下载。"))
    return redirect(f"{reverse('ledger:region', args=[region.code])}?{filters.query()}")


@require_GET
def region_exports(request, code):
    """The user's latest exports of the region, with their progress (polled by the page
    while one is being written)."""
    user = request.user
    region = _region(user, code)
    return render(request, "ledger/_exports.html", {"region": region, **_exports(user, region)})


@require_GET
def export_download(request, pk):
    """An export written on the worker: its requester's alone, while the region is still
    theirs to oversee."""
    user = request.user
    export = get_object_or_404(Export.objects.select_related("region"), pk=pk, requested_by=user)
    _region(user, export.region.code)
    if export.state != ExportState.READY or not export.file:
        raise Http404
    response = FileResponse(export.file.open("rb"), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, export.name)
    return response


@require_GET
def document_export(request, pk):
    """One document's ledger as Excel, for whoever may read the document."""
    document = document_or_404(request.user, pk)
    pages.document_read.send(Document, user=request.user, document=document, what="xlsx")
    return _download(sheets.export_document_ledger(document), sheets.document_filename(document))


def _percent(rate):
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _download(content, name):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
