"""Drawing a dashboard table (dashboard/tables.py) as HTML, in Python: a county's page has
several hundred cells, which a template loop (or Django's lazy-aware escaping, cell by
cell) would render several times slower. Text is escaped with the standard library;
numbers need none."""

import datetime as dt
from html import escape

from django import template
from django.utils.safestring import mark_safe

from ..tables import DATE, NUMBER, PERCENT

register = template.Library()

ROW_CLASSES = {"total": "table-total", "own": "table-own", "overdue": "table-danger"}
DASH = "—"


def _cell(column, value):
    """The text of a cell, escaped."""
    if value is None:
        return DASH
    kind = column.type
    if kind == NUMBER:
        return f"{value:,}"
    if kind == PERCENT:
        return f"{value * 100:.1f}%"
    if kind == DATE and isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return escape(str(value))


@register.simple_tag
def board_table(table, caption=""):
    columns = table.columns
    numeric = [column.type in (NUMBER, PERCENT) for column in columns]
    head = "".join(
        f'<th scope="col" class="text-end">{escape(column.label)}</th>'
        if right
        else f'<th scope="col">{escape(column.label)}</th>'
        for column, right in zip(columns, numeric, strict=True)
    )
    body = []
    for row, css in zip(table.rows, table.classes, strict=True):
        klass = ROW_CLASSES.get(css)
        body.append(f'<tr class="{klass}">' if klass else "<tr>")
        for index, cell in enumerate(row):
            text = _cell(columns[index], cell.value)
            if cell.href:
                text = f'<a href="{escape(cell.href)}">{text}</a>'
            if numeric[index]:
                body.append(f'<td class="text-end count">{text}</td>')
            elif index == 0:
                body.append(f'<th scope="row">{text}</th>')
            else:
                body.append(f"<td>{text}</td>")
        body.append("</tr>")
    if not table.rows:
        body.append(f'<tr><td colspan="{len(columns)}" class="text-secondary">{DASH}</td></tr>')
    caption = escape(str(caption or table.title))
    return mark_safe(
        '<div class="table-responsive" tabindex="0"><table class="table table-sm table-hover bg-white border board-table mb-1" '
        f'id="table-{table.name}"><caption class="visually-hidden">{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )
