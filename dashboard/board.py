"""One region's dashboard: its children's rows, its own level, its total, its waits.

A province, city or county reads its rolled-up tallies (two queries: the child regions
and the tallies of the region and its children) and the time they were counted; a
township or village counts its own small subtree live with the same code the refresh
runs (dashboard/figures.py). Either way the oldest open steps under the region are read
live, one indexed query per open state (Step's step_waiting index on state and
reached_at), so what waits longest is always as it is now.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from orgs.models import Org, OrgKind
from orgs.tree import subtree
from review.models import Step, StepState

from . import words
from .figures import ALL, KINDS, Figure, count, summed
from .models import Freshness, Scope, Tally
from .refresh import PAGE_LEVELS

OLDEST_SHOWN = 10  # open steps listed on the page
OLDEST_EXPORTED = 500  # … and in its Excel file
OPEN_STATES = (StepState.PENDING, StepState.UNREAD)


def overdue_days():
    return int(getattr(settings, "DASHBOARD_OVERDUE_DAYS", 7))


def days_waited(reached, today):
    """Whole days since the local date REACHED (a date or an ISO date string)."""
    if isinstance(reached, str):
        reached = dt.date.fromisoformat(reached)
    elif isinstance(reached, dt.datetime):
        reached = timezone.localdate(reached)
    return (today - reached).days


@dataclass
class Row:
    """One line of the region's tables: a child region, the region's own level, or the total."""

    label: str
    by_kind: dict  # kind (ALL included) -> Figure
    org: Org | None = None
    href: str | None = None
    css: str = ""

    def figure(self, kind):
        return self.by_kind.get(kind) or Figure()


@dataclass
class Board:
    region: Org
    kind: str
    rows: list  # the child regions, then the region's own level if it has anything
    total: Row
    live: bool
    as_of: dt.datetime | None
    updating: bool = False
    waiting: dict = field(default_factory=dict)  # "authority:mode" -> {day: n}
    days: dict = field(default_factory=dict)  # day -> n
    oldest: list = field(default_factory=list)  # open Steps, oldest first
    today: dt.date = None
    overdue_days: int = 7

    @property
    def kinds(self):
        """The kinds anything is due or filed of in the region, ALL first."""
        present = [k for k in KINDS if self.total.figure(k).must or self.total.figure(k).documents]
        return [ALL, *present]

    def is_overdue(self, waited):
        return waited > self.overdue_days


def dashboard_url(org, kind=ALL):
    url = reverse("dashboard:region", args=[org.code])
    return f"{url}?kind={kind}" if kind else url


def _with_all(by_kind):
    by_kind = dict(by_kind)
    if ALL not in by_kind:
        by_kind[ALL] = summed(by_kind)
    return by_kind


def _children(region):
    return list(Org.objects.filter(parent=region, kind=OrgKind.REGION).order_by("code", "pk"))


def _from_tallies(region, kind):
    children = _children(region)
    ids = [child.pk for child in children]
    rows = Tally.objects.filter(Q(region=region) | Q(region_id__in=ids, scope=Scope.ALL)).order_by()
    figures = {}  # (region id, scope) -> {kind: Figure}
    extra = {}
    for tally in rows:
        numbers = {name: getattr(tally, name) for name in Figure.__slots__}
        figures.setdefault((tally.region_id, tally.scope), {})[tally.kind] = Figure(**numbers)
        if tally.region_id == region.pk and tally.scope == Scope.ALL and tally.kind == ALL:
            extra = {"waiting": tally.waiting, "days": tally.days}
    child_rows = [
        Row(child.name, _with_all(figures.get((child.pk, Scope.ALL), {})), child, dashboard_url(child, kind))
        for child in children
    ]
    own = _with_all(figures.get((region.pk, Scope.OWN), {}))
    total = _with_all(figures.get((region.pk, Scope.ALL), {}))
    return child_rows, own, total, extra.get("waiting", {}), extra.get("days", {})


def _live(region, kind):
    children = _children(region)
    nodes = {region.pk: None, **{child.pk: region.pk for child in children}}
    counts = count(nodes, within=lambda prefix: subtree(region, prefix))
    child_rows = [
        Row(child.name, _with_all(counts.total.get(child.pk, {})), child, dashboard_url(child, kind))
        for child in children
    ]
    own = _with_all(counts.own.get(region.pk, {}))
    total = _with_all(counts.total.get(region.pk, {}))
    waiting = {key: dict(by_day) for key, by_day in counts.waiting[region.pk].items()}
    return child_rows, own, total, waiting, dict(counts.days[region.pk])


def oldest(region, limit=OLDEST_SHOWN):
    """The open steps under REGION that have waited longest, oldest first."""
    found = []
    for state in OPEN_STATES:
        found += list(
            Step.objects.filter(state=state, reached_at__isnull=False)
            .filter(subtree(region, "review__document__team__org__"))
            .select_related("review__document__team")
            .order_by("reached_at", "pk")[:limit]
        )
    found.sort(key=lambda step: (step.reached_at, step.pk))
    return found[:limit]


def build(region, kind=ALL, oldest_limit=OLDEST_SHOWN):
    """The Board of REGION for KIND (a DocumentKind code, or ALL)."""
    now = timezone.now()
    live = region.level not in PAGE_LEVELS
    if live:
        child_rows, own, total, waiting, days = _live(region, kind)
        as_of, updating = now, False
    else:
        child_rows, own, total, waiting, days = _from_tallies(region, kind)
        freshness = Freshness.objects.filter(pk=Freshness.ONE).first()
        as_of = freshness.computed_at if freshness else None
        updating = bool(freshness and freshness.updating)
    rows = list(child_rows)
    own_row = Row(str(words.OWN_LEVEL), own, css="own")
    if any(own_row.figure(k) for k in KINDS):
        rows.append(own_row)
    return Board(
        region=region,
        kind=kind,
        rows=rows,
        total=Row(str(words.TOTAL), total, css="total"),
        live=live,
        as_of=as_of,
        updating=updating,
        waiting=waiting,
        days=days,
        oldest=oldest(region, oldest_limit) if oldest_limit else [],
        today=timezone.localdate(now),
        overdue_days=overdue_days(),
    )
