from django import template

register = template.Library()


@register.filter
def path_of(paths, org):
    """The names above ORG, from a {org id: [ancestors]} map built by the view."""
    return " › ".join(a.name for a in paths.get(org.pk, ()))


@register.filter
def level_badge(org):
    return (
        {
            "province": "text-bg-danger",
            "city": "text-bg-warning",
            "county": "text-bg-primary",
            "township": "text-bg-info",
            "village": "text-bg-success",
        }.get(org.level, "text-bg-secondary")
        if org.kind == "region"
        else "text-bg-secondary"
    )
