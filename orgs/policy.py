"""Who may do what, where: the one place that answers it.

Every view, export and command asks here, in two ways:

* ``visible(user, Model)``: the rows of a kind this user may see, as a queryset;
  views fetch objects only through it (``get_or_404``), so anything outside the
  user's reach is a 404, whether it exists or not.
* ``can(user, right, obj)`` / ``require(...)``: may this user do this to a visible
  object; a refusal is a 403.

A user's reach is computed once per request (``reach(user)``) in a fixed number of
queries whatever the depth of the tree, and kept by each process between requests until
the database says who holds what has changed (``orgs.stamps``):

* jurisdictions: grants of ``orgs.oversee_org`` on org nodes, to the user or to a
  group the user belongs to (an authority's members), and the region a party
  secretary leads. Each reaches the whole subtree, as a (tree_id, lft, rght) range;
* memberships: the teams the user files for (``orgs.file_team`` grants on teams) or
  sits in (active positions of the user's person).

This module knows the tree, its teams and people. The apps above it own their rows and
say who sees and does what with them, the way Django's admin and system checks are
extended: in their ``AppConfig.ready()`` they register

* a scope, ``@scope(Model)``: a function ``(user, reach) -> Q`` of the rows the user
  sees; when several apps register one for a model, the user sees the union;
* a right, ``@right(Model, name)``: a function ``(user, reach, obj) -> bool``; when
  several apps register the same right, any of them allows it.

So orgs imports nothing of plans or review, and a new kind of row or a new right lands
in the app that owns it.
"""

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, Case, CharField, Exists, OuterRef, Q, Value, When
from django.shortcuts import get_object_or_404

from . import stamps
from .models import (
    READS_JURISDICTION,
    TEAM_SEATS,
    Authority,
    AuthorityKind,
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
from .tree import above, subtree

OVERSEE_PERM = "oversee_org"
FILE_PERM = "file_team"


class Right(StrEnum):
    """The rights every kind of row can be asked about; apps may register more."""

    VIEW = "view"  # see it
    FILE = "file"  # fill in (填报)
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
class Membership:
    """A team the user belongs to: as one of its filers (a ``file_team`` grant), as the
    holder of a position in it (ROLE), or both."""

    team_id: int
    org_id: int
    filer: bool = False
    role: str | None = None  # Role of an active position, if any

    @property
    def fills_team_documents(self):
        """The team's filers and members fill in its plan or list; a cadre recorded in the
        team without a seat (Role.OTHER) fills in only their own measures."""
        return self.filer or self.role in TEAM_SEATS


class Reach:
    def __init__(self, user):
        self.user = user
        self.everything = bool(user.is_active and user.is_superuser)
        # The token the reach was read under: what else the request keeps under the same
        # token (orgs/views.py, the counts below an org) need not read it again.
        self.stamp = None
        if not user.is_authenticated or not user.is_active:
            self.spans, self.reading_spans, self.memberships = (), (), MappingProxyType({})
            return
        self.stamp = stamps.token(stamps.GRANTS)
        self.spans, self.reading_spans, self.memberships = KEPT_REACHES.get(
            user.pk, self.stamp, lambda: self._read(user)
        )

    @classmethod
    def _read(cls, user):
        """(spans, reading spans, memberships) of USER, as the database says them now."""
        return (*cls._spans(user), MappingProxyType(cls._memberships(user)))

    @staticmethod
    def _spans(user):
        """The tops of the user's jurisdictions as (id, tree_id, lft, rght), in one query
        that starts from the grants, never from the tree: all of them, and those whose
        holder reads every submitted document in them (READS_JURISDICTION)."""
        rows = SPANS.rows(user.pk)
        return _outermost(Span(*row[:4]) for row in rows), _outermost(
            Span(*row[:4]) for row in rows if row[4]
        )

    @staticmethod
    def _memberships(user):
        """The teams the user files for or sits in, as {team id: Membership}, in one query."""
        memberships = {}
        for team_id, org_id, filer, role in MEMBERSHIPS.rows(user.pk):
            known = memberships.get(team_id) or Membership(team_id, org_id)
            memberships[team_id] = Membership(
                team_id, org_id, filer=known.filer or bool(filer), role=known.role or role
            )
        return memberships

    # What the user reaches ------------------------------------------------

    @property
    def team_ids(self):
        return set(self.memberships)

    @property
    def filed_team_ids(self):
        """The teams the user is a filer of."""
        return {team_id for team_id, membership in self.memberships.items() if membership.filer}

    @property
    def member_org_ids(self):
        return {membership.org_id for membership in self.memberships.values()}

    def covers(self, org):
        return self.everything or any(span.covers(org) for span in self.spans)

    def spans_q(self, prefix=""):
        q = Q(pk__in=[])
        for span in self.spans:
            q |= span.q(prefix)
        return q

    def reads(self, org):
        """Does the user read every submitted document at ORG (READS_JURISDICTION)?"""
        return self.everything or any(span.covers(org) for span in self.reading_spans)

    def reading_q(self, prefix=""):
        q = Q(pk__in=[])
        for span in self.reading_spans:
            q |= span.q(prefix)
        return q


class Compiled:
    """A query every request runs for its user, compiled to SQL once per process: Django
    builds these unions of joins in more time than the database answers them, on every
    request. BUILD(user_id) returns the queryset; it is compiled once with a stand-in id,
    and each run puts the user's id where the stand-in stood."""

    STAND_IN = -7_041_031

    def __init__(self, build):
        self.build = build
        self.compiled = {}  # database alias -> (sql, params)

    def rows(self, user_id, using=DEFAULT_DB_ALIAS):
        if using not in self.compiled:
            self.compiled[using] = self.build(self.STAND_IN).query.sql_with_params()
        sql, params = self.compiled[using]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [user_id if param == self.STAND_IN else param for param in params])
            return cursor.fetchall()


def _spans_of(user_id):
    columns = (
        "content_object_id",
        "content_object__tree_id",
        "content_object__lft",
        "content_object__rght",
    )
    granted = OrgUserGrant.objects.filter(user_id=user_id, permission__codename=OVERSEE_PERM).values_list(
        *columns, Value(True)
    )
    via_groups = OrgGroupGrant.objects.filter(
        group__user=user_id, permission__codename=OVERSEE_PERM
    ).values_list(
        *columns,
        Case(
            When(group__authority__kind__in=READS_JURISDICTION, then=Value(True)),
            When(group__authority__isnull=True, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
    # The party secretary (principal of the region's party committee) leads the whole
    # region.
    leads = (
        Position.objects.filter(
            person__user=user_id, active=True, role=Role.PRINCIPAL, team__kind=TeamKind.PARTY_COMMITTEE
        )
        .order_by()
        .values_list("team__org_id", "team__org__tree_id", "team__org__lft", "team__org__rght", Value(True))
    )
    return granted.union(via_groups, leads, all=True)


def _memberships_of(user_id):
    nothing = Value(None, output_field=CharField())
    filed = TeamUserGrant.objects.filter(user_id=user_id, permission__codename=FILE_PERM).values_list(
        "content_object_id", "content_object__org_id", Value(True), nothing
    )
    filed_via_groups = TeamGroupGrant.objects.filter(
        group__user=user_id, permission__codename=FILE_PERM
    ).values_list("content_object_id", "content_object__org_id", Value(True), nothing)
    held = (
        Position.objects.filter(person__user=user_id, active=True)
        .order_by()
        .values_list("team_id", "team__org_id", Value(False), "role")
    )
    return filed.union(filed_via_groups, held, all=True)


SPANS = Compiled(_spans_of)
MEMBERSHIPS = Compiled(_memberships_of)


def _outermost(spans):
    """The spans not inside another, in tree order: each org is covered once."""
    kept = []
    for span in sorted(set(spans), key=lambda s: (s.tree_id, s.lft)):
        if not any(outer.covers(span) for outer in kept):
            kept.append(span)
    return tuple(kept)


# Reaches between requests: read again only when who holds what has changed (the token
# GRANTS, replaced by the database's triggers), two unions of joins a request saved.
KEPT_REACHES = stamps.Kept(size=4096)


def reach(user):
    """The user's reach, computed once and kept on the user object (one request's worth);
    its rows are read from the database only when the grants' token has changed since
    this process last read them (orgs.stamps)."""
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


# The registry ----------------------------------------------------------------

_scopes = defaultdict(list)  # model -> [(user, reach) -> Q]
_rights = defaultdict(list)  # (model, right) -> [(user, reach, obj) -> bool]


def scope(model):
    """Register the decorated ``(user, reach) -> Q`` as rows of MODEL the user may see."""

    def register(function):
        if function not in _scopes[model]:
            _scopes[model].append(function)
        return function

    return register


def right(model, *names):
    """Register the decorated ``(user, reach, obj) -> bool`` as the rights NAMES on MODEL."""

    def register(function):
        for name in names:
            if function not in _rights[(model, str(name))]:
                _rights[(model, str(name))].append(function)
        return function

    return register


# Visible rows ---------------------------------------------------------------


def in_provincial_office(user):
    """Is USER a member of the provincial office (省委教育实践活动办)? It issues the
    bulletins and reads the audit."""
    return Authority.objects.filter(group__user=user, kind=AuthorityKind.PROVINCIAL_OFFICE).exists()


def visible(user, model):
    """The rows of MODEL that USER may see: the union of the scopes registered for it."""
    clauses = _scopes.get(model)
    if not clauses:
        raise TypeError(f"no scope for {model.__name__}")
    r = reach(user)
    if r.everything:
        return model._default_manager.all()
    q = clauses[0](user, r)
    for clause in clauses[1:]:
        q |= clause(user, r)
    return model._default_manager.filter(q)


def get_or_404(user, model, related=(), **lookup):
    """Fetch one object through the user's reach: outside it, the object does not exist."""
    queryset = visible(user, model)
    if related:
        queryset = queryset.select_related(*related)
    return get_object_or_404(queryset, **lookup)


def orgs(user):
    return visible(user, Org)


def teams(user):
    return visible(user, Team)


def people(user):
    return visible(user, Person)


def positions(user):
    return visible(user, Position)


@scope(Org)
def _orgs(user, r):
    return r.spans_q() | Q(pk__in=r.member_org_ids)


@scope(Team)
def _teams(user, r):
    return r.spans_q("org__") | Q(pk__in=r.team_ids)


@scope(Person)
def _people(user, r):
    in_reach = Position.objects.filter(person=OuterRef("pk")).filter(
        r.spans_q("team__org__") | Q(team_id__in=r.team_ids)
    )
    return Q(Exists(in_reach)) | Q(user=user)


@scope(Position)
def _positions(user, r):
    return r.spans_q("team__org__") | Q(team_id__in=r.team_ids)


# Rights on visible objects ------------------------------------------------


def can(user, right, obj):
    """May USER do RIGHT to OBJ (an object it can already see)?"""
    checks = _rights.get((type(obj), str(right)))
    if not checks:
        raise TypeError(f"no right {right!r} for {type(obj).__name__}")
    r = reach(user)
    return any(check(user, r, obj) for check in checks)


def require(user, right, obj):
    if not can(user, right, obj):
        raise PermissionDenied


@right(Org, Right.VIEW)
def _view_org(user, r, org):
    return r.covers(org) or org.pk in r.member_org_ids


@right(Org, Right.OVERSEE)
@right(Team, Right.OVERSEE)
def _oversee(user, r, obj):
    return r.covers(obj if isinstance(obj, Org) else obj.org)


@right(Team, Right.VIEW)
def _view_team(user, r, team):
    return team.pk in r.memberships or r.covers(team.org)


@right(Team, Right.FILE)
def _file_team(user, r, team):
    membership = r.memberships.get(team.pk)
    return membership is not None and membership.fills_team_documents


# Filers --------------------------------------------------------------------


def filers_of(team_id):
    """The ids of the users who file for a team: granted directly or through a group."""
    direct = TeamUserGrant.objects.filter(
        content_object_id=team_id, permission__codename=FILE_PERM
    ).values_list("user_id", flat=True)
    grouped = TeamGroupGrant.objects.filter(
        content_object_id=team_id, permission__codename=FILE_PERM
    ).values_list("group__user", flat=True)
    return {pk for pk in [*direct, *grouped] if pk is not None}


def crumbs(user, region):
    """The regions above REGION, top first, each with whether USER oversees it (so a page
    links only those): the breadcrumb of the dashboard's and the ledger's region pages."""
    found = reach(user)
    return [(org, found.covers(org)) for org in above(region)]
