"""Which rows of an approved document are measures to carry out, and the opening of its
ledger.

A measure is a row of a list section that states a deadline (第四块's measures, a simplified
plan's or an individual's measures, a grassroots list's entries, the attachments' tasks),
except the stages of 第二块's path (a phase is a time span, not a measure). Its words are
the measure's own (措施) where the row has them apart from the problem, its problem the
row's problem or the problems it answers. A deadline with no date that says 长期坚持 (or
持续推进 …) makes a standing measure: it reports every LEDGER_STANDING_INTERVAL_DAYS and
is never closed.

`open_ledger(document, actor)` runs in review's approving transaction (review.signals)
for the document and its attachments; it adds what is not yet in the ledger, so running it
twice opens nothing twice.
"""

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver

from plans.documents import attachments_of, items_by_section, problem_numbers
from plans.structure import structure_of
from plans.words import DocumentKind
from rectify.dates import parse_deadline
from review import signals

from .models import Entry, Event
from .words import Action


def measure_sections(structure):
    """The sections of STRUCTURE whose rows are measures to carry out."""
    return [
        section
        for section in structure.sections
        if section.is_list and "deadline" in section.fields and "phase" not in section.fields
    ]


def _problem_of(item, section, numbers, addresses):
    if "measures" in section.fields:  # the row is a problem and its measure
        return item.special_task.name if item.special_task_id else item.text
    if section.addresses:
        return "\n".join(
            f"问题{numbers[problem.pk]}：{problem.text}" if problem.pk in numbers else problem.text
            for problem in sorted(addresses(item), key=lambda p: numbers.get(p.pk, 0))
        )
    return ""


def measures_of(document):
    """Unsaved Entries for DOCUMENT's measures, in the document's order."""
    return measures_from(
        document, structure_of(document), items_by_section(document), lambda item: item.addresses.all()
    )


def measures_from(document, structure, grouped, addresses):
    """Unsaved Entries for the measures of DOCUMENT (of STRUCTURE) whose items are GROUPED
    ({section code: [items in order]}), ADDRESSES(item) giving the problems an item
    answers: measures_of reads them from the database, seed_scale hands over its own."""
    problems = grouped.get(structure.problems.code, []) if structure.problems else []
    numbers = problem_numbers(structure, problems)
    person = document.person if document.kind == DocumentKind.INDIVIDUAL else None
    entries = []
    for section in measure_sections(structure):
        for item in grouped.get(section.code, []):
            text = (item.measures if "measures" in section.fields else item.text).strip()
            if not text:
                continue
            deadline = parse_deadline(item.deadline_text) if item.deadline_text else None
            standing = item.deadline is None and bool(deadline and deadline.open_ended)
            owner = item.owner or person
            entries.append(
                Entry(
                    document=document,
                    item_uid=item.uid,
                    section=section.code,
                    position=len(entries) + 1,
                    number=str(len(entries) + 1),
                    category=item.category,
                    problem=_problem_of(item, section, numbers, addresses),
                    text=text,
                    owner=owner,
                    owner_text=item.owner_text or (owner.name if owner else ""),
                    unit=item.unit,
                    deadline=item.deadline,
                    deadline_text=item.deadline_text,
                    standing=standing,
                    interval_days=settings.LEDGER_STANDING_INTERVAL_DAYS if standing else None,
                )
            )
    return entries


@transaction.atomic
def open_ledger(document, actor=None):
    """Open the ledger of DOCUMENT and its attachments: an Entry and an OPEN Event for
    each measure not already in it. Returns the entries added."""
    added = []
    for each in [document, *attachments_of(document)]:
        have = set(Entry.objects.filter(document=each).values_list("item_uid", flat=True))
        fresh = [entry for entry in measures_of(each) if entry.item_uid not in have]
        Entry.objects.bulk_create(fresh)
        added += fresh
    Event.objects.bulk_create([Event(entry=entry, action=Action.OPEN, actor=actor) for entry in added])
    return added


@receiver(signals.approved)
def _approved(sender, document, actor, **kwargs):
    open_ledger(document, actor)
