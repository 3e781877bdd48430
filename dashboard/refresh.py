"""Keeping the figures current: one refresh on the tasks worker, however many changes.

Every change the figures count (a review event: every transition writes one; a document
opened; a team, position or org added, changed or removed) calls `note_change` once its
transaction commits. It queues a refresh unless one is queued already, and tells a
refresh that is counting now to count once more when done. So a burst of decisions
costs one count, not one per decision, and no change is left out of the next figures.

`refresh_now` counts everything (dashboard/figures.py) and replaces the tallies in one
transaction; on PostgreSQL the reads share one snapshot (REPEATABLE READ), so the
figures are those of one moment, and that moment is the time the page shows. It runs
in the task, at the end of seed_scale (which writes in bulk, without signals) and in
`manage.py refresh_dashboard`.
"""

import datetime as dt
import logging
import time
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from orgs.models import Level, Org, OrgKind

from .figures import ALL, KINDS, count, summed
from .models import Freshness, Scope, Tally

logger = logging.getLogger(__name__)

# The regions whose figures are rolled up; below them, pages count live.
TALLIED_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP)
# Regions whose pages read the tallies (their children's rows included).
PAGE_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)
WRITE_BATCH = 2000
# A refresh queued or counting for longer than this is taken to have died with its worker.
STALE = dt.timedelta(minutes=30)


def tallied_nodes():
    """{region id: parent id or None} and {region id: level} of the rolled-up regions."""
    rows = list(
        Org.objects.filter(kind=OrgKind.REGION, level__in=TALLIED_LEVELS).values_list(
            "pk", "parent_id", "level"
        )
    )
    ids = {pk for pk, _parent, _level in rows}
    nodes = {pk: parent if parent in ids else None for pk, parent, _level in rows}
    return nodes, {pk: level for pk, _parent, level in rows}


def tallies(counts, levels):
    """The Tally rows of COUNTS: every kind a region holds anything of, and the sum over
    the kinds (KIND "", written for every region so that a page finds each child's name
    with its figures); own figures for the regions with pages, and there the open steps
    and submissions by day and the steps waiting longest."""
    rows = []
    nodes = counts.nodes
    for node, parent in nodes.items():
        page = levels[node] in PAGE_LEVELS
        for scope, by_kind in (
            (Scope.ALL, counts.total.get(node, {})),
            (Scope.OWN, counts.own.get(node, {})),
        ):
            if scope == Scope.OWN and not page:
                continue
            for kind in KINDS:
                figure = by_kind.get(kind)
                if figure:
                    rows.append(
                        Tally(region_id=node, parent_id=parent, scope=scope, kind=kind, **figure.as_dict())
                    )
            total = summed(by_kind)
            extra = {}
            if scope == Scope.ALL and page:
                extra = {
                    "waiting": {
                        key: dict(sorted(by_day.items())) for key, by_day in counts.waiting[node].items()
                    },
                    "days": dict(sorted(counts.days[node].items())),
                    "oldest": counts.oldest.get(node, []),
                    "categories": {
                        category: figure.as_dict_of_measures()
                        for category, figure in sorted(counts.categories[node].items())
                    },
                }
            if scope == Scope.ALL or total:
                rows.append(
                    Tally(region_id=node, parent_id=parent, scope=scope, kind=ALL, **total.as_dict(), **extra)
                )
    return rows


@contextmanager
def _one_moment():
    """On PostgreSQL every read of the count sees one moment (REPEATABLE READ). Elsewhere
    (SQLite in development) the reads run outside a transaction, which there would hold
    the database's one write lock for the whole count; a change committed meanwhile
    notes itself (note_change) and is counted by the count after."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield
    else:
        yield


def refresh_now():
    """Count everything and replace the tallies; return the Freshness row."""
    started = time.monotonic()
    with _one_moment():
        at = timezone.now()
        nodes, levels = tallied_nodes()
        pages = [node for node, level in levels.items() if level in PAGE_LEVELS]
        rows = tallies(count(nodes, oldest_for=pages), levels)
        with transaction.atomic():
            Tally.objects.all().delete()
            Tally.objects.bulk_create(rows, batch_size=WRITE_BATCH)
            took = round(time.monotonic() - started, 3)
            freshness, _created = Freshness.objects.update_or_create(
                pk=Freshness.ONE, defaults={"computed_at": at, "took": took}
            )
    logger.info("dashboard figures counted in %.2f s: %d tallies", took, len(rows))
    return freshness


def _row():
    return Freshness.objects.filter(pk=Freshness.ONE)


def note_change():
    """Something the figures count has changed and committed: queue one refresh unless
    one is queued; a refresh counting now counts once more."""
    now = timezone.now()
    stale = now - STALE
    idle = Q(queued_at__isnull=True) | Q(queued_at__lt=stale)
    free = Q(running_since__isnull=True) | Q(running_since__lt=stale)
    for _attempt in range(3):
        if _row().filter(idle, free).update(queued_at=now, dirty=True):
            refresh.enqueue()
            return
        busy = Q(queued_at__gte=stale) | Q(running_since__gte=stale)
        if _row().filter(busy).update(dirty=True):
            return
        Freshness.objects.get_or_create(pk=Freshness.ONE)  # a flushed database


def _claim():
    """Take the count on; False if another refresh is counting (it will count again)."""
    now = timezone.now()
    free = Q(running_since__isnull=True) | Q(running_since__lt=now - STALE)
    for _attempt in range(3):
        if _row().filter(free).update(running_since=now, queued_at=None, dirty=False):
            return True
        if _row().filter(running_since__isnull=False).update(dirty=True, queued_at=None):
            return False
        Freshness.objects.get_or_create(pk=Freshness.ONE)
    return False


@task()
def refresh():
    """Count the figures, and again while changes came in during the count."""
    if not _claim():
        return
    try:
        while True:
            refresh_now()
            # Done unless something changed since this count began.
            if _row().filter(dirty=False).update(running_since=None):
                return
            _row().update(dirty=False)
    except BaseException:
        _row().update(running_since=None)
        raise


def _after_commit():
    """Note the change once the transaction commits, never inside it (concurrent
    transitions must not queue up behind the one Freshness row), and once per
    transaction however many rows it writes. A failure is logged, not raised: the
    change itself has committed."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(hook[1] is note_change for hook in connection.run_on_commit):
        return
    transaction.on_commit(note_change, robust=True)


def created(sender, created=False, raw=False, **kwargs):
    """Receiver of post_save for rows that count when they are added (events, documents)."""
    if created and not raw:
        _after_commit()


def changed(sender, raw=False, **kwargs):
    """Receiver of post_save and post_delete for rows whose every change counts (teams,
    positions, orgs, a deleted document)."""
    if not raw:
        _after_commit()


def issued(sender, instance, created=False, raw=False, **kwargs):
    """Receiver of post_save for oversight's events: a bulletin issued is shown with the
    figures of the regions it names, so the figures are counted (and shown) again."""
    if created and not raw and instance.action == "issue":
        _after_commit()
