"""Counting the dashboard's figures exactly, from the rows themselves.

`count(nodes, within)` reads the documents due (each team and seat joined to the document
that answers it), open steps, return events, submissions and the ledger's measures, each
grouped in SQL by the org it belongs to (five queries, whatever the size of the tree), and
adds them up a tree of NODES, the regions that get figures: an org's figures go to the node it belongs to and to every node above it.
Asked for, it also lists the open steps that waited longest under some nodes (two more
queries: the open steps in the order they were reached, and their documents' names).

* A region that is a node keeps its own teams' figures as its OWN (本级), and so does
  the node a unit (直属单位, 企事业单位, 基层组织 …) hangs under.
* A region below the nodes (a village under a township) adds to the node above it,
  as do the units hanging under such a region; they are in its total, not its own.

The refresh task counts every province, city, county and township this way; the pages
of a township or village count their own small subtree live (WITHIN), with the
villages as nodes. Both read the same code, so the live page and the rolled-up page
cannot disagree on what a figure means.

What is due, and which document answers it, is dashboard.due's one definition: each
team's plan or list and its attachments, and one individual measures per person who wrote
对照检查材料, at their highest seat. 应报 counts the rows due, 未开始 those nobody has
started, and each status the documents that answer a row, so they always add up: measures
kept under a lower seat count in none of them.
"""

from collections import Counter, defaultdict

from django.db.models import BooleanField, Case, Count, DateField, F, Value, When
from django.db.models.functions import TruncDate

from ledger import deadlines
from ledger.models import Entry
from orgs.models import OrgKind
from plans.models import Document
from plans.structure import ATTACHMENTS
from plans.words import DocumentKind, Status
from review.models import Action, Event, Review, Step, StepState

from .due import due

KINDS = tuple(str(kind) for kind in DocumentKind)
# "Every document" sums these: the attachments travel inside their team plan and share its
# status, so counting them too would count the city and county committees three times.
MAIN_KINDS = tuple(kind for kind in KINDS if kind not in {str(a) for a in ATTACHMENTS})
ALL = ""  # the kind of the sum over MAIN_KINDS
STATUSES = tuple(str(status) for status in Status)
NUMBERS = ("must", "not_started", *STATUSES, "returns")
# The measures of the approved documents (the ledger): how many, in each state, escalated
# and standing. Every kind's measures count in the sum over the kinds, the attachments'
# too: a task of 专项整治 is a measure of its own, not the plan's again.
MEASURES = (
    "measures",
    "measures_open",
    "measures_done",
    "measures_closed",
    "measures_escalated",
    "measures_standing",
)
OPEN_STATES = (StepState.PENDING, StepState.UNREAD)
OLDEST = 10  # the open steps kept per region, oldest first


class Figure:
    """The counts of one region (or row), scope and kind."""

    __slots__ = (*NUMBERS, *MEASURES, "grounds", "pending", "deadlines")

    def __init__(self, **values):
        for name in (*NUMBERS, *MEASURES):
            setattr(self, name, values.get(name) or 0)
        self.grounds = Counter(values.get("grounds") or {})
        self.pending = Counter(values.get("pending") or {})
        # The open measures that are not standing, by deadline ("YYYY-MM-DD": n), so that
        # what is overdue is judged on the day the figures are read (ledger/overdue.py).
        self.deadlines = Counter(values.get("deadlines") or {})

    def add(self, other):
        for name in NUMBERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.grounds.update(other.grounds)
        self.pending.update(other.pending)
        return self.add_measures(other)

    def add_measures(self, other):
        for name in MEASURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.deadlines.update(other.deadlines)
        return self

    @property
    def documents(self):
        return sum(getattr(self, status) for status in STATUSES)

    def overdue(self, today):
        """The open measures past their deadline on TODAY (a date)."""
        day = today.isoformat()
        return sum(n for deadline, n in self.deadlines.items() if deadline < day)

    def __bool__(self):
        return (
            any(getattr(self, name) for name in (*NUMBERS, *MEASURES))
            or bool(self.grounds)
            or bool(self.pending)
        )

    def __eq__(self, other):
        return isinstance(other, Figure) and self.as_dict() == other.as_dict()

    def as_dict_of_measures(self):
        values = {name: getattr(self, name) for name in MEASURES}
        values["deadlines"] = {k: v for k, v in sorted(self.deadlines.items()) if v}
        return values

    def as_dict(self):
        values = {name: getattr(self, name) for name in (*NUMBERS, *MEASURES)}
        values["grounds"] = {k: v for k, v in sorted(self.grounds.items()) if v}
        values["pending"] = {k: v for k, v in sorted(self.pending.items()) if v}
        values["deadlines"] = {k: v for k, v in sorted(self.deadlines.items()) if v}
        return values

    def __repr__(self):
        return f"Figure({self.as_dict()})"


def summed(by_kind):
    """The ALL figure of {kind: Figure}: the sum over MAIN_KINDS, and the measures of
    every kind."""
    total = Figure()
    for kind in KINDS:
        if kind in by_kind:
            if kind in MAIN_KINDS:
                total.add(by_kind[kind])
            else:
                total.add_measures(by_kind[kind])
    return total


class Counts:
    """What count() returns: per node, by kind, its total (scope all) and its own
    figures, and for the totals the open steps by day reached and the submissions by
    day."""

    def __init__(self, nodes):
        self.nodes = nodes  # {node id: parent node id or None}
        self.total = defaultdict(lambda: defaultdict(Figure))
        self.own = defaultdict(lambda: defaultdict(Figure))
        self.waiting = defaultdict(lambda: defaultdict(Counter))  # node -> "authority:mode" -> day -> n
        self.days = defaultdict(Counter)  # node -> day -> n
        self.oldest = {}  # node -> [entry], the open steps waiting longest (see _oldest)
        self.categories = defaultdict(lambda: defaultdict(Figure))  # node -> category -> measures

    def figure(self, node, kind=ALL, own=False):
        by_kind = (self.own if own else self.total).get(node, {})
        return summed(by_kind) if kind == ALL else by_kind.get(kind) or Figure()


def _describe(prefix):
    """The columns that say where a row's org sits: its id, kind, parent and grandparent."""
    return (f"{prefix}id", f"{prefix}kind", f"{prefix}parent_id", f"{prefix}parent__parent_id")


def _within(queryset, within, prefix):
    if within is None:
        return queryset
    return queryset.filter(within(prefix))


class _Placer:
    """Where an org's figures go: (own node or None, the node they add up from or None)."""

    def __init__(self, nodes):
        self.nodes = nodes
        self.cache = {}

    def __call__(self, org_id, kind, parent, grandparent):
        key = (org_id, kind, parent, grandparent)
        place = self.cache.get(key)
        if place is None:
            nodes = self.nodes
            if kind == OrgKind.REGION:
                if org_id in nodes:
                    place = (org_id, org_id)
                else:
                    place = (None, parent if parent in nodes else None)
            elif parent in nodes:
                place = (parent, parent)
            else:
                place = (None, grandparent if grandparent in nodes else None)
            self.cache[key] = place
        return place


def count(nodes, within=None, oldest_for=()):
    """Count everything under NODES ({node id: parent node id or None}, the regions that
    get figures), or only the subtree WITHIN (a function prefix -> Q) when given, and
    list the open steps waiting longest under the nodes OLDEST_FOR; return Counts."""
    counts = Counts(nodes)
    place = _Placer(nodes)
    direct = defaultdict(lambda: defaultdict(Figure))  # node -> kind -> what starts there
    waiting = defaultdict(lambda: defaultdict(Counter))
    days = defaultdict(Counter)
    categories = defaultdict(lambda: defaultdict(Figure))  # node -> category -> what starts there

    def figures(org):
        """The own and the starting Figure maps an org's rows add to."""
        own, start = place(*org)
        return (counts.own[own] if own is not None else None), (direct[start] if start is not None else None)

    def add(org, kind, name, n):
        own, start = figures(org)
        if start is None:
            return
        setattr(start[kind], name, getattr(start[kind], name) + n)
        if own is not None:
            setattr(own[kind], name, getattr(own[kind], name) + n)

    # Every document due, with the status of the one that answers it (dashboard.due):
    # 应报 and each status from the same rows, so that 应报 = 未开始 + the statuses.
    parts = [
        part.values_list(*_describe(f"{path}org__"), "kind_code", "status").annotate(n=Count("pk")).order_by()
        for part, path in due(KINDS, within)
    ]
    for *org, kind, status, n in parts[0].union(*parts[1:], all=True).order_by():
        add(org, kind, "must", n)
        add(org, kind, status or "not_started", n)

    # The steps open now: who the documents under review wait for, and since when.
    steps = (
        _within(Step.objects.filter(state__in=OPEN_STATES), within, "review__document__team__org__")
        .values_list(
            *_describe("review__document__team__org__"),
            "review__document__kind",
            "authority",
            "mode",
            "state",
            TruncDate("reached_at"),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    for *org, kind, authority, mode, state, day, n in steps:
        own, start = figures(org)
        if start is None:
            continue
        if state == StepState.PENDING:
            start[kind].pending[authority] += n
            if own is not None:
                own[kind].pending[authority] += n
        if day is not None:
            waiting[place(*org)[1]][f"{authority}:{mode}"][day.isoformat()] += n

    returns = _within(
        Event.objects.filter(action=Action.RETURN), within, "document__team__org__"
    ).values_list(*_describe("document__team__org__"), "document__kind", "grounds")
    for *org, kind, grounds in returns.order_by():
        own, start = figures(org)
        if start is None:
            continue
        tally = Counter()
        for ground in grounds or ():
            tally[ground["reason"]] += 1
            if ground.get("source"):
                tally[f"{ground['reason']}:{ground['source']}"] += 1
        for target in (start, own):
            if target is not None:
                target[kind].returns += 1
                target[kind].grounds.update(tally)

    submissions = (
        _within(Review.objects.all(), within, "document__team__org__")
        .values_list(*_describe("document__team__org__"), TruncDate("submitted_at"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    for *org, day, n in submissions:
        start = place(*org)[1]
        if start is not None and day is not None:
            days[start][day.isoformat()] += n

    # The measures of the approved documents, by kind, category and state (the ledger).
    for *org, kind, category, state, standing, escalated, deadline, n in _measures(within):
        own, start = figures(org)
        if start is None:
            continue
        measure = _measure(state, standing, escalated, deadline, n)
        start[kind].add_measures(measure)
        if own is not None:
            own[kind].add_measures(measure)
        categories[place(*org)[1]][category].add_measures(measure)

    _roll_up(counts, direct, waiting, days, categories)
    if oldest_for:
        counts.oldest = _oldest(nodes, place, within, oldest_for)
    return counts


def _oldest(nodes, place, within, wanted, limit=OLDEST):
    """{node: [entry]}: the LIMIT open steps under each node of WANTED that were reached
    first, read oldest first and handed to every node above them until each has its
    LIMIT; an entry is a dict of JSON values (dashboard.models.Tally.oldest)."""
    steps = (
        _within(
            Step.objects.filter(state__in=OPEN_STATES, reached_at__isnull=False),
            within,
            "review__document__team__org__",
        )
        .values_list(
            "pk",
            "reached_at",
            "authority",
            "mode",
            "review__document_id",
            *_describe("review__document__team__org__"),
        )
        .order_by("reached_at", "pk")
    )
    found = {node: [] for node in wanted}
    short = set(wanted)
    for pk, reached, authority, mode, document, *org in steps.iterator(chunk_size=5000):
        node = place(*org)[1]
        while node is not None:
            if node in short:
                found[node].append((pk, reached, authority, mode, document))
                if len(found[node]) >= limit:
                    short.discard(node)
            node = nodes.get(node)
        if not short:
            break
    ids = {step[4] for steps_of_node in found.values() for step in steps_of_node}
    names = {
        pk: (title, team)
        for pk, title, team in Document.objects.filter(pk__in=ids).values_list("pk", "title", "team__name")
    }
    return {
        node: [
            entry(pk, document, *names[document], authority, mode, reached)
            for pk, reached, authority, mode, document in entries
        ]
        for node, entries in found.items()
    }


def entry(step, document, title, team, authority, mode, reached_at):
    """An open step as the dashboard lists it (JSON values, as a Tally keeps it)."""
    return {
        "step": step,
        "document": document,
        "title": title,
        "team": team,
        "authority": authority,
        "mode": mode,
        "reached_at": reached_at.isoformat(),
    }


def _depth(nodes):
    depth = {}
    for node in nodes:
        chain = []
        current = node
        while current is not None and current not in depth:
            chain.append(current)
            current = nodes.get(current)
        base = depth.get(current, -1) if current is not None else -1
        for offset, member in enumerate(reversed(chain), start=1):
            depth[member] = base + offset
    return depth


def _measures(within):
    """The ledger's entries counted by the org they belong to, their document's kind,
    category, state, standing, escalation and (open and not standing) deadline: one query."""
    org = "document__team__org__"
    escalated = Case(
        When(deadlines.escalated(), then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    deadline = Case(
        When(deadlines.running(), then=F("deadline")),
        default=None,
        output_field=DateField(),
    )
    return (
        _within(Entry.objects.all(), within, org)
        .annotate(escalated_now=escalated, open_deadline=deadline)
        .values_list(
            *_describe(org),
            "document__kind",
            "category",
            "state",
            "standing",
            "escalated_now",
            "open_deadline",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )


def _measure(state, standing, escalated, deadline, n):
    """The Figure of N measures alike."""
    figure = Figure(measures=n, **{f"measures_{state}": n})
    figure.measures_escalated = n if escalated else 0
    figure.measures_standing = n if standing else 0
    if deadline is not None:
        figure.deadlines[deadline.isoformat()] += n
    return figure


def _roll_up(counts, direct, waiting, days, categories):
    """Each node's total: what starts there plus its children's totals, deepest first."""
    nodes = counts.nodes
    depth = _depth(nodes)
    for node in sorted(nodes, key=lambda n: -depth[n]):
        total = counts.total[node]
        for kind, figure in direct.get(node, {}).items():
            total[kind].add(figure)
        for key, by_day in waiting.get(node, {}).items():
            counts.waiting[node][key].update(by_day)
        counts.days[node].update(days.get(node, {}))
        for category, figure in categories.get(node, {}).items():
            counts.categories[node][category].add_measures(figure)
        parent = nodes.get(node)
        if parent is not None:
            above = counts.total[parent]
            for kind, figure in total.items():
                above[kind].add(figure)
            for category, figure in counts.categories[node].items():
                categories[parent][category].add_measures(figure)
            for key, by_day in counts.waiting[node].items():
                waiting[parent][key].update(by_day)
            days[parent].update(counts.days[node])
