"""Putting what a workbook said into a document, in bulk.

One transaction: either every row is in or none is. Rows are appended after what the
document already holds. Consecutive rows with the same category and problem (a
problem cell merged down several measure rows) make one problem with several measures,
weighed as its first row's 轻重缓急 says and answering (claiming) what its first row names
by text on the document's register (the team's plan). 附件1's tasks are the catalogue's
by their names. A document whose lists have no categories
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

from ..documents import inputs_for
from ..editing import EditError, ReadOnly
from ..models import Document, Item, SpecialTask
from ..structure import (
    INDIVIDUAL_ASPECTS,
    INDIVIDUAL_PROBLEMS,
    TEAM_PROBLEMS,
    structure_of,
    team_document_kind,
)
from ..words import INDIVIDUAL_TITLE, TEAM_TITLE, Category, DocumentKind
from .layout import INDIVIDUAL, INSTITUTION, MEASURE_ONLY, SPECIAL, TEAM, SheetError, normalise

C = Category
FITS = {
    DocumentKind.TEAM_PLAN: TEAM,
    DocumentKind.SIMPLIFIED_PLAN: TEAM,
    DocumentKind.GRASSROOTS_LIST: TEAM,
    DocumentKind.INDIVIDUAL: INDIVIDUAL,
    DocumentKind.SPECIAL_RECTIFICATION: SPECIAL,
    DocumentKind.INSTITUTION_PLAN: INSTITUTION,
}
TABLE_NAMES = {
    TEAM: TEAM_TITLE,
    INDIVIDUAL: INDIVIDUAL_TITLE,
    SPECIAL: DocumentKind.SPECIAL_RECTIFICATION.label,
    INSTITUTION: DocumentKind.INSTITUTION_PLAN.label,
}
# An individual's problem category -> the aspect of the measures that answer it.
ASPECT_FOR = dict(zip(INDIVIDUAL_PROBLEMS, INDIVIDUAL_ASPECTS, strict=True))
INACTION_WORDS = "为官不为"


def check_reading(document, reading):
    """Refuse at the preview what cannot go into DOCUMENT, before anything is written.

    Raises SheetError when the table as a whole does not fit (a document with no table,
    the other of the notice's two tables, a table with no rows); returns the reading's
    row errors together with the rows the document cannot take (a team plan's problem
    with no category, a category the document does not have), in the table's order."""
    return _check(document, reading)[0]


def _check(document, reading):
    """check_reading's errors, and the _Targets the rows' links name."""
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
    targets = _Targets(document, reading.items)
    problems = {}  # the table's problems by their text, for what a measure's row names
    if any(item.addresses for item in reading.items):
        for item in reading.items:
            problems.setdefault(normalise(item.problem), [item.problem])

    def add(index, item, message):
        error = {"row": item.row, "message": str(message if item.row else _where(None, index) + message)}
        if error not in errors:
            errors.append(error)

    for index, item in enumerate(reading.items):
        message = _category_error(document, item)
        if message is not None:
            add(index, item, message)
        for text in targets.answered(item)[1]:
            add(
                index,
                item,
                _(
                    "回应的意见“%(text)s”不在本文件要回应的意见（“四个回应”）中：请先在台账中登记，或从这一栏删去。"
                )
                % {"text": text},
            )
        for text in _named(item.addresses, problems)[1]:
            add(
                index,
                item,
                _("针对的问题“%(text)s”不是本表中的问题：请核对，或从这一栏删去。") % {"text": text},
            )
        for text in targets.claimed(item)[1]:
            add(
                index,
                item,
                _("认领的班子问题“%(text)s”不是本班子整改方案中的问题：请核对，或从这一栏删去。")
                % {"text": text},
            )
    return sorted(errors, key=lambda error: error["row"] or 0), targets


class _Targets:
    """What the rows' links name by their text: the inputs the document must answer (四个
    回应) and the problems of the team's own plan (an individual's 认领). Each is read in
    one query, and only if a row names one."""

    def __init__(self, document, items):
        self.inputs = {}
        self.problems = {}
        if any(item.answers for item in items):
            for entry in inputs_for(document).order_by("source", "position", "id"):
                self.inputs.setdefault(normalise(entry.text), []).append(entry)
        if any(item.claims for item in items):
            plan_problems = Item.objects.filter(
                document__team_id=document.team_id,
                document__person__isnull=True,
                document__kind=team_document_kind(document.team),
                section="problems",
            ).order_by("category", "position", "id")
            for problem in plan_problems:
                self.problems.setdefault(normalise(problem.text), []).append(problem)

    def answered(self, item):
        return _named(item.answers, self.inputs)

    def claimed(self, item):
        return _named(item.claims, self.problems)


def _named(cell, known):
    """([the objects CELL names, one a line], [the lines that name none]). A text may run
    over several lines: the longest run of lines that names one is taken."""
    lines = [line for line in cell.split("\n") if line.strip()]
    found, unknown, start = [], [], 0
    while start < len(lines):
        for end in range(len(lines), start, -1):
            candidates = [
                each for each in known.get(normalise("".join(lines[start:end])), []) if each not in found
            ]
            if candidates:
                found.append(candidates[0])
                start = end
                break
        else:
            unknown.append(lines[start].strip())
            start += 1
    return found, unknown


def import_reading(user, document, reading, stamp=None):
    """Add READING's rows to DOCUMENT as USER; return how many rows were imported.

    Raises SheetError (nothing written) if the reading does not fit the document, has
    rows with errors, or the document may not be changed. STAMP: the document's
    updated_at when the preview was shown; a document changed since is refused, for a
    second confirmation or somebody's edit in between would import the rows twice."""
    errors, targets = _check(document, reading)
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
            importer = _Importer(user, current, targets)
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
    # A team plan's measure that answers no problem may be under 推进专项整治和建章立制;
    # an individual's is under the category of the problems its aspect answers.
    if (
        item.category
        and item.category not in allowed
        and (item.problem or document.kind == DocumentKind.INDIVIDUAL)
    ):
        return _("《%(title)s》的问题不能归入“%(category)s”，只能是：%(allowed)s。") % {
            "title": document.title,
            "category": Category(item.category).label,
            "allowed": "、".join(str(Category(code).label) for code in sorted(allowed, key=list(C).index)),
        }
    return None


class _Importer:
    def __init__(self, user, document, targets=None):
        self.user = user
        self.document = document
        self.targets = targets or _Targets(document, ())
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
        self.answers = []  # (problem or entry, the input it answers)
        self.claims = []  # (an individual's problem, the team's problem it claims)

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
        if self.answers:
            Item.answers.through.objects.bulk_create(
                Item.answers.through(item_id=item.pk, input_id=entry.pk) for item, entry in self.answers
            )
        if self.claims:
            Item.claims.through.objects.bulk_create(
                Item.claims.through(from_item_id=item.pk, to_item_id=problem.pk)
                for item, problem in self.claims
            )
        Document.objects.filter(pk=self.document.pk).update(updated_at=timezone.now(), updated_by=self.user)

    def owner(self, text):
        if not text:
            return {}
        person = self.people.get(text.strip())
        return {"owner": person} if person else {"owner_text": text.strip()}

    def linked(self, made, item):
        """MADE (a problem or an entry) answering and claiming what ITEM's row names."""
        self.answers.extend((made, entry) for entry in self.targets.answered(item)[0])
        self.claims.extend((made, problem) for problem in self.targets.claimed(item)[0])
        return made

    def run(self, items):
        kind = self.document.kind
        if kind in (DocumentKind.SPECIAL_RECTIFICATION, DocumentKind.INSTITUTION_PLAN):
            return self.tasks(items)
        previous = None  # (category, problem text) and the problem item made for it
        made = {}  # the problems made, by their text
        several = []  # (measure, its row's problem, the problems its row names)
        for item in items:
            if kind == DocumentKind.GRASSROOTS_LIST:
                entry = self.add(
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
                self.linked(entry, item)
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
                    problem = self.linked(self.add("problems", self.problem_values(category, item)), item)
                    previous = (key, problem)
            if problem is not None:
                made.setdefault(normalise(problem.text), [])
                if problem not in made[normalise(problem.text)]:
                    made[normalise(problem.text)].append(problem)
            if item.measures:
                measure = self.add(
                    "measures",
                    self.measure_values(category, item),
                    links={"addresses": [problem]} if problem else None,
                )
                if item.addresses:
                    several.append((measure, problem, item.addresses))
        # A measure answering several problems: the others, wherever they are in the table.
        for measure, problem, cell in several:
            for other in _named(cell, made)[0]:
                if other is not problem:
                    self.links.append((measure, other))

    def tasks(self, items):
        """附件1's special rectification tasks (the catalogue's by their names) or 附件2's."""
        catalogue = {}
        if self.document.kind == DocumentKind.SPECIAL_RECTIFICATION:
            for task in SpecialTask.objects.all():
                catalogue.setdefault(normalise(task.name), task)
        for item in items:
            values = {"measures": item.measures, "unit": item.unit or "", **_deadline(item)}
            if self.document.kind == DocumentKind.SPECIAL_RECTIFICATION:
                task = catalogue.get(normalise(item.problem))
                values |= {"special_task": task} if task else {"text": item.problem}
            else:
                values |= {"text": item.problem, "origin": item.origin or "", "focus": item.focus or ""}
            self.add("tasks", values)

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
        values["unit"] = item.unit or ""
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
