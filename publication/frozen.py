"""A published document as its approved version froze it: what the public site and its
PDFs show, read from the Version's snapshot alone (plans.documents.snapshot_of), never from
the live rows. Only the snapshot's header, sections and attachments are read: not its
"inputs" (the four-responses register), and nothing of the review.

    sections(snapshot)      -> [Shown]: each section's title and rows, for the page
    printed(publication)    -> plans.pdf.Printed, the official layout, for the PDF
    measures(snapshot)      -> [Row]: a grassroots list's entries, for the page and the 公示

The official layout (plans/pdf.py) reads documents and items as models; `Frozen` and
`FrozenItem` give it the same attributes from the snapshot, so the published PDF is the
document's own print, of the approved version.
"""

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils.translation import gettext as _

from plans import pdf
from plans.models import SpecialTask
from plans.structure import ATTACHMENTS, structure_named
from plans.words import ITEM_FIELDS, Category, Phase, Priority
from rectify.dates import deadline_label

# The columns a published list shows, in this order, where its section has them: the
# content the document carries, not its links (answers cite the register) or its notes.
SHOWN_FIELDS = ("category", "text", "measures", "owner", "unit", "deadline")


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def deadline_of(row):
    return deadline_label(_date(row.get("deadline")), row.get("deadline_text") or "")


def label_of(choices, code):
    return str(choices(code).label) if code in choices.values else ""


# The page -----------------------------------------------------------------------------


@dataclass
class Shown:
    title: str
    single: bool
    paragraphs: list = field(default_factory=list)
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # [[cell, …]]


def sections(snapshot):
    """[Shown] of SNAPSHOT's sections, in its structure's order."""
    structure = structure_named(snapshot["kind"], snapshot.get("lighter", False))
    data = snapshot.get("sections") or {}
    shown = []
    for section in structure.sections:
        rows = data.get(section.code) or []
        title = str(section.title)
        if section.single:
            text = rows[0].get("text", "") if rows else ""
            shown.append(Shown(title, True, paragraphs=pdf.paragraphs(text)))
            continue
        columns = [name for name in SHOWN_FIELDS if name in section.fields or name == "text"]
        headers = [str(ITEM_FIELDS[name]) for name in columns]
        table = []
        for row in rows:
            cells = []
            for name in columns:
                if name == "category":
                    cells.append(label_of(Category, row.get("category")))
                elif name == "deadline":
                    cells.append(deadline_of(row))
                elif name == "text" and row.get("special_task"):
                    cells.append(row["special_task"] + ("：" + row["text"] if row.get("text") else ""))
                else:
                    cells.append(row.get(name) or "")
            table.append(cells)
        shown.append(Shown(title, False, headers=headers, rows=table))
    return shown


@dataclass
class Row:
    """One entry of a grassroots list as the public reads it."""

    number: int
    uid: str
    problem: str
    measures: str
    owner: str
    deadline: str
    state: str = ""  # 整改中, 已完成, 长期坚持 (views.public.states_of)
    tone: str = ""


def measures(snapshot):
    return [
        Row(
            n,
            row.get("uid", ""),
            row.get("text", ""),
            row.get("measures", ""),
            row.get("owner", ""),
            deadline_of(row),
        )
        for n, row in enumerate((snapshot.get("sections") or {}).get("entries") or [], start=1)
    ]


# The print ----------------------------------------------------------------------------


class Related:
    """What a prefetched relation gives the layout: all()."""

    def __init__(self, rows=()):
        self.rows = list(rows)

    def all(self):
        return self.rows


class FrozenItem:
    """A snapshot row with the attributes plans/pdf.py reads of an Item."""

    def __init__(self, row, pk, position, batches):
        self.pk = pk
        self.uid = row.get("uid")
        self.position = position
        self.category = row.get("category") or ""
        self.phase = row.get("phase") or ""
        self.priority = row.get("priority") or Priority.NORMAL
        self.text = row.get("text") or ""
        self.measures = row.get("measures") or ""
        self.owner_name = row.get("owner") or ""
        self.unit = row.get("unit") or ""
        self.deadline = _date(row.get("deadline"))
        self.deadline_text = row.get("deadline_text") or ""
        self.inaction = bool(row.get("inaction"))
        self.note = row.get("note") or ""
        self.origin = row.get("origin") or ""
        self.focus = row.get("focus") or ""
        name = row.get("special_task")
        self.special_task_id = 1 if name else None
        self.special_task = SimpleNamespace(name=name, batch=batches.get(name, "")) if name else None
        self.addresses = Related()
        self.targets = row.get("addresses") or []

    def get_phase_display(self):
        return label_of(Phase, self.phase)


class Frozen:
    """A snapshot with the attributes plans/pdf.py reads of a Document; TEAM is the live
    team (its name and level only say which layout section 五 gives it)."""

    def __init__(self, snapshot, team):
        self.kind = snapshot["kind"]
        self.team = team
        self.team_id = team.pk
        self.title = snapshot.get("title") or ""
        self.unit_name = snapshot.get("unit_name") or ""
        self.position_title = snapshot.get("position_title") or ""
        self.dated = _date(snapshot.get("dated"))
        self.presided_by_secretary = bool(snapshot.get("presided_by_secretary"))
        self.meeting_name = snapshot.get("meeting_name") or ""
        self.meeting_date = _date(snapshot.get("meeting_date"))
        person = snapshot.get("person")
        self.person_id = 1 if person else None
        self.person = SimpleNamespace(name=person) if person else None
        self.attachments = Related()  # printed by print_snapshot, from the snapshot


def _frozen_sections(snapshot, batches):
    grouped, by_uid, n = {}, {}, 0
    for code, rows in (snapshot.get("sections") or {}).items():
        items = []
        for position, row in enumerate(rows):
            n += 1
            item = FrozenItem(row, n, position, batches)
            items.append(item)
            by_uid[item.uid] = item
        grouped[code] = items
    for items in grouped.values():
        for item in items:
            item.addresses = Related(by_uid[uid] for uid in item.targets if uid in by_uid)
    return grouped


def _batches(snapshot):
    names = set()
    for each in [snapshot, *(snapshot.get("attachments") or [])]:
        for rows in (each.get("sections") or {}).values():
            names.update(row["special_task"] for row in rows if row.get("special_task"))
    return dict(SpecialTask.objects.filter(name__in=names).values_list("name", "batch")) if names else {}


def print_snapshot(snapshot, team, label="", batches=None):
    """plans.pdf.Printed of SNAPSHOT (and its attachments, 附件1、2), as plans.pdf.printed
    prints a document."""
    batches = _batches(snapshot) if batches is None else batches
    document = Frozen(snapshot, team)
    result = pdf.BUILDERS[document.kind](document, _frozen_sections(snapshot, batches))
    result.label = label
    attachments = sorted(
        snapshot.get("attachments") or [],
        key=lambda a: ATTACHMENTS.index(a["kind"]) if a["kind"] in ATTACHMENTS else len(ATTACHMENTS),
    )
    for index, attachment in enumerate(attachments, start=1):
        result.annexes.append((index, attachment.get("title", "")))
        result.attachments.append(print_snapshot(attachment, team, _("附件%(n)d") % {"n": index}, batches))
    return result


def printed(publication):
    return print_snapshot(publication.version.snapshot, publication.document.team)
