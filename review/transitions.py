"""Every change of a document's review state, and nothing else assigns one.

Each function takes the acting user, runs in a transaction, locks the row it claims,
re-checks permission and the state it starts from, moves the state with a conditional
update that must touch exactly one row, writes an append-only Event, and sends mail
only after the transaction commits. An illegal move raises TransitionError (NotAllowed
for somebody who may not act here, Stale for a page that no longer shows the present).

The moves (document status in brackets):

    submit        draft → submitted      routes the document, fixes the chain, freezes version 1
    withdraw      submitted → draft      by the filer, until the first decision
    approve       a review step pending → approved; when its stage is complete the next
                  stage is reached; after the last, the document is approved
    return_for_revision   a review step pending → returned, the document → returned,
                  with the grounds of section 四 and comments on items
    mark_read     a read step unread → read (never blocks the chain)
    address       the filer marks a comment addressed, or answers it
    resubmit      returned → submitted   freezes the next version; the step that returned
                  it is pending again. Earlier approvals stand: those reviewers approved
                  what they were shown and the returning reviewer checks the revision;
                  they are told of the resubmission and can read the difference.
"""

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs import policy
from orgs.models import AuthorityKind
from orgs.policy import Action as PolicyAction
from plans.checks import check
from plans.documents import snapshot
from plans.models import Document, Source, Status
from plans.words import ReturnReason

from . import routing
from .assignees import assignees
from .models import (
    Action,
    Comment,
    Event,
    Mode,
    Notification,
    Review,
    ReviewState,
    Step,
    StepState,
    Version,
)

logger = logging.getLogger(__name__)


class TransitionError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


class NotAllowed(TransitionError):
    """The user may see the document but may not do this to it (403)."""


class Stale(TransitionError):
    """Somebody acted first, or the page was rendered before the last change (409)."""


# Helpers ------------------------------------------------------------------------------


def _head(document):
    if document.parent_id:
        raise TransitionError(_("附件随领导班子整改方案一并报送、审阅，请在整改方案中操作。"))
    return document


def _lock_document(document):
    """Lock the document's own row (not its team, org or person). Every move that locks
    a document does so before its review: one order, so two moves wait, never deadlock."""
    return (
        Document.objects.select_related("team__org", "person")
        .select_for_update(of=("self",))
        .get(pk=document.pk)
    )


def _set_status(document, from_statuses, to_status):
    """Move the document and its attachments; the document row must still be FROM."""
    touched = Document.objects.filter(pk=document.pk, status__in=from_statuses).update(
        status=to_status, updated_at=timezone.now()
    )
    if touched != 1:
        raise Stale(_("文件状态刚刚变化，请刷新页面。"))
    Document.objects.filter(parent_id=document.pk).update(status=to_status)
    document.status = to_status


def _open_review(document):
    review = (
        Review.objects.select_for_update()
        .filter(document=document, state__in=[ReviewState.OPEN, ReviewState.RETURNED])
        .first()
    )
    if review is None:
        raise Stale(_("这份文件没有正在进行的审阅。"))
    return review


def _bump(review, **changes):
    """Advance the review's revision (and CHANGES) if nobody else has since it was locked."""
    touched = Review.objects.filter(pk=review.pk, revision=review.revision).update(
        revision=F("revision") + 1, **changes
    )
    if touched != 1:
        raise Stale(_("审阅状态刚被他人改变，请刷新页面后再操作。"))
    review.revision += 1
    for name, value in changes.items():
        setattr(review, name, value)


def filers(document):
    """Who hears that a document came back: the team's filers and, for individual
    measures, the person themself."""
    ids = set(policy.filer_ids(document.team_id))
    if document.person_id and document.person.user_id:
        ids.add(document.person.user_id)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


@dataclass
class _Message:
    users: list
    text: str


def _notify(event, messages):
    """In-product notifications now, mail after commit."""
    rows = []
    mails = []
    link = f"/documents/{event.document_id}/"
    for message in messages:
        for user in message.users:
            rows.append(
                Notification(user=user, document_id=event.document_id, event=event, text=message.text)
            )
            if user.email:
                mails.append((message.text, user.email))
    Notification.objects.bulk_create(rows)

    def send():
        # The state has changed whatever the mail server says: a failed mail is logged,
        # and the notification in the product is there either way.
        for text, address in mails:
            try:
                send_mail(
                    subject=text[:80],
                    message=_("%(text)s\n\n请登录整改方案填报审阅系统查看：%(link)s")
                    % {"text": text, "link": link},
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[address],
                )
            except (OSError, smtplib.SMTPException):
                logger.exception("mail to %s failed", address)

    if mails:
        transaction.on_commit(send)


def _event(review, action, actor, step=None, grounds=(), comment=""):
    return Event.objects.create(
        document_id=review.document_id,
        review=review,
        step=step,
        version=review.version,
        action=action,
        actor=actor,
        grounds=list(grounds),
        comment=comment,
    )


def _reach(review, stage, now, actor):
    """Open STAGE (and any stage after it made only of read steps); approve the document
    when there is no stage left. Returns the steps newly reached."""
    steps = list(review.steps.filter(stage__gte=stage).order_by("stage", "id"))
    stages = sorted({step.stage for step in steps})
    reached = []
    for number in stages:
        here = [step for step in steps if step.stage == number]
        for step in here:
            step.state = StepState.PENDING if step.mode == Mode.REVIEW else StepState.UNREAD
            step.reached_at = now
            Step.objects.filter(pk=step.pk, state=StepState.WAITING).update(state=step.state, reached_at=now)
            reached.append(step)
        if any(step.mode == Mode.REVIEW for step in here):
            return reached
    # Every review step is behind us: the document is approved.
    _set_status(review.document, [Status.SUBMITTED], Status.APPROVED)
    _bump(review, state=ReviewState.APPROVED, closed_at=now)
    event = _event(review, Action.APPROVED, actor)
    _notify(event, [_Message(filers(review.document), _("《%s》已审阅通过。") % review.document.title)])
    return reached


def _announce(review, event, steps):
    messages = []
    for step in steps:
        users = list(step.assignees.all())
        if step.mode == Mode.REVIEW:
            text = _("《%(title)s》已报送，请审阅（%(authority)s）。")
        else:
            text = _("《%(title)s》送您阅（%(authority)s）。")
        messages.append(
            _Message(
                users, text % {"title": review.document.title, "authority": step.get_authority_display()}
            )
        )
    _notify(event, messages)


def _assignee_of(user, step):
    return step.assignees.filter(pk=user.pk).exists()


# Moves -----------------------------------------------------------------------------------


@transaction.atomic
def submit(user, document):
    document = _lock_document(_head(document))
    # Attachments freeze with the plan: hold their rows too, so an edit of an attachment
    # lands either before the checks and the snapshot or is refused after.
    list(Document.objects.select_for_update().filter(parent_id=document.pk).values_list("pk", flat=True))
    if document.status == Status.RETURNED:
        raise TransitionError(_("这份文件已退回修改，请按意见修改后“重新报送”。"))
    if document.status != Status.DRAFT:
        raise Stale(_("这份文件已经报送。"))
    if not policy.can(user, PolicyAction.FILE, document):
        raise NotAllowed(_("只有本文件的填报人可以报送。"))
    checklist = check(document)
    if not checklist.passed:
        raise TransitionError(
            _("还有 %(n)d 项须整改，不能报送：%(first)s")
            % {"n": len(checklist.errors), "first": checklist.errors[0].message}
        )
    try:
        route = routing.route_for(document)
    except routing.Unrouted as error:
        raise TransitionError(str(error)) from error
    if not route:
        raise TransitionError(_("按通知规定，这份文件没有需要报送的审阅环节。"))
    people = {step: assignees(step.authority, document) for step in route}
    nobody = [step for step in route if not people[step]]
    if nobody:
        raise TransitionError(
            _("审阅链中“%(names)s”尚未指定人员，请联系系统管理员配置后再报送。")
            % {"names": "、".join(str(routing_label(step.authority)) for step in nobody)}
        )
    _set_status(document, [Status.DRAFT], Status.SUBMITTED)
    now = timezone.now()
    # Versions are numbered per document: a submission after a withdrawal goes on counting.
    number = (Version.objects.filter(document=document).aggregate(last=Max("number"))["last"] or 0) + 1
    review = Review.objects.create(document=document, submitted_by=user, version=number)
    Version.objects.create(
        review=review, document=document, number=number, snapshot=snapshot(document), created_by=user
    )
    for planned in route:
        step = Step.objects.create(
            review=review,
            stage=planned.stage,
            authority=planned.authority,
            mode=planned.mode,
            basis=planned.basis,
        )
        step.assignees.set(people[planned])
    event = _event(review, Action.SUBMIT, user)
    reached = _reach(review, route[0].stage, now, user)
    _announce(review, event, reached)
    return review


def routing_label(authority):
    return AuthorityKind(authority).label


@transaction.atomic
def withdraw(user, document):
    document = _lock_document(_head(document))
    review = _open_review(document)
    if not policy.files(user, document):
        raise NotAllowed(_("只有本文件的填报人可以撤回。"))
    if (
        review.state != ReviewState.OPEN
        or review.events.filter(action__in=[Action.APPROVE, Action.RETURN]).exists()
    ):
        raise TransitionError(_("已有审阅意见，不能再撤回。"))
    _set_status(document, [Status.SUBMITTED], Status.DRAFT)
    _bump(review, state=ReviewState.WITHDRAWN, closed_at=timezone.now())
    review.steps.filter(state__in=[StepState.PENDING, StepState.UNREAD]).update(state=StepState.WAITING)
    event = _event(review, Action.WITHDRAW, user)
    _notify(
        event,
        [
            _Message(
                [u for step in review.steps.all() for u in step.assignees.all() if step.reached_at],
                _("《%s》已由填报人撤回，暂不需审阅。") % document.title,
            )
        ],
    )
    return review


def _decidable(user, step_id, revision):
    step = Step.objects.select_related("review").get(pk=step_id)
    # The document first, then the review, as submit, withdraw and resubmit lock them:
    # a decision racing a withdrawal waits for it instead of deadlocking with it.
    document = _lock_document(Document(pk=step.review.document_id))
    review = Review.objects.select_for_update().get(pk=step.review_id)
    review.document = document
    step.review = review
    if not _assignee_of(user, step):
        raise NotAllowed(_("您不是这一审阅环节的审阅人。"))
    if review.revision != revision:
        raise Stale(_("页面打开后审阅情况已有变化（可能已有人作出决定，或已重新报送），请刷新页面后再操作。"))
    if step.mode != Mode.REVIEW or step.state != StepState.PENDING or review.state != ReviewState.OPEN:
        raise Stale(_("这一环节现在不需要您作出决定。"))
    return step, review


@transaction.atomic
def approve(user, step_id, revision, comment=""):
    step, review = _decidable(user, step_id, revision)
    now = timezone.now()
    touched = Step.objects.filter(pk=step.pk, state=StepState.PENDING).update(
        state=StepState.APPROVED, decided_at=now, decided_by=user, decided_version=review.version
    )
    if touched != 1:
        raise Stale(_("这一环节刚被他人作出决定。"))
    _bump(review)
    event = _event(review, Action.APPROVE, user, step=step, comment=comment)
    waiting = (
        review.steps.filter(stage=step.stage, mode=Mode.REVIEW).exclude(state=StepState.APPROVED).exists()
    )
    reached = []
    if not waiting:
        later = review.steps.filter(stage__gt=step.stage).order_by("stage").first()
        if later is None:
            _set_status(review.document, [Status.SUBMITTED], Status.APPROVED)
            _bump(review, state=ReviewState.APPROVED, closed_at=now)
            done = _event(review, Action.APPROVED, user)
            _notify(
                done, [_Message(filers(review.document), _("《%s》已审阅通过。") % review.document.title)]
            )
        else:
            reached = _reach(review, later.stage, now, user)
    _announce(review, event, [s for s in reached if s.state in (StepState.PENDING, StepState.UNREAD)])
    return step


def _clean_grounds(grounds):
    cleaned = []
    for ground in grounds:
        reason = ground.get("reason")
        if reason not in ReturnReason.values:
            raise TransitionError(_("退回理由“%s”不在通知规定的理由之中。") % reason)
        source = ground.get("source") or None
        if reason == ReturnReason.FOUR_RESPONSES:
            if source not in Source.values:
                raise TransitionError(_("以“没有做到四个回应”退回时，请指明没有回应的是哪一项。"))
        else:
            source = None
        cleaned.append({"reason": reason, "source": source})
    if not cleaned:
        raise TransitionError(_("退回修改须至少选择一条理由。"))
    return cleaned


@transaction.atomic
def return_for_revision(user, step_id, revision, grounds, comments=None, note=""):
    """COMMENTS: {item uid: text} on items of the version under review."""
    step, review = _decidable(user, step_id, revision)
    grounds = _clean_grounds(grounds)
    comments = {str(uid): text.strip() for uid, text in (comments or {}).items() if text and text.strip()}
    version = review.versions.get(number=review.version)
    items = _items_of(version.snapshot)
    unknown = [uid for uid in comments if uid not in items]
    if unknown:
        raise Stale(_("所批注的条目不在当前版本中，请刷新页面。"))
    now = timezone.now()
    touched = Step.objects.filter(pk=step.pk, state=StepState.PENDING).update(
        state=StepState.RETURNED, decided_at=now, decided_by=user, decided_version=review.version
    )
    if touched != 1:
        raise Stale(_("这一环节刚被他人作出决定。"))
    _set_status(review.document, [Status.SUBMITTED], Status.RETURNED)
    _bump(review, state=ReviewState.RETURNED)
    event = _event(review, Action.RETURN, user, step=step, grounds=grounds, comment=note.strip())
    Comment.objects.bulk_create(
        Comment(event=event, review=review, item_uid=uid, item_text=items[uid], text=text)
        for uid, text in comments.items()
    )
    _notify(
        event,
        [
            _Message(
                filers(review.document),
                _("《%(title)s》被退回修改（%(who)s）。")
                % {"title": review.document.title, "who": step.get_authority_display()},
            )
        ],
    )
    return step


def _items_of(snapshot):
    """{uid: text} of every item of a snapshot, attachments included."""
    found = {}
    for items in snapshot["sections"].values():
        for item in items:
            found[item["uid"]] = item["text"] or item["measures"] or item.get("special_task") or ""
    for attachment in snapshot.get("attachments", ()):
        found.update(_items_of(attachment))
    return found


@transaction.atomic
def mark_read(user, step_id):
    step = Step.objects.select_related("review").get(pk=step_id)
    _lock_document(step.review.document)  # the one lock order: document, then review
    if not _assignee_of(user, step):
        raise NotAllowed(_("这份文件不是送您阅的。"))
    now = timezone.now()
    touched = Step.objects.filter(pk=step.pk, state=StepState.UNREAD).update(
        state=StepState.READ, decided_at=now, decided_by=user, decided_version=step.review.version
    )
    if touched != 1:
        return False  # already read: a second click changes nothing
    _event(step.review, Action.READ, user, step=step)
    return True


@transaction.atomic
def address(user, comment_id, addressed, answer=""):
    comment = Comment.objects.select_related("review__document__team__org", "review__document__person").get(
        pk=comment_id
    )
    _lock_document(comment.review.document)
    review = Review.objects.select_for_update().get(pk=comment.review_id)
    document = comment.review.document
    if not policy.files(user, document):
        raise NotAllowed(_("只有本文件的填报人可以答复意见。"))
    if review.state != ReviewState.RETURNED:
        raise Stale(_("文件不在退回修改状态，意见不能再改动。"))
    Comment.objects.filter(pk=comment.pk).update(
        addressed=bool(addressed),
        answer=answer.strip(),
        addressed_at=timezone.now() if addressed or answer.strip() else None,
        addressed_by=user if addressed or answer.strip() else None,
    )
    comment.refresh_from_db()
    if addressed:
        note = _("已整改：%(text)s") % {"text": comment.text[:60]}
    elif comment.answer:
        note = _("答复“%(text)s”：%(answer)s") % {"text": comment.text[:40], "answer": comment.answer}
    else:
        note = _("撤销已整改：%(text)s") % {"text": comment.text[:60]}
    _event(review, Action.ADDRESS, user, comment=note)
    return comment


@transaction.atomic
def resubmit(user, document, note=""):
    document = _lock_document(_head(document))
    if not policy.files(user, document):
        raise NotAllowed(_("只有本文件的填报人可以重新报送。"))
    review = _open_review(document)
    if review.state != ReviewState.RETURNED or document.status != Status.RETURNED:
        raise Stale(_("这份文件不在退回修改状态。"))
    returned = review.steps.filter(state=StepState.RETURNED).order_by("stage", "id").first()
    open_comments = review.comments.filter(addressed=False, answer="")
    if open_comments.exists():
        raise TransitionError(_("还有 %(n)d 条审阅意见没有标记已整改或答复。") % {"n": open_comments.count()})
    checklist = check(document)
    if not checklist.passed:
        raise TransitionError(
            _("还有 %(n)d 项须整改，不能报送：%(first)s")
            % {"n": len(checklist.errors), "first": checklist.errors[0].message}
        )
    number = review.version + 1
    _set_status(document, [Status.RETURNED], Status.SUBMITTED)
    _bump(review, state=ReviewState.OPEN, version=number)
    Version.objects.create(
        review=review, document=document, number=number, snapshot=snapshot(document), created_by=user
    )
    now = timezone.now()
    Step.objects.filter(pk=returned.pk, state=StepState.RETURNED).update(
        state=StepState.PENDING, reached_at=now, decided_at=None, decided_by=None
    )
    event = _event(review, Action.RESUBMIT, user, step=returned, comment=note.strip())
    earlier = [
        u
        for step in review.steps.filter(state=StepState.APPROVED).prefetch_related("assignees")
        for u in step.assignees.all()
    ]
    _notify(
        event,
        [
            _Message(
                list(returned.assignees.all()),
                _("《%s》已按意见修改并重新报送，请审阅。") % document.title,
            ),
            _Message(earlier, _("您已审阅通过的《%s》按退回意见修改后重新报送。") % document.title),
        ],
    )
    return review
