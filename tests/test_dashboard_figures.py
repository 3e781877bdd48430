"""The dashboard's figures: rolled up by the refresh task, they equal a plain recount of
the demo (every document opened, some taken through review to every state), and they
follow the transitions; the refresh is queued once however many changes come."""

import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from dashboard import refresh as refreshing
from dashboard.board import build
from dashboard.figures import ALL, KINDS, MAIN_KINDS, MEASURES, NUMBERS
from dashboard.models import Freshness, Scope, Tally
from dashboard.refresh import PAGE_LEVELS, TALLIED_LEVELS, note_change, refresh_now
from ledger.models import Entry
from orgs.models import Org, OrgKind, Person, Position, Team
from orgs.tree import subtree
from plans.models import Document
from plans.structure import asked_to_file, measures_seat, seats_of
from review import transitions
from review.models import Action, Event, Review, Step, StepState
from review.routing import filed_kinds

from . import test_moves
from .test_moves import decide

# The demo with every document opened and some taken through review to every state.
demo = test_moves.demo

INDIVIDUAL = "individual"


@pytest.fixture
def noted_afresh(demo):
    """The demo's own changes were noted in the test's transaction, which never commits:
    forget that note, so that what a test does is noted by itself (a transaction notes
    its changes once)."""
    connection.run_on_commit[:] = [hook for hook in connection.run_on_commit if hook[1] is not note_change]
    return demo


# A recount the slow, obvious way: object by object, org by org --------------------------


def _under(region, org):
    return org.tree_id == region.tree_id and region.lft <= org.lft <= region.rght


def _own(region, org):
    return org.pk == region.pk or (org.kind != OrgKind.REGION and org.parent_id == region.pk)


def recount(region, scope=Scope.ALL):
    """{kind: {figure: n}} of REGION, counted from every row in Python: a document counts
    in its status only where it answers what is due (measures kept under a lower seat do
    not)."""
    inside = _own if scope == Scope.OWN else _under
    figures = {kind: Counter() for kind in KINDS}
    pending = {kind: Counter() for kind in KINDS}
    grounds = {kind: Counter() for kind in KINDS}
    for team in Team.objects.select_related("org"):
        if not inside(region, team.org):
            continue
        due = filed_kinds(team.org.level, team.org.kind, team.kind)
        for kind in due:
            if kind == INDIVIDUAL:
                # Each person asked to file, once, at their highest seat (the rule in Python).
                for position in team.positions.filter(active=True):
                    seats = seats_of(position.person)
                    if not asked_to_file(seats) or measures_seat(seats).pk != position.pk:
                        continue
                    mine = Document.objects.filter(team=team, person=position.person, kind=kind).first()
                    figures[kind]["must"] += 1
                    figures[kind][mine.status if mine else "not_started"] += 1
            else:
                own = Document.objects.filter(team=team, kind=kind, person__isnull=True).first()
                figures[kind]["must"] += 1
                figures[kind][own.status if own else "not_started"] += 1
    for step in Step.objects.filter(state=StepState.PENDING).select_related("review__document__team__org"):
        document = step.review.document
        if inside(region, document.team.org):
            pending[document.kind][step.authority] += 1
    for event in Event.objects.filter(action=Action.RETURN).select_related("document__team__org"):
        if inside(region, event.document.team.org):
            figures[event.document.kind]["returns"] += 1
            for ground in event.grounds:
                grounds[event.document.kind][ground["reason"]] += 1
                if ground.get("source"):
                    grounds[event.document.kind][f"{ground['reason']}:{ground['source']}"] += 1
    deadlines = {kind: Counter() for kind in KINDS}
    for entry in Entry.objects.select_related("document__team__org"):
        if not inside(region, entry.document.team.org):
            continue
        measure = figures[entry.document.kind]
        measure["measures"] += 1
        measure[f"measures_{entry.state}"] += 1
        measure["measures_standing"] += entry.standing
        measure["measures_escalated"] += entry.escalated_at is not None and entry.state != "closed"
        if entry.state == "open" and not entry.standing and entry.deadline:
            deadlines[entry.document.kind][entry.deadline.isoformat()] += 1
    result = {}
    for kind in KINDS:
        values = {name: figures[kind][name] for name in (*NUMBERS, *MEASURES)}
        values["grounds"] = dict(sorted(grounds[kind].items()))
        values["pending"] = dict(sorted(pending[kind].items()))
        values["deadlines"] = dict(sorted(deadlines[kind].items()))
        result[kind] = values
    total = {name: sum(result[k][name] for k in MAIN_KINDS) for name in NUMBERS}
    # The measures of every kind, the attachments' tasks too.
    total |= {name: sum(result[k][name] for k in KINDS) for name in MEASURES}
    total["deadlines"] = dict(
        sorted(sum((Counter(result[k]["deadlines"]) for k in KINDS), Counter()).items())
    )
    total["grounds"] = dict(
        sorted(sum((Counter(result[k]["grounds"]) for k in MAIN_KINDS), Counter()).items())
    )
    total["pending"] = dict(
        sorted(sum((Counter(result[k]["pending"]) for k in MAIN_KINDS), Counter()).items())
    )
    result[ALL] = total
    return result


def tallied(region, scope=Scope.ALL):
    """{kind: {figure: n}} of REGION as the tallies hold it (a missing row is all zeros)."""
    empty = {name: 0 for name in (*NUMBERS, *MEASURES)} | {"grounds": {}, "pending": {}, "deadlines": {}}
    rows = {t.kind: t for t in Tally.objects.filter(region=region, scope=scope)}
    result = {}
    for kind in (*KINDS, ALL):
        row = rows.get(kind)
        values = dict(empty)
        if row is not None:
            values = {name: getattr(row, name) for name in (*NUMBERS, *MEASURES)}
            values["grounds"] = dict(sorted(row.grounds.items()))
            values["pending"] = dict(sorted(row.pending.items()))
            values["deadlines"] = dict(sorted(row.deadlines.items()))
        result[kind] = values
    return result


def regions():
    return list(Org.objects.filter(kind=OrgKind.REGION, level__in=TALLIED_LEVELS))


# The figures ------------------------------------------------------------------------------


def test_the_rolled_up_figures_equal_a_recount_of_the_demo(demo):
    # One leader has not started their measures, one team its plan.
    Document.objects.filter(kind=INDIVIDUAL, status="draft", reviews__isnull=True).first().delete()
    Document.objects.filter(kind="simplified_plan", status="draft", reviews__isnull=True).first().delete()
    refresh_now()
    checked = 0
    for region in regions():
        assert tallied(region) == recount(region), region.name
        if region.level in PAGE_LEVELS:
            assert tallied(region, Scope.OWN) == recount(region, Scope.OWN), region.name
        checked += 1
    assert checked > 20
    # The demo has something in every state and a return with its grounds.
    province = tallied(Org.objects.get(code="43"))[ALL]
    assert all(province[state] for state in ("draft", "submitted", "returned", "approved"))
    assert province["must"] > province["not_started"] == 2
    assert province["returns"] == 2 and province["grounds"] == {"not_concrete": 2}
    assert province["pending"]


def test_waits_and_submissions_by_day_are_those_of_the_steps_and_reviews(demo):
    refresh_now()
    province = Tally.objects.get(region__code="43", scope=Scope.ALL, kind=ALL)
    today = timezone.localdate().isoformat()
    open_steps = Step.objects.filter(state__in=[StepState.PENDING, StepState.UNREAD])
    by_key = Counter(f"{s.authority}:{s.mode}" for s in open_steps)
    assert {key: sum(days.values()) for key, days in province.waiting.items()} == by_key
    assert province.days == {today: Review.objects.count()}
    county = Tally.objects.get(region__code="430121", scope=Scope.ALL, kind=ALL)
    # The county's units (长沙县公安局 …) are in its subtree, whatever their codes.
    within = subtree(county.region, "document__team__org__")
    assert sum(county.days.values()) == Review.objects.filter(within).count()


def test_a_township_counted_live_equals_its_rolled_up_row(demo):
    refresh_now()
    township = Org.objects.get(code="430121001")
    live = build(township)
    assert live.live
    for kind in (*KINDS, ALL):
        county = build(Org.objects.get(code="430121"), kind)
        assert not county.live
        row = next(r for r in county.rows if r.label == township.name)
        assert live.total.figure(kind) == row.figure(kind), kind
    assert live.total.figure(ALL).as_dict() == recount(township)[ALL]


def test_the_figures_follow_the_transitions(noted_afresh, django_capture_on_commit_callbacks):
    refresh_now()
    county = Org.objects.get(code="430121")
    before = tallied(county)[INDIVIDUAL]
    member = get_user_model().objects.get(username="csx_member")
    waiting = Document.objects.get(person__user=member, kind=INDIVIDUAL)
    with django_capture_on_commit_callbacks(execute=True):
        decide("csx_secretary", waiting, approve=False)
    after = tallied(county)[INDIVIDUAL]
    assert after["submitted"] == before["submitted"] - 1
    assert after["returned"] == before["returned"] + 1
    assert after["returns"] == before["returns"] + 1
    assert after == recount(county)[INDIVIDUAL]
    assert Freshness.objects.get().queued_at is None


def test_a_new_position_is_due_at_once(noted_afresh, django_capture_on_commit_callbacks):
    refresh_now()
    county = Org.objects.get(code="430121")
    before = tallied(county)[INDIVIDUAL]
    committee = Team.objects.get(org=county, kind="party_committee")
    newcomer = Person.objects.create(name="新到任")
    with django_capture_on_commit_callbacks(execute=True):
        Position.objects.create(person=newcomer, team=committee, title="县委常委")
    after = tallied(county)[INDIVIDUAL]
    assert after["must"] == before["must"] + 1 and after["not_started"] == before["not_started"] + 1


def test_a_second_seat_asks_for_no_second_measures(noted_afresh, django_capture_on_commit_callbacks):
    """A leader files one individual measures, however many seats they hold."""
    refresh_now()
    county = Org.objects.get(code="430121")
    before = tallied(county)[INDIVIDUAL]
    committee = Team.objects.get(org=county, kind="party_committee")
    holder = Position.objects.filter(team__org=county, role="member").exclude(team=committee).first().person
    with django_capture_on_commit_callbacks(execute=True):
        Position.objects.create(person=holder, team=committee, title="县委常委")
    assert tallied(county)[INDIVIDUAL]["must"] == before["must"]


def test_a_position_without_self_inspection_is_not_due(noted_afresh, django_capture_on_commit_callbacks):
    """Only those who wrote 对照检查材料 are asked to file (section 五)."""
    refresh_now()
    county = Org.objects.get(code="430121")
    before = tallied(county)[INDIVIDUAL]
    committee = Team.objects.get(org=county, kind="party_committee")
    outside = Person.objects.create(name="党外干部", party_member=False)
    with django_capture_on_commit_callbacks(execute=True):
        Position.objects.create(person=outside, team=committee, title="县委常委", wrote_self_inspection=False)
    assert tallied(county)[INDIVIDUAL]["must"] == before["must"]


# Queued once ------------------------------------------------------------------------------


@pytest.fixture
def queue(settings):
    """A tasks backend that only keeps what is queued."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import task_backends

    backend = task_backends["default"]
    backend.clear()
    return backend


def queued(backend):
    return [r for r in backend.results if r.task.name == "refresh"]


def test_a_burst_of_changes_queues_one_refresh(db, queue):
    Freshness.objects.create(pk=Freshness.ONE)
    for _ in range(5):
        note_change()
    assert len(queued(queue)) == 1
    row = Freshness.objects.get()
    assert row.queued_at is not None and row.dirty and row.updating
    # The refresh runs: nothing is queued any more, and the next change queues again.
    refreshing.refresh.call()
    row.refresh_from_db()
    assert row.queued_at is None and row.running_since is None and row.computed_at is not None
    note_change()
    assert len(queued(queue)) == 2


def test_a_change_during_a_count_makes_it_count_again(db, queue, monkeypatch):
    Freshness.objects.create(pk=Freshness.ONE)
    counted = []
    real = refreshing.refresh_now

    def counting():
        counted.append(1)
        if len(counted) == 1:
            note_change()  # committed while the first count was reading
        return real()

    monkeypatch.setattr(refreshing, "refresh_now", counting)
    refreshing.refresh.call()
    assert len(counted) == 2  # counted again, by the same run
    assert queued(queue) == []  # and nothing else queued for it
    row = Freshness.objects.get()
    assert row.running_since is None and not row.dirty


def test_a_second_refresh_leaves_the_count_to_the_running_one(db, queue):
    Freshness.objects.create(pk=Freshness.ONE, running_since=timezone.now())
    refreshing.refresh.call()
    row = Freshness.objects.get()
    assert row.dirty and row.computed_at is None  # it did not count; the running one will


def test_events_and_documents_note_changes_after_commit(
    noted_afresh, queue, django_capture_on_commit_callbacks
):
    Freshness.objects.all().delete()
    member = get_user_model().objects.get(username="csx_member")
    waiting = Document.objects.get(person__user=member, kind=INDIVIDUAL)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            transitions.withdraw(member, waiting)  # writes an event
            congress = Team.objects.get(org__code="430121", kind="congress")
            Position.objects.create(person=member.person, team=congress, title="副主任")  # one more change
    assert callbacks.count(note_change) == 1  # noted once the transaction commits, once
    assert queued(queue) == []
    for callback in callbacks:
        callback()
    assert len(queued(queue)) == 1


def test_seed_scale_style_bulk_writes_are_counted_by_refresh_now(demo):
    refresh_now()
    before = Tally.objects.get(region__code="43", scope=Scope.ALL, kind=ALL).draft
    Document.objects.filter(status="draft").update(status="approved")  # no signal sees this
    refresh_now()
    after = Tally.objects.get(region__code="43", scope=Scope.ALL, kind=ALL)
    assert after.draft == 0 and before > 0


def test_refresh_dashboard_counts_at_once(demo):
    out = io.StringIO()
    call_command("refresh_dashboard", stdout=out)
    assert "督导看板已重新统计" in out.getvalue()
    assert Tally.objects.filter(region__code="43", scope=Scope.ALL, kind=ALL).exists()
    # Every rolled-up region has its row, with its parent, for its parent's page.
    regions = Org.objects.filter(kind=OrgKind.REGION, level__in=TALLIED_LEVELS)
    rows = Tally.objects.filter(scope=Scope.ALL, kind=ALL)
    assert {(t.region_id, t.parent_id) for t in rows} == {(o.pk, o.parent_id) for o in regions}
