"""The review state machine, without HTTP: every legal and illegal move of
review/transitions.py on documents built as the pages build them.

The 长沙县委 team plan goes 省委督导组 (review) → 省委活动办 (review) + 省委有关领导
(read); 欧阳明辉's individual measures go to the county secretary. Chains are taken
from route_for, never guessed.
"""

import pytest
from django.db import transaction
from django.utils import timezone

from orgs.models import Authority, AuthorityKind
from plans import editing
from plans.documents import open_team_document, snapshot
from plans.words import Status
from review import routing, transitions
from review.models import (
    Action,
    Comment,
    Event,
    Mode,
    Notification,
    Review,
    ReviewState,
    Step,
    StepState,
    Version,
)
from review.moves import NotAllowed, Stale, TransitionError
from review.routing import READ, REVIEW, route_for

from .conftest import fresh, user
from .factories import filled_individual, filled_team_plan

A = AuthorityKind


# The cast, with addresses and the provincial leaders -------------------------------------


@pytest.fixture
def people(cast, leaders):
    """Every cast account gets an address; the province has its 省委有关领导."""
    for name in ("filer", "secretary", "member", "principal", "group", "office", "outsider", "leader"):
        account = getattr(cast, name)
        account.email = f"{name}@example.org"
        account.save(update_fields=["email"])
    return cast


@pytest.fixture
def plan(people):
    return filled_team_plan(people)


@pytest.fixture
def measures(people):
    return filled_individual(people)


def submit(cast, document, by=None):
    review = transitions.submit(by or cast.filer, document)
    review.refresh_from_db()
    return review


def step_of(review, authority):
    return review.steps.get(authority=authority)


def revision(review):
    review.refresh_from_db()
    return review.revision


def status(document):
    document.refresh_from_db()
    return document.status


def chain(review):
    return [
        (step.stage, step.authority, step.mode, step.state)
        for step in Step.objects.filter(review=review).order_by("stage", "id")
    ]


def assigned(review):
    return {
        step.authority: sorted(u.username for u in step.assignees.all())
        for step in review.steps.prefetch_related("assignees")
    }


def actions(document):
    return list(Event.objects.filter(document=document).order_by("at", "id").values_list("action", flat=True))


def a_measure(document):
    return document.items.filter(section="measures").order_by("position", "id").first()


def an_attachment(plan):
    return plan.attachments.get(kind="special_rectification")


def edit(user, item, text):
    item.refresh_from_db()
    return editing.save_item(user, item, item.revision, {"text": text})


def notified(document):
    return sorted(Notification.objects.filter(document=document).values_list("user__username", flat=True))


def approve(user, review, authority, comment=""):
    return transitions.approve(user, step_of(review, authority).pk, revision(review), comment)


def send_back(user, review, authority, grounds=None, comments=None, note=""):
    return transitions.return_for_revision(
        user,
        step_of(review, authority).pk,
        revision(review),
        grounds or [{"reason": "not_concrete"}],
        comments,
        note,
    )


# Submitting -------------------------------------------------------------------------


def test_the_county_committee_plan_routes_through_the_province(plan):
    assert [(s.stage, s.authority, s.mode) for s in route_for(plan)] == [
        (1, A.PROVINCIAL_GROUP, REVIEW),
        (2, A.PROVINCIAL_OFFICE, REVIEW),
        (2, A.PROVINCIAL_LEADERS, READ),
    ]


def test_submit_fixes_the_chain_freezes_a_version_and_locks_the_plan(people, plan):
    cast = people
    before = snapshot(plan)
    review = submit(cast, plan)

    assert review.state == ReviewState.OPEN
    assert review.version == 1
    assert review.submitted_by == cast.filer
    assert status(plan) == Status.SUBMITTED
    assert {a.status for a in plan.attachments.all()} == {Status.SUBMITTED}

    route = route_for(plan)
    stored = list(review.steps.order_by("stage", "id"))
    assert [(s.stage, s.authority, s.mode, s.basis) for s in stored] == [
        (s.stage, s.authority, s.mode, s.basis) for s in route
    ]
    assert all("省委督导组审阅把关" in s.basis for s in stored)
    assert chain(review) == [
        (1, A.PROVINCIAL_GROUP, Mode.REVIEW, StepState.PENDING),
        (2, A.PROVINCIAL_OFFICE, Mode.REVIEW, StepState.WAITING),
        (2, A.PROVINCIAL_LEADERS, Mode.READ, StepState.WAITING),
    ]
    assert assigned(review) == {
        A.PROVINCIAL_GROUP: ["group"],
        A.PROVINCIAL_OFFICE: ["office"],
        A.PROVINCIAL_LEADERS: ["leader"],
    }
    assert step_of(review, A.PROVINCIAL_GROUP).reached_at is not None
    assert step_of(review, A.PROVINCIAL_OFFICE).reached_at is None

    version = Version.objects.get(document=plan)
    assert (version.review, version.number, version.created_by) == (review, 1, cast.filer)
    assert version.snapshot == before
    assert [a["kind"] for a in version.snapshot["attachments"]] == [
        "special_rectification",
        "institution_plan",
    ]

    event = Event.objects.get(document=plan)
    assert (event.action, event.actor, event.version, event.review) == (Action.SUBMIT, cast.filer, 1, review)

    # Read-only while under review: the plan and its attachments.
    with pytest.raises(editing.ReadOnly):
        edit(cast.filer, a_measure(plan), "审阅期间修改")
    with pytest.raises(editing.ReadOnly):
        edit(cast.filer, an_attachment(plan).items.first(), "审阅期间修改附件")
    with pytest.raises(editing.ReadOnly):
        editing.add_item(cast.filer, plan, "measures", {"text": "新增一条"})
    assert Version.objects.get(document=plan).snapshot == before


def test_individual_measures_of_a_member_go_to_the_secretary(people, measures):
    cast = people
    assert [(s.stage, s.authority, s.mode) for s in route_for(measures)] == [(1, A.TEAM_PRINCIPAL, REVIEW)]
    review = submit(cast, measures, by=cast.member)
    assert chain(review) == [(1, A.TEAM_PRINCIPAL, Mode.REVIEW, StepState.PENDING)]
    assert assigned(review) == {A.TEAM_PRINCIPAL: ["secretary"]}
    assert status(measures) == Status.SUBMITTED
    with pytest.raises(editing.ReadOnly):
        edit(cast.member, a_measure(measures), "审阅期间修改")


def test_submission_runs_the_checks(people):
    cast = people
    draft = open_team_document(cast.committee, cast.filer)
    with pytest.raises(TransitionError, match="不能报送"):
        transitions.submit(cast.filer, draft)
    assert status(draft) == Status.DRAFT
    assert not Review.objects.filter(document=draft).exists()
    assert not Version.objects.exists()
    assert not Event.objects.exists()


def test_a_failing_attachment_stops_the_plan(people, plan):
    cast = people
    task = an_attachment(plan).items.first()
    task.refresh_from_db()
    editing.save_item(cast.filer, task, task.revision, {"deadline": None, "deadline_text": ""})
    with pytest.raises(TransitionError, match="不能报送：附件《中共长沙县委常委班子专项整治工作方案》"):
        transitions.submit(cast.filer, plan)
    assert status(plan) == Status.DRAFT


def test_an_authority_with_nobody_assigned_stops_submission(cast):
    # The fixed cast has no 省委有关领导: the read step has nobody, and is not skipped.
    plan = filled_team_plan(cast)
    with pytest.raises(TransitionError) as refused:
        transitions.submit(cast.filer, plan)
    assert "省委有关领导" in refused.value.message
    assert "尚未指定人员" in refused.value.message
    assert status(plan) == Status.DRAFT
    assert {a.status for a in plan.attachments.all()} == {Status.DRAFT}
    assert not Review.objects.exists()
    assert not Notification.objects.exists()
    # Somebody assigned, and it goes.
    body = Authority.objects.create(kind=A.PROVINCIAL_LEADERS, name="省委有关领导")
    body.group.user_set.add(user("leader"))
    assert transitions.submit(cast.filer, plan).state == ReviewState.OPEN


def test_an_inactive_reviewer_counts_as_nobody(people, plan):
    cast = people
    cast.office.is_active = False
    cast.office.save(update_fields=["is_active"])
    with pytest.raises(TransitionError, match="省委教育实践活动办"):
        transitions.submit(cast.filer, plan)
    assert status(plan) == Status.DRAFT


def test_attachments_cannot_be_submitted_on_their_own(people, plan):
    cast = people
    attachment = an_attachment(plan)
    with pytest.raises(TransitionError, match="附件随领导班子整改方案一并报送"):
        transitions.submit(cast.filer, attachment)
    assert status(attachment) == Status.DRAFT
    assert not Review.objects.exists()
    review = submit(cast, plan)
    with pytest.raises(TransitionError, match="附件随领导班子整改方案一并报送"):
        transitions.withdraw(cast.filer, attachment)
    assert review.steps.get(authority=A.PROVINCIAL_GROUP).state == StepState.PENDING
    send_back(cast.group, review, A.PROVINCIAL_GROUP)
    assert status(attachment) == Status.RETURNED
    with pytest.raises(TransitionError, match="附件随领导班子整改方案一并报送"):
        transitions.resubmit(cast.filer, attachment)
    assert status(plan) == Status.RETURNED


@pytest.mark.parametrize("who", ["outsider", "nobody", "group", "office", "admin"])
def test_only_the_teams_filers_submit(people, plan, who):
    with pytest.raises(NotAllowed):
        transitions.submit(getattr(people, who), plan)
    assert status(plan) == Status.DRAFT
    assert not Review.objects.exists()


def test_submitting_twice_is_stale(people, plan):
    cast = people
    submit(cast, plan)
    with pytest.raises(Stale):
        transitions.submit(cast.filer, plan)
    assert Review.objects.filter(document=plan).count() == 1
    assert actions(plan) == [Action.SUBMIT]


def test_a_returned_plan_is_resubmitted_not_submitted(people, plan):
    cast = people
    review = submit(cast, plan)
    send_back(cast.group, review, A.PROVINCIAL_GROUP)
    with pytest.raises(TransitionError, match="重新报送"):
        transitions.submit(cast.filer, plan)
    assert Review.objects.filter(document=plan).count() == 1
    assert status(plan) == Status.RETURNED


# The chain is history ---------------------------------------------------------------------


def test_changing_the_authorities_after_submission_leaves_the_chain_alone(people, plan):
    cast = people
    review = submit(cast, plan)
    before = assigned(review)
    bases = list(review.steps.order_by("stage", "id").values_list("basis", flat=True))

    newcomer = user("newcomer")
    cast.office_body.group.user_set.add(newcomer)
    cast.group_body.group.user_set.remove(cast.group)
    cast.leaders_body.group.user_set.add(newcomer)

    assert assigned(review) == before
    assert list(review.steps.order_by("stage", "id").values_list("basis", flat=True)) == bases
    # The stored assignees decide, not today's members of the body.
    with pytest.raises(NotAllowed):
        approve(newcomer, review, A.PROVINCIAL_GROUP)
    approve(cast.group, review, A.PROVINCIAL_GROUP)
    assert step_of(review, A.PROVINCIAL_OFFICE).state == StepState.PENDING
    with pytest.raises(NotAllowed):
        approve(newcomer, review, A.PROVINCIAL_OFFICE)
    assert assigned(review) == before


def test_a_rule_change_after_submission_does_not_reroute(people, plan, monkeypatch):
    cast = people
    review = submit(cast, plan)
    monkeypatch.setattr(routing, "RULES", ())
    assert route_for(plan) == []
    approve(cast.group, review, A.PROVINCIAL_GROUP)
    assert chain(review) == [
        (1, A.PROVINCIAL_GROUP, Mode.REVIEW, StepState.APPROVED),
        (2, A.PROVINCIAL_OFFICE, Mode.REVIEW, StepState.PENDING),
        (2, A.PROVINCIAL_LEADERS, Mode.READ, StepState.UNREAD),
    ]
    send_back(cast.office, review, A.PROVINCIAL_OFFICE)
    edit(cast.filer, a_measure(plan), "2014年12月底前出台《公务接待管理办法》并公示")
    transitions.resubmit(cast.filer, plan)
    assert [s[:3] for s in chain(review)] == [
        (1, A.PROVINCIAL_GROUP, Mode.REVIEW),
        (2, A.PROVINCIAL_OFFICE, Mode.REVIEW),
        (2, A.PROVINCIAL_LEADERS, Mode.READ),
    ]
    assert all(step.basis for step in review.steps.all())


# Withdrawing ---------------------------------------------------------------------------


def test_the_filer_withdraws_before_the_first_decision(people, plan, django_capture_on_commit_callbacks):
    cast = people
    review = submit(cast, plan)
    page = revision(review)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.withdraw(cast.filer, plan)

    review.refresh_from_db()
    assert review.state == ReviewState.WITHDRAWN
    assert review.closed_at is not None
    assert status(plan) == Status.DRAFT
    assert {a.status for a in plan.attachments.all()} == {Status.DRAFT}
    assert not review.steps.filter(state__in=[StepState.PENDING, StepState.UNREAD]).exists()
    assert actions(plan) == [Action.SUBMIT, Action.WITHDRAW]
    assert Event.objects.get(action=Action.WITHDRAW).actor == cast.filer
    # The group it had reached hears of it; the office it had not reached does not.
    withdrawn = Notification.objects.filter(event__action=Action.WITHDRAW)
    assert sorted(withdrawn.values_list("user__username", flat=True)) == ["group"]
    # Editable again, and the group's open page can no longer decide.
    edit(cast.filer, a_measure(plan), "撤回后修改：2014年12月底前出台《公务接待管理办法》")
    edit(cast.filer, an_attachment(plan).items.first(), "撤回后修改附件")
    with pytest.raises(Stale):
        transitions.approve(cast.group, step_of(review, A.PROVINCIAL_GROUP).pk, page)
    with pytest.raises(Stale):
        transitions.approve(cast.group, step_of(review, A.PROVINCIAL_GROUP).pk, revision(review))
    assert status(plan) == Status.DRAFT


def test_a_withdrawn_plan_can_be_submitted_again(people, plan):
    cast = people
    first = submit(cast, plan)
    transitions.withdraw(cast.filer, plan)
    edit(cast.filer, a_measure(plan), "撤回后修改：2014年12月底前出台《公务接待管理办法》")
    second = submit(cast, plan)

    assert second.pk != first.pk
    assert second.state == ReviewState.OPEN
    assert chain(second)[0] == (1, A.PROVINCIAL_GROUP, Mode.REVIEW, StepState.PENDING)
    versions = list(Version.objects.filter(document=plan).order_by("number"))
    assert [(v.review_id, v.number) for v in versions] == [(first.pk, 1), (second.pk, 2)]
    assert second.version == 2
    texts = [[m["text"] for m in v.snapshot["sections"]["measures"]] for v in versions]
    assert "撤回后修改：2014年12月底前出台《公务接待管理办法》" not in texts[0]
    assert "撤回后修改：2014年12月底前出台《公务接待管理办法》" in texts[1]
    # The new review goes on as any other: its decisions judge its own version.
    approve(cast.group, second, A.PROVINCIAL_GROUP)
    assert step_of(second, A.PROVINCIAL_GROUP).decided_version == 2
    send_back(cast.office, second, A.PROVINCIAL_OFFICE, comments={a_measure(plan).uid: "请写明压缩比例"})
    comment = Comment.objects.get()
    transitions.address(cast.filer, comment.pk, True)
    transitions.resubmit(cast.filer, plan)
    second.refresh_from_db()
    assert second.version == 3
    assert list(Version.objects.filter(document=plan).values_list("number", flat=True)) == [1, 2, 3]


def test_no_withdrawal_after_the_first_decision(people, plan):
    cast = people
    review = submit(cast, plan)
    approve(cast.group, review, A.PROVINCIAL_GROUP)
    with pytest.raises(TransitionError, match="不能再撤回"):
        transitions.withdraw(cast.filer, plan)
    assert status(plan) == Status.SUBMITTED
    review.refresh_from_db()
    assert review.state == ReviewState.OPEN


def test_no_withdrawal_once_returned_or_after_resubmission(people, plan):
    cast = people
    review = submit(cast, plan)
    send_back(cast.group, review, A.PROVINCIAL_GROUP)
    with pytest.raises(TransitionError):
        transitions.withdraw(cast.filer, plan)
    assert status(plan) == Status.RETURNED
    transitions.resubmit(cast.filer, plan)
    with pytest.raises(TransitionError, match="不能再撤回"):
        transitions.withdraw(cast.filer, plan)
    assert status(plan) == Status.SUBMITTED


def test_withdrawing_a_draft_or_an_approved_plan_is_stale(people, measures):
    cast = people
    with pytest.raises(Stale):
        transitions.withdraw(cast.member, measures)
    review = submit(cast, measures, by=cast.member)
    approve(cast.secretary, review, A.TEAM_PRINCIPAL)
    assert status(measures) == Status.APPROVED
    with pytest.raises(Stale):
        transitions.withdraw(cast.member, measures)
    assert status(measures) == Status.APPROVED


@pytest.mark.parametrize("who", ["outsider", "nobody", "group", "principal"])
def test_outsiders_cannot_withdraw(people, plan, who):
    submit(people, plan)
    with pytest.raises(NotAllowed):
        transitions.withdraw(getattr(people, who), plan)
    assert status(plan) == Status.SUBMITTED


def test_whoever_may_submit_may_withdraw(people, plan):
    # The county secretary sits in the team, so may file its plan (policy.can FILE) —
    # and take back what was filed.
    cast = people
    submit(cast, plan, by=cast.secretary)
    transitions.withdraw(fresh(cast.secretary), plan)
    assert status(plan) == Status.DRAFT


def test_individual_measures_are_withdrawn_by_their_author_or_the_teams_filer(people, measures):
    cast = people
    submit(cast, measures, by=cast.member)
    # The reviewer sits in the same team but does not file these measures.
    with pytest.raises(NotAllowed):
        transitions.withdraw(cast.secretary, measures)
    transitions.withdraw(cast.member, measures)
    assert status(measures) == Status.DRAFT
    submit(cast, measures, by=cast.filer)
    transitions.withdraw(cast.filer, measures)
    assert status(measures) == Status.DRAFT


# Deciding ------------------------------------------------------------------------------


def test_approval_moves_up_the_chain_until_the_plan_is_approved(people, plan):
    cast = people
    review = submit(cast, plan)
    first = revision(review)
    approve(cast.group, review, A.PROVINCIAL_GROUP, "同意报省委活动办")

    group = step_of(review, A.PROVINCIAL_GROUP)
    assert (group.state, group.decided_by, group.decided_version) == (StepState.APPROVED, cast.group, 1)
    assert group.decided_at is not None
    assert revision(review) > first
    assert chain(review)[1:] == [
        (2, A.PROVINCIAL_OFFICE, Mode.REVIEW, StepState.PENDING),
        (2, A.PROVINCIAL_LEADERS, Mode.READ, StepState.UNREAD),
    ]
    assert status(plan) == Status.SUBMITTED
    event = Event.objects.get(action=Action.APPROVE)
    assert (event.actor, event.step, event.comment, event.version) == (
        cast.group,
        group,
        "同意报省委活动办",
        1,
    )

    approve(cast.office, review, A.PROVINCIAL_OFFICE)
    review.refresh_from_db()
    assert review.state == ReviewState.APPROVED
    assert review.closed_at is not None
    assert status(plan) == Status.APPROVED
    assert {a.status for a in plan.attachments.all()} == {Status.APPROVED}
    # The leaders' reading held nothing up.
    assert step_of(review, A.PROVINCIAL_LEADERS).state == StepState.UNREAD
    assert actions(plan) == [Action.SUBMIT, Action.APPROVE, Action.APPROVE, Action.APPROVED]
    assert Event.objects.get(action=Action.APPROVED).version == 1
    with pytest.raises(editing.ReadOnly):
        edit(cast.filer, a_measure(plan), "通过后修改")
    # Nothing is left to decide.
    with pytest.raises(Stale):
        approve(cast.office, review, A.PROVINCIAL_OFFICE)
    with pytest.raises(Stale):
        send_back(cast.group, review, A.PROVINCIAL_GROUP)
    with pytest.raises(Stale):
        transitions.submit(cast.filer, plan)
    with pytest.raises(Stale):
        transitions.resubmit(cast.filer, plan)


def test_individual_measures_are_approved_by_the_secretary(people, measures):
    cast = people
    review = submit(cast, measures, by=cast.member)
    approve(cast.secretary, review, A.TEAM_PRINCIPAL)
    review.refresh_from_db()
    assert review.state == ReviewState.APPROVED
    assert status(measures) == Status.APPROVED
    assert actions(measures) == [Action.SUBMIT, Action.APPROVE, Action.APPROVED]


def test_any_one_of_the_assigned_reviewers_decides(people, plan):
    cast = people
    colleague = user("colleague", email="colleague@example.org")
    cast.group_body.group.user_set.add(colleague)
    review = submit(cast, plan)
    assert assigned(review)[A.PROVINCIAL_GROUP] == ["colleague", "group"]
    page = revision(review)
    transitions.approve(colleague, step_of(review, A.PROVINCIAL_GROUP).pk, page)
    with pytest.raises(Stale):
        transitions.approve(cast.group, step_of(review, A.PROVINCIAL_GROUP).pk, page)
    with pytest.raises(Stale):
        transitions.approve(cast.group, step_of(review, A.PROVINCIAL_GROUP).pk, revision(review))
    assert step_of(review, A.PROVINCIAL_GROUP).decided_by == colleague
    assert Event.objects.filter(action=Action.APPROVE).count() == 1


@pytest.mark.parametrize("who", ["outsider", "nobody", "filer", "secretary", "office", "leader", "admin"])
def test_only_the_current_steps_assignees_decide(people, plan, who):
    cast = people
    review = submit(cast, plan)
    account = getattr(cast, who)
    with pytest.raises(NotAllowed):
        approve(account, review, A.PROVINCIAL_GROUP)
    with pytest.raises(NotAllowed):
        send_back(account, review, A.PROVINCIAL_GROUP)
    assert step_of(review, A.PROVINCIAL_GROUP).state == StepState.PENDING
    assert status(plan) == Status.SUBMITTED
    assert actions(plan) == [Action.SUBMIT]


def test_a_later_step_cannot_decide_before_it_is_reached(people, plan):
    cast = people
    review = submit(cast, plan)
    with pytest.raises(Stale):
        approve(cast.office, review, A.PROVINCIAL_OFFICE)
    with pytest.raises(Stale):
        send_back(cast.office, review, A.PROVINCIAL_OFFICE)
    # A read step is never decided, even by its own reader.
    approve(cast.group, review, A.PROVINCIAL_GROUP)
    with pytest.raises(Stale):
        approve(cast.leader, review, A.PROVINCIAL_LEADERS)
    # And a decided step is not decided again.
    with pytest.raises(Stale):
        send_back(cast.group, review, A.PROVINCIAL_GROUP)
    assert chain(review) == [
        (1, A.PROVINCIAL_GROUP, Mode.REVIEW, StepState.APPROVED),
        (2, A.PROVINCIAL_OFFICE, Mode.REVIEW, StepState.PENDING),
        (2, A.PROVINCIAL_LEADERS, Mode.READ, StepState.UNREAD),
    ]
    assert actions(plan) == [Action.SUBMIT, Action.APPROVE]


def test_a_double_clicked_approve_acts_once(people, plan):
    cast = people
    review = submit(cast, plan)
    step = step_of(review, A.PROVINCIAL_GROUP)
    page = revision(review)
    transitions.approve(cast.group, step.pk, page)
    with pytest.raises(Stale):
        transitions.approve(cast.group, step.pk, page)
    assert Event.objects.filter(action=Action.APPROVE).count() == 1
    assert status(plan) == Status.SUBMITTED
    assert step_of(review, A.PROVINCIAL_OFFICE).state == StepState.PENDING


def test_a_page_left_open_on_an_old_version_cannot_approve_it(people, plan):
    cast = people
    review = submit(cast, plan)
    step = step_of(review, A.PROVINCIAL_GROUP)
    old_page = revision(review)
    send_back(cast.group, review, A.PROVINCIAL_GROUP)
    edit(cast.filer, a_measure(plan), "2014年12月底前出台《公务接待管理办法》并公示")
    transitions.resubmit(cast.filer, plan)
    review.refresh_from_db()
    assert review.version == 2
    assert step_of(review, A.PROVINCIAL_GROUP).state == StepState.PENDING
    with pytest.raises(Stale, match="刷新页面"):
        transitions.approve(cast.group, step.pk, old_page)
    with pytest.raises(Stale):
        transitions.return_for_revision(cast.group, step.pk, old_page, [{"reason": "no_owner"}])
    assert step_of(review, A.PROVINCIAL_GROUP).state == StepState.PENDING
    transitions.approve(cast.group, step.pk, revision(review))
    assert step_of(review, A.PROVINCIAL_GROUP).decided_version == 2
    assert Event.objects.get(action=Action.APPROVE).version == 2


# Reading ------------------------------------------------------------------------------


def test_a_read_step_records_who_read_it_and_never_blocks(people, plan):
    cast = people
    review = submit(cast, plan)
    approve(cast.group, review, A.PROVINCIAL_GROUP)
    office_page = revision(review)
    read = step_of(review, A.PROVINCIAL_LEADERS)

    with pytest.raises(NotAllowed):
        transitions.mark_read(cast.office, read.pk)
    with pytest.raises(NotAllowed):
        transitions.mark_read(cast.outsider, read.pk)
    assert transitions.mark_read(cast.leader, read.pk).pk == read.pk
    read.refresh_from_db()
    assert (read.state, read.decided_by, read.decided_version) == (StepState.READ, cast.leader, 1)
    assert read.decided_at is not None and read.decided_at <= timezone.now()
    # A second click is refused and changes nothing.
    with pytest.raises(Stale):
        transitions.mark_read(cast.leader, read.pk)
    read.refresh_from_db()
    assert (read.state, read.decided_by, read.decided_version) == (StepState.READ, cast.leader, 1)
    assert Event.objects.filter(action=Action.READ).count() == 1
    assert Event.objects.get(action=Action.READ).actor == cast.leader
    # Reading does not make the office's page stale, nor wait for anything.
    assert revision(review) == office_page
    transitions.approve(cast.office, step_of(review, A.PROVINCIAL_OFFICE).pk, office_page)
    assert status(plan) == Status.APPROVED


def test_a_read_step_can_be_read_after_the_plan_is_approved(people, plan):
    cast = people
    review = submit(cast, plan)
    approve(cast.group, review, A.PROVINCIAL_GROUP)
    approve(cast.office, review, A.PROVINCIAL_OFFICE)
    read = step_of(review, A.PROVINCIAL_LEADERS)
    transitions.mark_read(cast.leader, read.pk)
    read.refresh_from_db()
    assert read.state == StepState.READ
    review.refresh_from_db()
    assert review.state == ReviewState.APPROVED


def test_a_read_step_not_yet_reached_is_not_read(people, plan):
    cast = people
    review = submit(cast, plan)
    read = step_of(review, A.PROVINCIAL_LEADERS)
    with pytest.raises(Stale):
        transitions.mark_read(cast.leader, read.pk)
    read.refresh_from_db()
    assert (read.state, read.decided_by) == (StepState.WAITING, None)
    assert not Event.objects.filter(action=Action.READ).exists()


# Returning ------------------------------------------------------------------------------


def test_return_for_revision_with_grounds_and_comments_on_items(people, plan):
    cast = people
    review = submit(cast, plan)
    measure, untouched = plan.items.filter(section="measures").order_by("position", "id")[:2]
    task = an_attachment(plan).items.first()
    transitions.return_for_revision(
        cast.group,
        step_of(review, A.PROVINCIAL_GROUP).pk,
        revision(review),
        [
            {"reason": "four_responses", "source": "mass_opinion"},
            {"reason": "not_concrete", "source": "life_meeting"},
            {"reason": "no_deadline"},
        ],
        {measure.uid: " 请写明压缩的具体比例 ", str(task.uid): "排查范围不明确", str(untouched.uid): "  "},
        "  请按意见修改后重新报送  ",
    )

    review.refresh_from_db()
    assert review.state == ReviewState.RETURNED
    assert review.closed_at is None
    assert status(plan) == Status.RETURNED
    assert {a.status for a in plan.attachments.all()} == {Status.RETURNED}
    group = step_of(review, A.PROVINCIAL_GROUP)
    assert (group.state, group.decided_by, group.decided_version) == (StepState.RETURNED, cast.group, 1)
    assert step_of(review, A.PROVINCIAL_OFFICE).state == StepState.WAITING

    event = Event.objects.get(action=Action.RETURN)
    assert event.grounds == [
        {"reason": "four_responses", "source": "mass_opinion"},
        {"reason": "not_concrete", "source": None},
        {"reason": "no_deadline", "source": None},
    ]
    assert (event.actor, event.step, event.version, event.comment) == (
        cast.group,
        group,
        1,
        "请按意见修改后重新报送",
    )
    comments = {str(c.item_uid): c for c in Comment.objects.all()}
    assert set(comments) == {str(measure.uid), str(task.uid)}
    assert comments[str(measure.uid)].text == "请写明压缩的具体比例"
    assert comments[str(measure.uid)].item_text == measure.text
    assert comments[str(task.uid)].item_text == task.measures
    assert {c.event_id for c in comments.values()} == {event.pk}
    assert not any(c.addressed for c in comments.values())
    # Editable again, the attachment with its plan.
    edit(cast.filer, measure, "2014年12月底前出台《公务接待管理办法》，接待费压缩30%")
    edit(cast.filer, task, "按意见修改附件")


@pytest.mark.parametrize(
    "grounds, message",
    [
        ([], "至少选择一条理由"),
        ([{"reason": "too_long"}], "不在通知规定的理由之中"),
        ([{"reason": "four_responses"}], "指明没有回应的是哪一项"),
        ([{"reason": "four_responses", "source": ""}], "指明没有回应的是哪一项"),
        ([{"reason": "four_responses", "source": "rumour"}], "指明没有回应的是哪一项"),
        ([{"reason": "no_owner"}, {"reason": "four_responses", "source": None}], "指明没有回应的是哪一项"),
    ],
)
def test_a_return_needs_the_notices_grounds(people, plan, grounds, message):
    cast = people
    review = submit(cast, plan)
    page = revision(review)
    with pytest.raises(TransitionError, match=message):
        transitions.return_for_revision(cast.group, step_of(review, A.PROVINCIAL_GROUP).pk, page, grounds)
    assert revision(review) == page
    assert step_of(review, A.PROVINCIAL_GROUP).state == StepState.PENDING
    assert status(plan) == Status.SUBMITTED
    assert actions(plan) == [Action.SUBMIT]


def test_every_return_reason_is_accepted(people, measures):
    cast = people
    review = submit(cast, measures, by=cast.member)
    grounds = [
        {"reason": "four_responses", "source": "superior"},
        {"reason": "not_concrete"},
        {"reason": "not_targeted"},
        {"reason": "no_owner"},
        {"reason": "no_deadline"},
    ]
    send_back(cast.secretary, review, A.TEAM_PRINCIPAL, grounds)
    assert [g["reason"] for g in Event.objects.get(action=Action.RETURN).grounds] == [
        "four_responses",
        "not_concrete",
        "not_targeted",
        "no_owner",
        "no_deadline",
    ]
    assert status(measures) == Status.RETURNED


def test_a_comment_on_an_item_not_in_the_version_is_stale(people, plan):
    cast = people
    review = submit(cast, plan)
    page = revision(review)
    with pytest.raises(Stale):
        transitions.return_for_revision(
            cast.group,
            step_of(review, A.PROVINCIAL_GROUP).pk,
            page,
            [{"reason": "not_concrete"}],
            {"00000000-0000-0000-0000-000000000000": "这一条不存在"},
        )
    assert revision(review) == page
    assert not Comment.objects.exists()
    assert status(plan) == Status.SUBMITTED


# Answering and resubmitting ---------------------------------------------------------------


def test_comments_are_answered_by_the_filer_while_returned(people, plan):
    cast = people
    review = submit(cast, plan)
    measure, other = plan.items.filter(section="measures").order_by("position", "id")[:2]
    send_back(cast.group, review, A.PROVINCIAL_GROUP, comments={measure.uid: "不具体", other.uid: "无时限"})
    first, second = Comment.objects.order_by("id")

    with pytest.raises(TransitionError, match="还有 2 条审阅意见"):
        transitions.resubmit(cast.filer, plan)
    for who in ("outsider", "group", "nobody"):
        with pytest.raises(NotAllowed):
            transitions.address(getattr(cast, who), first.pk, True)

    answered = transitions.address(cast.filer, first.pk, True)
    assert (answered.addressed, answered.addressed_by, answered.answer) == (True, cast.filer, "")
    assert answered.addressed_at is not None
    with pytest.raises(TransitionError, match="还有 1 条审阅意见"):
        transitions.resubmit(cast.filer, plan)
    answered = transitions.address(cast.filer, second.pk, False, "  时限已在第二块写明  ")
    assert (answered.addressed, answered.answer) == (False, "时限已在第二块写明")
    # Taking an answer back reopens it.
    transitions.address(cast.filer, first.pk, False, "")
    first.refresh_from_db()
    assert (first.addressed, first.addressed_at, first.addressed_by) == (False, None, None)
    with pytest.raises(TransitionError, match="还有 1 条审阅意见"):
        transitions.resubmit(cast.filer, plan)
    transitions.address(cast.filer, first.pk, True)
    transitions.resubmit(cast.filer, plan)
    # Once resubmitted, the answers are history.
    with pytest.raises(Stale):
        transitions.address(cast.filer, first.pk, False)
    first.refresh_from_db()
    assert first.addressed is True


def test_resubmission_goes_back_to_the_step_that_returned_it(
    people, plan, django_capture_on_commit_callbacks
):
    """The module's decision: earlier approvals stand, the returning reviewer checks the
    revision, the earlier ones are told."""
    cast = people
    review = submit(cast, plan)
    approve(cast.group, review, A.PROVINCIAL_GROUP)
    transitions.mark_read(cast.leader, step_of(review, A.PROVINCIAL_LEADERS).pk)
    measure = a_measure(plan)
    original = measure.text
    send_back(cast.office, review, A.PROVINCIAL_OFFICE, comments={measure.uid: "请写明压缩比例"})
    version_1 = Version.objects.get(document=plan, number=1).snapshot

    edit(cast.filer, measure, "出台《长沙县公务接待管理办法》，2014年接待费支出比上年压缩35%")
    transitions.address(cast.filer, Comment.objects.get().pk, True)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        transitions.resubmit(cast.filer, plan, "  已按意见修改  ")

    review.refresh_from_db()
    assert (review.state, review.version) == (ReviewState.OPEN, 2)
    assert status(plan) == Status.SUBMITTED
    assert {a.status for a in plan.attachments.all()} == {Status.SUBMITTED}
    group = step_of(review, A.PROVINCIAL_GROUP)
    assert (group.state, group.decided_by, group.decided_version) == (StepState.APPROVED, cast.group, 1)
    office = step_of(review, A.PROVINCIAL_OFFICE)
    assert (office.state, office.decided_by, office.decided_at) == (StepState.PENDING, None, None)
    assert step_of(review, A.PROVINCIAL_LEADERS).state == StepState.READ

    # Version 1 is untouched; version 2 is the document as resubmitted.
    assert Version.objects.get(document=plan, number=1).snapshot == version_1
    version_2 = Version.objects.get(document=plan, number=2)
    assert version_2.snapshot == snapshot(plan)
    assert (version_2.review, version_2.created_by) == (review, cast.filer)
    revised = "出台《长沙县公务接待管理办法》，2014年接待费支出比上年压缩35%"
    texts_1 = [m["text"] for m in version_1["sections"]["measures"]]
    texts_2 = [m["text"] for m in version_2.snapshot["sections"]["measures"]]
    assert original in texts_1 and revised not in texts_1
    assert revised in texts_2 and original not in texts_2

    event = Event.objects.get(action=Action.RESUBMIT)
    assert (event.actor, event.step, event.version, event.comment) == (cast.filer, office, 2, "已按意见修改")
    assert notified(plan) == ["group", "office"]
    assert "请审阅" in Notification.objects.get(user=cast.office).text
    assert "已审阅通过" in Notification.objects.get(user=cast.group).text

    # The earlier approval stands: the office's decision completes the plan.
    with pytest.raises(Stale):
        approve(cast.group, review, A.PROVINCIAL_GROUP)
    approve(cast.office, review, A.PROVINCIAL_OFFICE)
    assert status(plan) == Status.APPROVED
    assert step_of(review, A.PROVINCIAL_OFFICE).decided_version == 2
    assert actions(plan) == [
        Action.SUBMIT,
        Action.APPROVE,
        Action.READ,
        Action.RETURN,
        Action.ADDRESS,
        Action.RESUBMIT,
        Action.APPROVE,
        Action.APPROVED,
    ]


def test_a_return_at_the_first_stage_resumes_there(people, plan):
    cast = people
    review = submit(cast, plan)
    send_back(cast.group, review, A.PROVINCIAL_GROUP)
    transitions.resubmit(cast.filer, plan)
    assert chain(review) == [
        (1, A.PROVINCIAL_GROUP, Mode.REVIEW, StepState.PENDING),
        (2, A.PROVINCIAL_OFFICE, Mode.REVIEW, StepState.WAITING),
        (2, A.PROVINCIAL_LEADERS, Mode.READ, StepState.WAITING),
    ]
    approve(cast.group, review, A.PROVINCIAL_GROUP)
    assert step_of(review, A.PROVINCIAL_OFFICE).state == StepState.PENDING
    # Returned twice, resumed twice.
    send_back(cast.office, review, A.PROVINCIAL_OFFICE)
    transitions.resubmit(cast.filer, plan)
    review.refresh_from_db()
    assert review.version == 3
    assert chain(review)[:2] == [
        (1, A.PROVINCIAL_GROUP, Mode.REVIEW, StepState.APPROVED),
        (2, A.PROVINCIAL_OFFICE, Mode.REVIEW, StepState.PENDING),
    ]
    approve(cast.office, review, A.PROVINCIAL_OFFICE)
    assert status(plan) == Status.APPROVED
    assert Version.objects.filter(document=plan).count() == 3


def test_resubmission_runs_the_checks_again(people, plan):
    cast = people
    review = submit(cast, plan)
    send_back(cast.group, review, A.PROVINCIAL_GROUP)
    measure = a_measure(plan)
    measure.refresh_from_db()
    editing.save_item(cast.filer, measure, measure.revision, {"owner": None, "owner_text": ""})
    with pytest.raises(TransitionError, match="不能报送"):
        transitions.resubmit(cast.filer, plan)
    assert status(plan) == Status.RETURNED
    assert Version.objects.filter(document=plan).count() == 1
    measure.refresh_from_db()
    editing.save_item(cast.filer, measure, measure.revision, {"owner_text": "县委办主任"})
    transitions.resubmit(cast.filer, plan)
    assert status(plan) == Status.SUBMITTED


def test_resubmitting_what_was_not_returned_is_stale(people, plan):
    cast = people
    with pytest.raises(Stale):
        transitions.resubmit(cast.filer, plan)
    review = submit(cast, plan)
    with pytest.raises(Stale):
        transitions.resubmit(cast.filer, plan)
    send_back(cast.group, review, A.PROVINCIAL_GROUP)
    transitions.resubmit(cast.filer, plan)
    # A second click on the same button.
    with pytest.raises(Stale):
        transitions.resubmit(cast.filer, plan)
    assert Version.objects.filter(document=plan).count() == 2
    assert actions(plan).count(Action.RESUBMIT) == 1


@pytest.mark.parametrize("who", ["outsider", "nobody", "group", "principal"])
def test_outsiders_cannot_resubmit(people, plan, who):
    cast = people
    review = submit(cast, plan)
    send_back(cast.group, review, A.PROVINCIAL_GROUP)
    with pytest.raises(NotAllowed):
        transitions.resubmit(getattr(cast, who), plan)
    assert status(plan) == Status.RETURNED


def test_individual_measures_return_to_their_author(people, measures, django_capture_on_commit_callbacks):
    cast = people
    with django_capture_on_commit_callbacks(execute=True):
        review = submit(cast, measures, by=cast.member)
    with django_capture_on_commit_callbacks(execute=True):
        send_back(
            cast.secretary, review, A.TEAM_PRINCIPAL, [{"reason": "four_responses", "source": "life_meeting"}]
        )
    assert notified(measures) == ["filer", "member", "secretary"]
    returned = Notification.objects.filter(event__action=Action.RETURN)
    assert sorted(returned.values_list("user__username", flat=True)) == ["filer", "member"]
    transitions.resubmit(cast.member, measures)
    approve(cast.secretary, review, A.TEAM_PRINCIPAL)
    assert status(measures) == Status.APPROVED


# Notifications and mail ------------------------------------------------------------------


def test_notices_reach_the_people_a_document_reaches_and_mail_waits_for_commit(
    people, plan, mailoutbox, django_capture_on_commit_callbacks
):
    cast = people
    with django_capture_on_commit_callbacks() as callbacks:
        review = submit(cast, plan)
    # Nobody is told anything until the transaction commits; then the notice and the mail.
    assert notified(plan) == []
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert notified(plan) == ["group"]
    assert "请审阅" in Notification.objects.get(user=cast.group).text
    assert [m.to for m in mailoutbox] == [["group@example.org"]]
    assert plan.title in mailoutbox[0].subject
    assert f"/documents/{plan.pk}/" in mailoutbox[0].body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve(cast.group, review, A.PROVINCIAL_GROUP)
    approved = Notification.objects.filter(event__action=Action.APPROVE)
    assert sorted(approved.values_list("user__username", flat=True)) == ["leader", "office"]
    assert "送您阅" in approved.get(user=cast.leader).text
    assert sorted(m.to[0] for m in mailoutbox) == ["leader@example.org", "office@example.org"]

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_back(cast.office, review, A.PROVINCIAL_OFFICE)
    assert [m.to for m in mailoutbox] == [["filer@example.org"]]
    assert "退回修改" in mailoutbox[0].subject

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transitions.resubmit(cast.filer, plan)
    assert sorted(m.to[0] for m in mailoutbox) == ["group@example.org", "office@example.org"]

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve(cast.office, review, A.PROVINCIAL_OFFICE)
    assert [m.to for m in mailoutbox] == [["filer@example.org"]]
    assert "审阅通过" in mailoutbox[0].subject
    assert Notification.objects.filter(user=cast.filer, event__action=Action.APPROVED).count() == 1

    # Reading tells nobody.
    mailoutbox.clear()
    count = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        transitions.mark_read(cast.leader, step_of(review, A.PROVINCIAL_LEADERS).pk)
    assert mailoutbox == []
    assert Notification.objects.count() == count


def test_people_without_an_address_get_notices_but_no_mail(
    people, plan, mailoutbox, django_capture_on_commit_callbacks
):
    cast = people
    cast.group.email = ""
    cast.group.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        submit(cast, plan)
    assert notified(plan) == ["group"]
    assert mailoutbox == []
    assert Notification.objects.get(user=cast.group).mailed_at is None


def test_no_mail_when_the_transaction_rolls_back(
    people, plan, mailoutbox, django_capture_on_commit_callbacks
):
    cast = people

    class Abandoned(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Abandoned):
            with transaction.atomic():
                transitions.submit(cast.filer, plan)
                raise Abandoned
    assert callbacks == []
    assert mailoutbox == []
    assert status(plan) == Status.DRAFT
    assert not Review.objects.exists()
    assert not Notification.objects.exists()
    # Committed, it notifies and mails.
    with django_capture_on_commit_callbacks(execute=True):
        transitions.submit(cast.filer, plan)
    assert notified(plan) == ["group"]
    assert [m.to for m in mailoutbox] == [["group@example.org"]]


def test_a_refused_move_sends_nothing(people, plan, mailoutbox, django_capture_on_commit_callbacks):
    cast = people
    review = submit(cast, plan)
    Notification.objects.all().delete()
    page = revision(review)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(NotAllowed):
            transitions.approve(cast.outsider, step_of(review, A.PROVINCIAL_GROUP).pk, page)
        with pytest.raises(TransitionError):
            transitions.return_for_revision(cast.group, step_of(review, A.PROVINCIAL_GROUP).pk, page, [])
    assert callbacks == []
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_withdrawal_mails_the_reviewers_it_had_reached(
    people, plan, mailoutbox, django_capture_on_commit_callbacks
):
    cast = people
    submit(cast, plan)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.withdraw(cast.filer, plan)
    assert [m.to for m in mailoutbox] == [["group@example.org"]]
    assert "撤回" in mailoutbox[0].subject


# History -------------------------------------------------------------------------------


def test_every_event_names_the_version_it_judged(people, plan):
    cast = people
    review = submit(cast, plan)
    send_back(cast.group, review, A.PROVINCIAL_GROUP)
    transitions.resubmit(cast.filer, plan)
    approve(cast.group, review, A.PROVINCIAL_GROUP)
    approve(cast.office, review, A.PROVINCIAL_OFFICE)
    assert list(
        Event.objects.filter(document=plan).order_by("at", "id").values_list("action", "version")
    ) == [
        (Action.SUBMIT, 1),
        (Action.RETURN, 1),
        (Action.RESUBMIT, 2),
        (Action.APPROVE, 2),
        (Action.APPROVE, 2),
        (Action.APPROVED, 2),
    ]
    assert all(e.actor_id for e in Event.objects.all())
