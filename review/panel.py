"""The review side of a document's page: its chain, where it stands, the moves this user
may make now (review/moves.py decides), the comments on its items and its timeline.
Read-only: the moves are made in review/transitions.py, the forms post to review/views.py.

Registered with plans/pages.py (ReviewConfig.ready imports this module), so the document
page shows it without plans knowing review.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from plans import pages
from plans.models import Item
from plans.words import ReturnReason, Source

from . import routing
from .models import (
    COMMENT_MAX_CHARS,
    NOTE_MAX_CHARS,
    RESUBMIT_NOTE_MAX_CHARS,
    Comment,
    CommentDraft,
    Event,
    ReviewState,
)
from .moves import Situation, available_moves


@dataclass
class Stage:
    number: int
    steps: list = field(default_factory=list)


@dataclass
class Preview:
    """The chain a draft will take, and who is missing from it."""

    steps: list  # [(routing.RouteStep, [users])]
    error: str = ""

    @property
    def missing(self):
        return [step for step, users in self.steps if not users]


def preview(situation):
    try:
        return Preview(situation.chain)
    except routing.Unrouted as error:
        return Preview([], str(error))


@dataclass
class Remark:
    """What review shows under one item: the comments on it, whether the user answers
    them, and whether the user may write one (a reviewer about to decide)."""

    uid: str
    comments: list
    answering: bool
    commenting: bool
    draft: str = ""  # the user's 批注 on it, written and not yet sent
    step: object = None  # the step the user is deciding, whose draft it is
    limit = COMMENT_MAX_CHARS  # of the 批注


def drafts_of(user, step):
    """{item uid or None (the 总体意见): text} USER has written on STEP and not yet sent."""
    if step is None:
        return {}
    drafts = CommentDraft.objects.filter(step=step, user=user).values_list("item_uid", "text")
    return {str(uid) if uid else None: text for uid, text in drafts}


@dataclass
class Listed:
    """A comment in the list of a returned document, with where its item is now (None
    when the filer has since deleted the item)."""

    comment: Comment
    document_id: int | None


def returned_comments(review, comments):
    """Every comment of a returned REVIEW (COMMENTS: comments_by_item's), in the order
    written, each with the document its item is on, to link to it."""
    if review is None or review.state != ReviewState.RETURNED or not comments:
        return []
    on = dict(Item.objects.filter(uid__in=list(comments)).values_list("uid", "document_id"))
    on = {str(uid): document_id for uid, document_id in on.items()}
    listed = [Listed(comment, on.get(uid)) for uid, found in comments.items() for comment in found]
    return sorted(listed, key=lambda entry: entry.comment.pk)


def panel(user, document, situation, moves, drafts=None, comments=None):
    """Everything the page needs about DOCUMENT's review (SITUATION is its head's), for
    USER; DRAFTS what the user has written on the step they are deciding, COMMENTS the
    review's comments by item."""
    head = situation.document
    review = situation.review
    stages = {}
    for step in situation.steps:
        stages.setdefault(step.stage, Stage(step.stage)).steps.append(step)
    sends = "submit" in moves or "submit" in moves.not_ready
    return {
        "document": document,
        "head": head,
        "review": review,
        "moves": moves,
        "preview": preview(situation) if sends else None,
        "stages": list(stages.values()),
        "deciding": moves.first("approve"),
        "note_draft": (drafts or {}).get(None, ""),
        "returned_comments": returned_comments(review, comments),
        "reading": moves.first("read"),
        "events": _events(head),
        "reasons": ReturnReason.choices,
        "sources": Source.choices,
        "limits": {"note": NOTE_MAX_CHARS, "resubmit": RESUBMIT_NOTE_MAX_CHARS},
        "now": timezone.now(),
    }


def comments_by_item(review):
    """{item uid: [Comment]} of REVIEW (the document's current one, or None), newest last."""
    grouped = defaultdict(list)
    if review is None:
        return grouped
    for comment in Comment.objects.filter(review=review).select_related("event__actor").order_by("id"):
        grouped[str(comment.item_uid)].append(comment)
    return grouped


def _events(document):
    return list(
        Event.objects.filter(document=document)
        .select_related("actor", "step")
        .prefetch_related("comments")
        .order_by("at", "id")
    )


@pages.refreshed
def send_buttons(request, document, checklist):
    """The submit or resubmit button as it stands after a change, sent with the checklist:
    whether the document may go depends on its checks, and on every comment answered."""
    head = document.parent if document.parent_id else document
    situation = Situation.of(head, checklist=checklist if head.pk == document.pk else None)
    moves = available_moves(request.user, head, situation)
    if not any(code in moves or code in moves.not_ready for code in ("submit", "resubmit")):
        return ""
    return render_to_string("review/_send.html", {"head": head, "moves": moves, "oob": True}, request)


@pages.document_part
def review_part(request, document, checklist):
    user = request.user
    head = document.parent if document.parent_id else document
    situation = Situation.of(head, checklist=checklist if head.pk == document.pk else None)
    moves = available_moves(user, head, situation)
    deciding = moves.first("return")
    drafts = drafts_of(user, deciding)
    comments = comments_by_item(situation.review)
    sidebar = render_to_string(
        "review/_panel.html", panel(user, document, situation, moves, drafts, comments), request
    )
    answering = "address" in moves
    commenting = deciding is not None
    if not (comments or commenting):
        return pages.PagePart(sidebar=sidebar)

    def remark(item):
        uid = str(item.uid)
        found = comments.get(uid, ())
        if not (found or commenting):
            return None
        return Remark(uid, found, answering, commenting, drafts.get(uid, ""), deciding)

    return pages.PagePart(sidebar=sidebar, item_template="review/_item_remarks.html", remark=remark)
