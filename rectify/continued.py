"""A table's merged cells say again what they hold on each page they run on to.

The notice's tables merge a category's 序号 and 问题类别 down all its rows. When those rows
run on to the next page, WeasyPrint leaves the merged columns of that page empty: a reader
of the page sees measures without knowing whose. Offices' tables say it again at the top of
the page: "1", "遵守政治纪律方面存在的问题（续）".

A template prints, inside each such cell, what it should say on a later page, in an element
of class `continued`, laid out but hidden (official.css). Once WeasyPrint has laid out the
pages, before they are drawn:

    continue_cells(document)  on each page where rows a merged cell spans go on without it,
                              a copy of the cell over those rows, holding a visible copy of
                              its `continued` element, in the middle

A merged cell begun at the foot of a page keeps there only the lines that fit in its rows
(WeasyPrint draws the rest below the table), and the table is ruled off at the page's foot
under its merged cells too. Nothing is laid out again: the copy takes the
room the rows already leave it.
"""

from weasyprint.formatting_structure import boxes


def _walk(box):
    yield box
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from _walk(child)


def _continued(cell):
    """The laid-out `continued` element inside CELL, or None."""
    for box in _walk(cell):
        if box is not cell and box.element is not None and box.element_tag == "div":
            if "continued" in (box.element.get("class") or "").split():
                return box
    return None


def _shown(box):
    """A copy of BOX and all it holds, visible and in the normal flow."""
    copy = box.deepcopy()
    for part in _walk(copy):
        style = part.style.copy()
        style["visibility"] = "visible"
        if part is copy:
            style["position"] = "static"
        part.style = style
    return copy


def _table_rows(table):
    return [row for group in table.children for row in group.children if isinstance(row, boxes.TableRowBox)]


def _rows_and_cells(document):
    """Every <tr> in document order (a row split over two pages once), and each merged cell
    that holds a `continued` element: (its first piece, that element, its row, the foot of
    its table's rows on its page)."""
    rows, seen, merged, done = [], set(), [], set()
    for page in document.pages:
        for table in _walk(page._page_box):
            if not isinstance(table, boxes.TableBox):
                continue
            table_rows = _table_rows(table)
            foot = max((row.position_y + row.height for row in table_rows), default=0)
            for row in table_rows:
                if row.element is None:
                    continue
                if row.element not in seen:
                    seen.add(row.element)
                    rows.append(row.element)
                for cell in row.children:
                    if not isinstance(cell, boxes.TableCellBox) or cell.rowspan < 2 or cell.element in done:
                        continue
                    done.add(cell.element)
                    hidden = _continued(cell)
                    if hidden is not None:
                        merged.append((cell, hidden, row.element, foot))
    return rows, merged


def _drop_overflowing_lines(cell, hidden, foot):
    """A merged cell begun at the foot of a page keeps the lines that fit in its rows there
    (above FOOT); the page after says it all again."""
    bottom = foot - cell.padding_bottom + 0.5
    cell.height = min(
        cell.height, foot - cell.padding_bottom - cell.border_bottom_width - cell.content_box_y()
    )
    for parent in list(_walk(cell)):
        if not isinstance(parent, boxes.ParentBox) or not any(box is hidden for box in _walk(parent)):
            continue
        kept = []
        for child in parent.children:
            if not isinstance(child, boxes.LineBox) or child.position_y + child.height <= bottom:
                kept.append(child)
            elif any(box is hidden for box in _walk(child)):
                # The line that holds the hidden element keeps it, without its text.
                child.children = [c for c in child.children if any(box is hidden for box in _walk(c))]
                kept.append(child)
        if len(kept) != len(parent.children) or kept != parent.children:
            parent.children = kept


def continue_cells(document):
    rows, merged = _rows_and_cells(document)
    order = {row: index for index, row in enumerate(rows)}
    spans = {}  # <tr> -> [(merged cell's first piece, its hidden `continued` box)]
    for cell, hidden, row, foot in merged:
        _drop_overflowing_lines(cell, hidden, foot)
        first = order[row]
        for spanned in rows[first + 1 : first + cell.rowspan]:
            spans.setdefault(spanned, []).append((cell, hidden))
    for page in document.pages:
        placed = {box.element for box in _walk(page._page_box) if isinstance(box, boxes.TableCellBox)}
        for table in _walk(page._page_box):
            if isinstance(table, boxes.TableBox):
                _continue_on_page(table, spans, placed)
                _close_foot(table)
    return document


def _close_foot(table):
    """Rule off the foot of a table that runs on to the next page under its merged cells
    too: the collapsed border grid has no border inside a merged cell, so WeasyPrint left
    those columns open at the page's foot."""
    if table.style["border_collapse"] != "collapse" or not table.children:
        return
    vertical, horizontal = table.collapsed_border_grid
    header = len(table.children[0].children) if table.children[0].is_header else 0
    footer = len(table.children[-1].children) if table.children[-1].is_footer else 0
    height = len(_table_rows(table))
    offset = table.skipped_rows - header if table.skipped_rows else 0
    foot = height - footer + offset
    if footer or foot >= len(horizontal) - 1:  # the table ends here, ruled off already
        return
    # WeasyPrint leaves the foot open where a cell breaks across the pages; an office's
    # table is ruled off at the foot of each page.
    table.skip_cell_border_bottom = False
    line = horizontal[foot]
    drawn = [border for border in line if border[1][1]]
    if drawn and len(drawn) < len(line):
        rule = max(drawn, key=lambda border: border[0])
        horizontal[foot] = [border if border[1][1] else rule for border in line]


def _continue_on_page(table, spans, placed):
    rows = _table_rows(table)
    for index, row in enumerate(rows):
        for cell, hidden in spans.get(row.element, ()):
            if cell.element in placed:
                continue
            placed.add(cell.element)  # once per page: over all its rows here
            covered = [r for r in rows[index:] if any(c is cell for c, _ in spans.get(r.element, ()))]
            height = covered[-1].position_y + covered[-1].height - row.position_y
            shown = _shown(hidden)
            piece = cell.copy_with_children([shown])
            piece.rowspan = len(covered)
            piece.translate(0, row.position_y - cell.position_y)
            piece.height = height - cell.padding_top - cell.padding_bottom - cell.border_top_width
            piece.height -= cell.border_bottom_width
            x = piece.content_box_x()
            y = piece.content_box_y() + max(0, (piece.height - shown.margin_height()) / 2)
            shown.translate(x - shown.position_x, y - shown.position_y)
            row.children = [*row.children, piece]
