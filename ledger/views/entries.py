"""The pages of ledger entries: a document's ledger, one measure with its reports,
evidence and record and the forms of whoever may act on it, the evidence download, my
measures (我的整改任务) and the verifier's queue (待核验).

Entries and evidence come through the policy (outside reach 404); every change is one
call into ledger/transitions.py, whose guards (ledger/access.py) also decide which forms
the page shows. A refused form comes back on the measure's page with the reason and
with what was typed in it."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from orgs import policy
from plans.models import Document
from plans.words import Status
from rectify.middleware import accepts_upload, megabytes
from rectify.once import once
from rectify.posted import revision
from review.moves import NotAllowed, Stale, TransitionError

from .. import access, transitions, words
from ..evidence import ACCEPT
from ..models import Entry, Event, Evidence, Report
from ..panel import ledger_counts
from ..queues import listed, mine_entries, verifying_entries, with_overdue
from ..words import Action, EntryState

LIST_PAGE = 50
ENTRY_RELATED = ("document__team__org", "document__person", "document__parent", "owner")


def _entry(user, pk):
    return policy.get_or_404(user, Entry, related=ENTRY_RELATED, pk=pk)


def _sent_back(entry):
    """The latest sending back of ENTRY, while the measure is being carried on after it."""
    if entry.state != EntryState.OPEN:
        return None
    last = entry.events.filter(action__in=[Action.DONE, Action.SEND_BACK]).order_by("-at", "-id").first()
    return last if last is not None and last.action == Action.SEND_BACK else None


def _entry_page(request, entry, form=None, error="", status=200):
    """ENTRY's page; after a refusal, with the ERROR and what was typed (FORM)."""
    user = request.user
    reports = entry.reports.select_related("by").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("id"))
    )
    events = entry.events.select_related("actor", "report")
    context = {
        "entry": entry,
        "document": entry.document,
        "head": access.head_of(entry.document),
        "reports": reports,
        "events": events,
        "moves": access.available_moves(user, entry),
        "overdue": access.is_overdue(entry),
        "sent_back": _sent_back(entry),
        "form": form or {},
        "error": error,
        "accept": ACCEPT,
        "max_files": words.EVIDENCE_MAX_FILES,
        "max_size": megabytes(settings.LEDGER_EVIDENCE_MAX_BYTES),
        "kinds": words.EVIDENCE_KINDS,
        "report_max": words.REPORT_MAX_CHARS,
        "reason_max": words.REASON_MAX_CHARS,
        "text_kept": words.TEXT_KEPT,
        "standing_note": words.STANDING_NOT_DONE,
    }
    return render(request, "ledger/entry.html", context, status=status)


def _run(request, entry, move, success, form):
    """Make MOVE; on success back to the measure's page with SUCCESS, otherwise the page
    again with the reason and the FORM as it was typed."""
    try:
        move()
    except NotAllowed as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except TransitionError as error:
        entry.refresh_from_db()
        status = 409 if isinstance(error, Stale) else 400
        return _entry_page(request, entry, form, error.message, status=status)
    messages.success(request, success)
    return redirect("ledger:entry", entry.pk)


@require_GET
def entry(request, pk):
    return _entry_page(request, _entry(request.user, pk))


@accepts_upload(lambda: words.EVIDENCE_MAX_FILES * settings.LEDGER_EVIDENCE_MAX_BYTES)
@require_POST
@once
def report(request, pk):
    entry = _entry(request.user, pk)
    text = request.POST.get("text", "")
    done = request.POST.get("done") == "on"
    files = request.FILES.getlist("files")
    form = {"text": text, "done": done, "files": [f.name for f in files]}
    return _run(
        request,
        entry,
        lambda: transitions.report(request.user, entry.pk, revision(request), text, files, done),
        _("已报告完成，等待核验销号。") if done else _("已报告整改进展。"),
        form,
    )


@require_POST
@once
def close(request, pk):
    entry = _entry(request.user, pk)
    return _run(
        request,
        entry,
        lambda: transitions.close(request.user, entry.pk, revision(request)),
        _("已核验销号。"),
        {},
    )


@require_POST
@once
def send_back(request, pk):
    entry = _entry(request.user, pk)
    reason = request.POST.get("reason", "")
    return _run(
        request,
        entry,
        lambda: transitions.send_back(request.user, entry.pk, revision(request), reason),
        _("已退回继续整改，责任人和填报人会收到退回理由。"),
        {"reason": reason},
    )


@require_GET
def evidence(request, uid):
    """An evidence file, as a download only: never shown inline, never sniffed by the
    browser, with the name it was given."""
    kept = policy.get_or_404(request.user, Evidence, uid=uid)
    response = FileResponse(
        kept.file.open("rb"),
        as_attachment=True,
        filename=kept.name,
        content_type=kept.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def document_ledger(request, pk):
    """The ledger of an approved document (its attachments' measures after its own)."""
    document = policy.get_or_404(request.user, Document, related=("team__org", "parent"), pk=pk)
    head = access.head_of(document)
    entries = listed(with_overdue(Entry.objects.filter(Q(document=head) | Q(document__parent=head))))
    entries = entries.order_by(F("document__parent_id").asc(nulls_first=True), "document_id", "position")
    groups = {}
    for each in entries:
        groups.setdefault(each.document_id, (each.document, []))[1].append(each)
    return render(
        request,
        "ledger/document.html",
        {
            "head": head,
            "approved": head.status == Status.APPROVED,
            "groups": list(groups.values()),
            "counts": ledger_counts(head),
        },
    )


def _last_reports(entries):
    """{entry id: its latest report} for ENTRIES, in one query."""
    latest = {}
    for each in Report.objects.filter(entry__in=[e.pk for e in entries]).order_by("entry_id", "at", "id"):
        latest[each.entry_id] = each
    return latest


def _sent_back_of(entries):
    """{entry id: the reason it was last sent back} of the OPEN ENTRIES whose latest
    decision was a sending back, in one query."""
    reasons = {}
    rows = Event.objects.filter(
        entry__in=[e.pk for e in entries if e.state == EntryState.OPEN],
        action__in=[Action.DONE, Action.SEND_BACK],
    ).order_by("entry_id", "at", "id")
    for event in rows:
        reasons[event.entry_id] = event.text if event.action == Action.SEND_BACK else None
    return reasons


@require_GET
def mine(request):
    page = Paginator(mine_entries(request.user), LIST_PAGE).get_page(request.GET.get("page"))
    rows = list(page)
    latest, reasons = _last_reports(rows), _sent_back_of(rows)
    for each in rows:
        each.last_report = latest.get(each.pk)
        each.sent_back_reason = reasons.get(each.pk)
    return render(
        request,
        "ledger/tasks.html",
        {"tab": "mine", "rows": rows, "page": page, "verify_count": verifying_entries(request.user).count()},
    )


@require_GET
def to_verify(request):
    found = verifying_entries(request.user)
    page = Paginator(found, LIST_PAGE).get_page(request.GET.get("page"))
    rows = list(page)
    latest = _last_reports(rows)
    for each in rows:
        each.last_report = latest.get(each.pk)
    return render(
        request,
        "ledger/tasks.html",
        {"tab": "verify", "rows": rows, "page": page, "verify_count": page.paginator.count},
    )
