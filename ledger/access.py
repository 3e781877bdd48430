"""Who reads a ledger entry, who reports on it and who verifies it, and the moves a user
may make on it now.

* Reporting (报告进展、已完成): the measure's owner (责任人, through their login) and
  whoever fills in the document: the team's filers, and for individual measures the
  person themself (plans.access.fills).
* Verifying (核验销号、退回继续整改): the members of the bodies that decided the
  document's review (its review steps, not the reading ones), as they hold that authority
  now (review.assignees.holders), and the supervision groups (市、县督导组, 省委派驻督导组)
  whose jurisdiction covers the document's org. Nobody verifies their own measures.
* Reading: whoever may view the document (plans, review, oversight), its owners, and
  the verifiers.

The guards below decide both what a page offers and what ledger/transitions.py allows
(the transition asks the same guard under the entry's lock), as review/moves.py does
for documents. Registered with orgs.policy when the app is ready.
"""

from django.db.models import Q

from orgs import policy
from orgs.models import AuthorityKind, OrgGroupGrant, Person
from orgs.policy import OVERSEE_PERM, Right, Span
from plans.access import fills
from plans.models import Document
from plans.words import DocumentKind, Status
from review.assignees import assignees, holders
from review.models import Mode, Review, ReviewState
from review.moves import NotAllowed, Stale, TransitionError

from . import clock, deadlines, words
from .models import Entry, Evidence
from .words import EntryState, LedgerRight

# The supervision groups that verify the measures of what they cover.
GROUPS = (AuthorityKind.LOCAL_GROUP, AuthorityKind.PROVINCIAL_GROUP)


def head_of(document):
    """The document whose review decided DOCUMENT: itself, or the plan it is attached to."""
    return document.parent if document.parent_id else document


def person_of(document):
    return document.person if document.kind == DocumentKind.INDIVIDUAL else None


# Reporting ------------------------------------------------------------------------------


def reports_on(user, entry):
    """Does USER report on ENTRY: its owner, or one who fills in its document?"""
    if entry.owner_id is not None and entry.owner.user_id is not None and entry.owner.user_id == user.pk:
        return True
    document = entry.document
    return fills(user, document.team_id, person_of(document))


def reporting_q(user):
    """Entries USER may report on, as a filter (reports_on() for many): those USER owns,
    and those of the documents USER fills in. Both sides are id lists the database reads
    from an index (the entry's owner, its document), never a scan of the ledger."""
    r = policy.reach(user)
    team_plans = [team for team, m in r.memberships.items() if m.fills_team_documents]
    individual = Q(kind=DocumentKind.INDIVIDUAL)
    documents = Document.objects.filter(status=Status.APPROVED).filter(
        (Q(team_id__in=team_plans) & ~individual)
        | (individual & Q(team_id__in=r.filed_team_ids))
        | (individual & Q(person__user=user, team_id__in=r.team_ids))
    )
    # Read as two id lists first: an OR of two subqueries is read by scanning the ledger.
    owners = list(Person.objects.filter(user=user).values_list("pk", flat=True))
    return Q(document_id__in=list(documents.values_list("pk", flat=True))) | Q(owner_id__in=owners)


# Verifying ------------------------------------------------------------------------------


def approving_review(document):
    """The review that approved DOCUMENT (or the plan it is attached to), or None."""
    return (
        Review.objects.filter(document=head_of(document), state=ReviewState.APPROVED)
        .order_by("-closed_at", "-id")
        .first()
    )


def deciding_authorities(document):
    """The authorities of the review steps that approved DOCUMENT, in chain order."""
    review = approving_review(document)
    if review is None:
        return []
    steps = review.steps.filter(mode=Mode.REVIEW).order_by("stage", "id")
    return list(dict.fromkeys(steps.values_list("authority", flat=True)))


def verifiers(document):
    """The users who verify DOCUMENT's measures and hear that one is reported done: the
    deciding bodies' members, and the nearest supervision groups covering its org."""
    head = head_of(document)
    found = {}
    for authority in [*deciding_authorities(document), *GROUPS]:
        for user in assignees(authority, head):
            found[user.pk] = user
    return [found[pk] for pk in sorted(found)]


def _group_spans(user):
    """The jurisdictions of the supervision groups USER is a member of (read once per
    user object: a list of measures asks it of each)."""
    if "_ledger_group_spans" in user.__dict__:
        return user.__dict__["_ledger_group_spans"]
    rows = OrgGroupGrant.objects.filter(
        group__user=user, group__authority__kind__in=GROUPS, permission__codename=OVERSEE_PERM
    ).values_list(
        "content_object_id", "content_object__tree_id", "content_object__lft", "content_object__rght"
    )
    spans = user.__dict__["_ledger_group_spans"] = [Span(*row) for row in rows]
    return spans


def verifies(user, document):
    """Does USER verify DOCUMENT's measures? Asked once per user and document."""
    key = f"_ledger_verifies_{user.pk}"
    if key not in document.__dict__:
        document.__dict__[key] = _verifies(user, document)
    return document.__dict__[key]


def _verifies(user, document):
    if not user.is_authenticated or not user.is_active:
        return False
    head = head_of(document)
    if head.person_id is not None and head.person.user_id == user.pk:
        return False
    org = head.team.org
    if any(span.covers(org) for span in _group_spans(user)):
        return True
    return any(
        holders(authority, org, head.team).filter(pk=user.pk).exists()
        for authority in deciding_authorities(document)
    )


def verifying_q(user):
    """The entries USER's 待核验 lists, as one filter: those of documents (or of the plan
    they are attached to) whose approving review named USER at a review step, and those
    covered by USER's supervision groups; never USER's own measures. verifies() is the
    right itself: it also admits the present members of a deciding body whom the review
    did not name (appointed since), who act from the measure's page."""
    # Three short queries on their indexes (the steps' assignees, the documents' parents,
    # the org tree's ranges) rather than one whose OR the database reads by scanning.
    reviewed = list(
        Review.objects.filter(
            state=ReviewState.APPROVED, steps__assignees=user, steps__mode=Mode.REVIEW
        ).values_list("document_id", flat=True)
    )
    approved = Document.objects.filter(status=Status.APPROVED).exclude(person__user=user)
    ids = set()
    if reviewed:
        ids |= set(
            approved.filter(Q(pk__in=reviewed) | Q(parent_id__in=reviewed)).values_list("pk", flat=True)
        )
    spans = _group_spans(user)
    if spans:
        covered = Q(pk__in=[])
        for span in spans:
            covered |= span.q("team__org__")
        ids |= set(approved.filter(covered).exclude(parent__person__user=user).values_list("pk", flat=True))
    return Q(document_id__in=sorted(ids))


# Scopes and rights ------------------------------------------------------------------------


@policy.scope(Entry)
def _entries(user, r):
    """The entries of the documents the user sees, and those the user owns."""
    return Q(document__in=policy.visible(user, Document)) | Q(owner__user=user)


@policy.scope(Evidence)
def _evidence(user, r):
    return Q(report__entry__in=policy.visible(user, Entry))


@policy.right(Entry, Right.VIEW)
def _view_entry(user, r, entry):
    return (
        r.everything
        or policy.can(user, Right.VIEW, entry.document)
        or reports_on(user, entry)
        or verifies(user, entry.document)
    )


@policy.right(Entry, LedgerRight.REPORT)
def _report_entry(user, r, entry):
    return reports_on(user, entry)


@policy.right(Entry, LedgerRight.VERIFY)
def _verify_entry(user, r, entry):
    return verifies(user, entry.document)


# The moves ----------------------------------------------------------------------------------


def _may_report(user, entry, done=False):
    if not reports_on(user, entry):
        raise NotAllowed(words.NOT_REPORTER)
    if entry.state == EntryState.CLOSED:
        raise Stale(words.CLOSED_ALREADY)
    if entry.state == EntryState.DONE:
        raise Stale(words.WAITING_VERIFICATION)
    if done and entry.standing:
        raise TransitionError(words.STANDING_NOT_DONE)


def _may_decide(user, entry):
    if not verifies(user, entry.document):
        raise NotAllowed(words.NOT_VERIFIER)
    if entry.standing:
        raise TransitionError(words.STANDING_NOT_CLOSED)
    if entry.state != EntryState.DONE:
        raise Stale(words.NOT_WAITING)


MOVES = {
    "report": lambda user, entry: _may_report(user, entry),
    "done": lambda user, entry: _may_report(user, entry, done=True),
    "close": _may_decide,
    "send_back": _may_decide,
}


def check_move(user, code, entry):
    """Raise why USER may not make the move CODE on ENTRY now, if they may not."""
    MOVES[code](user, entry)


def available_moves(user, entry):
    """The codes of the moves USER may make on ENTRY now."""
    found = set()
    for code, guard in MOVES.items():
        try:
            guard(user, entry)
        except TransitionError:
            continue
        found.add(code)
    return found


def is_overdue(entry, today=None):
    """Past its deadline and not yet reported done or closed (逾期)."""
    return deadlines.is_overdue(entry.state, entry.standing, entry.deadline, today or clock.today())
