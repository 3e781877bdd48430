"""What changed between two versions of a document, item by item, and within a changed
field word by word.

Items are matched by their uid (plans.models.Item.uid survives edits and reordering),
so a reworded problem is one changed item, not one removed and one added.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import mark_safe

from plans.structure import structure_named
from plans.words import DEADLINE_DATE, HEADER_FIELDS, ITEM_FIELDS, Priority, value_label

# The fields compared, in the order a change lists them; a deadline is compared both as
# written and as the date it was read as.
COMPARED = (
    "category",
    "phase",
    "priority",
    "text",
    "measures",
    "owner",
    "unit",
    "deadline_text",
    "deadline",
    "inaction",
    "note",
    "special_task",
    "origin",
    "focus",
    "answers",
    "addresses",
    "claims",
)
LABELS = {**ITEM_FIELDS, "deadline_text": ITEM_FIELDS["deadline"], "deadline": DEADLINE_DATE}
FIELDS = tuple((name, LABELS[name]) for name in COMPARED)
HEADER = tuple(HEADER_FIELDS.items())
# What a field reads as in a snapshot taken before the field existed.
BEFORE = {"priority": Priority.NORMAL}


def shown(name, value):
    if isinstance(value, list):
        return f"{len(value)} 条"
    return str(value_label(name, value) or "")


@dataclass
class Change:
    uid: str
    kind: str  # added | removed | changed
    old: dict | None
    new: dict | None
    fields: list = field(default_factory=list)  # [(label, old shown, new shown)]

    @property
    def title(self):
        item = self.new or self.old
        return item["text"] or item["measures"] or item.get("special_task") or ""


@dataclass
class SectionDiff:
    code: str
    title: str
    changes: list
    unchanged: int


@dataclass
class DocumentDiff:
    title: str
    header: list  # [(label, old, new)]
    sections: list
    attachments: list

    @property
    def empty(self):
        return (
            not self.header
            and not any(section.changes for section in self.sections)
            and all(attachment.empty for attachment in self.attachments)
        )

    @property
    def counts(self):
        counts = {"added": 0, "removed": 0, "changed": 0}
        for section in self.sections:
            for change in section.changes:
                counts[change.kind] += 1
        for attachment in self.attachments:
            for kind, n in attachment.counts.items():
                counts[kind] += n
        return counts


WORD = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]+|\s+|.", re.S)


def marked(before, after):
    """BEFORE and AFTER as HTML, the words taken out of BEFORE in <del>, those put into
    AFTER in <ins>. Chinese has no spaces between words: each character counts as one,
    a number or a Latin word as one (20% → 30% changes 20, not the 0)."""
    a, b = WORD.findall(before), WORD.findall(after)
    old, new = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        taken, put = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            old.append(taken)
            new.append(put)
            continue
        if taken:
            old.append(f"<del>{taken}</del>")
        if put:
            new.append(f"<ins>{put}</ins>")
    return _lines("".join(old)), _lines("".join(new))


def _lines(html):
    return mark_safe(html.replace("\n", "<br>"))


def _item_changes(old, new):
    """[(label, before, after)]: each as HTML with what changed marked."""
    changed = []
    for name, label in FIELDS:
        before, after = old.get(name, BEFORE.get(name)), new.get(name, BEFORE.get(name))
        if before != after:
            changed.append((label, *marked(shown(name, before), shown(name, after))))
    return changed


def compare(old, new):
    """DocumentDiff from snapshot OLD to snapshot NEW (plans.documents.snapshot), by the
    sections of the structure NEW was written in (section 五's lighter format or its kind's)."""
    structure = structure_named(new["kind"], new.get("lighter", False))
    sections = []
    for spec in structure.sections:
        before = {item["uid"]: item for item in old["sections"].get(spec.code, [])}
        after = {item["uid"]: item for item in new["sections"].get(spec.code, [])}
        changes, unchanged = [], 0
        for uid, item in after.items():
            if uid not in before:
                changes.append(Change(uid, "added", None, item))
            else:
                fields = _item_changes(before[uid], item)
                if fields:
                    changes.append(Change(uid, "changed", before[uid], item, fields))
                else:
                    unchanged += 1
        for uid, item in before.items():
            if uid not in after:
                changes.append(Change(uid, "removed", item, None))
        sections.append(SectionDiff(spec.code, spec.title, changes, unchanged))
    header = [
        (label, shown(name, old.get(name)), shown(name, new.get(name)))
        for name, label in HEADER
        if old.get(name) != new.get(name)
    ]
    old_attachments = {attachment["kind"]: attachment for attachment in old.get("attachments", [])}
    attachments = [
        compare(old_attachments.get(attachment["kind"], _empty(attachment)), attachment)
        for attachment in new.get("attachments", [])
    ]
    return DocumentDiff(new["title"], header, sections, attachments)


def _empty(like):
    return {**like, "sections": {}, "attachments": []}
