"""The provincial office's named bulletins (点名通报): drafts, issue, the issued text and
its PDF.

Bulletins come through the policy (oversight.bulletin_access): outside the user's reach
a 404. Every change is a call into oversight/transitions.py; a refusal is a 403 (not the
office's member) or a message (issued already, changed meanwhile, not ready), and a
refused form comes back with everything that was typed in it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from orgs import policy
from rectify import posted, renderings
from rectify.once import once
from review.moves import NotAllowed, Stale, TransitionError

from .. import transitions
from ..bulletin_forms import BulletinForm, grouped, offered_findings
from ..models import Bulletin
from ..pdf import bulletin_filename, kept_pdf, printed
from ..words import DEFAULT_CLOSING, DEFAULT_OPENING, ISSUED_AGAIN, ISSUED_FROZEN, ONLY_OFFICE


def _bulletin(user, pk):
    return policy.get_or_404(user, Bulletin, pk=pk)


def _require_office(user):
    if not transitions.is_office(user):
        raise PermissionDenied(str(ONLY_OFFICE))


@require_GET
def index(request):
    bulletins = (
        policy.visible(request.user, Bulletin)
        .annotate(found=Count("findings", distinct=True), newest=Coalesce("issued_at", "created_at"))
        .order_by("-newest", "-id")
    )
    return render(
        request,
        "oversight/bulletins.html",
        {"bulletins": bulletins, "office": transitions.is_office(request.user)},
    )


@require_http_methods(["GET", "POST"])
@once
def edit(request, pk=None):
    """A new draft (no PK) or a draft's edit."""
    user = request.user
    bulletin = _bulletin(user, pk) if pk is not None else None
    _require_office(user)
    if bulletin is not None and bulletin.issued:
        messages.error(request, ISSUED_FROZEN)
        return redirect("oversight:bulletin", bulletin.pk)
    offered = offered_findings(user)
    revision = bulletin.revision if bulletin is not None else 0
    if request.method == "POST":
        form = BulletinForm(request.POST, offered=offered)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = transitions.save_bulletin(
                    user,
                    pk,
                    posted.revision(request),
                    data["title"],
                    data["dated"],
                    data["opening"],
                    data["closing"],
                    data["findings"],
                )
            except NotAllowed as refusal:
                raise PermissionDenied(refusal.message) from refusal
            except TransitionError as error:
                messages.error(request, error.message)
                if bulletin is not None:
                    bulletin.refresh_from_db()
                    if bulletin.issued:
                        return redirect("oversight:bulletin", bulletin.pk)
                    # What was typed stays; saving it again replaces the other change.
                    revision = bulletin.revision
            else:
                messages.success(request, _("通报草稿已保存。"))
                return redirect("oversight:bulletin", saved.pk)
        else:
            revision = posted.revision(request)
    elif bulletin is not None:
        form = BulletinForm(
            initial={
                "title": bulletin.title,
                "dated": bulletin.dated,
                "opening": bulletin.opening,
                "closing": bulletin.closing,
                "findings": list(bulletin.findings.values_list("pk", flat=True)),
            },
            offered=offered,
        )
    else:
        form = BulletinForm(
            initial={"dated": timezone.localdate(), "opening": DEFAULT_OPENING, "closing": DEFAULT_CLOSING},
            offered=offered,
        )
    return render(
        request,
        "oversight/bulletin_form.html",
        {
            "bulletin": bulletin,
            "form": form,
            "revision": revision,
            "regions": grouped(offered),
            "chosen": form.chosen,
        },
    )


@require_GET
def detail(request, pk):
    bulletin = _bulletin(request.user, pk)
    doc = printed(bulletin)
    office = transitions.is_office(request.user)
    if bulletin.issued:
        regions = [org.name for org in bulletin.regions.order_by("tree_id", "lft")]
    else:
        regions = list(dict.fromkeys(body.region for body in doc.bodies))
    return render(
        request,
        "oversight/bulletin.html",
        {
            "bulletin": bulletin,
            "doc": doc,
            "office": office,
            "can_edit": office and not bulletin.issued,
            "regions": regions,
        },
    )


@require_POST
def issue(request, pk):
    bulletin = _bulletin(request.user, pk)
    try:
        issued = transitions.issue(request.user, bulletin.pk, posted.revision(request))
    except NotAllowed as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except Stale as error:
        bulletin.refresh_from_db()
        if bulletin.issued:
            messages.error(
                request,
                ISSUED_AGAIN % {"number": bulletin.content["number"]},
            )
        else:
            messages.error(request, error.message)
        return redirect("oversight:bulletin", bulletin.pk)
    except TransitionError as error:
        messages.error(request, error.message)
        return redirect("oversight:bulletin", bulletin.pk)
    messages.success(
        request,
        _("已印发，文号%(number)s；通报点名的地区已收到通知。") % {"number": issued.content["number"]},
    )
    return redirect("oversight:bulletin", bulletin.pk)


@require_GET
def pdf(request, pk):
    """The bulletin's print, kept once the worker has printed it (rectify.renderings)."""
    bulletin = _bulletin(request.user, pk)
    rendering = kept_pdf(bulletin, retry="retry" in request.GET)
    return renderings.answer(request, rendering, bulletin_filename(bulletin))
