"""Putting what a workbook said into a document, in bulk.

One transaction: either every row is in or none is. Rows are appended after what the
document already holds. Consecutive rows with the same category and problem (a
problem cell merged down several measure rows) make one problem with several measures,
weighed as its first row's 轻重缓急 says. A document whose lists have no categories
(section 五's lighter individual measures) takes the rows 条目式: a category heading in
the file does not go into it.

The rows are written as plans.editing.add_item writes one (the same position after the
last of its section, the same default category, updated_by, the links, the document
touched), but all at once: the items in one bulk insert, the measures' links to their
problems in another, the document updated once. However many rows, the write costs the
same few queries (the database's own limit on one statement's parameters apart: SQLite
takes some 1,400 items to an insert).
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.models import Position

from ..editing import EditError, ReadOnly
from ..models import Document, Item
from ..structure import INDIVIDUAL_ASPECTS, INDIVIDUAL_PROBLEMS, TEAM_PROBLEMS, structure_of
from ..words import INDIVIDUAL_TITLE, TEAM_TITLE, Category, DocumentKind
from .layout import INDIVIDUAL, TEAM, SheetError, normalise
from .reading import MEASURE_ONLY

C = Category
FITS = {
    DocumentKind.TEAM_PLAN: TEAM,
    DocumentKind.SIMPLIFIED_PLAN: TEAM,
    DocumentKind.GRASSROOTS_LIST: TEAM,
    DocumentKind.INDIVIDUAL: INDIVIDUAL,
}
TABLE_NAMES = {TEAM: TEAM_TITLE, INDIVIDUAL: INDIVIDUAL_TITLE}
# An individual's problem category -> the aspect of the measures that answer it.
ASPECT_FOR = dict(zip(INDIVIDUAL_PROBLEMS, INDIVIDUAL_ASPECTS, strict=True))
INACTION_WORDS = "为官不为"


def check_reading(document, reading):
    """Refuse at the preview what cannot go into DOCUMENT, before anything is written.

    Raises SheetError when the table as a whole does not fit (a document with no table,
    the other of the notice's two tables, a table with no rows); returns the reading's
    row errors together with the rows the document cannot take (a team plan's problem
    with no category, a category the document does not have), in the table's order."""
    fit = FITS.get(document.kind)
    if fit is None:
        raise SheetError(_("《%(title)s》不能从表格导入。") % {"title": document.title})
    if reading.kind != fit:
        raise SheetError(
            _("这是一张%(table)s，不能导入《%(title)s》；请上传%(expected)s。")
            % {"table": TABLE_NAMES[reading.kind], "title": document.title, "expected": TABLE_NAMES[fit]}
        )
    if not reading.items:
        raise SheetError(
            _("表格中没有可导入的内容：表头下面还没有填写任何一行。请在%(table)s的表头下逐行填写后再上传。")
            % {"table": TABLE_NAMES[fit]}
        )
    errors = list(reading.errors)
    for index, item in enumerate(reading.items):
        message = _category_error(document, item)
        if message is None:
            continue
        error = {"row": item.row, "message": str(message if item.row else _where(None, index) + message)}
        if error not in errors:
            errors.append(error)
    return sorted(errors, key=lambda error: error["row"] or 0)


def import_reading(user, document, reading, stamp=None):
    """Add READING's rows to DOCUMENT as USER; return how many rows were imported.

    Raises SheetError (nothing written) if the reading does not fit the document, has
    rows with errors, or the document may not be changed. STAMP: the document's
    updated_at when the preview was shown; a document changed since is refused, for a
    second confirmation or somebody's edit in between would import the rows twice."""
    errors = check_reading(document, reading)
    if errors:
        shown = "；".join(_where(error["row"], None) + error["message"].rstrip("。") for error in errors[:5])
        more = _("等 %(count)s 处") % {"count": len(errors)} if len(errors) > 5 else ""
        raise SheetError(_("表格中有问题，未导入：%(errors)s%(more)s。") % {"errors": shown, "more": more})
    try:
        with transaction.atomic():
            current = (
                Document.objects.select_for_update(of=("self",))
                .select_related("team__org")
                .get(pk=document.pk)
            )
            if not current.editable:
                raise ReadOnly(current)
            if stamp is not None and current.updated_at != stamp:
                raise SheetError(stale_preview())
            importer = _Importer(user, current)
            importer.run(reading.items)
            importer.write()
    except EditError as error:
        raise SheetError(error.message) from error
    document.refresh_from_db()
    return len(reading.items)


def stale_preview():
    """What a confirmation of a preview older than the document's last change is told."""
    return _("预览之后本文件已有改动（或已经导入过），为避免重复导入，请重新上传并核对预览。")


def _where(row, index):
    if row:
        return _("第%(row)s行：") % {"row": row}
    if index is not None:
        return _("第%(n)s条：") % {"n": index + 1}
    return ""


def _categorised(document):
    """Whether DOCUMENT's problems fall under categories (its structure's)."""
    problems = structure_of(document).problems
    return problems is not None and "category" in problems.fields


def _category_error(document, item):
    """Why DOCUMENT cannot take ITEM's category, or None."""
    if not _categorised(document):
        return None
    if document.kind == DocumentKind.TEAM_PLAN:
        allowed = TEAM_PROBLEMS
        if item.category is None:
            return _("领导班子整改方案的每个问题都要有问题类别，这一行没有填写“问题类别”。")
    elif document.kind == DocumentKind.INDIVIDUAL:
        allowed = INDIVIDUAL_PROBLEMS
    else:
        return None
    if item.category and (
        (item.problem and item.category not in allowed)
        or (not item.problem and document.kind == DocumentKind.INDIVIDUAL)
    ):
        return _("《%(title)s》的问题不能归入“%(category)s”，只能是：%(allowed)s。") % {
            "title": document.title,
            "category": Category(item.category).label,
            "allowed": "、".join(str(Category(code).label) for code in sorted(allowed, key=list(C).index)),
        }
    return None


class _Importer:
    def __init__(self, user, document):
        self.user = user
        self.document = document
        self.categorised = _categorised(document)
        people = {}
        for position in Position.objects.filter(team_id=document.team_id, active=True).select_related(
            "person"
        ):
            people.setdefault(position.person.name, set()).add(position.person)
        # A name two people share in the team stays text: which one is meant is not ours to guess.
        self.people = {name: found.pop() for name, found in people.items() if len(found) == 1}
        self.items = []  # the new rows, in the order they are appended
        self.links = []  # (measure, the problem it addresses)

    def add(self, section, values, links=None):
        """A new row of SECTION, kept to be written with the others (as add_item would
        write it: a list's category defaults to its first)."""
        spec = structure_of(self.document).section(section)
        if spec.single:
            raise ValueError(f"{section} is a text block, not a list")
        values = dict(values)
        if spec.categories and values.get("category") not in spec.categories:
            values["category"] = spec.categories[0]
        item = Item(document=self.document, section=section, updated_by=self.user, **values)
        self.items.append(item)
        for problem in (links or {}).get("addresses", ()):
            self.links.append((item, problem))
        return item

    def write(self):
        """Write the rows kept: after the last row of each section, in one insert; their
        links in another; the document touched once."""
        if not self.items:
            return
        last = dict(
            self.document.items.filter(section__in={item.section for item in self.items})
            .order_by()
            .values_list("section")
            .annotate(last=Max("position"))
        )
        for item in self.items:
            last[item.section] = last.get(item.section, 0) + 1
            item.position = last[item.section]
        Item.objects.bulk_create(self.items)
        Item.addresses.through.objects.bulk_create(
            Item.addresses.through(from_item_id=measure.pk, to_item_id=problem.pk)
            for measure, problem in self.links
        )
        Document.objects.filter(pk=self.document.pk).update(updated_at=timezone.now(), updated_by=self.user)

    def owner(self, text):
        if not text:
            return {}
        person = self.people.get(text.strip())
        return {"owner": person} if person else {"owner_text": text.strip()}

    def run(self, items):
        kind = self.document.kind
        previous = None  # (category, problem text) and the problem item made for it
        for item in items:
            if kind == DocumentKind.GRASSROOTS_LIST:
                self.add(
                    "entries",
                    {
                        "text": item.problem,
                        "measures": item.measures,
                        **self.owner(item.owner),
                        **_deadline(item),
                        "note": item.note or "",
                        **_priority(item),
                    },
                )
                continue
            if not self.categorised:
                category = ""
            elif kind == DocumentKind.INDIVIDUAL:
                category = item.category or C.FOUR_WINDS
            else:
                category = item.category
            problem = None
            if item.problem:
                key = (category, normalise(item.problem))
                if previous and previous[0] == key:
                    problem = previous[1]
                else:
                    problem = self.add("problems", self.problem_values(category, item))
                    previous = (key, problem)
            if item.measures:
                self.add(
                    "measures",
                    self.measure_values(category, item),
                    links={"addresses": [problem]} if problem else None,
                )

    def problem_values(self, category, item):
        values = {"text": item.problem, **_priority(item)}
        if category:
            values["category"] = category
        if self.document.kind == DocumentKind.INDIVIDUAL:
            values["inaction"] = _inaction(item.note)
        return values

    def measure_values(self, category, item):
        values = {"text": item.measures, **_deadline(item)}
        if self.document.kind == DocumentKind.INDIVIDUAL:
            if self.categorised:
                values["category"] = ASPECT_FOR.get(category, C.STYLE_AND_FOUR_WINDS)
            values["inaction"] = _inaction(item.note)
            values["note"] = _without_inaction(item.note)
            return values
        if category:
            values["category"] = category if category in TEAM_PROBLEMS or category in MEASURE_ONLY else ""
        values.update(self.owner(item.owner))
        values["note"] = item.note or ""
        return values


def _deadline(item):
    return {"deadline": item.deadline, "deadline_text": item.deadline_text}


def _priority(item):
    """The row's 轻重缓急, if it gave one; a problem not weighed is 一般 (the model's default)."""
    return {"priority": item.priority} if item.priority else {}


def _inaction(note):
    return bool(note) and INACTION_WORDS in normalise(note)


def _without_inaction(note):
    """备注 without the line that only marks "为官不为"."""
    kept = []
    for line in (note or "").split("\n"):
        key = normalise(line)
        if INACTION_WORDS not in key or len(key) > len(INACTION_WORDS) + 4:
            kept.append(line)
    return "\n".join(kept).strip()
