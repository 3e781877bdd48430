"""A region's ledger (整改台账): what it counts and lists under each filter, who reads it,
its Excel in the notice's layout with the progress columns (in the request for a small
region, on the worker for a large one), one document's ledger as Excel, and what the
page costs (a pinned number of queries)."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm
from openpyxl import load_workbook

from ledger import region as ledgers
from ledger.models import Entry, Export, Report
from ledger.words import PROGRESS_COLUMNS, EntryState, ExportState
from orgs.models import Authority, AuthorityKind
from plans.sheets.layout import TEAM_COLUMNS
from plans.words import Category, DocumentKind

from .conftest import user
from .factories import approved, filled_individual, filled_team_plan

# What the region's page costs, whatever the size of the region: the session and the
# user with their person (2), the user's reach (1: the token of who holds what; the
# user's first page read the reach, which the process keeps), the region (1), the counts of every
# state in one aggregate (1), the page of rows (1; its size read from the counts), the
# regions above for the breadcrumbs (1, none at the province) and the user's latest
# exports of the region (1). tests/test_seed_scale.py checks the same count at scale.
REGION_QUERIES = 8
PROVINCE_QUERIES = REGION_QUERIES - 1


@pytest.fixture
def ledger(cast, leaders):
    """長沙县委's approved plan (with its attachments) and a member's approved measures,
    their entries spread over every state: one closed with a report, one reported done,
    one escalated, one not yet due, the rest open and past their 2014 deadlines."""
    plan = approved(filled_team_plan(cast), by=cast.filer)
    measures = approved(filled_individual(cast), by=cast.member)
    entries = list(Entry.objects.filter(document=plan).order_by("position"))
    now = timezone.now()
    closed, done, escalated, future = entries[:4]
    Report.objects.create(entry=closed, text="已建立台账并全部整改到位", done=True, by=cast.filer)
    Entry.objects.filter(pk=closed.pk).update(
        state=EntryState.CLOSED, done_at=now, closed_at=now, last_report_at=now
    )
    Entry.objects.filter(pk=done.pk).update(state=EntryState.DONE, done_at=now, last_report_at=now)
    Entry.objects.filter(pk=escalated.pk).update(escalated_at=now)
    Entry.objects.filter(pk=future.pk).update(deadline=timezone.localdate() + dt.timedelta(days=30))
    cast.plan, cast.measures = plan, measures
    cast.closed, cast.done, cast.escalated, cast.future = closed, done, escalated, future
    return cast


def expected(entries, today):
    """The counts of ENTRIES, read one by one in Python."""
    entries = list(entries)
    return {
        "measures": len(entries),
        "standing": sum(e.standing for e in entries),
        "open": sum(e.state == EntryState.OPEN for e in entries),
        "done": sum(e.state == EntryState.DONE for e in entries),
        "closed": sum(e.state == EntryState.CLOSED for e in entries),
        "overdue": sum(
            e.state == EntryState.OPEN and not e.standing and e.deadline is not None and e.deadline < today
            for e in entries
        ),
        "escalated": sum(e.escalated_at is not None and e.state != EntryState.CLOSED for e in entries),
    }


def page(client, code, **params):
    return client.get(reverse("ledger:region", args=[code]), params)


# What it counts ---------------------------------------------------------------------------


def test_the_counts_agree_with_the_entries_under_every_filter(ledger):
    today = timezone.localdate()
    everything = Entry.objects.select_related("document")
    assert ledgers.counts(ledger.csx, today=today) == expected(everything, today)
    assert ledgers.counts(ledger.changsha, today=today) == expected(everything, today)
    assert ledgers.counts(ledger.zhuzhou, today=today)["measures"] == 0
    for kind in (DocumentKind.TEAM_PLAN, DocumentKind.INDIVIDUAL, DocumentKind.SPECIAL_RECTIFICATION):
        filters = ledgers.Filters(kind=kind)
        want = expected([e for e in everything if e.document.kind == kind], today)
        assert want["measures"]
        assert ledgers.counts(ledger.hunan, filters, today) == want
    for category in Category.values:
        filters = ledgers.Filters(category=category)
        assert ledgers.counts(ledger.hunan, filters, today) == expected(
            [e for e in everything if e.category == category], today
        )
    found = ledgers.counts(ledger.hunan, today=today)
    assert found["open"] + found["done"] + found["closed"] == found["measures"]
    assert (found["done"], found["closed"], found["escalated"]) == (1, 1, 1)
    assert 0 < found["overdue"] < found["open"]  # the one not yet due is open, not overdue


def test_the_page_lists_what_a_filter_selects_and_links_each_document(ledger, client):
    client.force_login(ledger.office)
    response = page(client, "430121")
    assert response.status_code == 200
    assert response.context["found"]["measures"] == Entry.objects.count()
    html = response.content.decode()
    assert reverse("plans:document", args=[ledger.plan.pk]) in html
    for state, entry in (("closed", ledger.closed), ("done", ledger.done), ("escalated", ledger.escalated)):
        rows = page(client, "430121", state=state).context["rows"]
        assert [row["pk"] for row in rows] == [entry.pk]
    overdue = page(client, "430121", state="overdue").context["rows"]
    assert ledger.future.pk not in {row["pk"] for row in overdue}
    assert all(row["overdue"] for row in overdue)
    owner = ledger.member_person.name
    searched = page(client, "430121", q=owner).context["rows"]
    assert searched and all(owner in row["owner"] for row in searched)
    kind = page(client, "430121", kind="individual").context["rows"]
    assert {row["document_id"] for row in kind} == {ledger.measures.pk}


def test_a_page_holds_fifty_and_the_next_the_rest(ledger, client, settings):
    client.force_login(ledger.office)
    total = Entry.objects.count()
    first = page(client, "43").context["page"]
    assert first.paginator.count == total
    assert len(first.object_list) == min(total, 50)


# Who reads it ---------------------------------------------------------------------------


def test_a_county_group_reads_its_county_only_and_an_outsider_is_refused(ledger, client):
    body = Authority.objects.create(kind=AuthorityKind.LOCAL_GROUP, name="长沙县委督导组")
    member = user("county_group")
    body.group.user_set.add(member)
    assign_perm("orgs.oversee_org", body.group, ledger.csx)
    client.force_login(member)
    assert page(client, "430121").status_code == 200
    assert page(client, "430121001").status_code == 200
    assert page(client, "4301").status_code == 404  # the city above is outside their reach
    assert page(client, "430102").status_code == 404  # and so is the county beside theirs
    client.force_login(ledger.outsider)
    assert page(client, "4301").status_code == 404
    assert page(client, "430223").status_code == 403  # their own county: seen, not overseen
    assert client.get(reverse("ledger:region_export", args=["430121"])).status_code == 404
    client.force_login(ledger.filer)
    assert page(client, "430121").status_code == 403


# Its Excel ------------------------------------------------------------------------------


def sheet(response):
    assert response.status_code == 200
    book = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


NOTICE_HEADERS = [str(header).replace("\n", "") for _field, header, _width in TEAM_COLUMNS]
HEADERS = NOTICE_HEADERS + [str(label) for _field, label in PROGRESS_COLUMNS]


def _row_of(rows, entry):
    return next(row for row in rows[3:] if row[3] == entry.text and row[0] == entry.number)


def test_the_region_excel_is_the_notice_list_with_its_progress(ledger, client):
    client.force_login(ledger.group)
    rows = sheet(client.get(reverse("ledger:region_export", args=["4301"])))
    assert rows[0][0] == "长沙市整改台账"
    assert rows[2] == HEADERS
    headings = [row[0] for row in rows[3:] if row[1] is None and row[3] is None and row[0]]
    assert f"长沙县 · {ledger.plan.title}" in headings
    measures = [row for row in rows[3:] if row[3]]
    assert len(measures) == Entry.objects.count()
    closed = _row_of(rows, ledger.closed)
    today = timezone.localdate()
    assert closed[6] == "已销号"
    assert closed[7] == "已建立台账并全部整改到位"
    assert closed[8].date() == today and closed[9].date() == today
    done = _row_of(rows, ledger.done)
    assert done[6] == "待核验" and done[9] is None
    escalated = _row_of(rows, ledger.escalated)
    assert escalated[6] == "整改中（逾期）" and escalated[10] == f"已督办（{today:%Y-%m-%d}）"
    assert _row_of(rows, ledger.future)[6] == "整改中"


def test_the_excel_follows_the_filters(ledger, client):
    client.force_login(ledger.office)
    rows = sheet(client.get(reverse("ledger:region_export", args=["43"]), {"state": "closed"}))
    assert [row[3] for row in rows[3:] if row[3]] == [ledger.closed.text]


def test_one_documents_ledger_as_excel(ledger, client):
    client.force_login(ledger.filer)
    rows = sheet(client.get(reverse("ledger:document_export", args=[ledger.plan.pk])))
    assert rows[2] == HEADERS
    assert len([row for row in rows[3:] if row[3]]) == Entry.objects.filter(document=ledger.plan).count()
    assert _row_of(rows, ledger.closed)[7] == "已建立台账并全部整改到位"
    client.force_login(ledger.outsider)
    assert client.get(reverse("ledger:document_export", args=[ledger.plan.pk])).status_code == 404


def test_a_large_region_is_written_on_the_worker_with_its_progress(
    ledger, client, settings, django_capture_on_commit_callbacks
):
    settings.LEDGER_EXPORT_INLINE_ROWS = 1
    client.force_login(ledger.office)
    response = page(client, "43")
    assert not response.context["inline"] and "export-queue" in response.content.decode()
    refused = client.get(reverse("ledger:region_export", args=["43"]))
    assert refused.status_code == 302 and not Export.objects.exists()  # never a long request
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ledger:region_export_queue", args=["43"]), {"kind": "team_plan"})
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.state == ExportState.READY
    assert export.total == export.written == Entry.objects.filter(document__kind="team_plan").count()
    assert export.filters == {"kind": "team_plan"}
    listed = client.get(reverse("ledger:region_exports", args=["43"])).content.decode()
    assert reverse("ledger:export_download", args=[export.pk]) in listed and "hx-trigger" not in listed
    rows = sheet(client.get(reverse("ledger:export_download", args=[export.pk])))
    assert rows[2] == HEADERS and len([row for row in rows[3:] if row[3]]) == export.total
    client.force_login(ledger.group)  # somebody else's file does not exist for them
    assert client.get(reverse("ledger:export_download", args=[export.pk])).status_code == 404


def test_an_export_being_written_shows_its_progress(ledger, client):
    export = Export.objects.create(
        region=ledger.hunan,
        requested_by=ledger.office,
        total=200,
        written=50,
        name="湖南省整改台账.xlsx",
        state=ExportState.RUNNING,
    )
    client.force_login(ledger.office)
    listed = client.get(reverse("ledger:region_exports", args=["43"])).content.decode()
    assert 'value="25"' in listed and "hx-trigger" in listed
    assert client.get(reverse("ledger:export_download", args=[export.pk])).status_code == 404


# What it costs -------------------------------------------------------------------------------


def queries(client, code, **params):
    with CaptureQueriesContext(connection) as captured:
        response = page(client, code, **params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_page_costs_a_fixed_number_of_queries(ledger, client):
    client.force_login(ledger.office)
    page(client, "43")  # the session and the static files' finders warm
    assert queries(client, "43") == PROVINCE_QUERIES
    assert queries(client, "4301", state="overdue", category="four_winds") == REGION_QUERIES
    assert queries(client, "430121", kind="individual", q=ledger.member_person.name) == REGION_QUERIES


# On the dashboard ---------------------------------------------------------------------------


def test_the_dashboard_counts_the_measures_as_the_ledger_does(ledger, client):
    from django.core.cache import cache

    from dashboard.board import build
    from dashboard.figures import ALL
    from dashboard.refresh import refresh_now

    refresh_now()
    cache.clear()
    today = timezone.localdate()

    def figures(figure):
        return {
            "measures": figure.measures,
            "standing": figure.measures_standing,
            "open": figure.measures_open,
            "done": figure.measures_done,
            "closed": figure.measures_closed,
            "overdue": figure.overdue(today),
            "escalated": figure.measures_escalated,
        }

    for region in (ledger.hunan, ledger.changsha, ledger.csx, ledger.xingsha):  # rolled up, and live
        board = build(region)
        assert figures(board.total.figure(ALL)) == ledgers.counts(region, today=today), region.name
        for kind in ("team_plan", "individual", "institution_plan"):
            assert figures(build(region, kind).total.figure(kind)) == ledgers.counts(
                region, ledgers.Filters(kind=kind), today
            )
    board = build(ledger.csx)
    assert board.categories
    for category, figure in board.categories.items():
        filters = ledgers.Filters(category=category or ledgers.NO_CATEGORY)
        assert figures(figure) == ledgers.counts(ledger.csx, filters, today), category


def test_a_figure_on_the_dashboard_drills_into_the_ledger(ledger, client):
    from django.core.cache import cache

    from dashboard.refresh import refresh_now

    refresh_now()
    cache.clear()
    client.force_login(ledger.office)
    html = client.get(reverse("dashboard:region", args=["4301"])).content.decode()
    assert 'id="table-completion"' in html and 'id="table-categories"' in html
    link = reverse("ledger:region", args=["430121"]) + "?state=overdue"
    assert f'href="{link}"' in html
    overdue = ledgers.counts(ledger.csx)["overdue"]
    assert client.get(link).context["page"].paginator.count == overdue
    individual = client.get(reverse("dashboard:region", args=["4301"]), {"kind": "individual"})
    assert (
        reverse("ledger:region", args=["430121"]) + "?state=open&amp;kind=individual"
        in individual.content.decode()
    )
