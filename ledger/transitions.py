"""Every change of a ledger entry, and nothing else makes one.

Each function runs in a transaction, locks the entry's row, checks that the actor may
make the move now and that the entry is still as the page showed it (its revision), moves
it with a conditional update, and writes an append-only Event. Who must hear of it is
told after the transaction commits (review.notices). Refusals raise review's errors
(NotAllowed, Stale, NotReady) with a message in Chinese.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.models import AuthorityKind
from rectify.dates import chinese_date
from review.assignees import assignees, holders
from review.moves import Stale, TransitionError
from review.notices import Message, post
from review.transitions import authors

from . import access, clock, evidence, words
from .deadlines import days_overdue
from .models import Chase, Entry, Event, Evidence, Report
from .words import Action, ChaseKind, EntryState

# Helpers ------------------------------------------------------------------------------


def _lock(entry_id, revision=None):
    """The entry, its row locked; Stale if REVISION is given and it has moved on."""
    entry = Entry.objects.select_for_update().select_related("document").get(pk=entry_id)
    if revision is not None and entry.revision != int(revision):
        raise Stale(_("这条整改措施刚刚有了变化，请刷新页面后再操作。"))
    return entry


def _move(entry, **changes):
    """Write CHANGES to the locked ENTRY and advance its revision."""
    touched = Entry.objects.filter(pk=entry.pk, revision=entry.revision).update(
        revision=F("revision") + 1, **changes
    )
    if touched != 1:
        raise Stale(_("这条整改措施刚刚有了变化，请刷新页面后再操作。"))
    for name, value in changes.items():
        setattr(entry, name, value)
    entry.revision += 1


def _event(entry, action, actor, **fields):
    return Event.objects.create(entry=entry, action=action, actor=actor, **fields)


# Reporting and verifying (the owner, the filer, the approving body) -------------------
#
#     report     OPEN → OPEN (progress), or OPEN → DONE (已完成); a standing entry only
#                reports (last_report_at), never DONE
#     close      DONE → CLOSED (销号), by a verifier
#     send_back  DONE → OPEN (退回继续整改), by a verifier, with a reason


def _told(entry, text, users, **values):
    """Tell USERS about ENTRY once the transaction commits, with a link to its page."""
    values = {"title": entry.document.title, "number": entry.number, **values}
    post([Message(list(users), text % values)], reverse("ledger:entry", args=[entry.pk]), entry.document)


def reporters(entry):
    """The users who report on ENTRY, hear what becomes of it and are reminded of it: the
    document's authors (its team's filers; for individual measures, the person) and the
    measure's owner."""
    users = {user.pk: user for user in authors(entry.document)}
    if entry.owner_id and entry.owner.user_id and entry.owner.user.is_active:
        users[entry.owner.user_id] = entry.owner.user
    return [users[pk] for pk in sorted(users)]


def _clean_text(text, limit, required, too_long):
    text = (text or "").strip()
    if not text:
        raise TransitionError(required)
    if len(text) > limit:
        raise TransitionError(too_long % {"limit": limit, "n": len(text)})
    return text


def report(user, entry_id, revision, text, files=(), done=False):
    """A progress report on ENTRY_ID: TEXT and evidence FILES (uploaded files, checked by
    their content), and with DONE the measure reported carried out. Nothing is kept when
    anything is refused; a file stored before a refusal is removed again."""
    text = _clean_text(text, words.REPORT_MAX_CHARS, words.TEXT_REQUIRED, words.TEXT_TOO_LONG)
    try:
        checked = evidence.check(files)
    except evidence.Refused as refusal:
        raise TransitionError(refusal.message) from refusal
    stored = []
    try:
        return _report(user, entry_id, revision, text, checked, done, stored)
    except BaseException:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise


@transaction.atomic
def _report(user, entry_id, revision, text, checked, done, stored):
    entry = _lock(entry_id, revision)
    access.check_move(user, "done" if done else "report", entry)
    report = Report.objects.create(entry=entry, text=text, done=done, by=user)
    for each in checked:
        kept = Evidence(report=report, name=each.name, content_type=each.content_type, size=each.size)
        kept.file.save(evidence.stored_name(each.content_type), each.file, save=False)
        stored.append(kept.file)
        kept.save()
    now = timezone.now()
    if done:
        _move(entry, state=EntryState.DONE, done_at=now, last_report_at=now)
    else:
        _move(entry, last_report_at=now)
    _event(entry, Action.DONE if done else Action.REPORT, user, report=report, data={"files": len(checked)})
    if done:
        _told(entry, words.TOLD_DONE, access.verifiers(entry.document))
    return report


@transaction.atomic
def close(user, entry_id, revision):
    """Verify a measure reported done and close it (销号)."""
    entry = _lock(entry_id, revision)
    access.check_move(user, "close", entry)
    _move(entry, state=EntryState.CLOSED, closed_at=timezone.now(), closed_by=user)
    _event(entry, Action.CLOSE, user)
    _told(entry, words.TOLD_CLOSED, reporters(entry))
    return entry


@transaction.atomic
def send_back(user, entry_id, revision, reason):
    """Send a measure reported done back to be carried on (退回继续整改), with REASON."""
    reason = _clean_text(reason, words.REASON_MAX_CHARS, words.REASON_REQUIRED, words.REASON_TOO_LONG)
    entry = _lock(entry_id, revision)
    access.check_move(user, "send_back", entry)
    _move(entry, state=EntryState.OPEN, done_at=None)
    _event(entry, Action.SEND_BACK, user, text=reason)
    _told(entry, words.TOLD_SENT_BACK, reporters(entry), reason=reason[:120])
    return entry


# Chasing (the schedule: reminders and escalation) -------------------------------------
#
# The schedule (ledger.chase) finds what is due and calls one of these per entry; actor
# is None. Each first claims its Chase row (entry, kind, due): a row already there means
# it was sent, by an earlier run or a worker running beside this one, and nothing is sent
# again. The row, the Event and the escalation commit together; who is told is told after.


def _claim(entry, kind, due):
    """The Chase of (ENTRY, KIND, DUE), new; None if one was made already."""
    try:
        with transaction.atomic():
            return Chase.objects.create(entry=entry, kind=kind, due=due)
    except IntegrityError:
        return None


def _excerpt(entry):
    return entry.text if len(entry.text) <= 40 else f"{entry.text[:40]}…"


def above(entry):
    """Who an escalation of ENTRY reaches (the body above): the members today of every
    body that approved its document (the review-mode steps of its approved review), and of
    the supervision group nearest its org: a 市、县督导组 covering it, or else the
    省委派驻督导组 covering its city. Never the owner."""
    document = access.head_of(entry.document)
    users = {}
    for authority in access.deciding_authorities(document):
        users.update((user.pk, user) for user in assignees(authority, document))
    org = document.team.org
    for kind in (AuthorityKind.LOCAL_GROUP, AuthorityKind.PROVINCIAL_GROUP):
        group = list(holders(kind, org))
        if group:
            users.update((user.pk, user) for user in group)
            break
    if entry.owner_id and entry.owner.user_id:
        users.pop(entry.owner.user_id, None)
    return [users[pk] for pk in sorted(users)]


def remind(entry_id, kind, due):
    """Remind the owner of ENTRY_ID once for (KIND, DUE): its deadline DUE is near
    (ChaseKind.REMIND), or its standing report fell due on DUE (ChaseKind.REPORT_DUE).
    Returns the Chase, or None when it was sent already or the entry is no longer open."""
    with transaction.atomic():
        entry = _lock(entry_id)
        if entry.state != EntryState.OPEN:
            return None
        chase = _claim(entry, kind, due)
        if chase is None:
            return None
        document = entry.document
        if kind == ChaseKind.REPORT_DUE:
            text = words.REPORT_DUE_TEXT % {"title": document.title, "measure": _excerpt(entry)}
        else:
            text = words.REMIND_TEXT % {
                "title": document.title,
                "measure": _excerpt(entry),
                "deadline": chinese_date(due),
            }
        told = reporters(entry)
        _event(
            entry,
            Action.REMIND,
            None,
            text=text,
            data={"kind": kind, "due": due.isoformat(), "told": [u.pk for u in told]},
        )
        post([Message(told, text)], reverse("plans:document", args=[document.pk]), document)
        return chase


def escalate(entry_id, due, today):
    """Escalate ENTRY_ID (督办) once for its deadline DUE, TODAY being the day the schedule
    runs for: mark it escalated and tell the body above (`above`) in the app and by mail.
    Returns the Chase, or None when it was escalated already or is no longer overdue."""
    with transaction.atomic():
        entry = _lock(entry_id)
        if entry.state != EntryState.OPEN or entry.standing:
            return None
        chase = _claim(entry, ChaseKind.ESCALATE, due)
        if chase is None:
            return None
        document = entry.document
        text = words.ESCALATE_TEXT % {
            "title": document.title,
            "measure": _excerpt(entry),
            "owner": entry.owner_name or entry.unit or words.NO_OWNER,
            "days": days_overdue(entry, today),
        }
        told = above(entry)
        _move(entry, escalated_at=clock.now())
        _event(
            entry,
            Action.ESCALATE,
            None,
            text=text,
            data={"due": due.isoformat(), "told": [u.pk for u in told]},
        )
        post([Message(told, text)], reverse("ledger:overdue"), document)
        return chase
