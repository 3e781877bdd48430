"""Recording a finding on a sampled document, the filer's answer, the checker's decision.
Each is a call into oversight/transitions.py; a refusal that is not the user's to make
is a 403, a stale or incomplete form a message on the page, with nothing changed."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orgs import policy
from plans.models import Document
from rectify.once import once
from rectify.posted import number, revision
from review.moves import NotAllowed, TransitionError

from .. import transitions
from ..models import Finding, SpotCheck


def run(request, move, success, back, typed=""):
    """Run a transition; say what happened (or why not) where the user came from. What
    the user TYPED comes back with a refusal, so nothing written is lost."""
    try:
        move()
    except NotAllowed as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except TransitionError as error:
        message = error.message
        if typed.strip():
            message = _("%(message)s 您填写的内容未保存，请复制留存：%(typed)s") % {
                "message": message,
                "typed": typed,
            }
        messages.error(request, message)
        return back
    messages.success(request, success)
    return back


@require_POST
@once
def record(request, pk):
    spot_check = policy.get_or_404(request.user, SpotCheck, pk=pk)
    document = policy.get_or_404(request.user, Document, pk=number(request.POST.get("document")))
    item = request.POST.get("item") or None
    if item:
        try:
            item = uuid.UUID(item)
        except ValueError:
            item = None
    return run(
        request,
        lambda: transitions.record_finding(
            request.user,
            spot_check.pk,
            document.pk,
            request.POST.get("ground", ""),
            request.POST.get("severity", ""),
            request.POST.get("text", ""),
            request.POST.get("requires") == "1",
            item,
        ),
        _("已记录发现问题。"),
        redirect("plans:document", document.pk),
        request.POST.get("text", ""),
    )


@require_POST
def answer(request, pk):
    finding = policy.get_or_404(request.user, Finding, pk=pk)
    return run(
        request,
        lambda: transitions.answer(
            request.user, finding.pk, revision(request), request.POST.get("answer", "")
        ),
        _("已答复整改情况，等待抽查机构认可。"),
        redirect("plans:document", finding.document_id),
        request.POST.get("answer", ""),
    )


@require_POST
def decide(request, pk):
    finding = policy.get_or_404(request.user, Finding, pk=pk)
    accept = request.POST.get("accept") == "1"
    back = request.POST.get("back")
    target = redirect("oversight:check", finding.spot_check_id) if back == "check" else None
    return run(
        request,
        lambda: transitions.decide(
            request.user, finding.pk, revision(request), accept, request.POST.get("note", "")
        ),
        _("已认可整改。") if accept else _("已告知填报人仍需整改。"),
        target or redirect("plans:document", finding.document_id),
        request.POST.get("note", ""),
    )
