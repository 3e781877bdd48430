"""Who may do what, where: the one place that answers it.

Every view, export and command asks here, in two ways:

* ``visible(user, Model)``: the rows of a kind this user may see, as a queryset;
  views fetch objects only through it (``get_or_404``), so anything outside the
  user's reach is a 404, whether it exists or not.
* ``can(user, action, obj)`` / ``require(...)``: may this user do this to a visible
  object; a refusal is a 403.

A user's reach is computed once per request (``reach(user)``) in a fixed number of
queries whatever the depth of the tree:

* jurisdictions: grants of ``orgs.oversee_org`` on org nodes, to the user or to a
  group the user belongs to (an authority's members), and the region a party
  secretary leads. Each reaches the whole subtree, as a (tree_id, lft, rght) range;
* the teams the user files for (``orgs.file_team`` grants on teams);
* the teams the user sits in (active positions of the user's person).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.shortcuts import get_object_or_404

from plans.models import Document, DocumentKind, Input, Status

from .models import (
    Org,
    OrgGroupGrant,
    OrgUserGrant,
    Person,
    Position,
    Role,
    Team,
    TeamGroupGrant,
    TeamKind,
    TeamUserGrant,
)
from .tree import subtree

OVERSEE_PERM = "oversee_org"
FILE_PERM = "file_team"


class Action(StrEnum):
    VIEW = "view"  # see it
    FILE = "file"  # fill in the team's documents (填报)
    OVERSEE = "oversee"  # review and spot-check within a jurisdiction (督导审阅)


@dataclass(frozen=True)
class Span:
    """A subtree: the org at its top and everything under it."""

    org_id: int
    tree_id: int
    lft: int
    rght: int

    def covers(self, org):
        return org.tree_id == self.tree_id and self.lft <= org.lft and org.rght <= self.rght

    def q(self, prefix=""):
        return subtree(self, prefix)


@dataclass(frozen=True)
class Seat:
    """A team the user belongs to, as filer, principal or member."""

    team_id: int
    org_id: int
    filer: bool = False
    role: str | None = None  # Role of an active position, if any


class Reach:
    def __init__(self, user):
        self.user = user
        self.everything = bool(user.is_active and user.is_superuser)
        if not user.is_authenticated or not user.is_active:
            self.spans, self.seats = (), {}
            return
        self.spans = self._spans(user)
        self.seats = self._seats(user)

    @staticmethod
    def _spans(user):
        """The tops of the user's jurisdictions as (id, tree_id, lft, rght), in one query
        that starts from the grants, never from the tree."""
        columns = (
            "content_object_id",
            "content_object__tree_id",
            "content_object__lft",
            "content_object__rght",
        )
        granted = OrgUserGrant.objects.filter(user=user, permission__codename=OVERSEE_PERM).values_list(
            *columns
        )
        via_groups = OrgGroupGrant.objects.filter(
            group__user=user, permission__codename=OVERSEE_PERM
        ).values_list(*columns)
        # The party secretary (principal of the region's party committee) leads the
        # whole region.
        leads = (
            Position.objects.filter(
                person__user=user, active=True, role=Role.PRINCIPAL, team__kind=TeamKind.PARTY_COMMITTEE
            )
            .order_by()
            .values_list("team__org_id", "team__org__tree_id", "team__org__lft", "team__org__rght")
        )
        spans = sorted(
            {Span(*row) for row in granted.union(via_groups, leads)}, key=lambda s: (s.tree_id, s.lft)
        )
        # Keep only the outermost spans, so each org is covered once.
        kept = []
        for span in spans:
            if not any(outer.covers(span) for outer in kept):
                kept.append(span)
        return tuple(kept)

    @staticmethod
    def _seats(user):
        """The teams the user files for or sits in, as {team id: Seat}, in one query."""
        filed = TeamUserGrant.objects.filter(user=user, permission__codename=FILE_PERM).values_list(
            "content_object_id", "content_object__org_id", Value(True), Value(None, output_field=CharField())
        )
        filed_via_groups = TeamGroupGrant.objects.filter(
            group__user=user, permission__codename=FILE_PERM
        ).values_list(
            "content_object_id", "content_object__org_id", Value(True), Value(None, output_field=CharField())
        )
        held = (
            Position.objects.filter(person__user=user, active=True)
            .order_by()
            .values_list("team_id", "team__org_id", Value(False), "role")
        )
        seats = {}
        for team_id, org_id, filer, role in filed.union(filed_via_groups, held, all=True):
            seat = seats.get(team_id) or Seat(team_id, org_id)
            seats[team_id] = Seat(team_id, org_id, filer=seat.filer or bool(filer), role=seat.role or role)
        return seats

    # What the user reaches ------------------------------------------------

    @property
    def team_ids(self):
        return set(self.seats)

    @property
    def seat_org_ids(self):
        return {seat.org_id for seat in self.seats.values()}

    def covers(self, org):
        return self.everything or any(span.covers(org) for span in self.spans)

    def spans_q(self, prefix=""):
        q = Q(pk__in=[])
        for span in self.spans:
            q |= span.q(prefix)
        return q


def reach(user):
    """The user's reach, computed once and kept on the user object (one request's worth)."""
    cached = getattr(user, "_rectify_reach", None)
    if cached is None:
        cached = Reach(user)
        try:
            user._rectify_reach = cached
        except AttributeError:  # AnonymousUser is immutable enough
            pass
    return cached


def forget(user):
    """Drop the cached reach, after the user's grants or positions changed."""
    user.__dict__.pop("_rectify_reach", None)


# Visible rows ---------------------------------------------------------------


def orgs(user):
    r = reach(user)
    if r.everything:
        return Org.objects.all()
    return Org.objects.filter(r.spans_q() | Q(pk__in=r.seat_org_ids))


def teams(user):
    r = reach(user)
    if r.everything:
        return Team.objects.all()
    return Team.objects.filter(r.spans_q("org__") | Q(pk__in=r.team_ids))


def people(user):
    r = reach(user)
    if r.everything:
        return Person.objects.all()
    in_reach = Position.objects.filter(person=OuterRef("pk")).filter(
        r.spans_q("team__org__") | Q(team_id__in=r.team_ids)
    )
    return Person.objects.filter(Exists(in_reach) | Q(user=user))


def positions(user):
    r = reach(user)
    if r.everything:
        return Position.objects.all()
    return Position.objects.filter(r.spans_q("team__org__") | Q(team_id__in=r.team_ids))


def _assigned(user):
    """Documents (and their attachments) whose chain has a step this user acts for."""
    from review.models import Step

    steps = Step.objects.filter(assignees=user)
    return Exists(steps.filter(review__document=OuterRef("pk"))) | Exists(
        steps.filter(review__document=OuterRef("parent"))
    )


def documents(user):
    """Documents: the team's own people see them from the first draft; a reviewing
    authority sees what has been submitted within its jurisdiction, and whoever a
    chain names sees what it carries to them."""
    r = reach(user)
    if r.everything:
        return Document.objects.all()
    return Document.objects.filter(
        Q(team_id__in=r.team_ids) | (r.spans_q("team__org__") & ~Q(status=Status.DRAFT)) | _assigned(user)
    )


def inputs(user):
    """The four-responses register of every team the user can see."""
    r = reach(user)
    if r.everything:
        return Input.objects.all()
    return Input.objects.filter(r.spans_q("team__org__") | Q(team_id__in=r.team_ids))


VISIBLE = {
    Org: orgs,
    Team: teams,
    Person: people,
    Position: positions,
    Document: documents,
    Input: inputs,
}


def visible(user, model):
    return VISIBLE[model](user)


def get_or_404(user, model, related=(), **lookup):
    """Fetch one object through the user's reach: outside it, the object does not exist."""
    queryset = visible(user, model)
    if related:
        queryset = queryset.select_related(*related)
    return get_object_or_404(queryset, **lookup)


# Actions on visible objects ------------------------------------------------


def can(user, action, obj):
    """May USER do ACTION to OBJ (an Org or a Team it can already see)?"""
    r = reach(user)
    action = Action(action)
    if isinstance(obj, Org):
        if action is Action.VIEW:
            return r.covers(obj) or obj.pk in r.seat_org_ids
        if action is Action.OVERSEE:
            return r.covers(obj)
        return False
    if isinstance(obj, Team):
        seat = r.seats.get(obj.pk)
        if action is Action.VIEW:
            return seat is not None or r.covers(obj.org)
        if action is Action.FILE:
            # The team's filers and its members fill in its documents.
            return seat is not None and (seat.filer or seat.role is not None)
        if action is Action.OVERSEE:
            return r.covers(obj.org)
        return False
    if isinstance(obj, Document):
        seat = r.seats.get(obj.team_id)
        if action is Action.VIEW:
            return (
                r.everything
                or seat is not None
                or (r.covers(obj.team.org) and obj.status != Status.DRAFT)
                or Document.objects.filter(pk=obj.pk).filter(_assigned(user)).exists()
            )
        if action is Action.FILE:
            return obj.editable and files(user, obj)
        if action is Action.OVERSEE:
            return r.covers(obj.team.org)
        return False
    raise TypeError(f"no policy for {type(obj).__name__}")


def files(user, document):
    """Is USER one of DOCUMENT's filers, whatever its state? A leader fills their own
    measures (the team's filers may help); a team's filers and members fill its plan.
    can(FILE) adds that the document is editable; review uses this alone to withdraw,
    resubmit and answer comments."""
    if document.kind == DocumentKind.INDIVIDUAL:
        return files_measures(user, document.team_id, document.person)
    seat = reach(user).seats.get(document.team_id)
    return seat is not None and (seat.filer or seat.role is not None)


def files_measures(user, team_id, person):
    """May USER fill PERSON's individual measures in the team? Themself, or the team's filers."""
    seat = reach(user).seats.get(team_id)
    return seat is not None and (seat.filer or (person.user_id is not None and person.user_id == user.pk))


def require(user, action, obj):
    if not can(user, action, obj):
        raise PermissionDenied


def is_filer(user):
    return any(seat.filer for seat in reach(user).seats.values())


def filer_ids(team_id):
    """The users who file for a team: granted directly or through a group."""
    direct = TeamUserGrant.objects.filter(
        content_object_id=team_id, permission__codename=FILE_PERM
    ).values_list("user_id", flat=True)
    grouped = TeamGroupGrant.objects.filter(
        content_object_id=team_id, permission__codename=FILE_PERM
    ).values_list("group__user", flat=True)
    return {pk for pk in [*direct, *grouped] if pk is not None}


def filer_team_ids(user):
    """The teams USER files for."""
    return {team_id for team_id, seat in reach(user).seats.items() if seat.filer}
