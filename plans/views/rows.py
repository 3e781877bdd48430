"""The rows of the editor, drawn in one pass.

A plan of 60 problems has some 130 rows, and the rows of one section differ only in
their own values: the labels, the choices of each select and the URLs but for the id
are the same. So each section's row is rendered once from templates/plans/_item.html
with a marker standing for every value of a row (`Shape.skeleton`), and each row is
that skeleton with its own values put in, escaped (`Shape.row`): the page costs one
template pass per section, not one per row. A single row (added, or taken back after a
conflict) is drawn the same way.

The template therefore reads a row's values only as {{ row.name }}, never in a
condition or through a filter: whatever depends on a row's values is worked out here.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from rectify.dates import chinese_date, deadline_label

from .. import pages
from ..documents import linked, problem_numbers
from ..forms import LINK_FIELDS, text_limit
from ..structure import structure_of
from ..words import (
    ANSWERS_PICKER,
    CATEGORY_SHORT,
    FIELD_SHORT,
    ITEM_FIELDS,
    Focus,
    Origin,
    Phase,
    Priority,
    text_label,
)

# The empty option of the selects that have one.
BLANKS = {"phase": ITEM_FIELDS["phase"], "origin": _lazy("任务来源"), "focus": ITEM_FIELDS["focus"]}


class Options:
    """The <option>s of one select, rendered once for each value chosen in it."""

    def __init__(self, choices, blank=None):
        self.choices = [(str(code), str(label)) for code, label in choices]
        self.blank = blank
        self.rendered = {}

    def __call__(self, chosen):
        chosen = "" if chosen is None else str(chosen)
        if chosen not in self.rendered:
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (code, mark_safe(" selected") if code == chosen else "", label)
                    for code, label in self.choices
                ),
            )
            if self.blank is not None:
                options = format_html('<option value="">{}</option>{}', self.blank, options)
            self.rendered[chosen] = options
        return self.rendered[chosen]


class TaskOptions(Options):
    """The catalogue of 专项整治 projects, grouped by batch."""

    def __init__(self, tasks):
        self.groups = []
        for task in tasks:
            label = task.get_batch_display()
            if not self.groups or self.groups[-1][0] != label:
                self.groups.append((label, []))
            name = task.name + (_("（亦为中央新增项目）") if task.already_included else "")
            self.groups[-1][1].append((str(task.pk), name))
        self.blank = _("选择专项整治项目")
        self.rendered = {}

    def __call__(self, chosen):
        chosen = "" if chosen is None else str(chosen)
        if chosen not in self.rendered:
            groups = format_html_join(
                "",
                '<optgroup label="{}">{}</optgroup>',
                (
                    (
                        label,
                        format_html_join(
                            "",
                            '<option value="{}"{}>{}</option>',
                            (
                                (code, mark_safe(" selected") if code == chosen else "", name)
                                for code, name in tasks
                            ),
                        ),
                    )
                    for label, tasks in self.groups
                ),
            )
            self.rendered[chosen] = format_html('<option value="">{}</option>{}', self.blank, groups)
        return self.rendered[chosen]


def _pattern(name, *rest):
    """The URL of NAME for item id {pk}, to be filled in per row."""
    return reverse(name, args=[0, *rest]).replace("/0/", "/{pk}/", 1)


@dataclass
class Shape:
    """What every row of one section of one page shares."""

    document: object
    spec: object
    editable: bool
    choices: object
    words: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    urls: dict = field(default_factory=dict)
    pickers: list = field(default_factory=list)  # [(name, title, url pattern)]

    @classmethod
    def of(cls, document, spec, choices, editable):
        shape = cls(document, spec, editable, choices)
        shape.words = {
            "limits": {
                name: text_limit(name, spec) for name in ("text", *spec.fields) if text_limit(name, spec)
            },
            **{name: str(label) for name, label in ITEM_FIELDS.items()},
            # What this section's text is called (问题, 整改措施 …), not the field's own name.
            "text": str(text_label(spec.code)),
            "deadline_short": str(FIELD_SHORT["deadline"]),
            "actions": _("操作"),
            "up": _("上移"),
            "down": _("下移"),
            "delete": _("删除"),
            "confirm_delete": _("确定删除这一条吗？"),
            "fill_here": _("在此填写，输入时自动保存"),
            "not_filled": _("（未填写）"),
            "no_task": _("（未选择项目）"),
            "owner_placeholder": _("班子成员姓名"),
            "deadline_placeholder": _("如 2014年10月底前"),
            "deadline_title": _(
                "可写日期，或“2014年10月底前”“9月30日前”“年底前”“第三季度”“立即整改”“长期坚持”"
            ),
            "problem": _("问题"),
            "loading": _("正在载入…"),
        }
        if editable:
            if spec.categories:
                shape.options["category"] = Options((c, CATEGORY_SHORT[c]) for c in spec.categories)
            for name, choices_of in (
                ("phase", Phase),
                ("priority", Priority),
                ("origin", Origin),
                ("focus", Focus),
            ):
                if name in spec.fields:
                    blank = BLANKS.get(name)
                    shape.options[name] = Options(choices_of.choices, None if blank is None else str(blank))
            if "special_task" in spec.fields:
                shape.options["special_task"] = TaskOptions(choices.special_tasks)
            shape.urls = {
                "save": _pattern("plans:item_save"),
                "move": _pattern("plans:item_move"),
                "delete": _pattern("plans:item_delete"),
            }
        shape.pickers = [
            (
                name,
                str(ANSWERS_PICKER if name == "answers" else ITEM_FIELDS[name]),
                _pattern("plans:item_picker", name),
            )
            for name in spec.fields
            if name in LINK_FIELDS
        ]
        return shape

    @cached_property
    def skeleton(self):
        """The section's row with a marker for each of a row's values: [text, name, text,
        name, …, text]."""
        html = render_to_string(
            "plans/_item.html", {"document": self.document, "shape": self, "row": _Markers()}
        )
        return html.split(MARK)

    def row(self, item, checklist=None, parts=()):
        """ITEM's row: the skeleton with its values. CHECKLIST gives its flags, PARTS the
        remarks the apps above plans put under it (plans/pages.py)."""
        values = self.values(item, checklist, parts)
        skeleton = self.skeleton
        out = [skeleton[0]]
        for at in range(1, len(skeleton), 2):
            out.append(values[skeleton[at]])
            out.append(skeleton[at + 1])
        # Every value was escaped in values(), and the skeleton is the template's.
        return mark_safe("".join(out))  # noqa: S308

    def values(self, item, checklist, parts):
        """{name: HTML} of everything ITEM's row shows of its own."""
        spec, words = self.spec, self.words
        fields = spec.fields
        flags = checklist.for_item(item.uid) if checklist is not None else ()
        remarks = pages.remarks(parts, item)
        deadline = deadline_label(item.deadline, item.deadline_text)
        values = {
            "uid": str(item.uid),
            "revision": str(item.revision),
            "flags": render_to_string("plans/_flags.html", {"findings": flags}) if flags else "",
            "remarks": "".join(
                render_to_string(template, {"remark": remark}) for template, remark in remarks
            ),
            "hint": format_html(
                '<span class="text-secondary">{}：{}</span>',
                words["deadline_short"],
                chinese_date(item.deadline),
            )
            if item.deadline and item.deadline_text
            else "",
        }
        if self.editable:
            pk = item.pk
            values.update({f"{name}_url": pattern.format(pk=pk) for name, pattern in self.urls.items()})
            for name, options in self.options.items():
                values[f"{name}_options"] = options(
                    getattr(item, "special_task_id" if name == "special_task" else name)
                )
            values["inaction_checked"] = " checked" if item.inaction else ""
            for name in ("text", "measures", "unit", "note"):
                values[name] = escape(getattr(item, name))
            values["owner"] = escape(item.owner_name)
            values["deadline"] = escape(deadline)
        else:
            for name in ("text", "measures"):
                values[f"{name}_html"] = linebreaksbr(
                    getattr(item, name) or ("—" if not spec.single else words["not_filled"]), autoescape=True
                )
            for name, value in (
                ("owner", item.owner_name),
                ("unit", item.unit),
                ("deadline", deadline),
                ("note", item.note),
            ):
                values[f"{name}_html"] = escape(value or "—")
            values["badges"] = _badges(item, fields, words)
            values["task"] = escape(item.special_task.name if item.special_task_id else words["no_task"])
            values["origin"] = escape(f"{item.get_origin_display()} {item.get_focus_display()}")
        for name, _title, pattern in self.pickers:
            links = linked(item, name) if item.pk and not spec.single else ()
            values[f"{name}_url"] = pattern.format(pk=item.pk)
            values[f"{name}_count"] = str(len(links))
            chosen = ""
            if name == "addresses" and links:
                numbers = _numbers(self.choices)
                chosen = "、".join(str(n) for n in sorted(numbers[p.pk] for p in links if p.pk in numbers))
            values[f"{name}_chosen"] = (
                format_html(' <span class="small text-secondary">{}{}</span>', words["problem"], chosen)
                if chosen
                else ""
            )
        return values


# What stands for a row's value in the skeleton: a character no text of ours holds.
MARK = "\x00"


class _Markers:
    """The row while the skeleton is rendered: {{ row.name }} gives a marker for NAME."""

    def __getitem__(self, name):
        return mark_safe(f"{MARK}{name}{MARK}")  # noqa: S308


def _badges(item, fields, words):
    """The weighing, phase and 为官不为 of a read-only row, as badges."""
    badges = []
    if "phase" in fields and item.phase:
        badges.append(
            format_html('<span class="badge text-bg-light border">{}</span>', item.get_phase_display())
        )
    if "priority" in fields:
        tone = {"urgent": "text-bg-danger", "important": "text-bg-warning"}.get(
            item.priority, "text-bg-light border"
        )
        badges.append(
            format_html(
                '<span class="badge {}">{}：{}</span>', tone, words["priority"], item.get_priority_display()
            )
        )
    if "inaction" in fields and item.inaction:
        badges.append(format_html('<span class="badge text-bg-warning">{}</span>', words["inaction"]))
    return mark_safe("\n".join(badges))  # noqa: S308 (each built by format_html)


def _numbers(choices):
    """{problem id: its number in the document}, computed once per page."""
    if choices.problem_numbers is None:
        choices.problem_numbers = problem_numbers(structure_of(choices.document), choices.problems)
    return choices.problem_numbers
