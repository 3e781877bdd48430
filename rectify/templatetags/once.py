"""{% once_field %}: the hidden key that makes a form safe to send twice (rectify/once.py)."""

from django import template
from django.utils.html import format_html

from ..once import FIELD, new_key

register = template.Library()


@register.simple_tag
def once_field():
    """A new key each time the form is rendered: sending this form again (a double
    click, a retry, a reload) repeats the first answer; a fresh page makes a new one."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_key())
