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

from audit.models import Action
from audit.record import record
from rectify.auth import display_name

from .access import body_of
from .models import EDITABLE_STATUSES, MAX_INPUT_CHARS, Document, Input, Item
from .structure import structure_of
from .words import HEADER_FIELDS as HEADER_WORDS
from .words import INPUT_FIELDS as INPUT_WORDS
from .words import ITEM_FIELDS as ITEM_WORDS

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


# The audit of drafting (audit/): every change below leaves an entry with the fields it
# changed, before and after, as the page words them; a deletion leaves the row's last
# values, its tombstone.

# Fields that are rows of their own: compared by id.
RELATED = ("owner", "special_task")
# Fields shown as one: the 责任人 chosen or typed, the deadline as a date or in words.
SHOWN_AS = {"owner_text": "owner", "deadline_text": "deadline"}


def _raw(item, name):
    return getattr(item, f"{name}_id") if name in RELATED else getattr(item, name)


def _plain_value(value):
    return value.pk if hasattr(value, "pk") else value


def _shown(item, name):
    name = SHOWN_AS.get(name, name)
    if name == "owner":
        return item.owner_name
    if name == "special_task":
        return item.special_task.name if item.special_task_id else None
    if name == "deadline":
        return item.deadline_text or item.deadline
    if Item._meta.get_field(name).choices:
        return getattr(item, f"get_{name}_display")()
    return getattr(item, name)


def _audit_state(item, names):
    """{field as the page names it: value as the page shows it} of ITEM's NAMES."""
    return {str(ITEM_WORDS[SHOWN_AS.get(name, name)]): _shown(item, name) for name in names}


def _links_of(item, names):
    """{link as the page names it: [the start of each linked row's text]} of NAMES."""
    return {
        str(ITEM_WORDS[name]): sorted(
            " ".join(text.split())[:40] for text in getattr(item, name).values_list("text", flat=True)
        )
        for name in names
    }


def _item_subject(item, document):
    spec = structure_of(document).section(item.section)
    words = " ".join((item.text or item.measures or "").split())
    return f"{spec.title}：{words[:40]}" if words else spec.title


def _item_record(user, action, item, document, before=None, after=None):
    record(
        user,
        action,
        org_id=document.team.org_id,
        document_id=document.pk,
        subject=_item_subject(item, document),
        subject_type="item",
        subject_id=item.pk,
        before=before,
        after=after,
    )


def item_state(item):
    """ITEM's values as the audit keeps them, every field filled and its links."""
    names = [
        name for name in ITEM_FIELDS if name not in SHOWN_AS and _shown(item, name) not in (None, "", False)
    ]
    state = _audit_state(item, names)
    state.update({name: texts for name, texts in _links_of(item, LINKS).items() if texts})
    return state


@transaction.atomic
def save_item(user, item, revision, values, links=None):
    """Write VALUES (and LINKS: {"answers": [...], …}) over ITEM if it is still at REVISION."""
    _lock_editable(item.document_id)
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"not item fields: {unknown}")
    # What the row held: ITEM as the request read it, at REVISION if the update below
    # succeeds (it touches nothing otherwise).
    changed = [name for name in values if _raw(item, name) != _plain_value(values[name])]
    before = _audit_state(item, changed)
    touched = Item.objects.filter(pk=item.pk, revision=revision).update(
        **values, revision=F("revision") + 1, updated_by=user, updated_at=timezone.now()
    )
    if touched != 1:
        raise Conflict(Item.objects.select_related("updated_by__person").filter(pk=item.pk).first())
    for name in links or {}:
        if name not in LINKS:
            raise ValueError(f"not an item link: {name}")
    linked_before = _links_of(item, links or {})
    for name, targets in (links or {}).items():
        getattr(item, name).set(targets)
    _touch(item.document_id, user)
    document = item.document
    item.refresh_from_db()
    linked_after = _links_of(item, links or {})
    before.update({name: uids for name, uids in linked_before.items() if uids != linked_after[name]})
    after = _audit_state(item, changed)
    after.update({name: uids for name, uids in linked_after.items() if uids != linked_before[name]})
    if before or after:
        _item_record(user, Action.ITEM_SAVED, item, document, before, after)
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
    _item_record(user, Action.ITEM_ADDED, item, document, after=item_state(item))
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
    _item_record(
        user, Action.ITEM_MOVED, item, item.document, before={"序号": index + 1}, after={"序号": other + 1}
    )
    return True


@transaction.atomic
def delete_item(user, item, revision):
    """Remove ITEM if nobody changed it since REVISION."""
    _lock_editable(item.document_id)
    spec = structure_of(item.document).section(item.section)
    if spec.single:
        raise ValueError("text blocks are emptied, not deleted")
    tombstone = item_state(item)
    deleted, _by_model = Item.objects.filter(pk=item.pk, revision=revision).delete()
    if not deleted:
        raise Conflict(Item.objects.select_related("updated_by__person").filter(pk=item.pk).first())
    _touch(item.document_id, user)
    _item_record(user, Action.ITEM_DELETED, item, item.document, before=tombstone)


@transaction.atomic
def save_header(user, document, revision, values):
    """The document's own fields: 单位, 日期, the standing-committee meeting …"""
    _lock_editable(document.pk)
    unknown = set(values) - set(HEADER_FIELDS)
    if unknown:
        raise ValueError(f"not header fields: {unknown}")
    changed = [name for name in values if getattr(document, name) != values[name]]
    before = {str(HEADER_WORDS[name]): getattr(document, name) for name in changed}
    touched = Document.objects.filter(pk=document.pk, revision=revision).update(
        **values, revision=F("revision") + 1, updated_by=user, updated_at=timezone.now()
    )
    if touched != 1:
        raise EditError(_("文件信息刚被他人修改过，已显示最新内容，请核对后再保存。"))
    document.refresh_from_db()
    if changed:
        record(
            user,
            Action.HEADER_SAVED,
            org_id=document.team.org_id,
            document_id=document.pk,
            subject=document.title,
            subject_type="document",
            subject_id=document.pk,
            before=before,
            after={str(HEADER_WORDS[name]): getattr(document, name) for name in changed},
        )
    return document


# The four responses register ---------------------------------------------------


def _next_position(team, source):
    last = Input.objects.filter(team=team, source=source).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


@transaction.atomic
def add_input(user, team, source, text, person=None, from_supervision=False, explanation=""):
    entry = Input.objects.create(
        team=team,
        person=person,
        source=source,
        text=text,
        explanation=explanation,
        from_supervision=from_supervision,
        added_by_body=body_of(user, team) if from_supervision else None,
        position=_next_position(team, source),
        created_by=user,
    )
    _input_record(user, Action.INPUT_ADDED, entry, team, after=_input_state(entry))
    return entry


def _input_state(entry, names=("source", "text", "explanation")):
    state = {
        str(INPUT_WORDS[name]): entry.get_source_display() if name == "source" else getattr(entry, name)
        for name in names
        if getattr(entry, name)
    }
    if entry.from_supervision and len(names) == 3:
        state[str(_("点明的督导机构"))] = (
            str(entry.added_by_body) if entry.added_by_body_id else display_name(entry.created_by)
        )
    return state


def _input_record(user, action, entry, team, before=None, after=None):
    words = " ".join(entry.text.split())
    record(
        user,
        action,
        org_id=team.org_id,
        subject=f"{team.name}的登记簿：{words[:40]}",
        subject_type="input",
        subject_id=entry.pk,
        before=before,
        after=after,
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
        body = body_of(user, team) if from_supervision else None
        first = _next_position(team, source)
        entries = Input.objects.bulk_create(
            Input(
                team=team,
                person=person,
                source=source,
                text=line.text,
                from_supervision=from_supervision,
                added_by_body=body,
                position=first + offset,
                created_by=user,
            )
            for offset, line in enumerate(added)
        )
        for line, entry in zip(added, entries, strict=True):
            line.entry = entry
            _input_record(user, Action.INPUT_ADDED, entry, team, after=_input_state(entry))
    return report


@transaction.atomic
def save_input(user, entry, revision, values):
    allowed = {"text", "explanation", "source"}
    if set(values) - allowed:
        raise ValueError(f"not input fields: {set(values) - allowed}")
    changed = [name for name in values if getattr(entry, name) != values[name]]
    before = _input_state(entry, changed)
    touched = Input.objects.filter(pk=entry.pk, revision=revision).update(
        **values, revision=F("revision") + 1
    )
    if touched != 1:
        raise EditError(_("这条意见刚被他人修改过，已显示最新内容，请核对后再保存。"))
    entry.refresh_from_db()
    if changed:
        after = _input_state(entry, changed)
        _input_record(user, Action.INPUT_SAVED, entry, entry.team, before=before, after=after)
    return entry


@transaction.atomic
def delete_input(user, entry):
    """Remove an input nothing answers yet. Who may (what a supervision group pointed out
    is the group's to remove) is RegisterRight.CHANGE in plans/access.py."""
    if entry.answered_by.exists():
        raise EditError(_("已有问题回应这条意见，请先在问题清单中取消引用，再删除。"))
    tombstone = _input_state(entry)
    _input_record(user, Action.INPUT_DELETED, entry, entry.team, before=tombstone)
    entry.delete()
