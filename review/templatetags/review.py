"""Labels of the review pages."""

from django import template

from orgs.models import AuthorityKind
from plans import words
from review.models import waiting_counts

register = template.Library()


@register.filter
def ground_label(ground):
    """{"reason": "four_responses", "source": "mass_opinion"} → 没有做到“四个回应”（征求到的群众意见）."""
    return words.ground_label(ground["reason"], ground.get("source"))


@register.filter
def authority_label(code):
    return AuthorityKind(code).label if code in AuthorityKind.values else code


@register.filter
def names(users):
    return "、".join(user.get_full_name() or user.username for user in users)


@register.simple_tag
def waiting_on(user):
    """{"pending", "unread", "total"}: the steps waiting on USER (one query)."""
    return waiting_counts(user)
