"""The rows of the editor, drawn in one pass.

A plan of 60 problems has some 130 rows, and the rows of one section share everything
but their own values: the labels, the choices of each select, the URLs but for the id.
That is worked out once per section (`Shape`); each row adds only what is its own
(`row`): its values, its selected options, its flags, the remarks under it. The page
includes templates/plans/_item.html once per row inside one template pass, and a single
row (added, or taken back after a conflict) goes through the same template.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from rectify.dates import chinese_date, deadline_label

from .. import pages
from ..documents import problem_numbers
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
            "text": text_label(spec.code),
            "limits": {
                name: text_limit(name, spec) for name in ("text", *spec.fields) if text_limit(name, spec)
            },
            **{name: str(label) for name, label in ITEM_FIELDS.items()},
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

    def row(self, item, checklist=None, parts=()):
        """What ITEM's row shows of its own. CHECKLIST gives its flags, PARTS the remarks
        the apps above plans put under it (plans/pages.py)."""
        spec = self.spec
        row = {
            "item": item,
            "uid": str(item.uid),
            "flags": checklist.for_item(item.uid) if checklist is not None else (),
            "remarks": pages.remarks(parts, item),
            "deadline_value": deadline_label(item.deadline, item.deadline_text),
            "deadline_hint": chinese_date(item.deadline) if item.deadline and item.deadline_text else "",
        }
        if self.editable:
            pk = item.pk
            row["urls"] = {name: pattern.format(pk=pk) for name, pattern in self.urls.items()}
            row["options"] = {
                name: options(getattr(item, "special_task_id" if name == "special_task" else name))
                for name, options in self.options.items()
            }
        pickers = []
        for name, title, pattern in self.pickers:
            linked = getattr(item, name).all() if item.pk and not spec.single else ()
            chosen = ""
            if name == "addresses" and linked:
                numbers = _numbers(self.choices)
                chosen = "、".join(str(n) for n in sorted(numbers[p.pk] for p in linked if p.pk in numbers))
            pickers.append((name, title, pattern.format(pk=item.pk), len(linked), chosen))
        row["pickers"] = pickers
        return row


def _numbers(choices):
    """{problem id: its number in the document}, computed once per page."""
    if choices.problem_numbers is None:
        choices.problem_numbers = problem_numbers(structure_of(choices.document), choices.problems)
    return choices.problem_numbers


def render_row(shape, row):
    """One row on its own, as the page draws it."""
    # A row needs nothing from the request (no CSRF token: htmx sends it in a header),
    # so it is rendered without running the context processors.
    return render_to_string("plans/_item.html", {"document": shape.document, "shape": shape, "row": row})
