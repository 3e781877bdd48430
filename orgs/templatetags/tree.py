from django import template
from django.utils.html import format_html

register = template.Library()

LEVEL_BADGES = {
    "province": "text-bg-danger",
    "city": "text-bg-warning",
    "county": "text-bg-primary",
    "township": "text-bg-info",
    "village": "text-bg-success",
}


@register.filter
def path_of(paths, org):
    """The names above ORG, from a {org id: [ancestors]} map built by the view."""
    return " › ".join(a.name for a in paths.get(org.pk, ()))


@register.simple_tag
def org_badge(org):
    """A coloured badge with the org's level (regions) or kind (units)."""
    if org.kind == "region":
        return format_html(
            '<span class="badge {}">{}</span>', LEVEL_BADGES[org.level], org.get_level_display()
        )
    return format_html('<span class="badge text-bg-secondary">{}</span>', org.get_kind_display())
