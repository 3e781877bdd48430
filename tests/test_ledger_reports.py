"""Reporting on a measure and verifying it, without HTTP: who may, a stale page, a
standing measure that only reports, the reason a sending back needs, the record every
move leaves, and who is told."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from ledger import access, transitions
from ledger.models import Entry, Event, Report
from ledger.words import Action, EntryState
from review.models import Notification
from review.moves import NotAllowed, Stale, TransitionError

from .conftest import fresh
from .factories import approved, filled_individual, filled_team_plan


@pytest.fixture
def plan(cast, leaders):
    """中共长沙县委's team plan, approved by the provincial group and office: its ledger is open."""
    return approved(filled_team_plan(cast), by=cast.filer)


@pytest.fixture
def entry(plan):
    return Entry.objects.filter(document=plan).order_by("position").first()


def reload(entry):
    return Entry.objects.get(pk=entry.pk)


def done(entry, user, text="已按要求整改到位。"):
    transitions.report(user, entry.pk, reload(entry).revision, text, done=True)
    return reload(entry)


def test_the_filer_reports_progress_and_then_done(cast, entry):
    transitions.report(cast.filer, entry.pk, entry.revision, "已召开专题会议部署。")
    entry = reload(entry)
    assert entry.state == EntryState.OPEN
    assert entry.last_report_at is not None
    transitions.report(cast.filer, entry.pk, entry.revision, "已全部整改到位。", done=True)
    entry = reload(entry)
    assert entry.state == EntryState.DONE and entry.done_at is not None
    assert [r.done for r in entry.reports.all()] == [False, True]
    actions = list(entry.events.order_by("id").values_list("action", flat=True))
    assert actions == [Action.OPEN, Action.REPORT, Action.DONE]
    assert entry.events.get(action=Action.DONE).report == entry.reports.get(done=True)


def test_the_owner_reports_and_others_may_not(cast, entry):
    entry = reload(entry)
    owner = entry.owner.user
    transitions.report(owner, entry.pk, entry.revision, "责任人报告：已完成第一阶段。")
    assert Report.objects.filter(entry=entry, by=owner).exists()
    for stranger in (cast.outsider, cast.nobody, cast.group):
        with pytest.raises(NotAllowed):
            transitions.report(stranger, entry.pk, reload(entry).revision, "不是我的。")
    assert entry.reports.count() == 1


def test_a_stale_page_changes_nothing(cast, entry):
    old = entry.revision
    transitions.report(cast.filer, entry.pk, old, "第一次报告。")
    with pytest.raises(Stale):
        transitions.report(cast.filer, entry.pk, old, "同一页面再报一次。", done=True)
    entry = reload(entry)
    assert (entry.state, entry.reports.count(), entry.revision) == (EntryState.OPEN, 1, old + 1)


def test_text_is_required_and_nothing_is_written_without_it(cast, entry):
    with pytest.raises(TransitionError) as refused:
        transitions.report(cast.filer, entry.pk, entry.revision, "   ", done=True)
    assert "进展情况" in refused.value.message
    assert reload(entry).state == EntryState.OPEN and not entry.reports.exists()


def test_a_standing_measure_reports_but_is_never_done(cast, plan):
    entry = Entry.objects.filter(document=plan).order_by("position").first()
    Entry.objects.filter(pk=entry.pk).update(standing=True, deadline=None, deadline_text="长期坚持")
    entry = reload(entry)
    with pytest.raises(TransitionError) as refused:
        transitions.report(cast.filer, entry.pk, entry.revision, "本季度坚持落实。", done=True)
    assert "长期坚持" in refused.value.message
    assert not entry.reports.exists()
    transitions.report(cast.filer, entry.pk, entry.revision, "本季度坚持落实。")
    entry = reload(entry)
    assert entry.state == EntryState.OPEN and entry.last_report_at is not None
    assert "done" not in access.available_moves(cast.filer, entry)
    assert "report" in access.available_moves(cast.filer, entry)


def test_the_approving_bodies_and_the_group_verify_nobody_else(cast, entry):
    entry = done(entry, cast.filer)
    document = entry.document
    assert access.verifies(fresh(cast.group), document)  # decided step 1, and covers 长沙
    assert access.verifies(fresh(cast.office), document)  # decided step 2
    for other in (cast.filer, cast.secretary, cast.member, cast.outsider, cast.leader, cast.nobody):
        assert not access.verifies(fresh(other), document), other
        with pytest.raises(NotAllowed):
            transitions.close(fresh(other), entry.pk, entry.revision)
    assert not access.verifies(AnonymousUser(), document)
    assert reload(entry).state == EntryState.DONE


def test_a_group_covering_the_org_verifies_what_it_did_not_review(cast, leaders):
    measures = approved(filled_individual(cast), by=cast.member)  # reviewed by 县委书记
    entry = Entry.objects.filter(document=measures).first()
    entry = done(entry, cast.member)
    assert access.verifies(fresh(cast.secretary), measures)  # the body that decided
    assert access.verifies(fresh(cast.group), measures)  # 省委派驻长沙市督导组 covers 长沙县
    assert not access.verifies(fresh(cast.member), measures)  # nobody verifies their own
    assert not access.verifies(fresh(cast.office), measures)  # neither decided nor a group
    transitions.close(fresh(cast.group), entry.pk, entry.revision)
    assert reload(entry).state == EntryState.CLOSED


def test_close_records_who_and_when_and_tells_the_owner_and_filers(
    cast, entry, django_capture_on_commit_callbacks
):
    entry = done(entry, cast.filer)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.close(cast.group, entry.pk, entry.revision)
    entry = reload(entry)
    assert (entry.state, entry.closed_by) == (EntryState.CLOSED, cast.group)
    assert entry.closed_at is not None
    assert entry.events.filter(action=Action.CLOSE, actor=cast.group).count() == 1
    told = set(Notification.objects.filter(text__contains="已核验销号").values_list("user_id", flat=True))
    assert told == {cast.filer.pk, entry.owner.user_id}
    link = Notification.objects.filter(text__contains="已核验销号").first().link
    assert link == reverse("ledger:entry", args=[entry.pk])
    with pytest.raises(Stale):  # closed: nothing more to report
        transitions.report(cast.filer, entry.pk, entry.revision, "再报一次。")
    with pytest.raises(Stale):
        transitions.send_back(cast.group, entry.pk, entry.revision, "已经销号了。")


def test_reporting_done_tells_the_verifiers(cast, entry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        transitions.report(cast.filer, entry.pk, entry.revision, "已整改到位。", done=True)
    told = set(Notification.objects.filter(text__contains="请核验销号").values_list("user_id", flat=True))
    assert told == {cast.group.pk, cast.office.pk}
    assert {u.pk for u in access.verifiers(entry.document)} == told


def test_send_back_needs_a_reason_and_tells_it(cast, entry, django_capture_on_commit_callbacks):
    entry = done(entry, cast.filer)
    with pytest.raises(TransitionError) as refused:
        transitions.send_back(cast.group, entry.pk, entry.revision, "  ")
    assert "理由" in refused.value.message
    assert reload(entry).state == EntryState.DONE
    with django_capture_on_commit_callbacks(execute=True):
        transitions.send_back(cast.group, entry.pk, entry.revision, "佐证材料不足，请补充会议纪要。")
    entry = reload(entry)
    assert (entry.state, entry.done_at) == (EntryState.OPEN, None)
    event = entry.events.get(action=Action.SEND_BACK)
    assert (event.actor, event.text) == (cast.group, "佐证材料不足，请补充会议纪要。")
    note = Notification.objects.get(user=cast.filer, text__contains="退回继续整改")
    assert "会议纪要" in note.text
    # Carried on after the sending back, it may be reported done again.
    done(entry, cast.filer, "已补充会议纪要。")
    assert reload(entry).state == EntryState.DONE


def test_a_measure_reported_done_waits_and_is_not_reported_again(cast, entry):
    entry = done(entry, cast.filer)
    with pytest.raises(Stale):
        transitions.report(cast.filer, entry.pk, entry.revision, "又一次报告。")
    with pytest.raises(Stale):  # closing what is not reported done
        other = Entry.objects.filter(document=entry.document).exclude(pk=entry.pk).first()
        transitions.close(cast.group, other.pk, other.revision)
    assert Event.objects.filter(entry=entry, action=Action.REPORT).count() == 0
