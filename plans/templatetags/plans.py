"""Small filters of the document pages."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from rectify.dates import deadline_label

from ..forms import TEXT_LABELS
from ..models import Category, Focus, Origin, Phase

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, ()) if mapping else ()


def _lines(spec, get):
    """(label, value) of the fields of SPEC's rows that carry text, for showing two versions."""
    labels = {
        "category": _("类别"),
        "phase": _("阶段"),
        "text": TEXT_LABELS.get(spec.code, _("内容")),
        "measures": _("整改措施"),
        "owner": _("责任人"),
        "unit": _("责任单位"),
        "deadline": _("整改时限"),
        "note": _("备注"),
        "origin": _("来源"),
        "focus": _("重点领域"),
        "inaction": _("为官不为"),
    }
    lines = []
    for name in spec.fields:
        if name in labels:
            lines.append((labels[name], get(name) or "—"))
    return lines


_CHOICES = {"category": Category, "phase": Phase, "origin": Origin, "focus": Focus}


def _label(name, value):
    if name in _CHOICES and value:
        return _CHOICES[name](value).label
    if name == "inaction":
        return _("是") if value else _("否")
    return value


@register.filter
def item_lines(item, spec):
    def get(name):
        if name == "owner":
            return item.owner_name
        if name == "deadline":
            return deadline_label(item.deadline, item.deadline_text)
        return _label(name, getattr(item, name))

    return _lines(spec, get)


@register.filter
def version_lines(values, spec):
    """The same for the values a form sent (plans.forms.ItemForm.values())."""

    def get(name):
        if name == "owner":
            return values["owner"].name if values.get("owner") else values.get("owner_text", "")
        if name == "deadline":
            return deadline_label(values.get("deadline"), values.get("deadline_text", ""))
        return _label(name, values.get(name, ""))

    return _lines(spec, get)


REASON_LABELS = {
    "four_responses": _lazy("未回应"),
    "not_concrete": _lazy("不具体"),
    "not_targeted": _lazy("针对性不强"),
    "no_owner": _lazy("无责任人"),
    "no_deadline": _lazy("无时限"),
    "incomplete": _lazy("未填完"),
}


@register.filter
def reason_label(reason):
    return REASON_LABELS.get(reason, reason)
