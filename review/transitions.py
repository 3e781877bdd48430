"""Every change of a document's review state, and nothing else assigns one.

Each function takes the acting user, runs in a transaction, locks the document's row
(then its review's: one order, so two moves wait for each other, never deadlock), asks
the move's guard in review/moves.py whether this user may make it now (the same guard
the pages ask what to offer), moves the state with a conditional update that must touch
exactly one row, writes an append-only Event, and says who must hear of it
(review/notices.py writes and mails that after the transaction commits). An illegal move
raises TransitionError (NotAllowed for somebody who may not act here, Stale for a page
that no longer shows the present, NotReady for a document not ready for it).

The moves (document status in brackets):

    submit        draft → submitted      routes the document, fixes the chain, freezes version 1
    withdraw      submitted → draft      by the filer, until the first decision
    approve       a review step pending → approved; when its stage is complete the next
                  stage is reached; after the last, the document is approved
    return_for_revision   a review step pending → returned, the document → returned,
                  with the grounds of section 四 and comments on items
    mark_read     a read step unread → read (never blocks the chain)
    save_drafts   not a move: keeps what the deciding reviewer has written so far (a 批注
                  or the 总体意见), while the step waits on them; the return or approval
                  that sends it, or discards it, deletes it
    address       the filer marks a comment addressed, or answers it
    resubmit      returned → submitted   freezes the next version; the step that returned
                  it is pending again. Earlier approvals stand: those reviewers approved
                  what they were shown and the returning reviewer checks the revision;
                  they are told of the resubmission and can read the difference.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs import policy
from plans.documents import snapshot
from plans.models import Document
from plans.words import ReturnReason, Source, Status

from . import signals
from .models import (
    COMMENT_MAX_CHARS,
    NOTE_MAX_CHARS,
    RESUBMIT_NOTE_MAX_CHARS,
    Action,
    Comment,
    CommentDraft,
    Event,
    Mode,
    Review,
    ReviewState,
    Step,
    StepState,
    Version,
)
from .moves import NotReady, Situation, Stale, TransitionError, check_move
from .notices import Message, tell

# Helpers ------------------------------------------------------------------------------


def _lock_document(document_id):
    """Lock the document's own row (not its team, org or person). Every move that locks
    a document does so before its review: one order, so two moves wait, never deadlock."""
    return Document.objects.select_for_update().get(pk=document_id)


def _lock_review(document):
    """The review in progress of DOCUMENT, locked (None if there is none)."""
    return (
        Review.objects.select_for_update()
        .filter(document=document, state__in=[ReviewState.OPEN, ReviewState.RETURNED])
        .first()
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


def authors(document):
    """The document's authors, who hear what becomes of it: the team's filers and, for
    individual measures, the person themself."""
    ids = set(policy.filers_of(document.team_id))
    if document.person_id and document.person.user_id:
        ids.add(document.person.user_id)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def too_long(text, limit, what):
    """Why TEXT, written in the field WHAT, is longer than LIMIT characters; None if it
    is not. A line break counts once, as the field counted it (a form sends it as two)."""
    n = len(text.replace("\r\n", "\n"))
    if n <= limit:
        return None
    return _("%(what)s最多 %(limit)s 字，现在是 %(n)s 字，请删减。") % {
        "what": what,
        "limit": f"{limit:,}",
        "n": f"{n:,}",
    }


def _draft_too_long(uid, text):
    """Why a 批注 on UID (None: the 总体意见) cannot be TEXT; None if it can."""
    if uid is None:
        return too_long(text, NOTE_MAX_CHARS, _("总体意见"))
    return too_long(text, COMMENT_MAX_CHARS, _("批注"))


def _within(reason):
    if reason:
        raise NotReady(reason)


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


def _finish(review, now, actor):
    """Every review step is behind the document: it is approved."""
    _set_status(review.document, [Status.SUBMITTED], Status.APPROVED)
    _bump(review, state=ReviewState.APPROVED, closed_at=now)
    event = _event(review, Action.APPROVED, actor)
    signals.approved.send(sender=Review, document=review.document, actor=actor)
    tell(event, [Message(authors(review.document), _("《%s》已审阅通过。") % review.document.title)])


def _open_stage(review, stage, now, actor):
    """Open STAGE (and any stage after it made only of read steps); approve the document
    when there is no stage left. Returns the steps newly reached."""
    steps = list(review.steps.filter(stage__gte=stage).order_by("stage", "id"))
    reached = []
    for number in sorted({step.stage for step in steps}):
        here = [step for step in steps if step.stage == number]
        for step in here:
            step.state = StepState.PENDING if step.mode == Mode.REVIEW else StepState.UNREAD
            step.reached_at = now
            Step.objects.filter(pk=step.pk, state=StepState.WAITING).update(state=step.state, reached_at=now)
            reached.append(step)
        if any(step.mode == Mode.REVIEW for step in here):
            return reached
    _finish(review, now, actor)
    return reached


def _announce(review, event, steps):
    messages = []
    for step in steps:
        if step.mode == Mode.REVIEW:
            text = _("《%(title)s》已报送，请审阅（%(authority)s）。")
        else:
            text = _("《%(title)s》送您阅（%(authority)s）。")
        messages.append(
            Message(
                list(step.assignees.all()),
                text % {"title": review.document.title, "authority": step.get_authority_display()},
            )
        )
    tell(event, messages)


# Moves -----------------------------------------------------------------------------------


@transaction.atomic
def submit(user, document):
    document = _lock_document(document.pk)
    # Attachments freeze with the plan: hold their rows too, so an edit of an attachment
    # lands either before the checks and the snapshot or is refused after.
    list(Document.objects.select_for_update().filter(parent_id=document.pk).values_list("pk", flat=True))
    situation = Situation(document)
    check_move(user, "submit", situation)
    chain = situation.chain
    _set_status(document, [Status.DRAFT], Status.SUBMITTED)
    now = timezone.now()
    # Versions are numbered per document: a submission after a withdrawal goes on counting.
    number = (Version.objects.filter(document=document).aggregate(last=Max("number"))["last"] or 0) + 1
    review = Review.objects.create(document=document, submitted_by=user, version=number)
    Version.objects.create(
        review=review, document=document, number=number, snapshot=snapshot(document), created_by=user
    )
    for planned, users in chain:
        step = Step.objects.create(
            review=review,
            stage=planned.stage,
            authority=planned.authority,
            mode=planned.mode,
            basis=planned.basis,
        )
        step.assignees.set(users)
    event = _event(review, Action.SUBMIT, user)
    reached = _open_stage(review, chain[0][0].stage, now, user)
    _announce(review, event, reached)
    return review


@transaction.atomic
def withdraw(user, document):
    document = _lock_document(document.pk)
    review = _lock_review(document)
    check_move(user, "withdraw", Situation(document, review))
    _set_status(document, [Status.SUBMITTED], Status.DRAFT)
    _bump(review, state=ReviewState.WITHDRAWN, closed_at=timezone.now())
    review.steps.filter(state__in=[StepState.PENDING, StepState.UNREAD]).update(state=StepState.WAITING)
    event = _event(review, Action.WITHDRAW, user)
    tell(
        event,
        [
            Message(
                [u for step in review.steps.all() for u in step.assignees.all() if step.reached_at],
                _("《%s》已由填报人撤回，暂不需审阅。") % document.title,
            )
        ],
    )
    return review


def _step_situation(step_id, revision=None):
    """STEP_ID's step and the situation of its document, the document locked first and
    then the review, as every move locks them."""
    review_id, document_id = (
        Step.objects.filter(pk=step_id).values_list("review_id", "review__document_id").get()
    )
    document = _lock_document(document_id)
    review = Review.objects.select_for_update().get(pk=review_id)
    review.document = document
    step = Step.objects.get(pk=step_id)
    step.review = review
    return step, Situation(document, review, revision=revision)


# What approving does with the 批注 and 总体意见 its reviewer has written and not sent.
SEND_REMARKS = "send"  # they go with the approval, as remarks beside the items
DISCARD_REMARKS = "discard"  # they are dropped


@transaction.atomic
def approve(user, step_id, revision, comment="", remarks=None):
    """REMARKS says what becomes of the reviewer's unsent drafts (SEND_REMARKS or
    DISCARD_REMARKS); with drafts and no choice the approval is refused, so nothing
    written is dropped without the reviewer saying so."""
    step, situation = _step_situation(step_id, revision)
    check_move(user, "approve", situation, step)
    _within(_draft_too_long(None, comment))
    review = situation.review
    drafts = list(CommentDraft.objects.filter(step=step, user=user).order_by("id"))
    if drafts and remarks not in (SEND_REMARKS, DISCARD_REMARKS):
        raise NotReady(_("您还有写好但未送出的批注或总体意见，请选择随审阅通过送达，或者放弃。"))
    sent = drafts if remarks == SEND_REMARKS else []
    notes = [draft.text.strip() for draft in sent if draft.item_uid is None]
    on_items = [draft for draft in sent if draft.item_uid is not None]
    comment = "\n".join(text for text in (comment.strip(), *notes) if text)
    items = _items_of(review.versions.get(number=review.version).snapshot) if on_items else {}
    now = timezone.now()
    touched = Step.objects.filter(pk=step.pk, state=StepState.PENDING).update(
        state=StepState.APPROVED, decided_at=now, decided_by=user, decided_version=review.version
    )
    if touched != 1:
        raise Stale(_("这一环节刚被他人作出决定。"))
    _bump(review)
    event = _event(review, Action.APPROVE, user, step=step, comment=comment)
    Comment.objects.bulk_create(
        Comment(
            event=event,
            review=review,
            item_uid=draft.item_uid,
            item_text=items.get(str(draft.item_uid), ""),
            text=draft.text.strip(),
        )
        for draft in on_items
    )
    CommentDraft.objects.filter(pk__in=[draft.pk for draft in drafts]).delete()
    waiting = (
        review.steps.filter(stage=step.stage, mode=Mode.REVIEW).exclude(state=StepState.APPROVED).exists()
    )
    reached = []
    if not waiting:
        later = review.steps.filter(stage__gt=step.stage).order_by("stage").first()
        if later is None:
            _finish(review, now, user)
        else:
            reached = _open_stage(review, later.stage, now, user)
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
    step, situation = _step_situation(step_id, revision)
    check_move(user, "return", situation, step)
    review = situation.review
    grounds = _clean_grounds(grounds)
    comments = {str(uid): text.strip() for uid, text in (comments or {}).items() if text and text.strip()}
    for uid, text in {**comments, None: note}.items():
        _within(_draft_too_long(uid, text))
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
    # What the form sent is what the reviewer had written: the drafts of it are done.
    CommentDraft.objects.filter(step=step, user=user).delete()
    tell(
        event,
        [
            Message(
                authors(review.document),
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
def save_drafts(user, step_id, texts):
    """Keep what USER has written so far on the review step STEP_ID. TEXTS: {item uid:
    text} for 批注, the key None for the 总体意见; blank text removes one. Only the reviewer
    who may decide the step now writes them, on items of the version under review. A text
    over its limit is not kept (what was kept of it before stays): returns {uid: why} of
    those."""
    step, situation = _step_situation(step_id)
    check_move(user, "return", situation, step)
    texts = {str(uid) if uid else None: text for uid, text in texts.items()}
    if any(texts):
        items = _items_of(situation.review.versions.get(number=situation.review.version).snapshot)
        if any(uid is not None and uid not in items for uid in texts):
            raise Stale(_("所批注的条目不在当前版本中，请刷新页面。"))
    held = {}
    for uid, text in texts.items():
        if reason := _draft_too_long(uid, text):
            held[uid] = reason
        elif text.strip():
            CommentDraft.objects.update_or_create(step=step, user=user, item_uid=uid, defaults={"text": text})
        else:
            CommentDraft.objects.filter(step=step, user=user, item_uid=uid).delete()
    return held


@transaction.atomic
def mark_read(user, step_id):
    step, situation = _step_situation(step_id)
    check_move(user, "read", situation, step)
    now = timezone.now()
    touched = Step.objects.filter(pk=step.pk, state=StepState.UNREAD).update(
        state=StepState.READ, decided_at=now, decided_by=user, decided_version=situation.review.version
    )
    if touched != 1:
        raise Stale(_("这份文件您已阅过，或现在不需要您阅。"))
    _event(situation.review, Action.READ, user, step=step)
    return step


@transaction.atomic
def address(user, comment_id, addressed, answer=""):
    comment = Comment.objects.select_related("review").get(pk=comment_id)
    document = _lock_document(comment.review.document_id)
    review = Review.objects.select_for_update().get(pk=comment.review_id)
    check_move(user, "address", Situation(document, review), comment)
    answer = answer.strip()
    Comment.objects.filter(pk=comment.pk).update(
        addressed=bool(addressed),
        answer=answer,
        addressed_at=timezone.now() if addressed or answer else None,
        addressed_by=user if addressed or answer else None,
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
    document = _lock_document(document.pk)
    review = _lock_review(document)
    check_move(user, "resubmit", Situation(document, review))
    _within(too_long(note, RESUBMIT_NOTE_MAX_CHARS, _("修改说明")))
    returned = review.steps.filter(state=StepState.RETURNED).order_by("stage", "id").first()
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
    tell(
        event,
        [
            Message(
                list(returned.assignees.all()),
                _("《%s》已按意见修改并重新报送，请审阅。") % document.title,
            ),
            Message(earlier, _("您已审阅通过的《%s》按退回意见修改后重新报送。") % document.title),
        ],
    )
    return review
