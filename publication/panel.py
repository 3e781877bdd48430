"""Publication's part of an approved document's page: where section 七 says it is
published, whether it is, and for its filers the form to publish it (channel and date) or
to withdraw it (with a reason); the record of earlier publications below. Read-only: the
forms post to publication/views/manage.py.

Registered with plans/pages.py (PublicationConfig.ready imports this module). A document
that is not approved costs the page nothing.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from oversight.rules import Scope
from plans import pages
from plans.access import fills_document
from plans.words import Status
from review.moves import NotReady

from .models import Publication
from .transitions import scope_of
from .views.manage import KEPT
from .words import CHANNEL_HINTS


@pages.document_part
def publication_part(request, document, checklist):
    if document.status != Status.APPROVED or document.parent_id is not None:
        return None
    if (
        not fills_document(request.user, document)
        and not Publication.objects.filter(document=document).exists()
    ):
        return None
    try:
        scope = scope_of(document)
    except NotReady as refusal:
        scope, unscoped = None, refusal.message
    else:
        unscoped = ""
    history = list(
        Publication.objects.filter(document=document)
        .select_related("published_by", "withdrawn_by")
        .order_by("-id")
    )
    live = next((p for p in history if p.live), None)
    # What a refused form had typed (views/manage.py), put back once.
    kept = request.session.pop(KEPT % document.pk, {})
    context = {
        "kept": kept,
        "document": document,
        "scope": scope,
        "scope_label": Scope(scope.scope).label if scope else "",
        "unscoped": unscoped,
        "live": live,
        "history": [p for p in history if not p.live],
        "after": history[0].pk if history else 0,
        "filing": fills_document(request.user, document),
        "public": scope is not None and scope.scope != Scope.INTERNAL,
        "hint": CHANNEL_HINTS.get(scope.scope, "") if scope else "",
        "today": timezone.localdate().isoformat(),
    }
    return pages.PagePart(sidebar=render_to_string("publication/_panel.html", context, request))
