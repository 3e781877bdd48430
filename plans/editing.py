"""Changing a document's content: every save, add, move and delete goes through here.

Each save names the revision it was based on and is a conditional update that must
touch exactly one row: if somebody saved the same item in between, nothing is
written and Conflict carries their version, so the person saving can see both.
A document that is not a draft (or returned for revision) refuses every change.
"""

from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify.auth import display_name

from .models import EDITABLE_STATUSES, MAX_INPUT_CHARS, Document, Input, Item
from .structure import structure_of

ITEM_FIELDS = (
    "category",
    "phase",
    "priority",
    "text",
    "measures",
    "owner",
    "owner_text",
    "unit",
    "deadline",
    "deadline_text",
    "inaction",
    "note",
    "special_task",
    "origin",
    "focus",
)
LINKS = ("answers", "addresses", "claims")
HEADER_FIELDS = (
    "unit_name",
    "position_title",
    "dated",
    "presided_by_secretary",
    "meeting_name",
    "meeting_date",
)


class EditError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


class ReadOnly(EditError):
    def __init__(self, document):
        super().__init__(
            _("《%(title)s》%(status)s，现在不能修改。")
            % {"title": document.title, "status": document.get_status_display()}
        )


class Conflict(EditError):
    """Somebody else changed (or removed) the row since it was loaded; CURRENT is theirs."""

    def __init__(self, current):
        self.current = current
        if current is None:
            message = _("这一条已被他人删除。您填写的内容仍在下面，可以另存为新的一条。")
        else:
            who = display_name(current.updated_by)
            message = _("这一条刚被%(who)s修改过。请对照两个版本，选择保留哪一个。") % {
                "who": who or _("他人")
            }
        super().__init__(message)


def _lock_editable(document_id):
    """Lock the document row for this transaction and make sure it may still change."""
    document = Document.objects.select_for_update().get(pk=document_id)
    if document.status not in EDITABLE_STATUSES:
        raise ReadOnly(document)
    return document


def _touch(document_id, user):
    Document.objects.filter(pk=document_id).update(updated_at=timezone.now(), updated_by=user)


@transaction.atomic
def save_item(user, item, revision, values, links=None):
    """Write VALUES (and LINKS: {"answers": [...], …}) over ITEM if it is still at REVISION."""
    _lock_editable(item.document_id)
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"not item fields: {unknown}")
    touched = Item.objects.filter(pk=item.pk, revision=revision).update(
        **values, revision=F("revision") + 1, updated_by=user, updated_at=timezone.now()
    )
    if touched != 1:
        raise Conflict(Item.objects.select_related("updated_by__person").filter(pk=item.pk).first())
    for name, targets in (links or {}).items():
        if name not in LINKS:
            raise ValueError(f"not an item link: {name}")
        getattr(item, name).set(targets)
    _touch(item.document_id, user)
    item.refresh_from_db()
    return item


@transaction.atomic
def add_item(user, document, section, values=None, links=None):
    """Append a new row to SECTION (after the last row of its category, if any)."""
    _lock_editable(document.pk)
    spec = structure_of(document).section(section)
    if spec.single:
        raise ValueError(f"{section} is a text block, not a list")
    values = dict(values or {})
    if spec.categories and values.get("category") not in spec.categories:
        values["category"] = spec.categories[0]
    last = document.items.filter(section=section).aggregate(last=Max("position"))["last"]
    item = Item.objects.create(
        document=document, section=section, position=(last or 0) + 1, updated_by=user, **values
    )
    for name, targets in (links or {}).items():
        getattr(item, name).set(targets)
    _touch(document.pk, user)
    return item


@transaction.atomic
def move_item(user, item, step):
    """Swap ITEM with its neighbour above (step -1) or below (+1) in its section, and in its
    category where the section has categories (a list 条目式 is one run, whatever category
    its rows were once given)."""
    _lock_editable(item.document_id)
    run = Item.objects.select_for_update().filter(document_id=item.document_id, section=item.section)
    if structure_of(item.document).section(item.section).categories:
        run = run.filter(category=item.category)
    siblings = list(run.order_by("position", "id"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index + step
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    # Renumber the whole run: positions may have gaps or ties after imports.
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            Item.objects.filter(pk=sibling.pk).update(position=position)
    _touch(item.document_id, user)
    return True


@transaction.atomic
def delete_item(user, item, revision):
    """Remove ITEM if nobody changed it since REVISION."""
    _lock_editable(item.document_id)
    spec = structure_of(item.document).section(item.section)
    if spec.single:
        raise ValueError("text blocks are emptied, not deleted")
    deleted, _by_model = Item.objects.filter(pk=item.pk, revision=revision).delete()
    if not deleted:
        raise Conflict(Item.objects.select_related("updated_by__person").filter(pk=item.pk).first())
    _touch(item.document_id, user)


@transaction.atomic
def save_header(user, document, revision, values):
    """The document's own fields: 单位, 日期, the standing-committee meeting …"""
    _lock_editable(document.pk)
    unknown = set(values) - set(HEADER_FIELDS)
    if unknown:
        raise ValueError(f"not header fields: {unknown}")
    touched = Document.objects.filter(pk=document.pk, revision=revision).update(
        **values, revision=F("revision") + 1, updated_by=user, updated_at=timezone.now()
    )
    if touched != 1:
        raise EditError(_("文件信息刚被他人修改过，已显示最新内容，请核对后再保存。"))
    document.refresh_from_db()
    return document


# The four responses register ---------------------------------------------------


def _next_position(team, source):
    last = Input.objects.filter(team=team, source=source).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


@transaction.atomic
def add_input(user, team, source, text, person=None, from_supervision=False, explanation=""):
    return Input.objects.create(
        team=team,
        person=person,
        source=source,
        text=text,
        explanation=explanation,
        from_supervision=from_supervision,
        position=_next_position(team, source),
        created_by=user,
    )


@dataclass
class PastedLine:
    """What became of one line of a paste: ADDED (ENTRY), DUPLICATE of an entry already
    on the register or of an earlier line of the paste (SAME, its number), or REFUSED
    (REASON)."""

    number: int  # the line's number in what was pasted, blank lines counted
    text: str
    outcome: str
    reason: str = ""
    same: int | None = None
    entry: Input | None = None


ADDED, DUPLICATE, REFUSED = "added", "duplicate", "refused"
PASTE_OUTCOMES = (ADDED, DUPLICATE, REFUSED)


@transaction.atomic
def add_inputs(user, team, source, lines, person=None, from_supervision=False):
    """Put LINES ([(number, text)], text trimmed) on the register of TEAM (or of PERSON)
    under SOURCE, all in one transaction; return a PastedLine for each line.

    A line whose text an entry of the same source already has (after trimming
    whitespace), or an earlier line of the same paste, is not added again; a line
    longer than one entry may be is refused."""
    existing = {
        text.strip()
        for text in Input.objects.filter(team=team, person=person, source=source).values_list(
            "text", flat=True
        )
    }
    seen = {}
    report = []
    for number, text in lines:
        if len(text) > MAX_INPUT_CHARS:
            reason = _("超过 %(limit)s 字（本行 %(n)s 字），请分成几条登记。") % {
                "limit": intcomma(MAX_INPUT_CHARS),
                "n": intcomma(len(text)),
            }
            report.append(PastedLine(number, text, REFUSED, reason=reason))
        elif text in existing:
            report.append(PastedLine(number, text, DUPLICATE))
        elif text in seen:
            report.append(PastedLine(number, text, DUPLICATE, same=seen[text]))
        else:
            seen[text] = number
            report.append(PastedLine(number, text, ADDED))
    added = [line for line in report if line.outcome == ADDED]
    if added:
        first = _next_position(team, source)
        entries = Input.objects.bulk_create(
            Input(
                team=team,
                person=person,
                source=source,
                text=line.text,
                from_supervision=from_supervision,
                position=first + offset,
                created_by=user,
            )
            for offset, line in enumerate(added)
        )
        for line, entry in zip(added, entries, strict=True):
            line.entry = entry
    return report


@transaction.atomic
def save_input(user, entry, revision, values):
    allowed = {"text", "explanation", "source"}
    if set(values) - allowed:
        raise ValueError(f"not input fields: {set(values) - allowed}")
    touched = Input.objects.filter(pk=entry.pk, revision=revision).update(
        **values, revision=F("revision") + 1
    )
    if touched != 1:
        raise EditError(_("这条意见刚被他人修改过，已显示最新内容，请核对后再保存。"))
    entry.refresh_from_db()
    return entry


@transaction.atomic
def delete_input(user, entry):
    """Remove an input nothing answers yet. Who may (what a supervision group pointed out
    is the group's to remove) is RegisterRight.CHANGE in plans/access.py."""
    if entry.answered_by.exists():
        raise EditError(_("已有问题回应这条意见，请先在问题清单中取消引用，再删除。"))
    entry.delete()
