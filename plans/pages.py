"""What the apps above plans show on a document's page.

The page is plans' (plans/views/editor.py); an app above it adds a part of the sidebar
and something under each item by registering a function here in its AppConfig.ready(),
as Django's admin and system checks are extended. Review adds where the document stands
in its review, the moves the user may make, and the reviewers' comments under the items,
without plans importing review.

After every change the page asks for the checklist again; what a part shows that the
change may have altered comes back in the same answer (`@refreshed`), as htmx
out-of-band swaps, so a pause in typing costs no more requests than before.
"""

from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

_parts = []
_refreshers = []

# Sent whenever somebody reads a document: its page, its PDF or its workbook, with
# `user`, `document` and `what` ("page", "pdf", "xlsx"). Oversight logs the reads of the
# documents its spot checks sample (调阅).
document_read = Signal()


@dataclass
class PagePart:
    """One app's part of a document's page."""

    sidebar: str = ""  # HTML, shown above the checklist
    item_template: str = ""  # a template rendered under each item, with `remark` in its context
    remark: Any = None  # remark(item): the `remark` of one item, or None for nothing under it


def document_part(function):
    """Register FUNCTION(request, document, checklist) -> PagePart | None."""
    if function not in _parts:
        _parts.append(function)
    return function


def refreshed(function):
    """Register FUNCTION(request, document, checklist) -> HTML to send with the checklist
    after a change (elements carrying hx-swap-oob), or ""."""
    if function not in _refreshers:
        _refreshers.append(function)
    return function


def refreshes(request, document, checklist):
    """The HTML the registered parts send with the checklist, joined."""
    return "".join(function(request, document, checklist) for function in _refreshers)


def parts(request, document, checklist):
    """The registered parts of DOCUMENT's page for REQUEST's user."""
    return [part for part in (function(request, document, checklist) for function in _parts) if part]


def remarks(parts, item):
    """[(template, remark)] to render under ITEM."""
    found = []
    for part in parts:
        if part.item_template and part.remark is not None:
            remark = part.remark(item)
            if remark is not None:
                found.append((part.item_template, remark))
    return found
