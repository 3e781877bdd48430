"""Publishing an approved document and withdrawing it, from the document's page. Each is
one call into publication/transitions.py; a refusal that is not the user's to make is a
403, a stale or incomplete form a message on the page, with nothing changed."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from orgs import policy
from plans.models import Document
from rectify.once import once
from rectify.posted import revision
from review.moves import NotAllowed, TransitionError

from .. import transitions
from ..models import Publication
from ..words import DONE_PUBLISH, DONE_WITHDRAW


def _date(value):
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


# What a refused form had typed, kept for the document's page to put back (panel.py).
KEPT = "publication-form:%s"
TYPED = ("channel", "published_on", "reason")


def _run(request, move, success, document_id):
    try:
        move()
    except NotAllowed as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except TransitionError as error:
        messages.error(request, error.message)
        request.session[KEPT % document_id] = {name: request.POST.get(name, "")[:2000] for name in TYPED}
    else:
        messages.success(request, success)
    return redirect("plans:document", document_id)


@require_POST
@once
def publish(request, pk):
    document = policy.get_or_404(request.user, Document, pk=pk)
    return _run(
        request,
        lambda: transitions.publish(
            request.user,
            document.pk,
            revision(request, "after"),
            request.POST.get("channel", ""),
            _date(request.POST.get("published_on")),
        ),
        DONE_PUBLISH,
        document.pk,
    )


@require_POST
@once
def withdraw(request, pk):
    publication = Publication.objects.filter(
        pk=pk, document__in=policy.visible(request.user, Document)
    ).first()
    if publication is None:
        raise Http404
    return _run(
        request,
        lambda: transitions.withdraw(
            request.user,
            publication.pk,
            revision(request),
            request.POST.get("reason", ""),
        ),
        DONE_WITHDRAW,
        publication.document_id,
    )
