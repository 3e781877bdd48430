"""The ledger of every approved document of a county, written in bulk as the rest is:
the entries ledger.entries.measures_from makes of the document's own items (the very
entries review's approval opens), each left where a follow-through some weeks on would
leave it, drawn from a generator of its own so that nothing else of the county changes:

* most are still being carried out (整改中), and those past their deadline are overdue;
  those overdue LEDGER_ESCALATE_DAYS or more have been escalated (督办), as the schedule
  (ledger.chase) would have done, with the Chase row that says so, so that the schedule
  running on this data sends nothing again;
* some are reported done and wait for their verifier (待核验), some are verified and
  closed (销号); a standing measure (长期坚持) is never closed;
* a report (进展报告) for each that reported, done or not, and the events of each: the
  opening, the report, the closing, the escalation.
"""

import datetime as dt
import random

from ledger import clock
from ledger.deadlines import is_to_escalate
from ledger.entries import measures_from
from ledger.models import Chase, Entry, Event, Report
from ledger.words import Action, ChaseKind, EntryState
from plans.words import Status

from .phrases import LEDGER_DONE, LEDGER_PROGRESS
from .writing import BATCH, _stamp

# Of the measures that can be closed: open, done (waiting on the verifier), closed.
STATE_WEIGHTS = ((EntryState.OPEN, 55), (EntryState.DONE, 20), (EntryState.CLOSED, 25))
REPORTED_OPEN = 0.4  # an open measure has reported progress
WEEKS = 6  # how far back the follow-through goes


class LedgerMixin:
    """County's ledger: entries, reports and events of its approved documents."""

    def write_ledger(self, papers, filer):
        rng = random.Random(f"{self.seeder.seed}:{self.county.code}:ledger")
        now = self.seeder.now
        today = clock.today()
        entries = []
        for paper in papers:
            if paper.document.status != Status.APPROVED:
                continue
            grouped = {}
            for item in sorted(paper.items, key=lambda item: (item.section, item.position)):
                grouped.setdefault(item.section, []).append(item)
            links = paper.links
            entries += measures_from(
                paper.document,
                paper.structure,
                grouped,
                lambda item, links=links: links.get(id(item), {}).get("addresses", ()),
            )
        reports, events = [], []

        def moment(after, days=WEEKS * 7):
            return min(now, after + dt.timedelta(days=rng.uniform(0, days)))

        start = now - dt.timedelta(days=WEEKS * 7)
        for entry in entries:
            opened = moment(start, 7)
            events.append(_at(Event(entry=entry, action=Action.OPEN, actor_id=filer), opened))
            state = EntryState.OPEN
            if not entry.standing:
                states, weights = zip(*STATE_WEIGHTS, strict=True)
                state = rng.choices(states, weights)[0]
            entry.state = state
            if state != EntryState.OPEN or rng.random() < REPORTED_OPEN:
                done = state != EntryState.OPEN
                reported = moment(opened, 21)
                entry.last_report_at = reported
                text = rng.choice(LEDGER_DONE if done else LEDGER_PROGRESS)
                reports.append((entry, _at(Report(text=text, done=done, by_id=filer), reported)))
                if done:
                    entry.done_at = reported
                if state == EntryState.CLOSED:
                    entry.closed_at = moment(reported, 7)
                    entry.closed_by_id = filer
            # What the schedule would have escalated by now, by its own rule.
            if is_to_escalate(state, entry.standing, entry.deadline, None, today):
                entry.escalated_at = moment(opened, 28)
        Entry.objects.bulk_create(entries, batch_size=BATCH)
        Chase.objects.bulk_create(
            [
                Chase(entry=entry, kind=ChaseKind.ESCALATE, due=entry.deadline)
                for entry in entries
                if entry.escalated_at
            ],
            batch_size=BATCH,
        )
        for entry, report in reports:
            report.entry = entry
        Report.objects.bulk_create([report for _entry, report in reports], batch_size=BATCH)
        for entry, report in reports:
            action = Action.DONE if report.done else Action.REPORT
            events.append(
                _at(Event(entry=entry, action=action, actor_id=filer, report=report), report.moment)
            )
        for entry in entries:
            if entry.state == EntryState.CLOSED:
                events.append(_at(Event(entry=entry, action=Action.CLOSE, actor_id=filer), entry.closed_at))
            if entry.escalated_at:
                events.append(_at(Event(entry=entry, action=Action.ESCALATE, actor=None), entry.escalated_at))
        Event.objects.bulk_create(events, batch_size=BATCH)
        # Reports and events are stamped when they were inserted; put back when each happened.
        _stamp(Report, "at", [report for _entry, report in reports])
        _stamp(Event, "at", events)
        counts = self.seeder.counts
        counts["entries"] += len(entries)
        counts["entry_reports"] += len(reports)
        counts["entry_events"] += len(events)
        for entry in entries:
            counts[f"entry:{entry.state}"] += 1


def _at(row, moment):
    row.moment = moment
    return row
