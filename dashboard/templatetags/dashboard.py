"""Drawing a dashboard table (dashboard/tables.py) as HTML, in Python: a province page
has a few hundred cells, which a template loop would render several times slower."""

import datetime as dt

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from ..tables import DATE, NUMBER, PERCENT

register = template.Library()

ROW_CLASSES = {"total": "table-total", "own": "table-own", "overdue": "table-danger"}
DASH = "—"
RIGHT = mark_safe(' class="text-end"')


def _value(column, value):
    if value is None:
        return DASH
    if column.type == PERCENT:
        return f"{value * 100:.1f}%"
    if column.type == NUMBER:
        return f"{value:,}"
    if column.type == DATE and isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


@register.simple_tag
def board_table(table, caption=""):
    head = "".join(
        format_html(
            '<th scope="col"{}>{}</th>', RIGHT if column.type in (NUMBER, PERCENT) else "", column.label
        )
        for column in table.columns
    )
    body = []
    for row, css in zip(table.rows, table.classes, strict=True):
        cells = []
        for index, (column, cell) in enumerate(zip(table.columns, row, strict=True)):
            text = conditional_escape(_value(column, cell.value))
            if cell.href:
                text = format_html('<a href="{}">{}</a>', cell.href, text)
            numeric = column.type in (NUMBER, PERCENT)
            tag = "th" if index == 0 and not numeric else "td"
            scope = ' scope="row"' if tag == "th" else ""
            klass = ' class="text-end count"' if numeric else ""
            cells.append(f"<{tag}{scope}{klass}>{text}</{tag}>")
        klass = ROW_CLASSES.get(css)
        body.append(f'<tr class="{klass}">' if klass else "<tr>")
        body.append("".join(cells) + "</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(table.columns)}" class="text-secondary">{DASH}</td></tr>')
    caption_html = format_html('<caption class="visually-hidden">{}</caption>', caption or table.title)
    return mark_safe(
        f'<div class="table-responsive"><table class="table table-sm table-hover bg-white border board-table mb-1" '
        f'id="table-{table.name}">{caption_html}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
        f"</table></div>"
    )
