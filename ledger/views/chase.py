"""逾期督办: the overdue measures of the documents a user may see, most overdue first,
each with the day it was escalated (督办) if it was. A supervising body sees its
jurisdiction's, a filer or a member their own team's: the documents come through the
policy, so nothing outside the user's reach is counted or listed. The single entry's page
is the entries' part; a row links to its document."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from orgs import policy
from plans.models import Document

from .. import clock, words
from ..deadlines import days_overdue, overdue
from ..models import Entry

PAGE = 50


@require_GET
def overdue_list(request):
    today = clock.today()
    late = Entry.objects.filter(overdue(today), document__in=policy.visible(request.user, Document))
    escalated = request.GET.get("escalated") == "1"
    shown = late.filter(escalated_at__isnull=False) if escalated else late
    shown = shown.select_related("document__team__org", "owner").order_by(
        "deadline", "document_id", "position"
    )
    page = Paginator(shown, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/overdue.html",
        {
            "words": words,
            "intro": words.CHASE_INTRO % {"days": settings.LEDGER_ESCALATE_DAYS},
            "today": today,
            "page": page,
            "rows": [{"entry": entry, "days": days_overdue(entry, today)} for entry in page],
            "escalated": escalated,
            "counts": {"all": late.count(), "escalated": late.filter(escalated_at__isnull=False).count()},
        },
    )
