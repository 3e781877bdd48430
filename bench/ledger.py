"""The ledger at the province's size for make bench: the county whose region ledger
(整改台账) holds the most measures (its page is measured with the other pages), and its
Excel in the notice's layout, written in the request as a county's is, beside raw
openpyxl writing the same number of cells.
"""

import io
import time

REPEAT = 5


def fullest_county():
    """(the county with the most ledger measures, how many)."""
    from django.db.models import Count

    from ledger.models import Entry
    from orgs.models import Level, Org, OrgKind

    counties = Org.objects.filter(level=Level.COUNTY, kind=OrgKind.REGION)
    best, most = None, -1
    # One count per county: 134 at most, read once.
    for county in counties:
        n = Entry.objects.filter(
            document__team__org__tree_id=county.tree_id,
            document__team__org__lft__gte=county.lft,
            document__team__org__lft__lte=county.rght,
        ).aggregate(n=Count("pk"))["n"]
        if n > most:
            best, most = county, n
    return best, most


def _raw_write(rows, columns):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for n in range(rows):
        sheet.append([f"第{n}行第{c}列的内容" for c in range(columns)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def excel(measure, browser, url, measures):
    """The county's Excel through the server (p50/p95 beside the floor) and raw openpyxl
    writing as many rows of as many cells; None when a county's ledger is too large to be
    written in the request (it goes to the worker)."""
    from bench.http import percentile
    from ledger.sheets import COLUMNS, inline_rows

    if measures > inline_rows():
        return None
    figures = measure.page(browser, url, REPEAT)
    raw = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        _raw_write(measures, len(COLUMNS))
        raw.append((time.perf_counter() - started) * 1000)
    figures["rows"] = measures
    figures["raw_openpyxl_p50_ms"] = percentile(raw, 0.5)
    figures["ratio_to_raw_openpyxl_p50"] = round(figures["p50_ms"] / figures["raw_openpyxl_p50_ms"], 2)
    return figures
