"""Spreadsheet figures for make bench: a 5,000-row team list exported and imported
back, each beside the floor of raw openpyxl doing the same cells (a write-only workbook
of 5,000 x 6 values; read-only iteration of the exported file's rows).

The import is the whole of what the worker does for one (plans/imports.py): read and
check the file, then write its 5,000 problems and 5,000 measures into a fresh plan in one
transaction, in bulk. Medians and p95 of REPEAT runs each; the target is within 10x
the floor (issue 11).

measure() runs after django.setup() on the bench's migrated database with the Hunan
tree and the demo loaded. Every document it writes is in a transaction it rolls back,
so the database is left as it found it.
"""

import datetime as dt
import io
import statistics
import time

ROWS = 5000
REPEAT = 5


def _samples(function, repeat=REPEAT):
    """(seconds of each of REPEAT runs of FUNCTION, its last result)."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - started)
    return samples, result


def _median_seconds(function, repeat=REPEAT):
    samples, result = _samples(function, repeat)
    return statistics.median(samples), result


def _p95(samples):
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def _build(team):
    """The team's plan holding ROWS problems, each with one measure (bulk-created: the
    bench measures the spreadsheet, not the editing functions)."""
    from orgs.models import Position
    from plans.documents import open_team_document
    from plans.models import Item
    from plans.structure import TEAM_PROBLEMS

    plan = open_team_document(team)
    plan.items.all().delete()  # inside the caller's rolled-back transaction: a kept database's plan
    owners = [position.person for position in Position.objects.filter(team=team, active=True)]
    problems = Item.objects.bulk_create(
        Item(
            document=plan,
            section="problems",
            position=n + 1,
            category=TEAM_PROBLEMS[n % len(TEAM_PROBLEMS)],
            text=f"文山会海问题仍然突出，全县性会议全年达到86个，群众反映强烈（第{n + 1}条）",
        )
        for n in range(ROWS)
    )
    measures = Item.objects.bulk_create(
        Item(
            document=plan,
            section="measures",
            position=n + 1,
            category=problem.category,
            text="全县性会议压缩三分之一，全年控制在55个以内；出台《公务接待管理办法》，每月通报一次",
            owner=owners[n % len(owners)],
            deadline=dt.date(2014, 12, 31),
            deadline_text="2014年12月底前" if n % 2 else "",
        )
        for n, problem in enumerate(problems)
    )
    Item.addresses.through.objects.bulk_create(
        Item.addresses.through(from_item_id=measure.pk, to_item_id=problem.pk)
        for measure, problem in zip(measures, problems, strict=True)
    )
    return plan


def _raw_rows(reading):
    return [
        [n, item.category, item.problem, item.measures, item.owner, item.deadline_text or item.deadline]
        for n, item in enumerate(reading.items, start=1)
    ]


def _raw_write(rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _raw_read(data):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def _import(team, user, data):
    """One whole import of DATA into a fresh plan of TEAM, rolled back: (seconds, rows)."""
    from django.db import transaction

    from plans.documents import open_team_document
    from plans.spreadsheets import check_reading, import_reading, read_workbook

    with transaction.atomic():
        plan = open_team_document(team)
        plan.items.all().delete()  # a bench run again on its kept database finds the plan filled
        started = time.perf_counter()
        reading = read_workbook(data)
        assert not check_reading(plan, reading)
        rows = import_reading(user, plan, reading)
        seconds = time.perf_counter() - started
        assert plan.items.filter(section="measures").count() == ROWS
        transaction.set_rollback(True)
    return seconds, rows


def measure():
    from django.db import transaction

    from orgs.models import Org, OrgKind, Position, Team, TeamKind
    from plans.spreadsheets import export_workbook, read_workbook

    county = Org.objects.get(name="长沙县", kind=OrgKind.REGION)
    team = Team.objects.get(org=county, kind=TeamKind.PARTY_COMMITTEE)
    with transaction.atomic():
        plan = _build(team)
        export_s, data = _median_seconds(lambda: export_workbook(plan))
        transaction.set_rollback(True)
    reading = read_workbook(data)
    assert len(reading.items) == ROWS and not reading.errors, (len(reading.items), reading.errors[:3])
    seat = Position.objects.filter(team=team, active=True).exclude(person__user=None).first()
    user = seat.person.user if seat else None

    rows = _raw_rows(reading)
    raw_write_s, raw = _median_seconds(lambda: _raw_write(rows))
    # The import and its floor taken in turns, so that neither has the quieter moments.
    imports, floors = [], []
    for _ in range(REPEAT):
        seconds, imported = _import(team, user, data)
        assert imported == ROWS
        imports.append(seconds)
        floor, count = _samples(lambda: _raw_read(data), 1)
        assert count >= ROWS
        floors += floor
    import_s, raw_read_s = statistics.median(imports), statistics.median(floors)
    return {
        "rows": ROWS,
        "export_5000_rows_s": round(export_s, 3),
        "raw_write_only_s": round(raw_write_s, 3),
        "export_ratio": round(export_s / raw_write_s, 2),
        # Read, checked and written to the database (a fresh plan, rolled back).
        "import_5000_rows_s": round(import_s, 3),
        "import_5000_rows_p95_s": round(_p95(imports), 3),
        "raw_read_only_s": round(raw_read_s, 3),
        "raw_read_only_p95_s": round(_p95(floors), 3),
        "import_ratio": round(import_s / raw_read_s, 2),
        "import_target_ratio": 10,
        "export_bytes": len(data),
    }
