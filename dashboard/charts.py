"""What the charts draw, read from the page's own tables (dashboard/tables.py), handed to
static/js/dashboard.js through json_script: no number is computed twice."""

import datetime as dt

from . import words

MAX_DAYS = 120  # the submissions chart shows at most the last four months


def _states(progress):
    rows = progress.rows[:-1]  # the total is the table's last row, not a bar
    series = []
    # The state columns follow the region and 应报 (tables.progress).
    for index, (_code, label) in enumerate(words.STATE_COLUMNS, start=2):
        series.append({"name": str(label), "data": [row[index].value for row in rows]})
    return {
        "categories": [row[0].value for row in rows],
        "links": [row[0].href for row in rows],
        "series": series,
    }


def _treemap(board):
    nodes = []
    for row in board.rows:
        figure = row.figure(board.kind)
        if figure.must:
            rate = round(100 * figure.approved / figure.must, 1)
            nodes.append({"name": row.label, "value": [figure.must, rate], "link": row.href})
    return nodes


def _days(board):
    if not board.days:
        return {"dates": [], "counts": []}
    found = {dt.date.fromisoformat(day): n for day, n in board.days.items()}
    last = max(found)
    first = max(min(found), last - dt.timedelta(days=MAX_DAYS - 1))
    dates, counts = [], []
    day = first
    while day <= last:
        dates.append(day.isoformat())
        counts.append(found.get(day, 0))
        day += dt.timedelta(days=1)
    return {"dates": dates, "counts": counts}


def chart_data(board, tables):
    return {
        "states": _states(tables["progress"]),
        "treemap": _treemap(board),
        "days": _days(board),
        "labels": {
            "must": str(words.MUST),
            "rate": str(words.RATE),
            "submissions": str(words.SUBMISSIONS),
        },
    }
