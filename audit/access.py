"""Who reads the audit: the system's administrators, everything; the provincial office
(湖南省委教育实践活动办), what happened within its jurisdiction. Nobody else, and
nobody changes it (audit/models.py)."""

from django.db.models import Q

from orgs import policy

from .models import Entry


def may_read(user):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return policy.in_provincial_office(user)


def readable(user):
    """The entries USER may read (none unless may_read)."""
    if not may_read(user):
        return Entry.objects.none()
    if user.is_superuser:
        return Entry.objects.all()
    return Entry.objects.filter(policy.reach(user).spans_q("org__") & Q(org__isnull=False))
