"""Pages and actions of review: submit, withdraw, resubmit, decide, read, answer a
comment; what changed between versions; each user's inbox. Every state change is a
call into review/transitions.py; what a page offers comes from review/moves.py, whose
guards the transitions raise on. Documents, steps and comments come through the policy
(outside reach 404), and a transition's refusal is a 403 (not yours to do) or a message
(stale, not ready, invalid)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from orgs import policy
from orgs.models import Level, Org
from orgs.tree import subtree
from plans.models import Document
from plans.words import DocumentKind, Status
from rectify.once import once
from rectify.posted import number, revision
from rectify.views import page_error

from . import transitions
from .diff import compare
from .models import PENDING, UNREAD, Comment, Notification, Step, StepState, waiting_counts
from .moves import MOVES, NotAllowed, Situation, TransitionError, reviews_of

INBOX_PAGE = 50


def _document(user, pk):
    return policy.get_or_404(user, Document, related=("team__org", "person", "parent"), pk=pk)


def _back(document):
    return redirect("plans:document", document.pk)


def _run(request, document, move, success):
    """Run a transition; say what happened (or why not) on the document's page."""
    try:
        move()
    except NotAllowed as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except TransitionError as error:
        messages.error(request, error.message)
        return _back(document)
    messages.success(request, success)
    return _back(document)


@require_POST
@once
def submit(request, pk):
    document = _document(request.user, pk)
    return _run(
        request,
        document,
        lambda: transitions.submit(request.user, document),
        _("已报送审阅。文件在审阅期间只读。"),
    )


@require_POST
def withdraw(request, pk):
    document = _document(request.user, pk)
    return _run(
        request, document, lambda: transitions.withdraw(request.user, document), _("已撤回，可以继续修改。")
    )


@require_POST
@once
def resubmit(request, pk):
    document = _document(request.user, pk)
    note = request.POST.get("note", "")
    return _run(
        request,
        document,
        lambda: transitions.resubmit(request.user, document, note),
        _("已重新报送，退回意见的审阅人会看到修改之处。"),
    )


def _step(user, pk):
    """A step of a review whose document the user can see; anything else is a 404."""
    return policy.get_or_404(user, Step, related=("review__document",), pk=pk)


@require_POST
def approve(request, pk):
    step = _step(request.user, pk)
    document = step.review.document
    return _run(
        request,
        document,
        lambda: transitions.approve(
            request.user,
            step.pk,
            revision(request),
            request.POST.get("note", ""),
            remarks=request.POST.get("remarks") or None,
        ),
        _("已审阅通过。"),
    )


def _written(request):
    """{item uid: text} of the 批注 a return form carries, None the 总体意见's."""
    texts = {
        name.removeprefix("comment-"): value
        for name, value in request.POST.items()
        if name.startswith("comment-")
    }
    if "note" in request.POST:
        texts[None] = request.POST["note"]
    return texts


@require_POST
def return_for_revision(request, pk):
    step = _step(request.user, pk)
    document = step.review.document
    grounds = []
    for reason in request.POST.getlist("reason"):
        if reason == "four_responses":
            sources = request.POST.getlist("source") or [""]
            grounds.extend({"reason": reason, "source": source} for source in sources)
        else:
            grounds.append({"reason": reason})
    written = _written(request)
    # Keep what the form carries before deciding: a refused return (no ground chosen)
    # shows it all again; a return recorded deletes it.
    try:
        transitions.save_drafts(request.user, step.pk, written)
    except TransitionError:
        pass  # not the user's to decide now: the return below says why
    comments = {uid: text for uid, text in written.items() if uid is not None and text.strip()}
    return _run(
        request,
        document,
        lambda: transitions.return_for_revision(
            request.user, step.pk, revision(request), grounds, comments, written.get(None, "")
        ),
        _("已退回修改，填报人会在相应条目旁看到您的意见。"),
    )


@require_POST
def save_draft(request, pk):
    """What a reviewer has written so far on one item (ITEM) or the 总体意见 (no ITEM),
    saved as it is typed (static/js/review.js). The answer is the text to show beside it;
    a text over its limit is refused (422) with the limit, and what was kept stays."""
    step = _step(request.user, pk)
    try:
        held = transitions.save_drafts(
            request.user, step.pk, {request.POST.get("item") or None: request.POST.get("text", "")}
        )
    except NotAllowed as refusal:
        return page_error(refusal.message, status=403)
    except TransitionError as error:
        return page_error(error.message, status=409)
    if held:
        return page_error(next(iter(held.values())), status=422)
    return HttpResponse(_("已保存 %s") % timezone.localtime().strftime("%H:%M"))


@require_POST
def mark_read(request, pk):
    step = _step(request.user, pk)
    document = step.review.document
    return _run(request, document, lambda: transitions.mark_read(request.user, step.pk), _("已阅。"))


@require_POST
def address(request, pk):
    """The filer marks a comment addressed, or answers it (htmx: the comment re-renders)."""
    comment = policy.get_or_404(request.user, Comment, related=("review__document",), pk=pk)
    document = comment.review.document
    try:
        comment = transitions.address(
            request.user, comment.pk, request.POST.get("addressed") == "on", request.POST.get("answer", "")
        )
    except NotAllowed as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except TransitionError as error:
        return page_error(error.message, status=409)
    html = render_to_string(
        "review/_comment.html",
        {"comment": comment, "document": document, "answering": True, "saved": True},
        request,
    )
    # The resubmit button (sent with the checklist) waits for every comment to be answered.
    return trigger_client_event(HttpResponse(html), "document-changed", {})


# What changed ------------------------------------------------------------------------


@require_GET
def changes(request, pk):
    """Version FROM against version TO (default: the last two)."""
    document = _document(request.user, pk)
    head = document.parent if document.parent_id else document
    review = reviews_of(head).first()
    if review is None:
        return render(request, "review/changes.html", {"document": head, "review": None})
    versions = list(review.versions.order_by("number"))
    numbers = [version.number for version in versions]

    def pick(name, default):
        try:
            value = int(request.GET.get(name, default))
        except ValueError:
            value = default
        return value if value in numbers else default

    new = pick("to", numbers[-1])
    old = pick("from", numbers[-2] if len(numbers) > 1 else numbers[-1])
    by_number = {version.number: version for version in versions}
    diff = compare(by_number[old].snapshot, by_number[new].snapshot)
    comments = list(
        Comment.objects.filter(review=review).select_related("event__actor", "addressed_by").order_by("id")
    )
    return render(
        request,
        "review/changes.html",
        {
            "document": head,
            "review": review,
            "versions": versions,
            "old": by_number[old],
            "new": by_number[new],
            "diff": diff,
            "comments": comments,
        },
    )


# Inbox -----------------------------------------------------------------------------------


def _waited(since, now):
    if since is None:
        return ""
    delta = now - since
    if delta < dt.timedelta(hours=1):
        return _("%d 分钟") % max(1, delta.seconds // 60)
    if delta < dt.timedelta(days=1):
        return _("%d 小时") % (delta.seconds // 3600)
    return _("%d 天") % delta.days


@require_GET
def inbox(request):
    user = request.user
    now = timezone.now()
    state = request.GET.get("state", "open")
    kind = request.GET.get("kind", "")
    region = request.GET.get("region", "")

    steps = Step.objects.filter(assignees=user)
    counts = steps.aggregate(
        pending=Count("pk", filter=PENDING),
        unread=Count("pk", filter=UNREAD),
        done=Count("pk", filter=Q(state__in=[StepState.APPROVED, StepState.RETURNED, StepState.READ])),
    )
    if state == "open":
        steps = steps.filter(PENDING | UNREAD)
    elif state == "pending":
        steps = steps.filter(PENDING)
    elif state == "unread":
        steps = steps.filter(UNREAD)
    elif state == "all":
        pass
    elif state == "done":
        steps = steps.filter(state__in=[StepState.APPROVED, StepState.RETURNED, StepState.READ])
    if kind in DocumentKind.values:
        steps = steps.filter(review__document__kind=kind)
    regions = Org.objects.filter(level=Level.CITY, kind="region").order_by("code")
    chosen = next((org for org in regions if str(org.pk) == region), None)
    if chosen is not None:
        steps = steps.filter(subtree(chosen, "review__document__team__org__"))
    steps = (
        steps.select_related("review__document__team__org", "review__document__person", "decided_by")
        .prefetch_related(Prefetch("assignees", queryset=get_user_model().objects.filter(pk=user.pk)))
        .order_by("reached_at", "id")
    )
    page = Paginator(steps, INBOX_PAGE).get_page(request.GET.get("page"))
    read = MOVES["read"]
    rows = [
        {
            "step": step,
            "waited": _waited(step.reached_at, now),
            # The bulk action offers what the read move allows, from its own guard.
            "readable": read.allows(user, Situation(step.review.document, step.review), step),
        }
        for step in page
    ]

    # What the user fills in and has been returned (plans.access.fills: the plans of the
    # teams they file for, the measures of those teams and their own in a team of theirs).
    # Each is seen by the scope's own clauses, so its whole union, 4 ms of planning on
    # PostgreSQL, is not asked again here.
    reach = policy.reach(user)
    returned = (
        Document.objects.filter(status=Status.RETURNED, parent__isnull=True)
        .filter(
            Q(team_id__in=list(reach.filed_team_ids))
            | Q(kind=DocumentKind.INDIVIDUAL, person__user=user, team_id__in=list(reach.team_ids))
        )
        .select_related("team__org")
        .order_by("updated_at")
    )
    notifications = list(
        Notification.objects.filter(user=user).select_related("document").order_by("-created_at", "-id")[:20]
    )
    return render(
        request,
        "review/inbox.html",
        {
            "page": page,
            "rows": rows,
            "counts": counts,
            "state": state,
            "kind": kind,
            "region": chosen,
            "regions": regions,
            "kinds": DocumentKind.choices,
            "returned": list(returned),
            "readable": any(row["readable"] for row in rows),
            "notifications": notifications,
            "unread_notifications": sum(1 for n in notifications if n.read_at is None),
        },
    )


@require_GET
def waiting(request):
    """The menu's count of the steps waiting on the user (fetched once the page is shown,
    so no page pays for it)."""
    return render(request, "review/_waiting.html", {"waiting": waiting_counts(request.user)})


@require_POST
def read_many(request):
    """Bulk mark-as-read of the read steps ticked in the inbox."""
    ids = [pk for pk in map(number, request.POST.getlist("step")) if pk is not None]
    done = 0
    for step in policy.visible(request.user, Step).filter(pk__in=ids).order_by("pk"):
        try:
            transitions.mark_read(request.user, step.pk)
        except TransitionError:
            continue  # not the user's to read, or read already: the guard says which
        done += 1
    messages.success(request, _("已将 %(n)d 份文件标记为已阅。") % {"n": done})
    return redirect("review:inbox")


@require_GET
def notification(request, pk):
    """Open what a notification is about, and mark it read."""
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk).update(read_at=timezone.now())
    if note.link:
        return redirect(note.link)
    return redirect("plans:document", note.document_id)


@require_POST
def notifications_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("review:inbox")
