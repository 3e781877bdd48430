"""seed_scale: the shipped Hunan tree filled at scale, every document where the notice
puts it and every review as the transitions would have left it.

One test imports the whole province (a few seconds) and fills 1% of it: the two
counties and the city the fraction picks, with all their townships and villages.
"""

import importlib
import io
import random
from collections import Counter
from itertools import cycle
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboard.board import build
from dashboard.figures import ALL
from dashboard.models import Tally
from dashboard.refresh import refresh_now
from dashboard.unfiled import unfiled
from ledger import clock
from ledger import region as ledgers
from ledger.chase import chase
from ledger.entries import measures_of
from ledger.models import Entry
from ledger.models import Report as LedgerReport
from ledger.words import ChaseKind, EntryState
from orgs.models import Authority, Org, OrgKind, Person, Position, Team
from plans.checks import check
from plans.documents import _create, snapshot
from plans.models import Document, Item
from plans.structure import (
    has_individual_measures,
    kinds_for_team,
    measures_seat,
    seats_of,
    team_document_kind,
)
from plans.words import DocumentKind, Status
from review import routing
from review.assignees import assignees
from review.models import Comment, Event, Mode, Review, ReviewState, Step, StepState, Version

from .test_dashboard_views import COUNTY_QUERIES
from .test_ledger_region import REGION_QUERIES
from .test_review_views import INBOX_QUERIES, TEAM_PLAN_PAGE_QUERIES

HUNAN = Path(__file__).resolve().parent.parent / "data" / "divisions" / "hunan"


def seed_scale(*args):
    out = io.StringIO()
    call_command("seed_scale", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts():
    return [
        m.objects.count()
        for m in (
            Org,
            Team,
            Person,
            Position,
            get_user_model(),
            Document,
            Item,
            Review,
            Step,
            Event,
            Comment,
            Entry,
        )
    ]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_refuses_without_the_tree(db, debug):
    with pytest.raises(CommandError, match="import_divisions data/divisions/hunan"):
        seed_scale("--fraction", "0.01")


def test_refuses_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        seed_scale("--fraction", "0.01")


def test_refuses_a_fraction_out_of_range(db, debug):
    with pytest.raises(CommandError, match="fraction"):
        seed_scale("--fraction", "0")


@pytest.fixture
def scale(db, debug):
    """The whole province imported and 1% of it filled; what seed_scale said."""
    # The catalogue the special rectification plans pick from, as migrations wrote it
    # (a live-server test may have flushed it).
    importlib.import_module("plans.migrations.0002_special_tasks").seed(django_apps, None)
    call_command("import_divisions", str(HUNAN), stdout=io.StringIO(), stderr=io.StringIO())
    return seed_scale("--fraction", "0.01")


def test_fills_a_share_of_hunan(scale):
    assert "规模数据已生成" in scale

    # What was filled: 长沙市 (the first city is in every share) and two counties whole.
    filled = set(Team.objects.values_list("org__code", flat=True).filter(org__kind=OrgKind.REGION))
    assert "4301" in filled and "430102" in filled
    assert Org.objects.filter(lft=0).count() == 0  # the new units are numbered into the tree
    units = Org.objects.exclude(kind=OrgKind.REGION)
    assert units.count() == 3 * 58 and not units.filter(teams__isnull=True).exists()
    assert all(unit.parent.code in filled for unit in units.select_related("parent"))

    # Every team files what the notice asks of it, and nothing else.
    documents = list(Document.objects.select_related("team__org", "person", "parent"))
    by_team = {}
    for document in documents:
        team = document.team
        if document.kind == DocumentKind.INDIVIDUAL:
            assert has_individual_measures(team)
            assert Position.objects.filter(team=team, person=document.person, active=True).exists()
        elif document.parent_id:
            assert document.kind in kinds_for_team(team)[1:] and document.parent.team_id == team.pk
            assert document.status == document.parent.status
        else:
            assert document.kind == team_document_kind(team)
            by_team[team.pk] = document
    assert set(by_team) == set(Team.objects.values_list("pk", flat=True))
    kinds = Counter(document.kind for document in documents)
    assert set(kinds) == set(DocumentKind.values)
    assert (
        kinds[DocumentKind.INDIVIDUAL] > kinds[DocumentKind.SIMPLIFIED_PLAN] + kinds[DocumentKind.TEAM_PLAN]
    )
    states = Counter(document.status for document in documents)
    assert set(states) == set(Status.values)
    assert all(n > len(documents) / 10 for n in states.values())
    assert not Document.objects.annotate(n=Count("items")).filter(n=0).exists()
    assert Item.objects.count() > 8 * len(documents)

    # A review per submitted document (attachments travel inside their plan), its chain
    # exactly what routing gives, its states where the transitions leave them.
    heads = [d for d in documents if d.parent_id is None]
    reviews = {r.document_id: r for r in Review.objects.prefetch_related("steps", "versions", "comments")}
    assert set(reviews) == {d.pk for d in heads if d.status != Status.DRAFT}
    routes = {}
    for document in heads:
        review = reviews.get(document.pk)
        if review is None:
            continue
        subject = routing.subject_of(document)
        if subject not in routes:
            routes[subject] = [(s.stage, s.authority, s.mode) for s in routing.route(subject)]
        steps = sorted(review.steps.all(), key=lambda step: (step.stage, step.pk))
        assert [(s.stage, s.authority, s.mode) for s in steps] == routes[subject]
        assert [v.number for v in review.versions.all()] == [1]
        deciding = [s.state for s in steps if s.mode == Mode.REVIEW]
        if document.status == Status.APPROVED:
            assert review.state == ReviewState.APPROVED and review.closed_at
            assert set(deciding) == {StepState.APPROVED}
        elif document.status == Status.RETURNED:
            assert review.state == ReviewState.RETURNED and deciding.count(StepState.RETURNED) == 1
            assert review.comments.all()
        else:
            assert review.state == ReviewState.OPEN and StepState.PENDING in deciding
            assert StepState.RETURNED not in deciding
        if document.status != Status.RETURNED:
            assert not review.comments.all()
    assert not Comment.objects.exclude(review__state=ReviewState.RETURNED).exists()

    # Versions are real snapshots, what was submitted passes the checks, and the people
    # on each step are those the resolvers name.
    rng = random.Random(7)
    for document in rng.sample([d for d in heads if d.pk in reviews], 40):
        version = Version.objects.get(document=document, number=1)
        assert version.snapshot == snapshot(document)
        assert check(document).passed, [e.message for e in check(document).errors]
        for step in reviews[document.pk].steps.all():
            assert list(step.assignees.order_by("pk")) == assignees(step.authority, document)
    assert not Step.objects.filter(assignees__isnull=True).exists()

    # The provincial supervision group stationed at 长沙市 finds its steps in its inbox.
    group = Authority.objects.get(name="省委派驻长沙市督导组")
    member = group.group.user_set.get()
    waiting = Step.objects.filter(assignees=member, authority="provincial_group", state=StepState.PENDING)
    assert waiting.exists()
    assert member.notifications.filter(document__reviews__steps__in=waiting).exists()

    # The inbox and a document page cost what they cost on the small cast
    # (tests/test_review_views.py pins the same numbers there).
    client = Client()
    client.force_login(member)
    client.get(reverse("review:inbox"))  # the member's first page reads their reach
    with CaptureQueriesContext(connection) as inbox:
        response = client.get(reverse("review:inbox"), {"state": "all"})
    assert response.status_code == 200 and response.content.decode().count('class="inbox-row"') > 2
    assert len(inbox.captured_queries) == INBOX_QUERIES
    # A county or city committee's plan, by whoever must decide on it now.
    step = (
        Step.objects.filter(
            state=StepState.PENDING,
            review__document__kind=DocumentKind.TEAM_PLAN,
            review__document__team__kind="party_committee",
        )
        .select_related("review__document")
        .first()
    )
    plan = step.review.document
    client.force_login(step.assignees.first())
    client.get(reverse("plans:document", args=[plan.pk]))
    with CaptureQueriesContext(connection) as page:
        assert client.get(reverse("plans:document", args=[plan.pk])).status_code == 200
    assert len(page.captured_queries) == TEAM_PLAN_PAGE_QUERIES

    # seed_scale counted the dashboard's figures at its end: the group's city and one of
    # its counties cost what they cost on the demo (tests/test_dashboard_views.py).
    city = Org.objects.get(code="4301")
    filled = (
        Tally.objects.filter(parent=city, scope="all", kind="", must__gt=0).select_related("region").first()
    )
    assert filled is not None and Tally.objects.get(region=city, scope="all", kind="").must >= filled.must
    client.force_login(member)
    for code, pinned in ((city.code, COUNTY_QUERIES), (filled.region.code, COUNTY_QUERIES)):
        cache.clear()
        with CaptureQueriesContext(connection) as board:
            assert client.get(reverse("dashboard:region", args=[code])).status_code == 200
        assert len(board.captured_queries) == pinned

    # The approved documents have their ledgers, as approving them would have opened
    # them, each measure in a state a follow-through leaves it in; the region's ledger
    # costs what it costs on the cast (tests/test_ledger_region.py), and the dashboard
    # counts its measures as the ledger does.
    approved_ids = {d.pk for d in documents if d.status == Status.APPROVED}
    entries = list(Entry.objects.all())
    assert entries and {e.document_id for e in entries} == {
        pk for pk in approved_ids if measures_of(Document.objects.get(pk=pk))
    }
    for document in rng.sample([d for d in documents if d.pk in approved_ids], 20):
        opened = [
            (e.item_uid, e.text, e.problem, e.owner_id, e.deadline, e.standing) for e in measures_of(document)
        ]
        written = Entry.objects.filter(document=document).order_by("position")
        assert [
            (e.item_uid, e.text, e.problem, e.owner_id, e.deadline, e.standing) for e in written
        ] == opened
    today = timezone.localdate()
    states = Counter(e.state for e in entries)
    assert set(states) == set(EntryState.values)
    assert states[EntryState.OPEN] > max(states[EntryState.DONE], states[EntryState.CLOSED])
    assert any(e.escalated_at for e in entries)
    # What the schedule escalates by its rule is already escalated, with its proof: the
    # schedule run on this data sends nothing.
    assert chase(clock.today()) == {kind: 0 for kind in ChaseKind.values}
    assert any(e.state == EntryState.OPEN and not e.standing and e.deadline < today for e in entries)
    assert not any(e.standing and e.state == EntryState.CLOSED for e in entries)
    done = {e.pk for e in entries if e.state != EntryState.OPEN}
    assert done == set(LedgerReport.objects.filter(done=True).values_list("entry_id", flat=True))
    assert all(e.closed_at for e in entries if e.state == EntryState.CLOSED)
    county = max(
        Org.objects.filter(parent=city, kind=OrgKind.REGION), key=lambda o: ledgers.counts(o)["measures"]
    )
    client.force_login(member)
    for code in (city.code, county.code):
        client.get(reverse("ledger:region", args=[code]))
        with CaptureQueriesContext(connection) as ledger_page:
            response = client.get(reverse("ledger:region", args=[code]), {"state": "overdue"})
        assert response.status_code == 200 and response.context["rows"]
        assert len(ledger_page.captured_queries) == REGION_QUERIES
    board = build(county)
    total = board.total.figure("")
    found = ledgers.counts(county, today=today)
    assert (total.measures, total.measures_closed, total.overdue(today), total.measures_escalated) == (
        found["measures"],
        found["closed"],
        found["overdue"],
        found["escalated"],
    )

    # A second run finds every picked county filled and adds nothing; a larger share
    # tops up the counties the smaller one left out, and leaves the others alone.
    before = counts()
    again = seed_scale("--fraction", "0.01")
    assert "没有新增" in again
    assert counts() == before
    teams = set(Team.objects.values_list("pk", flat=True))
    assert "规模数据已生成" in seed_scale("--fraction", "0.02")
    assert Team.objects.count() > len(teams)
    assert Document.objects.filter(team__in=teams).count() == len(documents)
    assert Review.objects.filter(document__team__in=teams).count() == len(reviews)


def test_every_region_adds_up_with_measures_kept_under_a_lower_seat(scale):
    # 县长 and 常务副县长 sit in two teams each. Say each opened measures under the lower
    # seat before taking the higher one: kept for reading, in whatever state they reached.
    statuses = cycle(Status.values)
    kept = []
    for person in Person.objects.annotate(n=Count("positions")).filter(n__gt=1):
        seats = [p for p in seats_of(person) if has_individual_measures(p.team)]
        best = measures_seat(seats)
        for position in seats:
            if position.pk != best.pk:
                document = _create(position.team, DocumentKind.INDIVIDUAL, person=person)
                Document.objects.filter(pk=document.pk).update(status=next(statuses))
                kept.append(document.pk)
    assert len(kept) >= 4
    refresh_now()

    # 应报 = 未开始 + 草稿 + 审阅中 + 退回修改 + 已通过, for every region, scope and kind.
    tallies = list(Tally.objects.select_related("region"))
    for tally in tallies:
        opened = sum(getattr(tally, status) for status in Status.values)
        assert tally.must == tally.not_started + opened, (tally.region.name, tally.scope, tally.kind)
    assert len({t.region_id for t in tallies if t.must}) > 20  # the province, the city, counties, townships
    # The list of who has not filed is the 未开始 and the 草稿 of the same figures.
    for tally in tallies:
        if tally.scope == "all" and tally.kind in ("", DocumentKind.INDIVIDUAL) and tally.must:
            rows = unfiled(tally.region, tally.kind or ALL)
            assert rows.count() == tally.not_started + tally.draft, (tally.region.name, tally.kind)
