"""Deadlines chase themselves (ledger.chase): the owner is reminded before a deadline, a
standing measure is asked for its report every interval, and a measure long overdue is
escalated (督办) to the bodies above, in the app and by mail; each once, whatever reruns
or runs beside it. The clock is the test's (settings.LEDGER_TODAY); the plan is 中共长沙县委's,
approved by the provincial group and the provincial office (and read by the provincial
leaders), its measures due 2014年12月底前."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ledger import chase, deadlines, transitions
from ledger.deadlines import overdue
from ledger.models import Chase, Entry, Event
from ledger.words import Action, ChaseKind, EntryState
from review.models import Notification

from .factories import approved, filled_team_plan
from .test_notices import work

DEADLINE = dt.date(2014, 12, 31)


@pytest.fixture
def plan(cast, leaders):
    for account, address in ((cast.group, "group"), (cast.office, "office"), (cast.secretary, "secretary")):
        account.email = f"{address}@example.org"
        account.save(update_fields=["email"])
    return approved(filled_team_plan(cast), by=cast.filer)


@pytest.fixture
def measure(plan):
    """The plan's first measure: owned by the county secretary, due 2014-12-31."""
    entry = (
        Entry.objects.filter(document=plan, section="measures", standing=False).order_by("position").first()
    )
    assert entry.deadline == DEADLINE
    return entry


@pytest.fixture
def on(settings, django_capture_on_commit_callbacks):
    """on(day): chase as the worker would on DAY, with what it tells written and mailed."""

    def run(day):
        settings.LEDGER_TODAY = day
        with django_capture_on_commit_callbacks(execute=True):
            return chase.chase()

    return run


def notes(text):
    return Notification.objects.filter(text__contains=text)


def test_the_owner_and_the_filers_are_reminded_remind_days_before_once(cast, measure, on, settings):
    settings.LEDGER_REMIND_DAYS = 5
    on(dt.date(2014, 12, 25))
    assert not measure.chases.exists()
    on(dt.date(2014, 12, 26))
    chase_row = measure.chases.get()
    assert (chase_row.kind, chase_row.due) == (ChaseKind.REMIND, DEADLINE)
    event = measure.events.get(action=Action.REMIND)
    assert event.actor is None and "将于2014年12月31日到期" in event.text
    told = notes(event.text)
    assert {note.user for note in told} == {cast.secretary, cast.filer}
    assert told.first().link == reverse("plans:document", args=[measure.document_id])
    before = Notification.objects.count()
    on(dt.date(2014, 12, 27))
    on(dt.date(2014, 12, 31))
    assert measure.chases.count() == 1
    assert Notification.objects.count() == before


def test_nothing_is_sent_about_a_measure_reported_done_or_closed(cast, plan, on, settings):
    settings.LEDGER_ESCALATE_DAYS = 10
    done, closed = Entry.objects.filter(document=plan, standing=False).order_by("position")[:2]
    Entry.objects.filter(pk=done.pk).update(state=EntryState.DONE)
    Entry.objects.filter(pk=closed.pk).update(state=EntryState.CLOSED)
    on(dt.date(2014, 12, 28))
    on(dt.date(2015, 2, 1))
    assert not Chase.objects.filter(entry__in=[done, closed]).exists()
    late = Entry.objects.filter(overdue(dt.date(2015, 2, 1)))
    assert done not in late and closed not in late
    assert late.filter(document=plan).exists()


def test_a_standing_measure_is_asked_for_its_report_every_interval(cast, plan, on):
    standing = Entry.objects.get(document=plan, standing=True)
    assert standing.interval_days == 90
    opened = timezone.make_aware(dt.datetime(2014, 9, 1, 10))
    Entry.objects.filter(pk=standing.pk).update(opened_at=opened)

    on(dt.date(2014, 11, 29))
    assert not standing.chases.exists()
    on(dt.date(2014, 11, 30))
    on(dt.date(2014, 12, 5))
    assert list(standing.chases.values_list("kind", "due")) == [(ChaseKind.REPORT_DUE, dt.date(2014, 11, 30))]
    assert "已到定期报告时间" in standing.events.get(action=Action.REMIND).text
    assert {note.user for note in notes("已到定期报告时间")} == {cast.secretary, cast.filer}

    # The owner reports on 12-10: the next report falls due 90 days on, and every 90 after.
    Entry.objects.filter(pk=standing.pk).update(
        last_report_at=timezone.make_aware(dt.datetime(2014, 12, 10, 9))
    )
    on(dt.date(2015, 3, 9))
    assert standing.chases.count() == 1
    on(dt.date(2015, 3, 10))
    on(dt.date(2015, 6, 8))
    assert [due for _kind, due in standing.chases.order_by("due").values_list("kind", "due")] == [
        dt.date(2014, 11, 30),
        dt.date(2015, 3, 10),
        dt.date(2015, 6, 8),
    ]
    # A standing measure is never overdue nor escalated.
    assert not standing.chases.filter(kind=ChaseKind.ESCALATE).exists()


def test_an_overdue_measure_escalates_after_the_configured_days_to_the_bodies_above(
    cast, measure, on, settings, mailoutbox
):
    settings.LEDGER_ESCALATE_DAYS = 10
    on(dt.date(2015, 1, 9))
    measure.refresh_from_db()
    assert measure in Entry.objects.filter(overdue(dt.date(2015, 1, 9)))
    assert measure.escalated_at is None
    mailoutbox.clear()

    on(dt.date(2015, 1, 10))
    measure.refresh_from_db()
    assert timezone.localdate(measure.escalated_at) == dt.date(2015, 1, 10)
    event = measure.events.get(action=Action.ESCALATE)
    assert event.actor is None
    assert "督办" in event.text and "已超过整改时限10天" in event.text and "夏海波" in event.text
    # The provincial group and office approved the plan; the leaders only read it; the
    # owner (the county secretary) is not told of their own measure's escalation.
    told = notes(event.text)
    assert {note.user for note in told} == {cast.group, cast.office}
    assert {note.link for note in told} == {reverse("ledger:overdue")}
    mailed = [m for m in mailoutbox if event.text[:40] in m.subject]
    assert sorted(m.to[0] for m in mailed) == ["group@example.org", "office@example.org"]
    assert reverse("ledger:overdue") in mailed[0].body

    before = (Notification.objects.count(), len(mailoutbox))
    on(dt.date(2015, 2, 10))
    assert measure.chases.filter(kind=ChaseKind.ESCALATE).count() == 1
    assert (Notification.objects.count(), len(mailoutbox)) == before


def test_an_individual_measure_escalates_to_its_reviewer_and_the_nearest_group(cast, leaders, on, settings):
    from .factories import filled_individual

    measures = approved(filled_individual(cast), by=cast.member)
    on(dt.date(2015, 1, 31))
    entry = Entry.objects.filter(document=measures).first()
    told = notes(entry.events.get(action=Action.ESCALATE).text)
    # The secretary approved the member's measures; 省委派驻长沙市督导组 covers 长沙县.
    assert {note.user for note in told} == {cast.secretary, cast.group}


def test_a_rerun_after_a_crash_and_a_second_worker_send_each_escalation_once(
    cast, plan, measure, on, settings
):
    today = dt.date(2015, 1, 20)
    settings.LEDGER_TODAY = today
    # The first worker escalated one measure and died.
    assert transitions.escalate(measure.pk, measure.deadline, today) is not None
    told_once = Notification.objects.count()

    first = on(today)
    second = on(today)
    late = Entry.objects.filter(standing=False, deadline__lte=today - dt.timedelta(days=15))
    assert first[ChaseKind.ESCALATE] == late.count() - 1
    assert second == {kind.value: 0 for kind in ChaseKind}
    for entry in late:
        assert entry.chases.filter(kind=ChaseKind.ESCALATE).count() == 1
        assert entry.events.filter(action=Action.ESCALATE).count() == 1
    # Each escalation told the group and the office once; the crashed worker's too.
    assert Notification.objects.count() - told_once == 2 * (late.count() - 1)


def test_a_worker_that_read_before_another_wrote_sends_nothing(cast, measure, settings):
    """The second worker found the measure due before the first wrote its row: the unique
    Chase row stops it in the transition, before anything is recorded or told."""
    today = dt.date(2015, 1, 20)
    settings.LEDGER_TODAY = today
    assert transitions.escalate(measure.pk, DEADLINE, today) is not None
    assert transitions.remind(measure.pk, ChaseKind.REMIND, DEADLINE) is not None
    revision = Entry.objects.get(pk=measure.pk).revision
    events, notifications = Event.objects.count(), Notification.objects.count()

    assert transitions.escalate(measure.pk, DEADLINE, today) is None
    assert transitions.remind(measure.pk, ChaseKind.REMIND, DEADLINE) is None
    assert (Event.objects.count(), Notification.objects.count()) == (events, notifications)
    assert Entry.objects.get(pk=measure.pk).revision == revision
    with pytest.raises(IntegrityError), transaction.atomic():
        Chase.objects.create(entry=measure, kind=ChaseKind.ESCALATE, due=DEADLINE)


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_schedule_runs_each_morning_and_queues_its_next_run_once(cast, measure, queue, settings):
    settings.LEDGER_TODAY = dt.date(2015, 1, 20)
    chase.run.enqueue()
    chase.run.enqueue()  # queued twice (two deployments started it)
    work()
    assert measure.chases.filter(kind=ChaseKind.ESCALATE).count() == 1
    waiting = chase.waiting().get()
    now = timezone.localtime()
    assert now < waiting.run_after <= now + dt.timedelta(days=1)
    assert timezone.localtime(waiting.run_after).time() == chase.CHASE_AT
    assert DBTaskResult.objects.filter(task_path="ledger.chase.run", status="SUCCESSFUL").count() == 2

    # Started again (a restart, a second deployment): the waiting run is kept, not doubled.
    assert chase.plan_next() == (waiting.run_after, False)
    assert chase.waiting().count() == 1


def test_the_command_chases_now_and_starts_the_chain(cast, measure, queue, settings):
    settings.LEDGER_TODAY = dt.date(2015, 1, 20)
    out = io.StringIO()
    call_command("chase_ledger", stdout=out)
    assert "督办 " in out.getvalue() and "下一次检查排定在" in out.getvalue()
    assert chase.waiting().count() == 1
    out = io.StringIO()
    call_command("chase_ledger", stdout=out)
    assert "督办 0 条" in out.getvalue() and "不再重复排定" in out.getvalue()
    assert chase.waiting().count() == 1


def test_without_the_database_queue_the_command_says_to_run_it_daily(cast, settings):
    out = io.StringIO()
    call_command("chase_ledger", stdout=out)
    assert "请每天运行一次本命令" in out.getvalue()
    assert not DBTaskResult.objects.exists()


# The 逾期督办 page ------------------------------------------------------------------


@pytest.fixture
def escalated(measure, on, settings):
    on(dt.date(2015, 1, 20))
    return measure


def test_the_group_sees_the_overdue_measures_of_its_jurisdiction(cast, escalated, client):
    client.force_login(cast.group)
    response = client.get(reverse("ledger:overdue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "逾期督办" in page and escalated.document.title in page
    rows = response.context["rows"]
    mine = next(row for row in rows if row["entry"].pk == escalated.pk)
    assert mine["days"] == 20
    assert mine["entry"].escalated_at is not None
    assert response.context["counts"]["all"] == len(rows)
    assert f'href="{reverse("ledger:overdue")}"' in page  # the menu offers it


def test_the_filer_sees_their_own_and_an_outsider_nothing(cast, escalated, client):
    client.force_login(cast.filer)
    response = client.get(reverse("ledger:overdue"))
    assert escalated.pk in [row["entry"].pk for row in response.context["rows"]]
    client.force_login(cast.outsider)
    response = client.get(reverse("ledger:overdue"))
    assert response.context["rows"] == []
    assert "没有逾期的整改措施" in response.content.decode()


def test_the_escalated_filter_and_a_measure_reported_done(cast, escalated, client, settings):
    settings.LEDGER_TODAY = dt.date(2015, 1, 20)
    client.force_login(cast.group)
    Entry.objects.filter(pk=escalated.pk).update(state=EntryState.DONE)
    response = client.get(reverse("ledger:overdue"), {"escalated": "1"})
    shown = [row["entry"].pk for row in response.context["rows"]]
    assert shown and escalated.pk not in shown
    assert all(row["entry"].escalated_at for row in response.context["rows"])


def test_the_page_is_read_only(cast, client):
    client.force_login(cast.group)
    assert client.post(reverse("ledger:overdue")).status_code == 405


def test_the_demo_has_one_measure_escalated(demo_tree, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    [entry] = Entry.objects.filter(escalated_at__isnull=False)
    assert entry.document.team.org.name == "长沙县公安局"
    today = timezone.localdate()
    assert Entry.objects.filter(overdue(today)).get() == entry
    told = {note.user.username for note in notes(entry.events.get(action=Action.ESCALATE).text)}
    assert told == {"csx_head", "csx_group"}


# Session, user, the reach (3 on a user's first page: the token of who holds what and two
# unions; orgs.stamps), the two counts, the page's count and its rows; the same whatever
# the number of rows.
OVERDUE_QUERIES = 9


def test_the_page_costs_a_fixed_number_of_queries(cast, escalated, client, django_assert_num_queries):
    client.force_login(cast.group)
    with django_assert_num_queries(OVERDUE_QUERIES):
        response = client.get(reverse("ledger:overdue"))
    assert len(response.context["rows"]) > 10


def test_each_rule_read_of_one_entry_agrees_with_its_query(plan):
    """deadlines' Python twins (is_overdue, is_to_escalate, is_escalated), which pages and
    seed_scale read of one entry, select exactly what their queries select, whatever the
    day, the state, the deadline and the escalation."""
    entries = list(Entry.objects.filter(document__in=[plan, *plan.attachments.all()]))
    shapes = [
        (EntryState.OPEN, None),
        (EntryState.OPEN, timezone.now()),
        (EntryState.DONE, None),
        (EntryState.CLOSED, timezone.now()),
    ]
    for n, entry in enumerate(entries):
        state, escalated_at = shapes[n % len(shapes)]
        deadline = DEADLINE + dt.timedelta(days=7 * (n % 9) - 28)
        Entry.objects.filter(pk=entry.pk).update(state=state, escalated_at=escalated_at, deadline=deadline)
    rows = Entry.objects.filter(pk__in=[entry.pk for entry in entries])
    for today in (
        DEADLINE - dt.timedelta(days=40),
        DEADLINE,
        DEADLINE + dt.timedelta(days=16),
        dt.date(2026, 1, 1),
    ):
        assert {e.pk for e in rows if deadlines.is_overdue(e.state, e.standing, e.deadline, today)} == set(
            rows.filter(deadlines.overdue(today)).values_list("pk", flat=True)
        )
        picked = {
            e.pk
            for e in rows
            if deadlines.is_to_escalate(e.state, e.standing, e.deadline, e.escalated_at, today)
        }
        assert picked == set(rows.filter(deadlines.to_escalate(today)).values_list("pk", flat=True))
    assert {e.pk for e in rows if deadlines.is_escalated(e.state, e.escalated_at)} == set(
        rows.filter(deadlines.escalated()).values_list("pk", flat=True)
    )
    assert rows.filter(deadlines.overdue(dt.date(2026, 1, 1))).exists()
    assert rows.filter(deadlines.escalated()).exists()
