"""The review side of a document's page: its chain, where it stands, what this user may
do now, the comments on its items and its timeline. Read-only: the moves are in
review/transitions.py, the forms post to review/views.py."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from orgs import policy
from orgs.models import AuthorityKind
from plans.words import ReturnReason

from . import routing
from .assignees import assignees
from .models import Comment, Event, Mode, Review, ReviewState, Step, StepState


@dataclass
class Stage:
    number: int
    steps: list = field(default_factory=list)


@dataclass
class Preview:
    """The chain a draft will take, and who is missing from it."""

    steps: list  # [(routing.Step, [users])]
    error: str = ""

    @property
    def missing(self):
        return [step for step, users in self.steps if not users]


def latest_review(document):
    """The document's reviews, the latest first (a queryset: add what the page needs)."""
    return Review.objects.filter(document=document).order_by("-submitted_at", "-id")


def current_review(document):
    return (
        latest_review(document)
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=Step.objects.prefetch_related("assignees")
                .select_related("decided_by")
                .order_by("stage", "id"),
            )
        )
        .first()
    )


def preview(document):
    try:
        steps = routing.route_for(document)
    except routing.Unrouted as error:
        return Preview([], str(error))
    return Preview([(step, assignees(step.authority, document)) for step in steps])


def panel(user, document):
    """Everything the page needs about DOCUMENT's review, for USER."""
    head = document.parent if document.parent_id else document
    review = current_review(head)
    context = {
        "head": head,
        "review": review,
        "files": policy.files(user, head),
        "reasons": ReturnReason.choices,
        "authority_labels": dict(AuthorityKind.choices),
    }
    if review is None or review.state == ReviewState.WITHDRAWN:
        if context["files"] and head.editable:
            context["preview"] = preview(head)
        context["events"] = _events(head)
        context["stages"] = []
        return context
    stages = {}
    for step in review.steps.all():
        stages.setdefault(step.stage, Stage(step.stage)).steps.append(step)
    mine = [
        step
        for step in review.steps.all()
        if step.state in (StepState.PENDING, StepState.UNREAD)
        and any(u.pk == user.pk for u in step.assignees.all())
    ]
    context.update(
        {
            "stages": list(stages.values()),
            "deciding": next(
                (s for s in mine if s.mode == Mode.REVIEW and review.state == ReviewState.OPEN), None
            ),
            "reading": next((s for s in mine if s.mode == Mode.READ), None),
            "events": _events(head),
            "may_withdraw": context["files"]
            and review.state == ReviewState.OPEN
            and not review.steps.filter(decided_at__isnull=False, mode=Mode.REVIEW).exists(),
            "may_resubmit": context["files"] and review.state == ReviewState.RETURNED,
            "open_comments": review.comments.filter(addressed=False, answer="").count()
            if review.state == ReviewState.RETURNED
            else 0,
            "now": timezone.now(),
        }
    )
    return context


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
