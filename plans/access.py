"""Who sees and changes documents and the four-responses register.

The scopes and rights plans owns, registered with orgs.policy when the app is ready
(PlansConfig.ready imports this module). Review adds its own to the same registry.
"""

from enum import StrEnum

from django.db.models import Q

from orgs import policy
from orgs.policy import Right

from .models import Document, Input
from .words import DocumentKind, Status


class RegisterRight(StrEnum):
    """What may be done to one entry of the four-responses register."""

    CHANGE = "change"  # rewrite its text, or delete it
    EXPLAIN = "explain"  # explain in writing why no problem answers it


def fills(user, team_id, person=None):
    """Does USER fill in the team's documents, whatever their state? With PERSON, that
    leader's individual measures: themself, or the team's filers. Without, the team's
    plan or list: its filers and its members."""
    membership = policy.reach(user).memberships.get(team_id)
    if membership is None:
        return False
    if person is None:
        return membership.fills_team_documents
    return membership.filer or (person.user_id is not None and person.user_id == user.pk)


def fills_document(user, document):
    """fills() for an existing document."""
    person = document.person if document.kind == DocumentKind.INDIVIDUAL else None
    return fills(user, document.team_id, person)


# Documents ---------------------------------------------------------------------


@policy.scope(Document)
def _documents(user, r):
    """The team's own people see its plan or list from the first draft; a leader's
    individual measures only the leader and the team's filers (who fill them in: fills),
    until they are published within the team (the publication app adds that). A body that
    reads its jurisdiction (orgs.models.READS_JURISDICTION) sees what has been submitted
    in it."""
    measures = Q(kind=DocumentKind.INDIVIDUAL)
    return (
        (Q(team_id__in=r.team_ids) & ~measures)
        | (measures & Q(team_id__in=r.filed_team_ids))
        | (measures & Q(team_id__in=r.team_ids, person__user_id=user.pk))
        | (r.reading_q("team__org__") & ~Q(status=Status.DRAFT))
    )


@policy.right(Document, Right.VIEW)
def _view_document(user, r, document):
    if r.everything:
        return True
    if document.team_id in r.memberships:
        if document.kind != DocumentKind.INDIVIDUAL or fills_document(user, document):
            return True
    return r.reads(document.team.org) and document.status != Status.DRAFT


@policy.right(Document, Right.FILE)
def _file_document(user, r, document):
    return document.editable and fills_document(user, document)


# The register ------------------------------------------------------------------


@policy.scope(Input)
def _inputs(user, r):
    """The register of every team the user can see; a leader's own entries (those with a
    person), as that leader's individual measures, only to the leader and the team's
    filers within the team."""
    return (
        r.spans_q("team__org__")
        | Q(team_id__in=r.team_ids, person__isnull=True)
        | Q(team_id__in=r.filed_team_ids)
        | Q(team_id__in=r.team_ids, person__user_id=user.pk)
    )


@policy.right(Input, RegisterRight.CHANGE)
def _change_input(user, r, entry):
    """What a supervision group pointed out (上级和督导组点明) is the group's to rewrite or
    delete, never the filer's: the filer may only explain it. Everything else is the
    filers'."""
    if entry.from_supervision:
        return r.covers(entry.team.org)
    return fills(user, entry.team_id, entry.person)


@policy.right(Input, RegisterRight.EXPLAIN)
def _explain_input(user, r, entry):
    return fills(user, entry.team_id, entry.person)
