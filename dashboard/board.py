"""One region's dashboard: its children's rows, its own level, its total, its waits.

A province, city or county reads its rolled-up tallies: one indexed query brings the
region's rows and its children's with their names (Tally.parent), and one more the time
they were counted. What waits longest was rolled up with them, so the whole page is as
of that time. A township or village counts its own small subtree live with the code
the refresh runs (dashboard/figures.py), so both kinds of page mean the same.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, F, JSONField, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from orgs.models import Org, OrgKind
from orgs.tree import subtree
from review.models import Step

from . import words
from .figures import ALL, KINDS, MEASURES, NUMBERS, OPEN_STATES, Figure, count, entry, summed
from .models import Freshness, Scope, Tally
from .refresh import PAGE_LEVELS

OLDEST_EXPORTED = 500  # open steps in the Excel file of what waits longest (read live)


def overdue_days():
    return int(getattr(settings, "DASHBOARD_OVERDUE_DAYS", 7))


def days_waited(reached, today):
    """Whole days from the local date REACHED (a date, an aware datetime, or an ISO
    string of either) to TODAY."""
    if isinstance(reached, str):
        reached = dt.datetime.fromisoformat(reached) if "T" in reached else dt.date.fromisoformat(reached)
    if isinstance(reached, dt.datetime):
        reached = timezone.localdate(reached)
    return (today - reached).days


@dataclass
class Row:
    """One line of the region's tables: a child region, the region's own level, or the total."""

    label: str
    by_kind: dict  # kind -> Figure
    org: Org | None = None
    href: str | None = None
    css: str = ""
    code: str = ""  # the region's code, for the links into its ledger ("" for 本级)

    def figure(self, kind):
        found = self.by_kind.get(kind)
        if found is None:
            return Figure()
        return found


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
    oldest: list = field(default_factory=list)  # figures.entry dicts, oldest first
    categories: dict = field(default_factory=dict)  # category -> Figure of its measures
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
    return url_maker("dashboard:region", kind)(org.code)


def url_maker(name, kind=ALL):
    """code or pk -> the URL NAME takes it in, reversed once for a whole table."""
    head, tail = reverse(name, args=["0"]).rsplit("0", 1)
    suffix = f"?kind={kind}" if kind else ""
    return lambda key: f"{head}{key}{tail}{suffix}"


def _with_all(by_kind):
    by_kind = dict(by_kind)
    by_kind[ALL] = summed(by_kind)
    return by_kind


FIGURE_FIELDS = (*NUMBERS, *MEASURES, "grounds", "pending", "deadlines")


def _figure(values):
    return Figure(**dict(zip(FIGURE_FIELDS, values, strict=True)))


def _categories(stored):
    """{category: Figure} of a Tally's categories."""
    return {category: Figure(**values) for category, values in (stored or {}).items()}


def _from_tallies(region, kind):
    """The rows of a rolled-up region, its children's (with the requested KIND and their
    name), and the region's waits, submissions and oldest steps: one query."""
    mine = Q(region_id=region.pk, scope=Scope.ALL, kind=ALL)

    def only_mine(name):
        return Case(When(mine, then=F(name)), default=Value(None), output_field=JSONField())

    rows = (
        Tally.objects.filter(Q(region=region) | Q(parent=region, scope=Scope.ALL, kind__in={ALL, kind}))
        .order_by("region__code")
        .values_list(
            "region_id",
            "region__name",
            "region__code",
            "scope",
            "kind",
            *FIGURE_FIELDS,
            only_mine("waiting"),
            only_mine("days"),
            only_mine("oldest"),
            only_mine("categories"),
        )
    )
    children = {}  # child id -> Row, in the order of their codes
    link = url_maker("dashboard:region", kind)
    own, total, extra = {}, {}, (None, None, None, None)
    for region_id, name, code, scope, row_kind, *values in rows:
        figures, extra_values = values[:-4], values[-4:]
        if region_id == region.pk:
            (total if scope == Scope.ALL else own)[row_kind] = _figure(figures)
            if scope == Scope.ALL and row_kind == ALL:
                extra = extra_values
            continue
        child = children.get(region_id)
        if child is None:
            child = children[region_id] = Row(name, {}, href=link(code), code=code)
        child.by_kind[row_kind] = _figure(figures)
    waiting, days, oldest, categories = extra
    return (
        list(children.values()),
        own,
        total,
        waiting or {},
        days or {},
        oldest or [],
        _categories(categories),
    )


def _live(region, kind):
    children = list(Org.objects.filter(parent=region, kind=OrgKind.REGION).order_by("code", "pk"))
    nodes = {region.pk: None, **{child.pk: region.pk for child in children}}
    counts = count(nodes, within=lambda prefix: subtree(region, prefix), oldest_for=[region.pk])
    link = url_maker("dashboard:region", kind)
    child_rows = [
        Row(child.name, _with_all(counts.total.get(child.pk, {})), child, link(child.code), code=child.code)
        for child in children
    ]
    own = _with_all(counts.own.get(region.pk, {}))
    total = _with_all(counts.total.get(region.pk, {}))
    waiting = {key: dict(by_day) for key, by_day in counts.waiting[region.pk].items()}
    categories = dict(counts.categories.get(region.pk, {}))
    return child_rows, own, total, waiting, dict(counts.days[region.pk]), counts.oldest[region.pk], categories


def oldest_now(region, limit=OLDEST_EXPORTED):
    """The open steps under REGION that have waited longest, read now, oldest first: one
    indexed query (step_waiting) per open state."""
    found = []
    for state in OPEN_STATES:
        found += list(
            Step.objects.filter(state=state, reached_at__isnull=False)
            .filter(subtree(region, "review__document__team__org__"))
            .order_by("reached_at", "pk")
            .values_list(
                "pk",
                "review__document_id",
                "review__document__title",
                "review__document__team__name",
                "authority",
                "mode",
                "reached_at",
            )[:limit]
        )
    found.sort(key=lambda row: (row[-1], row[0]))
    return [entry(*row) for row in found[:limit]]


UNREAD = object()  # build() reads the time of the figures itself


def build(region, kind=ALL, freshness=UNREAD):
    """The Board of REGION for KIND (a DocumentKind code, or ALL); FRESHNESS, if the
    caller has read it already."""
    now = timezone.now()
    live = region.level not in PAGE_LEVELS
    if live:
        child_rows, own, total, waiting, days, oldest, categories = _live(region, kind)
        as_of, updating = now, False
    else:
        child_rows, own, total, waiting, days, oldest, categories = _from_tallies(region, kind)
        if freshness is UNREAD:
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
        total=Row(str(words.TOTAL), total, css="total", code=region.code),
        live=live,
        as_of=as_of,
        updating=updating,
        waiting=waiting,
        days=days,
        oldest=oldest,
        categories=categories,
        today=timezone.localdate(now),
        overdue_days=overdue_days(),
    )
