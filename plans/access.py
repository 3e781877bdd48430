"""Who sees and changes documents and the four-responses register.

The scopes and rights plans owns, registered with orgs.policy when the app is ready
(PlansConfig.ready imports this module). Review adds its own to the same registry.
"""

from enum import StrEnum

from django.db.models import Q

from orgs import policy
from orgs.models import READS_JURISDICTION, Authority
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


def supervises(user, team):
    """May USER point out problems on TEAM's register (上级党组织和督导组点明的问题)? The
    bodies that supervise its region (READS_JURISDICTION: the supervision groups and the
    provincial office) and the secretaries of the party committees above it; not those to
    whom plans are only sent to read (省委有关领导, the central bodies)."""
    return policy.reach(user).reads(team.org)


def body_of(user, team):
    """The supervising body through which USER points out a problem on TEAM's register: a
    body of theirs whose jurisdiction covers the team's region (the nearest); None for a
    party secretary, who points out as themself."""
    org = team.org
    nearest = None
    for authority in Authority.objects.filter(group__user=user, kind__in=READS_JURISDICTION):
        for top in authority.jurisdiction():
            covers = top.tree_id == org.tree_id and top.lft <= org.lft <= top.rght
            if covers and (nearest is None or top.lft > nearest[0].lft):
                nearest = (top, authority)
    return nearest[1] if nearest else None


def _bodies(user):
    """The ids of the bodies USER is a member of, read once per request."""
    if not hasattr(user, "_rectify_bodies"):
        user._rectify_bodies = set(Authority.objects.filter(group__user=user).values_list("pk", flat=True))
    return user._rectify_bodies


@policy.right(Input, RegisterRight.CHANGE)
def _change_input(user, r, entry):
    """What a supervision group pointed out (上级和督导组点明) is the body's that pointed it
    out, to rewrite or delete (each change an audit entry), never the filer's, nor another
    body's: the filer may only explain it. Everything else is the filers'."""
    if entry.from_supervision:
        if not r.reads(entry.team.org):
            return False
        if entry.added_by_body_id is not None:
            return entry.added_by_body_id in _bodies(user)
        return entry.created_by_id == user.pk
    return fills(user, entry.team_id, entry.person)


@policy.right(Input, RegisterRight.EXPLAIN)
def _explain_input(user, r, entry):
    return fills(user, entry.team_id, entry.person)
