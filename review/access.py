"""Who sees what review adds: the documents a chain carries to its assignees, and the
steps and comments of documents the user can see.

Registered with orgs.policy when the app is ready (ReviewConfig.ready imports this
module), beside what plans registers for documents.
"""

from django.db.models import Exists, OuterRef, Q

from orgs import policy
from orgs.policy import Right
from plans.models import Document

from .models import Comment, Step


@policy.scope(Document)
def _on_chain(user, r):
    """Whoever a chain names sees what it carries to them (attachments included)."""
    steps = Step.objects.filter(assignees=user)
    return Q(Exists(steps.filter(review__document=OuterRef("pk")))) | Q(
        Exists(steps.filter(review__document=OuterRef("parent")))
    )


@policy.right(Document, Right.VIEW)
def _view_on_chain(user, r, document):
    documents = [document.pk] if document.parent_id is None else [document.pk, document.parent_id]
    return Step.objects.filter(assignees=user, review__document_id__in=documents).exists()


@policy.scope(Step)
def _steps(user, r):
    return Q(review__document__in=policy.visible(user, Document))


@policy.scope(Comment)
def _comments(user, r):
    return Q(review__document__in=policy.visible(user, Document))
