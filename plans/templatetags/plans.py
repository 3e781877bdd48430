"""Small filters of the document pages; their words come from plans/words.py."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from rectify.auth import display_name
from rectify.dates import deadline_label

from ..typeset import BREAK, CLOSING_QUOTE, OPENING_QUOTE, tall, words
from ..words import (
    ANSWERS_PICKER,
    FIELD_SHORT,
    GROUND_SHORT,
    HEADER_FIELDS,
    HEADER_SHORT,
    ITEM_FIELDS,
    text_label,
    value_label,
)

register = template.Library()


@register.filter
def who(user):
    """{{ document.updated_by|who }} → 王丽: the person's name, or the username."""
    return display_name(user)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, ()) if mapping else ()


@register.filter
def field_label(name, form=""):
    """{{ "measures"|field_label }} → 整改措施: what an item's field is called;
    {{ "deadline"|field_label:"short" }} → 时限."""
    if form == "short":
        return FIELD_SHORT[name]
    return ITEM_FIELDS[name]


@register.filter
def header_label(name, form=""):
    """{{ "unit_name"|header_label }} → 单位: what a field of a document's header is called;
    {{ "meeting_name"|header_label:"short" }} → 会议."""
    if form == "short":
        return HEADER_SHORT.get(name, HEADER_FIELDS[name])
    return HEADER_FIELDS[name]


@register.filter
def picker_title(name):
    """The heading of the picker of a link field (answers, addresses, claims)."""
    return ANSWERS_PICKER if name == "answers" else ITEM_FIELDS[name]


# The fields of a row that carry text, in the order of the section's fields.
SHOWN = (
    "category",
    "phase",
    "text",
    "measures",
    "owner",
    "unit",
    "deadline",
    "note",
    "origin",
    "focus",
    "inaction",
)


def _lines(spec, get):
    """(label, value) of the fields of SPEC's rows that carry text, for showing two versions."""
    return [
        (text_label(spec.code) if name == "text" else ITEM_FIELDS[name], get(name) or "—")
        for name in spec.fields
        if name in SHOWN
    ]


@register.filter
def item_lines(item, spec):
    def get(name):
        if name == "owner":
            return item.owner_name
        if name == "deadline":
            return deadline_label(item.deadline, item.deadline_text)
        return value_label(name, getattr(item, name))

    return _lines(spec, get)


@register.filter
def version_lines(values, spec):
    """The same for the values a form sent (plans.forms.ItemForm.values())."""

    def get(name):
        if name == "owner":
            return values["owner"].name if values.get("owner") else values.get("owner_text", "")
        if name == "deadline":
            return deadline_label(values.get("deadline"), values.get("deadline_text", ""))
        return value_label(name, values.get(name, ""))

    return _lines(spec, get)


@register.filter
def reason_label(reason):
    """The ground of a finding in a word, for its badge (未回应, 无时限 …)."""
    return GROUND_SHORT.get(reason, reason)


@register.filter(needs_autoescape=True)
def keep_words(text, autoescape=True):
    """TEXT with each word of more than one character kept on one line (plans.typeset), for
    the narrow columns of the printed tables; line breaks stay."""
    out = []
    for word in words(str(text)):
        if word == CLOSING_QUOTE:
            out.append(word + BREAK)
        elif word == OPENING_QUOTE:
            out.append(BREAK + word)
        elif word == "\n":
            out.append("<br>")
        elif len(word) > 1:
            out.append(f'<span class="word">{escape(word)}</span>')
        else:
            out.append(escape(word))
    return mark_safe("".join(out))


@register.filter
def is_tall(row):
    """Whether a printed table's row may be taller than a page (plans.typeset.tall)."""
    return tall(row)
