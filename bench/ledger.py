"""The ledger at the province's size for make bench: the county whose region ledger
(整改台账) holds the most measures, its page as a supervisor reads it (all of it, and
its overdue measures), and its Excel in the notice's layout, written in the request as
a county's is, beside raw openpyxl writing the same number of cells.

measure(client, timed, floor_ms) runs after seed_scale, with CLIENT logged in as the
provincial office and TIMED the bench's own timing of a GET (median ms, queries).
"""

import io
import statistics
import time

REPEAT = 5


def _fullest_county():
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


def _median_ms(function, repeat=REPEAT):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def measure(client, timed, floor_ms):
    from django.urls import reverse

    from ledger.sheets import COLUMNS, inline_rows

    county, measures = _fullest_county()
    page_url = reverse("ledger:region", args=[county.code])
    figures = {"county": county.code, "name": county.name, "measures": measures}
    for name, url in (
        ("county_ledger_page", page_url),
        ("county_ledger_page_overdue", f"{page_url}?state=overdue"),
    ):
        ms, queries = timed(client, url)
        figures[name] = {
            "url": url,
            "median_ms": ms,
            "queries": queries,
            "ratio_to_floor": round(ms / floor_ms, 2),
        }
    export_url = reverse("ledger:region_export", args=[county.code])
    figures["county_ledger_excel"] = {"url": export_url, "inline": measures <= inline_rows()}
    if measures <= inline_rows():
        ms, queries = timed(client, export_url, repeat=REPEAT)
        raw_ms = _median_ms(lambda: _raw_write(measures, len(COLUMNS)))
        figures["county_ledger_excel"].update(
            {
                "median_ms": ms,
                "queries": queries,
                "ratio_to_floor": round(ms / floor_ms, 2),
                "raw_openpyxl_ms": round(raw_ms, 2),
                "ratio_to_raw_openpyxl": round(ms / raw_ms, 2),
            }
        )
    return figures
