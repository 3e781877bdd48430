"""Lines that fill the text area (GB/T 9704: 撑满版心), for Chinese text.

WeasyPrint justifies a line by widening its spaces only: a line of Chinese has none, so it
stays short by whatever the last character that did not fit leaves (up to a character, more
where half-width digits and Latin letters sit in it), and a line with a Latin space puts all
of the slack there ("ABC    abc"). An office's word processor spreads the slack over every
gap between characters instead. So do we, on WeasyPrint's laid-out pages, before they are
drawn:

    justify(document)   every line of a `text-align: justify` block that is not its
                        paragraph's last (on this page or the next) ends at the block's
                        right edge: WeasyPrint's space widening is taken back and the
                        slack is shared out as letter spacing over every character

Nothing is laid out again: the characters that were on a line stay on it, and so do the
page breaks. A box's letter spacing is read from its style when it is drawn
(weasyprint.draw.text), so a copy of the style with the wider spacing is all a text box
needs; the boxes after it on the line move right by what it grew.
"""

from weasyprint.formatting_structure import boxes

# Slack larger than this is not a line that fell short but a line that ends early on
# purpose (an inline block, a float beside it): left alone. In characters of its size.
MOST_SLACK = 3


def _lines(box, block=None):
    """(block, line box) of every line under BOX, in document order."""
    if isinstance(box, boxes.LineBox):
        yield block, box
        return
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from _lines(child, box if isinstance(box, boxes.BlockContainerBox) else block)


def _text_boxes(box):
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, boxes.InlineBox):
        for child in box.children:
            yield from _text_boxes(child)


def _characters(text):
    return len(text)


def _undo_space_widening(box):
    """Take back what WeasyPrint's own justification gave the spaces of text box BOX."""
    if box.justification_spacing:
        spaces = box.text.count(" ") + box.text.count("\u00a0")
        box.width -= box.justification_spacing * spaces
        box.justification_spacing = 0
        if box.pango_layout is not None:
            box.pango_layout.justification_spacing = 0


def _shift(box, dx):
    box.translate(dx, 0)


def _spread(line, right):
    """Make LINE end at RIGHT by letter spacing shared over its characters."""
    children = [child for child in line.children if child.is_in_normal_flow()]
    if not children or not all(isinstance(c, (boxes.TextBox, boxes.InlineBox)) for c in children):
        return
    texts = [text for child in children for text in _text_boxes(child)]
    if not texts or any(text.style["white_space"] not in ("normal", "pre-line") for text in texts):
        return
    for text in texts:
        _undo_space_widening(text)
    # Lay the children out again from the line's start, without the spaces' widening.
    x = children[0].position_x
    for child in children:
        _place(child, x)
        x = child.position_x + child.margin_width()
    slack = right - x
    count = sum(_characters(text.text) for text in texts)
    size = texts[-1].style["font_size"]
    if count < 2 or slack <= 0.01 or slack > MOST_SLACK * size:
        return
    # Pango gives each character the letter spacing after it, the last one too: a box of
    # n characters grows by n × spacing, and its last character ends one spacing before
    # the box does. So the slack is shared over the gaps between characters.
    spacing = slack / (count - 1)
    x = children[0].position_x
    for child in children:
        _widen(child, spacing)
        _place(child, x)
        x = child.position_x + child.margin_width()
    line.width = x - line.position_x


def _widen(box, spacing):
    if isinstance(box, boxes.TextBox):
        style = box.style.copy()
        letter_spacing = style["letter_spacing"]
        style["letter_spacing"] = (0 if letter_spacing == "normal" else letter_spacing) + spacing
        box.style = style
        box.width += spacing * _characters(box.text)
    elif isinstance(box, boxes.InlineBox):
        start = box.content_box_x()
        for child in box.children:
            _widen(child, spacing)
        x = start
        for child in box.children:
            _place(child, x)
            x = child.position_x + child.margin_width()
        box.width = x - start


def _place(box, x):
    """Move BOX (and what it holds) so that its margin box starts at X."""
    dx = x - box.position_x
    if dx:
        box.translate(dx, 0)
    if isinstance(box, boxes.InlineBox):
        inner = box.content_box_x()
        for child in box.children:
            _place(child, inner)
            inner = child.position_x + child.margin_width()
        box.width = inner - box.content_box_x()


def justify(document):
    """Spread the slack of every justified line but a paragraph's last (see the module)."""
    found = []
    for page in document.pages:
        for block, line in _lines(page._page_box):
            if block is not None and line.style["text_align_all"] == "justify":
                found.append((block, line))
    # A paragraph's last line is the last line of its element, whichever page it is on.
    last = {}
    for index, (block, _line) in enumerate(found):
        last[id(block.element) if block.element is not None else id(block)] = index
    for index, (block, line) in enumerate(found):
        key = id(block.element) if block.element is not None else id(block)
        if last[key] == index:
            continue
        right = block.content_box_x() + block.width
        _spread(line, right)
    return document
