"""The dashboard's tables, each built once and shown, charted and exported alike.

A Table is a title, its column headers and rows of cells; the page renders it (the
`board_table` tag), the charts read their numbers from it and the Excel export writes
it. So the page, the chart and the file can never show different numbers or words.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from ledger.region import NO_CATEGORY
from orgs.models import AuthorityKind
from plans.words import Category
from review.models import Mode

from . import words
from .board import days_waited, url_maker

NUMBER, PERCENT, TEXT, DATE = "number", "percent", "text", "date"


@dataclass
class Column:
    label: str
    type: str = NUMBER


@dataclass
class Cell:
    value: object
    href: str | None = None


@dataclass
class Table:
    name: str  # the key of words.TABLES, and of its export
    columns: list
    rows: list = field(default_factory=list)  # [[Cell]]
    classes: list = field(default_factory=list)  # a CSS class per row ("" for none)
    note: str = ""

    @property
    def title(self):
        return str(words.TABLES[self.name])

    def add(self, cells, css=""):
        self.rows.append([cell if isinstance(cell, Cell) else Cell(cell) for cell in cells])
        self.classes.append(css)

    def column(self, index):
        return [row[index].value for row in self.rows]


def _rate(figure):
    return figure.approved / figure.must if figure.must else None


def _region_cell(row):
    return Cell(row.label, row.href)


def progress(board):
    kind = board.kind
    table = Table(
        "progress",
        [Column(str(words.REGION), TEXT), Column(str(words.MUST))]
        + [Column(str(label)) for _code, label in words.STATE_COLUMNS]
        + [Column(str(words.RATE), PERCENT)],
        note=str(words.TABLE_NOTES["progress"]),
    )
    for row in [*board.rows, board.total]:
        figure = row.figure(kind)
        table.add(
            [_region_cell(row), figure.must, *[getattr(figure, code) for code, _label in words.STATE_COLUMNS]]
            + [_rate(figure)],
            row.css,
        )
    return table


def stage_authorities(board):
    """The authorities documents of the kind wait for anywhere in the region, in the
    order of AuthorityKind."""
    waiting = board.total.figure(board.kind).pending
    return [str(a) for a in AuthorityKind if waiting.get(str(a))]


def stages(board):
    kind = board.kind
    authorities = stage_authorities(board)
    table = Table(
        "stages",
        [Column(str(words.REGION), TEXT), Column(str(words.IN_REVIEW))]
        + [Column(str(words.authority_label(a))) for a in authorities],
        note=str(words.TABLE_NOTES["stages"]),
    )
    for row in [*board.rows, board.total]:
        figure = row.figure(kind)
        table.add(
            [_region_cell(row), figure.submitted, *[figure.pending.get(a, 0) for a in authorities]], row.css
        )
    return table


def grounds(board):
    kind = board.kind
    table = Table(
        "grounds",
        [Column(str(words.REGION), TEXT), Column(str(words.STATE_COLUMNS[3][1])), Column(str(words.RETURNS))]
        + [Column(str(words.ground_label(g))) for g in words.GROUNDS],
        note=str(words.TABLE_NOTES["grounds"]),
    )
    for row in [*board.rows, board.total]:
        figure = row.figure(kind)
        table.add(
            [
                _region_cell(row),
                figure.returned,
                figure.returns,
                *[figure.grounds.get(g, 0) for g in words.GROUNDS],
            ],
            row.css,
        )
    return table


def unanswered_sources(board):
    """[(source label, n)]: which of the four responses returns said was not answered."""
    found = board.total.figure(board.kind).grounds
    prefix = "four_responses:"
    return [(words.ground_label(key), n) for key, n in sorted(found.items()) if key.startswith(prefix) and n]


def waits(board):
    """Per authority (and mode): how many steps wait, how many past the overdue days,
    and the longest wait, from the open steps counted by the day they were reached."""
    table = Table(
        "waits",
        [
            Column(str(words.AUTHORITY), TEXT),
            Column(str(words.MODE), TEXT),
            Column(str(words.WAITING)),
            Column(str(words.OVERDUE) % {"days": board.overdue_days}),
            Column(str(words.LONGEST)),
        ],
        note=str(words.TABLE_NOTES["waits"]),
    )
    order = {str(a): index for index, a in enumerate(AuthorityKind)}
    keys = sorted(board.waiting, key=lambda key: (order.get(key.split(":")[0], 99), key))
    for key in keys:
        authority, mode = key.split(":")
        by_day = board.waiting[key]
        waited = {day: days_waited(day, board.today) for day in by_day}
        overdue = sum(n for day, n in by_day.items() if board.is_overdue(waited[day]))
        longest = max(waited.values()) if waited else 0
        label = words.MODE_READ if mode == Mode.READ else words.MODE_REVIEW
        table.add(
            [str(words.authority_label(authority)), str(label), sum(by_day.values()), overdue, longest],
            "overdue" if overdue else "",
        )
    return table


def oldest(board, entries=None):
    """The open steps waiting longest (figures.entry dicts): the board's, or ENTRIES."""
    table = Table(
        "oldest",
        [
            Column(str(words.DOCUMENT), TEXT),
            Column(str(words.TEAM), TEXT),
            Column(str(words.AUTHORITY), TEXT),
            Column(str(words.REACHED), DATE),
            Column(str(words.WAITED)),
        ],
    )
    link = url_maker("plans:document")
    for found in board.oldest if entries is None else entries:
        reached = dt.datetime.fromisoformat(found["reached_at"])
        waited = days_waited(reached, board.today)
        authority = str(words.authority_label(found["authority"]))
        if found["mode"] == Mode.READ:
            authority += f"（{words.MODE_READ}）"
        table.add(
            [
                Cell(found["title"], link(found["document"])),
                found["team"],
                authority,
                timezone.localtime(reached).replace(tzinfo=None, microsecond=0),
                waited,
            ],
            "overdue" if board.is_overdue(waited) else "",
        )
    return table


def days(board):
    table = Table("days", [Column(str(words.DAY), TEXT), Column(str(words.SUBMISSIONS))])
    for day, n in sorted(board.days.items()):
        table.add([day, n])
    return table


def _ledger_link(code, **filters):
    """The URL of region CODE's ledger under FILTERS (empty ones left out)."""
    query = urlencode({name: value for name, value in filters.items() if value})
    url = reverse("ledger:region", args=[code])
    return f"{url}?{query}" if query else url


def _completion_cells(figure, today, code, **filters):
    """措施总数, each state and the rate of FIGURE, each count a link into the ledger of
    region CODE (none when CODE is empty: 本级 has no ledger of its own)."""
    overdue = figure.overdue(today)
    values = {
        "open": figure.measures_open,
        "done": figure.measures_done,
        "closed": figure.measures_closed,
        "overdue": overdue,
        "escalated": figure.measures_escalated,
    }

    def cell(value, state=""):
        return Cell(value, _ledger_link(code, state=state, **filters) if code and value else None)

    closable = figure.measures - figure.measures_standing
    return [
        cell(figure.measures),
        *[cell(values[state], state) for state, _label in words.MEASURE_STATES],
        figure.measures_closed / closable if closable > 0 else None,
    ]


def _completion_columns(first):
    return (
        [Column(str(first), TEXT), Column(str(words.MEASURES))]
        + [Column(str(label)) for _state, label in words.MEASURE_STATES]
        + [Column(str(words.COMPLETION_RATE), PERCENT)]
    )


def completion(board):
    """Per region: the measures of its approved documents and where they stand."""
    kind = board.kind
    table = Table("completion", _completion_columns(words.REGION), note=str(words.TABLE_NOTES["completion"]))
    for row in [*board.rows, board.total]:
        figure = row.figure(kind)
        table.add([_region_cell(row), *_completion_cells(figure, board.today, row.code, kind=kind)], row.css)
    return table


def categories(board):
    """The region's measures by problem category (every kind), in the notice's order."""
    table = Table(
        "categories", _completion_columns(words.CATEGORY), note=str(words.TABLE_NOTES["categories"])
    )
    order = {code: index for index, code in enumerate(Category.values)}
    code = board.region.code
    for category in sorted(board.categories, key=lambda c: order.get(c, len(order))):
        figure = board.categories[category]
        if not figure.measures:
            continue
        table.add(
            [
                str(words.category_label(category)),
                *_completion_cells(figure, board.today, code, category=category or NO_CATEGORY),
            ]
        )
    return table


def region_tables(board):
    """Every table of a region's page, by name."""
    return {
        "completion": completion(board),
        "categories": categories(board),
        "progress": progress(board),
        "stages": stages(board),
        "grounds": grounds(board),
        "waits": waits(board),
        "oldest": oldest(board),
        "days": days(board),
    }
