"""The moves of a document's review, and which of them a user may make now.

One table (MOVES): each move names what it acts on and the guard that decides whether
this user may make it here and now. review/transitions.py calls the very same guard,
under the document's lock, before it changes anything; `available_moves()` calls it
without a lock to decide what a page offers. So a button is shown exactly when pressing
it would be allowed, as Wagtail's Task.get_actions() and on_action() share one list and
django-oscar's available_statuses() and set_status() read one pipeline.

A guard raises one of the errors below or returns nothing:

* NotAllowed: not this user's move (403);
* Stale: the document or review is not in a state this move starts from, or the page
  was rendered before the last change (a message, the page refreshed);
* NotReady: the user's move from the right state, but the document is not ready for it
  (the checklist, a step with nobody, comments not answered). The page shows the move
  disabled, with the guard's reason;
* TransitionError: anything else this move refuses.

Later moves (spot checks, findings, publication, close-out) are added with @move.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs import policy
from orgs.models import AuthorityKind
from orgs.policy import Right
from plans.access import fills_document
from plans.checks import check
from plans.words import Status

from . import routing
from .assignees import route_assignees
from .models import Action, Mode, Review, ReviewState, Step, StepState


class TransitionError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


class NotAllowed(TransitionError):
    """The user may see the document but may not do this to it (403)."""


class Stale(TransitionError):
    """Somebody acted first, or the page was rendered before the last change (409)."""


class NotReady(TransitionError):
    """The user's move, from the right state, but the document is not ready for it."""


DOCUMENT = "document"
STEP = "step"
COMMENT = "comment"


class Situation:
    """What the guards look at: a document (the head of a plan and its attachments), its
    latest review, and what is loaded the first time a guard asks: the review's steps
    with their assignees, the checklist, the chain a draft would take.

    Transitions build it from the rows they have locked; pages from what they loaded
    anyway (a review with its steps prefetched, the checklist shown beside the document).
    REVISION is the review revision a page was rendered at, when a form posted it."""

    def __init__(self, document, review=None, checklist=None, revision=None):
        self.document = document
        self.review = review
        self.revision = revision
        if checklist is not None:
            self.checklist = checklist

    @classmethod
    def of(cls, document, checklist=None):
        """The situation of DOCUMENT as a page sees it."""
        return cls(document, latest_review(document), checklist=checklist)

    @property
    def open_review(self):
        """The review in progress (open, or returned for revision), if any."""
        if self.review is not None and self.review.state in (ReviewState.OPEN, ReviewState.RETURNED):
            return self.review
        return None

    @cached_property
    def steps(self):
        return list(self.review.steps.all()) if self.review is not None else []

    @cached_property
    def checklist(self):
        return check(self.document)

    @cached_property
    def chain(self):
        """[(routing.RouteStep, [users])]: where a draft would go and who would act."""
        return route_assignees(self.document)

    @cached_property
    def decided(self):
        """Has any reviewer decided (approved or returned) in the review in progress?"""
        return self.review.events.filter(action__in=[Action.APPROVE, Action.RETURN]).exists()

    @cached_property
    def open_comments(self):
        """The comments of a return not yet marked addressed or answered (remarks sent
        with an approval ask nothing of the filer)."""
        return self.review.comments.filter(event__action=Action.RETURN, addressed=False, answer="").count()


def latest_review(document):
    """DOCUMENT's latest review, its steps and their assignees loaded, or None."""
    steps = Step.objects.prefetch_related("assignees").select_related("decided_by").order_by("stage", "id")
    return (
        reviews_of(document)
        .prefetch_related(Prefetch("steps", queryset=steps))
        .select_related("document")
        .first()
    )


def reviews_of(document):
    """Every review of DOCUMENT, the latest first (a queryset: add what the page needs)."""
    return Review.objects.filter(document=document).order_by("-submitted_at", "-id")


@dataclass(frozen=True)
class Move:
    code: str
    label: str
    on: str  # DOCUMENT, STEP or COMMENT: what the move is made on
    guard: object  # guard(user, situation, target): raises, or returns None

    def check(self, user, situation, target=None):
        self.guard(user, situation, target)

    def allows(self, user, situation, target=None):
        try:
            self.guard(user, situation, target)
        except TransitionError:
            return False
        return True


MOVES = {}


def move(code, label, on):
    """Add the decorated guard to the table as the move CODE."""

    def register(guard):
        MOVES[code] = Move(code, label, on, guard)
        return guard

    return register


def check_move(user, code, situation, target=None):
    """Raise why USER may not make the move CODE in SITUATION (on TARGET), if they may not."""
    MOVES[code].check(user, situation, target)


# The guards -----------------------------------------------------------------------------


def _head(document):
    if document.parent_id:
        raise TransitionError(_("附件随领导班子整改方案一并报送、审阅，请在整改方案中操作。"))


def _assignee(user, step):
    return any(person.pk == user.pk for person in step.assignees.all())


def _page_is_current(situation):
    if situation.revision is not None and situation.revision != situation.review.revision:
        raise Stale(_("页面打开后审阅情况已有变化（可能已有人作出决定，或已重新报送），请刷新页面后再操作。"))


def checklist_refusal(checklist):
    """Why a document failing its checks cannot be sent: the count and the first thing."""
    return _("还有 %(n)d 项须整改，不能报送：%(first)s") % {
        "n": len(checklist.errors),
        "first": checklist.errors[0].message,
    }


@move("submit", gettext_lazy("报送审阅"), on=DOCUMENT)
def _may_submit(user, situation, target=None):
    """A draft, by its filers, once it passes its checks and every step of its chain has
    somebody to act."""
    document = situation.document
    _head(document)
    if document.status == Status.RETURNED:
        raise TransitionError(_("这份文件已退回修改，请按意见修改后“重新报送”。"))
    if document.status != Status.DRAFT:
        raise Stale(_("这份文件已经报送。"))
    if not policy.can(user, Right.FILE, document):
        raise NotAllowed(_("只有本文件的填报人可以报送。"))
    if not situation.checklist.passed:
        raise NotReady(checklist_refusal(situation.checklist))
    try:
        chain = situation.chain
    except routing.Unrouted as error:
        raise NotReady(str(error)) from error
    if not chain:
        raise NotReady(_("按通知规定，这份文件没有需要报送的审阅环节。"))
    nobody = [step for step, users in chain if not users]
    if nobody:
        raise NotReady(
            _("审阅链中“%(names)s”尚未指定人员，请联系系统管理员配置后再报送。")
            % {"names": "、".join(str(AuthorityKind(step.authority).label) for step in nobody)}
        )


@move("withdraw", gettext_lazy("撤回"), on=DOCUMENT)
def _may_withdraw(user, situation, target=None):
    """By the filers, until the first decision."""
    _head(situation.document)
    review = situation.open_review
    if review is None:
        raise Stale(_("这份文件没有正在进行的审阅。"))
    if not fills_document(user, situation.document):
        raise NotAllowed(_("只有本文件的填报人可以撤回。"))
    if review.state != ReviewState.OPEN or situation.decided:
        raise TransitionError(_("已有审阅意见，不能再撤回。"))


@move("resubmit", gettext_lazy("重新报送"), on=DOCUMENT)
def _may_resubmit(user, situation, target=None):
    """A returned document, by its filers, once every comment is marked addressed or
    answered and the document passes its checks again."""
    document = situation.document
    _head(document)
    if not fills_document(user, document):
        raise NotAllowed(_("只有本文件的填报人可以重新报送。"))
    review = situation.open_review
    if review is None:
        raise Stale(_("这份文件没有正在进行的审阅。"))
    if review.state != ReviewState.RETURNED or document.status != Status.RETURNED:
        raise Stale(_("这份文件不在退回修改状态。"))
    if situation.open_comments:
        raise NotReady(_("还有 %(n)d 条审阅意见没有标记已整改或答复。") % {"n": situation.open_comments})
    if not situation.checklist.passed:
        raise NotReady(checklist_refusal(situation.checklist))


def _may_decide(user, situation, step):
    """A review step now pending, by one of its assignees, while the review is open."""
    if not _assignee(user, step):
        raise NotAllowed(_("您不是这一审阅环节的审阅人。"))
    review = situation.review
    _page_is_current(situation)
    if step.mode != Mode.REVIEW or step.state != StepState.PENDING or review.state != ReviewState.OPEN:
        raise Stale(_("这一环节现在不需要您作出决定。"))


move("approve", gettext_lazy("审阅通过"), on=STEP)(_may_decide)
move("return", gettext_lazy("退回修改"), on=STEP)(_may_decide)


@move("read", gettext_lazy("已阅"), on=STEP)
def _may_read(user, situation, step):
    """A read step the document has reached, by one of its assignees."""
    if not _assignee(user, step):
        raise NotAllowed(_("这份文件不是送您阅的。"))
    if step.mode != Mode.READ or step.state != StepState.UNREAD:
        raise Stale(_("这份文件您已阅过，或现在不需要您阅。"))


@move("address", gettext_lazy("答复意见"), on=COMMENT)
def _may_address(user, situation, comment):
    """A comment of a returned review, by the document's filers."""
    if not fills_document(user, situation.document):
        raise NotAllowed(_("只有本文件的填报人可以答复意见。"))
    review = situation.review
    if review is None or review.pk != comment.review_id or review.state != ReviewState.RETURNED:
        raise Stale(_("文件不在退回修改状态，意见不能再改动。"))


# What a page offers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    move: Move
    target: object = None  # the step or comment, for moves made on one


class Moves:
    """The moves USER may make on a document now, and the user's own moves that wait for
    the document to be ready (with the reason)."""

    def __init__(self, offers, not_ready):
        self.offers = offers
        self.not_ready = not_ready  # {code: reason}

    def __iter__(self):
        return iter(self.offers)

    def __contains__(self, code):
        return any(offer.move.code == code for offer in self.offers)

    def targets(self, code):
        return [offer.target for offer in self.offers if offer.move.code == code]

    def first(self, code):
        return next(iter(self.targets(code)), None)


def _targets(move, situation):
    if move.on == DOCUMENT:
        return [None]
    if move.on == STEP:
        return situation.steps
    review = situation.open_review
    if review is None or review.state != ReviewState.RETURNED:
        return []
    return list(review.comments.all())


def available_moves(user, document, situation=None):
    """The moves USER may make on DOCUMENT (the head of a plan: attachments travel with
    it) now, from the guards the transitions raise on."""
    situation = situation or Situation.of(document)
    offers, not_ready = [], {}
    for move in MOVES.values():
        for target in _targets(move, situation):
            try:
                move.check(user, situation, target)
            except NotReady as waiting:
                not_ready.setdefault(move.code, waiting.message)
            except TransitionError:
                continue
            else:
                offers.append(Offer(move, target))
    return Moves(offers, not_ready)
