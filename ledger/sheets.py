"""The ledger as Excel, in the layout of the notice's list (领导班子整改问题清单: 序号,
问题类别, 问题清单, 整改任务和措施, 责任人, 整改时限), written by plans' own sheet writer
with its styles and print settings, and followed by the progress columns: 完成情况,
最近进展, 报告时间, 销号时间, 督办.

    export_document_ledger(document) -> bytes   one document's ledger
    export_region(region, filters, on_progress)  a region's, each document under a
                                                 heading row naming its unit and title
    export_region_task(export_id)                the same on the tasks worker, for a large
                                                 region, writing its progress as it goes

A county's ledger (up to LEDGER_EXPORT_INLINE_ROWS measures) is written in the request;
a larger one (a city, the province) on the worker, the page showing how far it has got.
"""

import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.sheets.export import ListTable, export_filename
from plans.sheets.layout import TEAM_COLUMNS
from plans.words import TABLE_CATEGORY, Category, DocumentKind
from rectify.dates import deadline_label

from . import clock, words
from . import region as ledgers
from .models import Entry, Export, Report
from .words import EntryState, ExportState

PROGRESS_WIDTHS = {"state": 12, "progress": 34, "reported": 14, "closed": 14, "escalated": 16}
COLUMNS = (
    *TEAM_COLUMNS,
    *((field, header, PROGRESS_WIDTHS[field]) for field, header in words.PROGRESS_COLUMNS),
)
PROGRESS_EVERY = 500  # rows between two writes of an export's progress
CHUNK = 2000


def inline_rows():
    """Up to how many measures a region's Excel is written in the request."""
    return settings.LEDGER_EXPORT_INLINE_ROWS


def _category(code):
    if not code:
        return None
    return str(TABLE_CATEGORY.get(code, Category(code).label))


def _deadline(row):
    if row["deadline"] and not row["deadline_text"]:
        return row["deadline"]
    return deadline_label(row["deadline"], row["deadline_text"]) or None


def _day(moment):
    return timezone.localdate(moment) if moment else None


def _state(row):
    label = str(row["state_label"])
    return f"{label}（{words.OVERDUE_MARK}）" if row["overdue"] else label


def _escalated(row):
    if not row["escalated"]:
        return None
    return str(words.ESCALATED_MARK) % {"date": f"{_day(row['escalated_at']):%Y-%m-%d}"}


def _values(row):
    return [
        row["number"],
        _category(row["category"]),
        row["problem"],
        row["text"],
        row["owner"],
        _deadline(row),
        _state(row),
        row.get("progress") or None,
        _day(row["last_report_at"] or row["done_at"]),
        _day(row["closed_at"]) if row["state"] == EntryState.CLOSED else None,
        _escalated(row),
    ]


def _table(title, info):
    table = ListTable(_("整改台账"), COLUMNS)
    table.title(title)
    table.info(info)
    table.header()
    return table


def _stamp():
    return _("数据截至 %(time)s") % {"time": f"{timezone.localtime():%Y-%m-%d %H:%M}"}


# One document --------------------------------------------------------------------------


def export_document_ledger(document):
    """The bytes of an .xlsx holding DOCUMENT's ledger: its measures in its own order,
    each with where it stands. A document has tens of measures: always in the request."""
    today = clock.today()
    table = _table(
        f"{document.title}{words.LEDGER}",
        [
            (_("单位：%(unit)s") % {"unit": document.unit_name or document.team.name}, 4, "info"),
            (_stamp(), 7, "info_right"),
        ],
    )
    queryset = ledgers.with_progress(Entry.objects.filter(document=document))
    for row in queryset:
        table.data(_values(ledgers.describe(row, today)))
    return table.save()


def document_filename(document):
    return export_filename(document).removesuffix(".xlsx") + f"{words.LEDGER}.xlsx"


# A region -----------------------------------------------------------------------------


def region_filename(region):
    return re.sub(r'[\\/:*?"<>|\s]+', "", str(words.EXPORT_FILE) % {"name": region.name}) + ".xlsx"


def _latest_reports(ids):
    """{entry id: the text of its latest report}, for the entries IDS: one query."""
    latest = {}
    for entry_id, text in (
        Report.objects.filter(entry_id__in=ids)
        .order_by("entry_id", "at", "id")
        .values_list("entry_id", "text")
    ):
        latest[entry_id] = text  # the last one read is the latest
    return latest


def export_region(region, filters=None, on_progress=None):
    """The bytes of an .xlsx of REGION's ledger under FILTERS, in the order of the tree:
    a heading row naming each document's unit and title, then its measures. The rows are
    read in chunks (their reports with them), so memory stays flat whatever the region;
    ON_PROGRESS(written) is called every PROGRESS_EVERY rows."""
    today = clock.today()
    filters = filters or ledgers.Filters()
    described = _describe_filters(filters)
    table = _table(
        f"{region.name}{words.LEDGER}",
        [(described, 4, "info"), (_stamp(), 7, "info_right")],
    )
    queryset = ledgers.rows(ledgers.entries_of(region, filters, today))
    written = 0
    document = None
    chunk = []

    def flush():
        nonlocal written, document
        latest = _latest_reports([row["pk"] for row in chunk])
        for row in chunk:
            if row["document_id"] != document:
                document = row["document_id"]
                table.heading(f"{row[f'{ledgers.ORG}name']} · {row['document__title']}")
            row["progress"] = latest.get(row["pk"])
            table.data(_values(ledgers.describe(row, today)))
            written += 1
            if on_progress and written % PROGRESS_EVERY == 0:
                on_progress(written)
        chunk.clear()

    for row in queryset.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            flush()
    flush()
    if on_progress:
        on_progress(written)
    return table.save()


def _describe_filters(filters):
    parts = []
    if filters.state:
        parts.append(str(words.ROLLUP_STATES[filters.state]))
    if filters.category == ledgers.NO_CATEGORY:
        parts.append(str(words.NO_CATEGORY))
    elif filters.category:
        parts.append(str(Category(filters.category).label))
    if filters.kind:
        parts.append(str(DocumentKind(filters.kind).label))
    if filters.q:
        parts.append(f"“{filters.q}”")
    return _("范围：%(what)s") % {"what": "、".join(parts) if parts else str(words.ALL_STATES)}


# On the tasks worker ---------------------------------------------------------------------


def queue_region_export(user, region, filters, total):
    """An Export of REGION's ledger under FILTERS (TOTAL measures), queued for the worker
    once the transaction commits."""
    export = Export.objects.create(
        region=region, requested_by=user, filters=filters.as_dict(), total=total, name=region_filename(region)
    )
    transaction.on_commit(lambda: export_region_task.enqueue(export.pk))
    return export


@task()
def export_region_task(export_id):
    """Write the Excel of an Export, saying how far it has got; run once: an export
    claimed already (a doubled worker) is left to the one that claimed it."""
    claimed = Export.objects.filter(pk=export_id, state=ExportState.QUEUED).update(state=ExportState.RUNNING)
    if not claimed:
        return
    export = Export.objects.select_related("region").get(pk=export_id)
    try:
        content = export_region(
            export.region,
            ledgers.Filters.from_dict(export.filters),
            on_progress=lambda written: Export.objects.filter(pk=export_id).update(written=written),
        )
        export.file.save(export.name, ContentFile(content), save=False)
        Export.objects.filter(pk=export_id).update(
            file=export.file.name, state=ExportState.READY, finished_at=timezone.now()
        )
    except Exception:
        Export.objects.filter(pk=export_id).update(state=ExportState.FAILED, finished_at=timezone.now())
        raise
