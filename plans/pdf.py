"""Documents printed as official documents (公文), in the GB/T 9704-2012 page layout.

    kept_pdf(document, retry=False) -> rectify.models.Rendering, the document's print as
                           it stands, printed once on the worker and kept (rectify.renderings)
    stamp(document)        -> str, what changes whenever the print would
    render_pdf(document)   -> bytes, the PDF (with its attachments, for a team plan), here
    render_html(document)  -> str, the HTML handed to WeasyPrint
    pdf_filename(document) -> str, "中共长沙县委常委班子整改方案.pdf"

The page itself (A4, margins, fonts, 22 lines of 28 characters, page numbers at the
outer edge) is static/css/official.css; the layout of each kind is a template under
templates/plans/pdf/. This module turns a document into what those templates print:
it walks the document's structure (plans.structure.structure_of) in order, so a section
added there still prints (under its own title) before anyone writes a layout for it, and
section 五's lighter individual measures print their lists 条目式, without blocks.

The cost is a fixed number of queries whatever the length of the document:
items_by_section prefetches every link the tables need.

User text reaches the templates only as text (autoescaping stays on), and WeasyPrint
loads nothing but our own static files (rectify.fetcher).
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rectify import renderings
from rectify.dates import chinese_date, deadline_label

from .documents import items_by_section, numbered_problems, problem_numbers
from .models import Document
from .structure import ATTACHMENTS, TEAM_ASPECTS, structure_of
from .words import (
    COMPLETION,
    CONTINUED,
    FIELD_SHORT,
    HEADER_FIELDS,
    INDIVIDUAL_ASPECT_TITLES,
    INDIVIDUAL_TABLE,
    INDIVIDUAL_TITLE,
    ITEM_FIELDS,
    NUMBER,
    SPECIAL_MEASURES,
    SPECIAL_TASK_SHORT,
    TABLE_CATEGORY,
    TEAM_ASPECT_TITLES,
    TEAM_TABLE,
    TEAM_TITLE,
    Batch,
    Category,
    DocumentKind,
    Focus,
    Origin,
    Priority,
    text_label,
)

DIGITS = "零一二三四五六七八九"


def chinese_numeral(n):
    """1 -> 一, 10 -> 十, 16 -> 十六, 42 -> 四十二 (what section headings count with)."""
    if n < 10:
        return DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")
    return str(n)


def paragraphs(text):
    """A text block as paragraphs: one per non-empty line, the indent left to the CSS."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def pdf_filename(document):
    """The document's title as a file name, without characters file systems refuse."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', "", document.title).strip(" .")
    return f"{name or _('整改文件')}.pdf"


def render_html(document):
    return render_to_string("plans/pdf/document.html", {"doc": printed(document)})


def render_pdf(document):
    return renderings.write_pdf(render_html(document))


def stamp(document):
    """What changes whenever DOCUMENT's print would: the revision and last change of the
    document and of each attachment it prints (every edit touches its document's
    updated_at, plans.editing), and the name of an individual plan's person. An approved
    document no longer changes, so its print is kept for good. One query."""
    rows = Document.objects.filter(Q(pk=document.pk) | Q(parent=document.pk)).order_by("pk")
    parts = [
        f"{pk}.{revision}.{updated:%Y%m%d%H%M%S%f}"
        for pk, revision, updated in rows.values_list("pk", "revision", "updated_at")
    ]
    if document.person_id:
        parts.append(document.person.name)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def kept_pdf(document, retry=False):
    """DOCUMENT's print as it stands, kept or queued on the worker (rectify.renderings)."""
    return renderings.ensure(
        f"plans.document:{document.pk}", stamp(document), print_document, document.pk, retry=retry
    )


@task()
def print_document(rendering_id, document_id):
    """On the worker: print the document as it stands now and keep it."""
    renderings.render(rendering_id, lambda: render_html(Document.objects.get(pk=document_id)))


# What the templates print -----------------------------------------------------------


@dataclass
class Entry:
    """One numbered entry of a list printed as paragraphs."""

    number: int
    text: str
    inaction: bool = False
    details: list = field(default_factory=list)  # ("责任人", "夏海波"), …


@dataclass
class Part:
    """Something printed under a heading: paragraphs, a subheading, a list, a table."""

    kind: str  # "text", "subheading", "entries", "table", "note"
    heading: str = ""
    paragraphs: list = field(default_factory=list)
    entries: list = field(default_factory=list)
    table: object = None


@dataclass
class Block:
    heading: str  # "一、整改指导思想和基本原则"
    parts: list = field(default_factory=list)


@dataclass
class Printed:
    kind: str
    title: str
    date: str = ""
    signature: str = ""
    subtitle: str = ""
    byline: list = field(default_factory=list)  # ("姓名", "欧阳明辉"), …
    blocks: list = field(default_factory=list)
    tables: list = field(default_factory=list)  # tables printed after the text, each on a new page
    annexes: list = field(default_factory=list)  # (number, title) of the attachments, for 附件说明
    attachments: list = field(default_factory=list)  # Printed, each with label 附件N
    label: str = ""  # 附件1 when printed as an attachment

    @property
    def template(self):
        return f"plans/pdf/_{self.kind}.html"


@dataclass
class Table:
    """A table in one of the notice's layouts; TEMPLATE names the partial that draws it,
    HEADERS are its columns' headers."""

    template: str
    headers: tuple = ()
    caption: str = ""
    unit: str = ""
    date: str = ""
    byline: list = field(default_factory=list)
    rows: list = field(default_factory=list)


def _owner(item):
    return item.owner_name


def _deadline(item):
    return deadline_label(item.deadline, item.deadline_text)


def _priority(item):
    """A problem's 轻重缓急 (急, 重, 一般)."""
    return str(Priority(item.priority).label) if item.priority in Priority.values else ""


# The tables print a problem's 轻重缓急 in a column after the notice's own, as the Excel does.
PRIORITY_HEADER = ITEM_FIELDS["priority"]


def _heading(number, title):
    return f"{chinese_numeral(number)}、{title}"


def _subheading(number, title):
    return f"（{chinese_numeral(number)}）{title}"


def _section_title(section):
    """'第一版块 问题清单' -> '问题清单': the structure's titles carry the notice's block names."""
    return str(section.title).split(" ", 1)[-1]


def _by_category(items, order):
    """[(category, [items])] in ORDER, then any other category the items use."""
    groups = {}
    for item in items:
        groups.setdefault(item.category, []).append(item)
    known = [code for code in order if code in groups]
    return [(code, groups[code]) for code in known + [code for code in groups if code not in order]]


def _headers(table):
    return tuple(header for _field, header in table)


def _category_label(code):
    return Category(code).label if code in Category.values else (code or _("其他"))


def _table_category(code):
    """A category as the notice's table (and the Excel) names it."""
    return TABLE_CATEGORY.get(code) or _category_label(code)


def _addressed(measures):
    """{problem pk: [measures addressing it]} from the prefetched links."""
    addressed = {}
    for measure in measures:
        for problem in measure.addresses.all():
            addressed.setdefault(problem.pk, []).append(measure)
    return addressed


# Each kind --------------------------------------------------------------------------


def printed(document, label=""):
    sections = items_by_section(document)
    build = BUILDERS[document.kind]
    result = build(document, sections)
    result.label = label
    return result


def _common(document):
    return Printed(
        kind=document.kind,
        title=document.title,
        date=chinese_date(document.dated),
        signature=document.unit_name,
    )


def _generic_part(section, items):
    """A section no layout knows yet: its text, or its items as a numbered list."""
    if section.single:
        return Part("text", paragraphs=paragraphs(items[0].text) if items else [])
    entries = []
    for number, item in enumerate(items, start=1):
        text = item.text or item.measures or (item.special_task.name if item.special_task_id else "")
        details = [
            (label, value)
            for label, value in (
                (PRIORITY_HEADER, _priority(item) if "priority" in section.fields else ""),
                (ITEM_FIELDS["owner"], _owner(item)),
                (FIELD_SHORT["deadline"], _deadline(item)),
            )
            if value
        ]
        entries.append(Entry(number, text, item.inaction, details))
    return Part("entries", entries=entries)


TEAM_BLOCKS = (
    (gettext_lazy("整改指导思想和基本原则"), ("principles",)),
    (gettext_lazy("整改总体目标和具体路径"), ("goal_near", "goal_mid", "goal_long", "phase_tasks")),
    (gettext_lazy("查摆出的主要问题"), ("problems",)),
    (gettext_lazy("整改主要内容、责任分工和时限要求"), ("measures",)),
    (gettext_lazy("加强领导班子自身建设的措施"), ("self_building",)),
    (gettext_lazy("加强对整改工作的组织领导"), ("leadership",)),
)
TEAM_SUBHEADINGS = {
    "goal_near": gettext_lazy("近期目标"),
    "goal_mid": gettext_lazy("中期目标"),
    "goal_long": gettext_lazy("长期目标"),
    "phase_tasks": gettext_lazy("分阶段整改主要任务和措施"),
}


def team_table(document, problems, measures, date):
    """领导班子整改问题清单: one row per measure against a problem; the problem spans its
    measures' rows and the category (with its 序号) spans its problems'."""
    addressed = _addressed(measures)
    numbers = problem_numbers(structure_of(document), problems)
    rows = []
    for number, (category, items) in enumerate(_by_category(problems, TEAM_ASPECTS), start=1):
        first_of_category = len(rows)
        for problem in items:
            answers = addressed.get(problem.pk) or [None]
            for index, measure in enumerate(answers):
                rows.append(
                    {
                        "category": None,
                        "problem": {
                            "number": numbers[problem.pk],
                            "text": problem.text,
                            "rowspan": len(answers),
                            "priority": _priority(problem),
                        }
                        if index == 0
                        else None,
                        "measure": measure
                        and {
                            "text": measure.text,
                            "owner": _owner(measure),
                            "unit": measure.unit,
                            "deadline": _deadline(measure),
                        },
                    }
                )
        rows[first_of_category]["category"] = {
            "number": number,
            "label": _table_category(category),
            "continued": f"{_table_category(category)}{CONTINUED}",
            "rowspan": len(rows) - first_of_category,
        }
    return Table(
        "plans/pdf/_team_table.html",
        (*_headers(TEAM_TABLE), PRIORITY_HEADER),
        TEAM_TITLE,
        unit=document.unit_name,
        date=date,
        rows=rows,
    )


def _measure_entries(items, problem_numbers=None):
    entries = []
    for number, item in enumerate(items, start=1):
        details = []
        if problem_numbers is not None:
            targets = sorted(problem_numbers[p.pk] for p in item.addresses.all() if p.pk in problem_numbers)
            if targets:
                details.append((FIELD_SHORT["addresses"], "、".join(f"第{n}条" for n in targets)))
        for label, value in (
            (ITEM_FIELDS["owner"], _owner(item)),
            (ITEM_FIELDS["unit"], item.unit),
            (ITEM_FIELDS["deadline"], _deadline(item)),
        ):
            if value:
                details.append((label, value))
        entries.append(Entry(number, item.text, item.inaction, details))
    return entries


def _team_measures(measures):
    """第四块 after the table: a pointer to it, then the measures that address no problem
    (推进专项整治和建章立制 above all), under their aspect's number in the notice."""
    if not measures:
        return []
    loose = [item for item in measures if not item.addresses.all()]
    parts = [
        Part(
            "note",
            paragraphs=[
                _("针对问题清单逐条提出的整改任务和措施、责任人和整改时限，见上表；其他整改措施如下。")
                if loose
                else _("针对问题清单逐条提出的整改任务和措施、责任人和整改时限，见上表。")
            ],
        )
    ]
    for category, group in _by_category(loose, TEAM_ASPECTS):
        index = TEAM_ASPECTS.index(category) + 1 if category in TEAM_ASPECTS else len(TEAM_ASPECTS) + 1
        title = TEAM_ASPECT_TITLES.get(category) or _category_label(category)
        parts.append(Part("subheading", heading=_subheading(index, title)))
        parts.append(Part("entries", entries=_measure_entries(group)))
    return parts


def team_plan(document, sections):
    result = _common(document)
    structure = structure_of(document)
    if document.presided_by_secretary or document.meeting_name:
        said = []
        if document.presided_by_secretary:
            said.append(str(HEADER_FIELDS["presided_by_secretary"]))
        if document.meeting_name:
            said.append(
                _("%(date)s%(meeting)s集体研究讨论")
                % {"date": chinese_date(document.meeting_date), "meeting": document.meeting_name}
            )
        result.subtitle = "，".join(said)
    covered = set()
    number = 0
    for title, codes in TEAM_BLOCKS:
        number += 1
        block = Block(_heading(number, title))
        sub = 0
        for code in codes:
            try:
                section = structure.section(code)
            except KeyError:
                continue
            covered.add(code)
            items = sections.get(code) or []
            if code in TEAM_SUBHEADINGS:
                sub += 1
                block.parts.append(Part("subheading", heading=_subheading(sub, TEAM_SUBHEADINGS[code])))
            if code == "phase_tasks":
                entries = []
                for n, item in enumerate(items, start=1):
                    phase = item.get_phase_display() if item.phase else ""
                    details = [(FIELD_SHORT["deadline"], _deadline(item))] if _deadline(item) else []
                    entries.append(Entry(n, f"{phase}：{item.text}" if phase else item.text, details=details))
                block.parts.append(Part("entries", entries=entries))
            elif code == "problems":
                table = team_table(document, items, sections.get("measures") or [], result.date)
                block.parts.append(Part("table", table=table))
            elif code == "measures":
                block.parts.extend(_team_measures(items))
            else:
                block.parts.append(_generic_part(section, items))
        result.blocks.append(block)
    for section in structure.sections:
        if section.code not in covered:
            number += 1
            result.blocks.append(
                Block(
                    _heading(number, _section_title(section)),
                    [_generic_part(section, sections.get(section.code) or [])],
                )
            )
    # 附件1 is the 专项整治工作方案 and 附件2 the 制度建设计划, as the notice numbers them.
    numbered = sorted(
        (ATTACHMENTS.index(a.kind) + 1 if a.kind in ATTACHMENTS else len(ATTACHMENTS) + a.pk, a)
        for a in document.attachments.all()
    )
    for index, attachment in numbered:
        result.annexes.append((index, attachment.title))
        result.attachments.append(printed(attachment, label=_("附件%(n)d") % {"n": index}))
    return result


def simplified_plan(document, sections):
    result = _common(document)
    structure = structure_of(document)
    numbers = problem_numbers(structure, sections.get("problems") or [])
    for number, section in enumerate(structure.sections, start=1):
        items = sections.get(section.code) or []
        block = Block(_heading(number, _section_title(section)))
        if section.code == "measures":
            block.parts.append(Part("entries", entries=_measure_entries(items, numbers)))
        else:
            block.parts.append(_generic_part(section, items))
        result.blocks.append(block)
    return result


def grassroots_list(document, sections):
    """整改清单: the table alone, under the title; 单位 above it, the date below."""
    result = _common(document)
    rows = [
        {
            "number": n,
            "text": item.text,
            "measures": item.measures,
            "owner": _owner(item),
            "deadline": _deadline(item),
            "priority": _priority(item),
        }
        for n, item in enumerate(sections.get("entries") or [], start=1)
    ]
    headers = (
        NUMBER,
        text_label("problems"),
        ITEM_FIELDS["measures"],
        ITEM_FIELDS["owner"],
        ITEM_FIELDS["deadline"],
        PRIORITY_HEADER,
    )
    table = Table("plans/pdf/_grassroots_table.html", headers, unit=document.unit_name, rows=rows)
    result.blocks.append(Block("", [Part("table", table=table)]))
    extra = [s for s in structure_of(document).sections if s.code != "entries"]
    for number, section in enumerate(extra, start=1):
        part = _generic_part(section, sections.get(section.code) or [])
        result.blocks.append(Block(_heading(number, _section_title(section)), [part]))
    return result


def individual(document, sections):
    result = _common(document)
    person = document.person.name if document.person_id else ""
    result.signature = person
    result.byline = [(_("姓名"), person), (HEADER_FIELDS["position_title"], document.position_title)]
    structure = structure_of(document)
    problems = sections.get("problems") or []
    measures = sections.get("measures") or []
    numbered = numbered_problems(structure, problems)
    numbers = {problem.pk: number for number, problem in numbered}
    for number, section in enumerate(structure.sections, start=1):
        items = sections.get(section.code) or []
        block = Block(_heading(number, _section_title(section)))
        if section.code in ("problems", "measures"):
            block.parts.extend(_individual_list(section, items, numbers))
        else:
            block.parts.append(_generic_part(section, items))
        result.blocks.append(block)

    # 领导干部个人整改清单: one row per measure against a problem, the problem spanning them;
    # measures against no problem close the table.
    addressed = _addressed(measures)
    rows = []
    for number, problem in numbered:
        answers = addressed.get(problem.pk) or [None]
        for index, measure in enumerate(answers):
            rows.append(_individual_row(number, problem if index == 0 else None, len(answers), measure))
    number = len(numbered)
    for measure in measures:
        if not measure.addresses.all():
            number += 1
            rows.append(_individual_row(number, None, 1, measure, alone=True))
    result.tables.append(
        Table(
            "plans/pdf/_individual_table.html",
            (*_headers(INDIVIDUAL_TABLE), PRIORITY_HEADER),
            INDIVIDUAL_TITLE,
            date=result.date,
            byline=result.byline,
            rows=rows,
        )
    )
    return result


def _individual_list(section, items, numbers):
    """The parts of a 版块: under a subheading per category where the section has them
    (section 三's blocks), else one numbered list (section 五's 条目式)."""
    if section.categories:
        groups = _by_category(items, section.categories)
    else:
        groups = [(None, items)]
    titles = INDIVIDUAL_ASPECT_TITLES if section.code == "measures" else {}
    parts = []
    for sub, (category, group) in enumerate(groups, start=1):
        if section.categories:
            title = titles.get(category) or _category_label(category)
            parts.append(Part("subheading", heading=_subheading(sub, title)))
        if section.code == "problems":
            entries = [
                Entry(numbers[item.pk], item.text, item.inaction, [(PRIORITY_HEADER, _priority(item))])
                for item in group
            ]
        else:
            entries = [
                Entry(
                    n,
                    item.text,
                    item.inaction,
                    [(ITEM_FIELDS["deadline"], _deadline(item))] if _deadline(item) else [],
                )
                for n, item in enumerate(group, start=1)
            ]
        parts.append(Part("entries", entries=entries))
    return parts


def _individual_row(number, problem, rowspan, measure, alone=False):
    notes = []
    if (problem and problem.inaction) or (measure and measure.inaction):
        notes.append(str(ITEM_FIELDS["inaction"]))
    for item in (problem, measure):
        if item and item.note.strip():
            notes.append(item.note.strip())
    return {
        "number": number if problem or alone else None,
        "problem": problem.text if problem else "",
        "alone": alone,
        "rowspan": rowspan,
        "measure": measure.text if measure else "",
        "deadline": _deadline(measure) if measure else "",
        "note": "；".join(notes),
        "priority": _priority(problem) if problem else "",
    }


def _grouped_rows(items, key, order, label):
    """Rows grouped under spanning group rows ("一、第一批活动34项专项整治任务")."""
    groups = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    ordered = [code for code in order if code in groups] + [code for code in groups if code not in order]
    rows = []
    for index, code in enumerate(ordered, start=1):
        rows.append({"group": _heading(index, label(code))})
        for n, item in enumerate(groups[code], start=1):
            rows.append({"item": item, "number": n, "deadline": _deadline(item), "group": None})
    return rows


def special_rectification(document, sections):
    result = _common(document)
    rows = _grouped_rows(
        sections.get("tasks") or [],
        key=lambda item: item.special_task.batch if item.special_task_id else "",
        order=Batch.values,
        label=lambda code: Batch(code).label if code in Batch.values else _("其他整治项目"),
    )
    headers = (NUMBER, SPECIAL_TASK_SHORT, SPECIAL_MEASURES, ITEM_FIELDS["unit"], COMPLETION)
    result.tables.append(Table("plans/pdf/_special_table.html", headers, rows=rows))
    return result


def institution_plan(document, sections):
    result = _common(document)
    rows = _grouped_rows(
        sections.get("tasks") or [],
        key=lambda item: item.origin,
        order=Origin.values,
        label=lambda code: Origin(code).label if code in Origin.values else _("其他制度建设任务"),
    )
    for row in rows:
        item = row.get("item")
        if item is not None:
            row["focus"] = str(Focus(item.focus).label).split("：")[0] if item.focus in Focus.values else ""
    headers = (NUMBER, text_label("tasks"), ITEM_FIELDS["focus"], ITEM_FIELDS["unit"], COMPLETION)
    result.tables.append(Table("plans/pdf/_institution_table.html", headers, rows=rows))
    return result


BUILDERS = {
    DocumentKind.TEAM_PLAN: team_plan,
    DocumentKind.SIMPLIFIED_PLAN: simplified_plan,
    DocumentKind.GRASSROOTS_LIST: grassroots_list,
    DocumentKind.INDIVIDUAL: individual,
    DocumentKind.SPECIAL_RECTIFICATION: special_rectification,
    DocumentKind.INSTITUTION_PLAN: institution_plan,
}
