"""Two people acting on one document at the same moment, with real threads and real
transactions, on SQLite (writers queue: transaction_mode IMMEDIATE) and on PostgreSQL
(row locks): exactly one of them acts, the other is told why not, and the database
holds one decision.

Each race releases its threads together through a Barrier. To make sure the two
transactions overlap rather than merely start together, every Event written pauses
the writer for a moment while it holds its locks (`overlapping`): the other thread
then arrives while the first is still inside its transaction. Nothing of the database
is replaced.
"""

import threading
import time

import pytest
from django.db import connection

from orgs.models import AuthorityKind
from plans import editing
from plans.words import Status
from review import transitions
from review.models import Action, Event, Review, ReviewState, StepState, Version
from review.moves import Stale

from .conftest import fresh, user
from .factories import filled_individual, filled_team_plan

pytestmark = pytest.mark.django_db(transaction=True)

A = AuthorityKind
PAUSE = 0.15  # seconds a writer holds its locks after writing an event


def race(*moves):
    """Run each of MOVES in its own thread, released at the same moment; return
    [(True, result) or (False, exception)] in the order given."""
    barrier = threading.Barrier(len(moves))
    outcomes = [None] * len(moves)

    def run(index, move):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = (True, move())
        except Exception as error:  # the outcome is what is tested
            outcomes[index] = (False, error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, move)) for n, move in enumerate(moves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    return outcomes


def one_wins(outcomes):
    """Exactly one success; the other was refused as Stale (not a database error).
    Returns the index of the winner."""
    wins = [n for n, (ok, _value) in enumerate(outcomes) if ok]
    losses = [value for ok, value in outcomes if not ok]
    assert len(wins) == 1, outcomes
    assert len(losses) == len(outcomes) - 1
    for error in losses:
        assert isinstance(error, Stale), repr(error)
        assert error.message
    return wins[0]


@pytest.fixture
def overlapping(monkeypatch):
    original = transitions._event

    def event_then_pause(*args, **kwargs):
        event = original(*args, **kwargs)
        time.sleep(PAUSE)
        return event

    monkeypatch.setattr(transitions, "_event", event_then_pause)


@pytest.fixture
def people(cast, leaders):
    leaders.email = "leader@example.org"
    leaders.save(update_fields=["email"])
    # A second member of the supervision group: two reviewers for one step.
    cast.colleague = user("colleague", email="colleague@example.org")
    cast.group_body.group.user_set.add(cast.colleague)
    for name in ("filer", "secretary", "member", "group", "office"):
        account = getattr(cast, name)
        account.email = f"{name}@example.org"
        account.save(update_fields=["email"])
    return cast


@pytest.fixture
def plan(people):
    return filled_team_plan(people)


@pytest.fixture
def submitted(people, plan):
    review = transitions.submit(people.filer, plan)
    review.refresh_from_db()
    return review


def group_step(review):
    return review.steps.get(authority=A.PROVINCIAL_GROUP)


def decisions(document):
    return list(
        Event.objects.filter(document=document, action__in=[Action.APPROVE, Action.RETURN]).values_list(
            "action", "actor__username"
        )
    )


def current(review):
    review.refresh_from_db()
    return review.revision


def test_two_reviewers_approving_at_once_give_one_decision(people, plan, submitted, overlapping):
    cast = people
    step, page = group_step(submitted), current(submitted)
    reviewers = [fresh(cast.group), fresh(cast.colleague)]
    outcomes = race(*[lambda who=who: transitions.approve(who, step.pk, page) for who in reviewers])
    winner = reviewers[one_wins(outcomes)]

    assert decisions(plan) == [(Action.APPROVE, winner.username)]
    step.refresh_from_db()
    assert (step.state, step.decided_by_id) == (StepState.APPROVED, winner.pk)
    assert current(submitted) == page + 1
    office = submitted.steps.get(authority=A.PROVINCIAL_OFFICE)
    assert office.state == StepState.PENDING
    assert Event.objects.filter(document=plan, action=Action.APPROVE).count() == 1


def test_approve_and_return_at_once_give_one_decision(people, plan, submitted, overlapping):
    cast = people
    step, page = group_step(submitted), current(submitted)
    approver, returner = fresh(cast.group), fresh(cast.colleague)
    outcomes = race(
        lambda: transitions.approve(approver, step.pk, page, "同意"),
        lambda: transitions.return_for_revision(returner, step.pk, page, [{"reason": "no_deadline"}]),
    )
    winner = one_wins(outcomes)

    plan.refresh_from_db()
    submitted.refresh_from_db()
    step.refresh_from_db()
    if winner == 0:
        assert decisions(plan) == [(Action.APPROVE, "group")]
        assert (step.state, plan.status, submitted.state) == (
            StepState.APPROVED,
            Status.SUBMITTED,
            ReviewState.OPEN,
        )
    else:
        assert decisions(plan) == [(Action.RETURN, "colleague")]
        assert (step.state, plan.status, submitted.state) == (
            StepState.RETURNED,
            Status.RETURNED,
            ReviewState.RETURNED,
        )
    assert submitted.revision == page + 1


def test_a_double_clicked_approve_acts_once(people, plan, submitted, overlapping):
    cast = people
    step, page = group_step(submitted), current(submitted)
    clicks = [fresh(cast.group), fresh(cast.group)]
    one_wins(race(*[lambda who=who: transitions.approve(who, step.pk, page) for who in clicks]))
    assert decisions(plan) == [(Action.APPROVE, "group")]
    assert current(submitted) == page + 1


def test_a_double_submit_opens_one_review(people, plan, overlapping, mailoutbox):
    cast = people
    filers = [fresh(cast.filer), fresh(cast.filer)]
    outcomes = race(*[lambda who=who: transitions.submit(who, plan) for who in filers])
    one_wins(outcomes)

    assert Review.objects.filter(document=plan).count() == 1
    assert Version.objects.filter(document=plan).count() == 1
    assert list(Event.objects.filter(document=plan).values_list("action", flat=True)) == [Action.SUBMIT]
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    # Each member of the group was told once.
    assert sorted(m.to[0] for m in mailoutbox) == ["colleague@example.org", "group@example.org"]


def test_resubmitting_twice_at_once_freezes_one_version(people, plan, submitted, overlapping):
    cast = people
    transitions.return_for_revision(
        cast.group, group_step(submitted).pk, current(submitted), [{"reason": "not_concrete"}]
    )
    item = plan.items.filter(section="measures").first()
    editing.save_item(cast.filer, item, item.revision, {"text": "2014年12月底前出台《公务接待管理办法》"})
    page = current(submitted)

    filers = [fresh(cast.filer), fresh(cast.filer)]
    one_wins(race(*[lambda who=who: transitions.resubmit(who, plan) for who in filers]))

    assert list(Version.objects.filter(document=plan).values_list("number", flat=True)) == [1, 2]
    assert Event.objects.filter(document=plan, action=Action.RESUBMIT).count() == 1
    submitted.refresh_from_db()
    assert (submitted.state, submitted.version, submitted.revision) == (ReviewState.OPEN, 2, page + 1)
    assert group_step(submitted).state == StepState.PENDING


@pytest.mark.parametrize("first", ["withdraw", "approve"])
def test_withdrawing_while_the_last_reviewer_approves(people, overlapping, first):
    """The filer takes back individual measures as the secretary approves them: one of
    the two happens, the other is refused, and neither deadlocks the other. FIRST gets a
    head start smaller than the pause, so that it holds its locks when the other asks."""
    cast = people
    measures = filled_individual(cast)
    review = transitions.submit(cast.member, measures)
    step, page = review.steps.get(), current(review)
    member, secretary = fresh(cast.member), fresh(cast.secretary)

    def later(move, name):
        def run():
            if name != first:
                time.sleep(PAUSE / 3)
            return move()

        return run

    outcomes = race(
        later(lambda: transitions.withdraw(member, measures), "withdraw"),
        later(lambda: transitions.approve(secretary, step.pk, page), "approve"),
    )
    winner = one_wins(outcomes)

    measures.refresh_from_db()
    review.refresh_from_db()
    actions = list(Event.objects.filter(document=measures).values_list("action", flat=True))
    if winner == 0:
        assert (measures.status, review.state) == (Status.DRAFT, ReviewState.WITHDRAWN)
        assert actions == [Action.SUBMIT, Action.WITHDRAW]
    else:
        assert (measures.status, review.state) == (Status.APPROVED, ReviewState.APPROVED)
        assert actions == [Action.SUBMIT, Action.APPROVE, Action.APPROVED]


def test_reading_while_the_office_decides_blocks_neither(people, plan, submitted, overlapping):
    cast = people
    transitions.approve(cast.group, group_step(submitted).pk, current(submitted))
    office = submitted.steps.get(authority=A.PROVINCIAL_OFFICE)
    read = submitted.steps.get(authority=A.PROVINCIAL_LEADERS)
    page = current(submitted)
    office_user, leader = fresh(cast.office), fresh(cast.leader)
    outcomes = race(
        lambda: transitions.approve(office_user, office.pk, page),
        lambda: transitions.mark_read(leader, read.pk),
    )
    assert outcomes[0][0] and outcomes[1] == (True, read), outcomes
    plan.refresh_from_db()
    read.refresh_from_db()
    assert plan.status == Status.APPROVED
    assert (read.state, read.decided_by_id) == (StepState.READ, cast.leader.pk)
