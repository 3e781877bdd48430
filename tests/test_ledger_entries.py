"""The ledger opens as a document is approved: one entry per measure, as the approved
version states it, with the owner, unit and deadline; 长期坚持 makes a standing entry;
nothing opens before approval and nothing opens twice."""

import pytest

from ledger.entries import open_ledger
from ledger.models import Entry, Event
from ledger.words import Action, EntryState
from plans.words import Status

from .factories import approved, filled_individual, filled_team_plan


@pytest.fixture
def plan(cast, leaders):
    return filled_team_plan(cast)


def test_approving_a_team_plan_opens_its_ledger_and_its_attachments(cast, plan):
    measures = list(plan.items.filter(section="measures").order_by("position"))
    assert Entry.objects.count() == 0
    approved(plan, by=cast.filer)
    assert plan.status == Status.APPROVED
    entries = list(Entry.objects.filter(document=plan).order_by("position"))
    assert [entry.item_uid for entry in entries] == [item.uid for item in measures]
    first = entries[0]
    assert (first.text, first.owner_id, first.unit, first.deadline) == (
        measures[0].text,
        measures[0].owner_id,
        measures[0].unit,
        measures[0].deadline,
    )
    assert first.problem.startswith("问题")
    assert first.state == EntryState.OPEN
    tasks = Entry.objects.filter(document__parent=plan)
    assert tasks.exists()
    assert Event.objects.filter(action=Action.OPEN).count() == Entry.objects.count()


def test_a_standing_deadline_makes_a_standing_entry_and_opening_twice_adds_nothing(cast, plan):
    item = plan.items.filter(section="measures").order_by("position").first()
    type(item).objects.filter(pk=item.pk).update(deadline=None, deadline_text="长期坚持")
    approved(plan, by=cast.filer)
    entry = Entry.objects.get(item_uid=item.uid)
    assert (entry.standing, entry.deadline, entry.interval_days) == (True, None, 90)
    before = Entry.objects.count()
    assert open_ledger(plan) == []
    assert Entry.objects.count() == before


def test_individual_measures_are_owned_by_their_person(cast, leaders):
    measures = filled_individual(cast)
    approved(measures, by=cast.member)
    entries = Entry.objects.filter(document=measures)
    assert entries.exists()
    assert {entry.owner_id for entry in entries} == {cast.member_person.pk}


def test_nothing_opens_before_approval(cast, plan):
    from review import transitions

    transitions.submit(cast.filer, plan)
    assert not Entry.objects.exists()
