"""Forms of the editor: one row of a list, a text block, a document's header, an input.

An item form is built for its section (plans/structure.py says which fields the
section has), with choices limited to what belongs to the document: its team's
members as owners, its own problems to address, its own register to answer.
A link field (answers, addresses, claims) is only written when the page sent the
picker for it, so a form that never showed a picker cannot clear its links.
"""

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .documents import read_deadline
from .models import MAX_INPUT_CHARS, Item, SpecialTask
from .words import (
    CATEGORY_SHORT,
    HEADER_FIELDS,
    INPUT_FIELDS,
    ITEM_FIELDS,
    Focus,
    Origin,
    Phase,
    Priority,
    Source,
    text_label,
)

LINK_FIELDS = ("answers", "addresses", "claims")

# How many characters each text of a row may hold. A text block (第一块 …) is a section
# of the plan; a row's text is one entry of a list, as the notice's tables print it.
# The short fields are as long as their columns (plans/models.py). The editor says each
# limit before it is reached and keeps what goes past it in the browser.
TEXT_LIMITS = {
    "block": 20000,
    "text": 3000,
    "measures": 3000,
    "note": 1000,
    "owner": Item._meta.get_field("owner_text").max_length,
    "unit": Item._meta.get_field("unit").max_length,
    "deadline": Item._meta.get_field("deadline_text").max_length,
}


def text_limit(name, spec):
    """The limit of field NAME in a row of the section SPEC (None: not a text)."""
    if name == "text" and spec.single:
        return TEXT_LIMITS["block"]
    return TEXT_LIMITS.get(name)


def _limited(field_class, name, spec, label, **kwargs):
    limit = text_limit(name, spec)
    return field_class(
        label=label,
        required=False,
        max_length=limit,
        error_messages={
            "max_length": _(
                "%(label)s超过 %(limit)s 字（现有 %%(show_value)s 字），这一栏没有保存，"
                "内容仍留在本机浏览器中，请删减后再保存。"
            )
            % {"label": label, "limit": limit}
        },
        **kwargs,
    )


class Choices:
    """What the rows of one document may point at; computed once per page."""

    def __init__(self, document, members, inputs, problems, team_problems):
        self.document = document
        self.members = members  # [Person] active in the team
        self.inputs = inputs  # [Input] on the register the document answers
        self.problems = problems  # [Item] of the section measures address
        self.team_problems = team_problems  # [Item] of the team plan, for claims
        self.special_tasks = []  # the catalogue, for 附件1
        self.problem_numbers = None  # {problem id: number}, filled by the editor when needed
        self.inputs_by_source = [
            (source, [entry for entry in inputs if entry.source == source]) for source in Source
        ]

    def member_named(self, name):
        return next((person for person in self.members if person.name == name), None)


class ItemForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, spec, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.choices = choices
        fields = spec.fields
        # Fields the page held back (over their limit, kept in the browser): left as saved.
        held = set(self.data.getlist("held")) if self.is_bound else set()
        if "category" in fields and spec.categories:
            self.fields["category"] = forms.ChoiceField(
                label=ITEM_FIELDS["category"], choices=[(c, CATEGORY_SHORT[c]) for c in spec.categories]
            )
        if "phase" in fields:
            self.fields["phase"] = forms.ChoiceField(
                label=ITEM_FIELDS["phase"], choices=[("", "—"), *Phase.choices], required=False
            )
        if "priority" in fields:
            self.fields["priority"] = forms.ChoiceField(
                label=ITEM_FIELDS["priority"], choices=[("", "—"), *Priority.choices], required=False
            )
        if "special_task" in fields:
            self.fields["special_task"] = forms.ModelChoiceField(
                label=ITEM_FIELDS["special_task"], queryset=SpecialTask.objects.all(), required=False
            )
        if "origin" in fields:
            self.fields["origin"] = forms.ChoiceField(
                label=ITEM_FIELDS["origin"], choices=[("", "—"), *Origin.choices], required=False
            )
        if "focus" in fields:
            self.fields["focus"] = forms.ChoiceField(
                label=ITEM_FIELDS["focus"], choices=[("", "—"), *Focus.choices], required=False
            )
        if "text" in fields:
            self.fields["text"] = _limited(forms.CharField, "text", spec, text_label(spec.code), strip=False)
        if "measures" in fields:
            self.fields["measures"] = _limited(
                forms.CharField, "measures", spec, ITEM_FIELDS["measures"], strip=False
            )
        if "inaction" in fields:
            self.fields["inaction"] = forms.BooleanField(label=ITEM_FIELDS["inaction"], required=False)
        for name in ("owner", "unit", "deadline", "note"):
            if name in fields:
                self.fields[name] = _limited(forms.CharField, name, spec, ITEM_FIELDS[name])
        for name in held:
            if name != "revision":
                self.fields.pop(name, None)
        sent = set(self.data.getlist("links")) if self.is_bound else set()
        options = {
            "answers": [entry.pk for entry in choices.inputs],
            "addresses": [problem.pk for problem in choices.problems],
            "claims": [problem.pk for problem in choices.team_problems],
        }
        self.links_sent = [name for name in LINK_FIELDS if name in fields and name in sent]
        for name in self.links_sent:
            self.fields[name] = forms.TypedMultipleChoiceField(
                choices=[(pk, pk) for pk in options[name]], coerce=int, required=False
            )

    def clean_deadline(self):
        text = self.cleaned_data["deadline"].strip()
        deadline = read_deadline(self.choices.document, text)
        if text and deadline.needs_day:
            raise forms.ValidationError(
                _("“%(text)s”要从方案日期算起，请先在上方填写方案日期，或写明月份，如“10月底前”。")
                % {"text": text}
            )
        if text and not deadline.readable:
            raise forms.ValidationError(
                _(
                    "看不懂整改时限“%(text)s”。请写成“2014年10月底前”“9月30日前”“年底前”"
                    "“第三季度”“立即整改”或“长期坚持”。"
                )
                % {"text": text}
            )
        return deadline

    def values(self):
        """The cleaned form as editing.save_item's VALUES and LINKS: every field that was
        read; a field that could not be (self.unread()) is left as it was saved."""
        data = self.cleaned_data
        values = {}
        for name in ("category", "phase", "text", "measures", "inaction", "unit", "note", "origin", "focus"):
            if name in data:
                values[name] = data[name]
        # A page that did not send the field (opened before the field existed) keeps the
        # weighing already saved; one sent empty is 一般.
        if "priority" in data and "priority" in self.data:
            values["priority"] = data["priority"] or Priority.NORMAL
        if "special_task" in data:
            values["special_task"] = data["special_task"]
        if "owner" in data:
            name = data["owner"].strip()
            person = self.choices.member_named(name)
            values["owner"] = person
            values["owner_text"] = "" if person else name
        if "deadline" in data:
            values["deadline"] = data["deadline"].date
            values["deadline_text"] = data["deadline"].text
        links = {name: data[name] for name in self.links_sent if name in data}
        return values, links

    def unread(self):
        """{field: why it could not be read} for the fields that were not valid."""
        return {
            name: "；".join(str(error) for error in errors)
            for name, errors in self.errors.items()
            if name in self.fields and name != "revision"
        }

    def error_text(self):
        return "；".join(str(error) for errors in self.errors.values() for error in errors)


class HeaderForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    unit_name = forms.CharField(label=HEADER_FIELDS["unit_name"], required=False, max_length=100)
    position_title = forms.CharField(label=HEADER_FIELDS["position_title"], required=False, max_length=100)
    dated = forms.DateField(label=HEADER_FIELDS["dated"], required=False)
    presided_by_secretary = forms.BooleanField(label=HEADER_FIELDS["presided_by_secretary"], required=False)
    meeting_name = forms.CharField(label=HEADER_FIELDS["meeting_name"], required=False, max_length=200)
    meeting_date = forms.DateField(label=HEADER_FIELDS["meeting_date"], required=False)

    def __init__(self, *args, fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Fields the page held back (over their limit, kept in the browser), or did not
        # send at all, are left as saved; so is a field that cannot be read (unread()).
        held = set(self.data.getlist("held")) if self.is_bound else set()
        for name in list(self.fields):
            if name == "revision":
                continue
            absent = self.is_bound and name not in self.data and name != "presided_by_secretary"
            if (fields is not None and name not in fields) or name in held or absent:
                del self.fields[name]

    def values(self):
        """Every field that could be read; the others are left as they were saved."""
        return {name: value for name, value in self.cleaned_data.items() if name != "revision"}

    def unread(self):
        """{field: why it could not be read} for the fields that were not valid."""
        return {
            name: "；".join(str(error) for error in errors)
            for name, errors in self.errors.items()
            if name in self.fields and name != "revision"
        }

    def error_text(self):
        return "；".join(
            f"{self.fields[name].label}：{error}" if name in self.fields else str(error)
            for name, errors in self.errors.items()
            for error in errors
        )


# What one paste into the register may hold, as the page states it. Beyond these the
# form is refused with what was pasted kept in it (Django's own limit on a request,
# DATA_UPLOAD_MAX_MEMORY_SIZE, is well above MAX_PASTE_CHARS sent as a form).
MAX_PASTE_LINES = 5000
MAX_PASTE_CHARS = 200_000


class InputForm(forms.Form):
    """Entries typed in, or a column pasted from a spreadsheet: one entry a line. LINES
    are the non-blank lines trimmed, each with its number in what was pasted."""

    source = forms.ChoiceField(label=INPUT_FIELDS["source"], choices=Source.choices)
    text = forms.CharField(label=INPUT_FIELDS["text"], strip=False)

    def __init__(self, *args, sources=None, **kwargs):
        """SOURCES ({Source: words}): the sources offered, in the document's words (all
        four when None)."""
        super().__init__(*args, **kwargs)
        if sources is not None:
            self.fields["source"].choices = [(str(source), words) for source, words in sources.items()]
            self.fields["source"].error_messages["invalid_choice"] = _(
                "这份文件不需要回应这一来源，请从列出的来源中选择。"
            )

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")
        if len(text) > MAX_PASTE_CHARS:
            raise forms.ValidationError(
                _("一次最多粘贴 %(limit)s 字，这次有 %(n)s 字。请分几次粘贴，每次粘贴一部分。")
                % {"limit": intcomma(MAX_PASTE_CHARS), "n": intcomma(len(text))}
            )
        lines = [(n, line.strip()) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
        if not lines:
            raise forms.ValidationError(_("请填写内容，每行一条。"))
        if len(lines) > MAX_PASTE_LINES:
            raise forms.ValidationError(
                _("一次最多粘贴 %(limit)s 行，这次有 %(n)s 行。请分几次粘贴，每次粘贴一部分。")
                % {"limit": intcomma(MAX_PASTE_LINES), "n": intcomma(len(lines))}
            )
        self.lines = lines
        return text


class InputEditForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=INPUT_FIELDS["text"], max_length=MAX_INPUT_CHARS)
    explanation = forms.CharField(label=INPUT_FIELDS["explanation"], required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel 文件"))
