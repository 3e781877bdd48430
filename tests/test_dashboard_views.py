"""The dashboard's pages: who reaches which region, drilling down the tree, what the
tables and charts show, the Excel files, the overdue highlight, and what a page costs
(pinned query counts, the same for the province as for a county)."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm
from openpyxl import load_workbook

from dashboard.figures import ALL
from dashboard.models import Freshness, Scope, Tally
from dashboard.refresh import refresh_now
from dashboard.unfiled import unfiled
from orgs.models import Org
from plans.models import Document
from review.models import Step, StepState

from . import test_moves

# The demo with every document opened and some taken through review to every state.
demo = test_moves.demo

# What a rolled-up region's page costs, whatever the size of the tree: the session and
# the user with their person (2), the user's reach (1: the token of who holds what; the
# user's first page read the reach, which the process keeps: orgs.stamps), the region (1), the tallies of
# the region and its children with their names and what waits longest (1), the time of
# the figures (1), its ancestors for the breadcrumbs (1, none at the province), the
# bulletins naming the region (1) and whether the user reads the audit, for its link (1,
# audit/access.py); and the figures looked up in the shared cache (1, a
# table of the database: settings.CACHES) and, found missing, kept there (5: the table
# counted against its MAX_ENTRIES, the key looked up and written, in a savepoint of the
# test's transaction). tests/test_seed_scale.py checks the same counts at scale.
CACHE_READ = 1
CACHE_WRITE = 5
PROVINCE_QUERIES = 8 + CACHE_READ + CACHE_WRITE
COUNTY_QUERIES = 9 + CACHE_READ + CACHE_WRITE
# The next visitor before the figures are counted again gets the same HTML from the
# cache: no tallies to read, and the bulletins with them, and nothing to keep.
PROVINCE_QUERIES_KEPT = PROVINCE_QUERIES - 2 - CACHE_WRITE
COUNTY_QUERIES_KEPT = COUNTY_QUERIES - 2 - CACHE_WRITE
# A township counts its own small subtree live: its child regions, the five queries of
# the refresh (what is due with the documents answering it, as one; the open steps; the
# returns; the submissions; the ledger's measures by state, category and deadline, which
# the completion table added on purpose) and two for its oldest open steps and their
# titles, instead of the tallies and their time; the audit's link (1) as above.
TOWNSHIP_QUERIES = 14


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def page(client, code, **params):
    return client.get(reverse("dashboard:region", args=[code]), params)


@pytest.fixture
def figures(demo):
    refresh_now()
    return demo


@pytest.fixture(autouse=True)
def _no_kept_figures(db):
    """Each test reads the figures it counted, not a page another test kept."""
    cache.clear()


# Who sees what ----------------------------------------------------------------------------


def test_a_supervisor_starts_at_their_region(figures, client):
    login(client, "province_office")
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 302 and response.url == reverse("dashboard:region", args=["43"])
    login(client, "cs_group")
    assert client.get(reverse("dashboard:index")).url == reverse("dashboard:region", args=["4301"])


def test_the_administrator_starts_at_the_top(figures, client):
    login(client, "admin")
    assert client.get(reverse("dashboard:index")).url == reverse("dashboard:region", args=["43"])
    assert page(client, "4302").status_code == 200


def test_several_regions_are_listed(figures, client):
    # 长沙县县长 is 分管领导 of 星沙街道 and of the county's units: one region among them.
    user = get_user_model().objects.get(username="csx_head")
    assign_perm("orgs.oversee_org", user, Org.objects.get(code="430223"))
    login(client, "csx_head")
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("dashboard:region", args=["430121001"]) in html
    assert reverse("dashboard:region", args=["430223"]) in html


def test_outside_the_reach_is_a_404_and_non_supervisors_are_refused(figures, client):
    login(client, "zz_group")
    assert page(client, "4301").status_code == 404
    assert page(client, "4302").status_code == 200
    login(client, "outsider")
    assert client.get(reverse("dashboard:index")).status_code == 403
    assert page(client, "4301").status_code == 404
    assert page(client, "430223").status_code == 403  # their own county, seen but not overseen
    assert client.get(reverse("dashboard:export", args=["4301", "progress"])).status_code == 404
    assert client.get(reverse("dashboard:unfiled", args=["4301"])).status_code == 404
    login(client, "csx_filer")
    assert page(client, "430121").status_code == 403
    assert page(client, "99").status_code == 404


def test_the_menu_offers_the_dashboard_to_supervisors_only(figures, client):
    login(client, "csx_filer")
    assert "督导看板" not in client.get(reverse("home")).content.decode()
    login(client, "csx_group")
    assert "督导看板" in client.get(reverse("home")).content.decode()


# Drilling down ----------------------------------------------------------------------------


def test_drilling_down_from_the_province_to_a_village(figures, client):
    login(client, "province_office")
    html = page(client, "43").content.decode()
    assert "长沙市" in html and "株洲市" in html
    assert f'href="{reverse("dashboard:region", args=["4301"])}"' in html
    html = page(client, "4301").content.decode()
    assert f'href="{reverse("dashboard:region", args=["430121"])}"' in html
    assert "本级" in html  # 长沙市's own teams
    html = page(client, "430121").content.decode()
    assert f'href="{reverse("dashboard:region", args=["430121001"])}"' in html
    assert "数据截至" in html
    html = page(client, "430121001").content.decode()  # a township: live
    assert "实时数据" in html and "开元路社区" in html
    assert page(client, "430121001001").status_code == 200


def test_the_breadcrumbs_link_only_what_the_user_oversees(figures, client):
    login(client, "cs_group")
    html = page(client, "430121").content.decode()
    assert f'href="{reverse("dashboard:region", args=["4301"])}"' in html
    assert f'href="{reverse("dashboard:region", args=["43"])}"' not in html and "湖南省" in html


def test_the_tables_show_the_tallies(figures, client):
    login(client, "province_office")
    response = page(client, "4301")
    tables = response.context["tables"]
    tally = Tally.objects.get(region__code="430121", scope=Scope.ALL, kind=ALL)
    row = next(r for r in tables["progress"].rows if r[0].value == "长沙县")
    assert [cell.value for cell in row[1:7]] == [
        tally.must,
        tally.not_started,
        tally.draft,
        tally.submitted,
        tally.returned,
        tally.approved,
    ]
    total = tables["progress"].rows[-1]
    city = Tally.objects.get(region__code="4301", scope=Scope.ALL, kind=ALL)
    assert total[1].value == city.must and total[0].value == "合计"
    # 长沙市委's plan was returned by the group on the ground 整改措施不具体.
    grounds = tables["grounds"]
    assert grounds.columns[3].label == "没有做到“四个回应”" and grounds.rows[-1][2].value == city.returns == 2
    chart = response.context["chart"]
    assert chart["states"]["categories"][0] == tables["progress"].rows[0][0].value
    assert [s["name"] for s in chart["states"]["series"]] == [
        "未开始",
        "草稿",
        "审阅中",
        "退回修改",
        "已通过",
    ]
    html = response.content.decode()
    assert 'id="dashboard-data"' in html and "<script>" not in html.replace('<script id="dashboard-data"', "")


def test_a_kind_narrows_the_figures(figures, client):
    login(client, "province_office")
    response = page(client, "43", kind="individual")
    tally = Tally.objects.get(region__code="43", scope=Scope.ALL, kind="individual")
    assert response.context["tables"]["progress"].rows[-1][1].value == tally.must
    assert "领导干部个人整改措施" in response.content.decode()
    assert page(client, "43", kind="nonsense").context["board"].kind == ALL


def test_the_time_of_the_figures_and_a_pending_refresh_are_shown(figures, client):
    login(client, "province_office")
    Freshness.objects.update(computed_at=timezone.now() - dt.timedelta(days=2), queued_at=timezone.now())
    html = page(client, "43").content.decode()
    assert "数据截至 " in html and "正在重新统计" in html
    Tally.objects.all().delete()
    Freshness.objects.all().delete()
    assert "尚未统计" in page(client, "43").content.decode()


def test_refresh_is_asked_for_by_post(figures, client, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import task_backends

    task_backends["default"].clear()
    login(client, "province_office")
    url = reverse("dashboard:refresh", args=["43"])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "已安排重新统计" in response.content.decode()
    assert len(task_backends["default"].results) == 1
    login(client, "zz_group")
    assert client.post(reverse("dashboard:refresh", args=["4301"])).status_code == 404


# Waiting ----------------------------------------------------------------------------------


def test_what_waits_longest_is_highlighted_past_the_overdue_days(figures, client, settings):
    long_ago = timezone.now() - dt.timedelta(days=10)
    Step.objects.filter(state=StepState.PENDING).update(reached_at=long_ago)
    refresh_now()
    login(client, "province_office")
    response = page(client, "43")
    oldest = response.context["tables"]["oldest"]
    assert oldest.classes[0] == "overdue"  # the pending steps; the unread ones came today
    waits = response.context["tables"]["waits"]
    assert waits.columns[3].label == "超过 7 天"
    assert sum(row[3].value for row in waits.rows) == Step.objects.filter(state=StepState.PENDING).count()
    assert "table-danger" in response.content.decode()
    settings.DASHBOARD_OVERDUE_DAYS = 30
    response = page(client, "43")
    assert "overdue" not in response.context["tables"]["oldest"].classes
    assert "table-danger" not in response.content.decode()
    assert response.context["tables"]["waits"].columns[3].label == "超过 30 天"


# Excel --------------------------------------------------------------------------------------


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_every_table_exports_with_the_page_s_words(figures, client):
    login(client, "province_office")
    response = page(client, "4301")
    for name, table in response.context["tables"].items():
        rows = sheet(client.get(reverse("dashboard:export", args=["4301", name])))
        assert rows[0][0] == f"长沙市{table.title}"
        assert rows[1][0].startswith("实时数据" if name == "oldest" else "数据截至")
        assert list(rows[2]) == [column.label for column in table.columns], name
        assert len(rows) >= 3 + len(table.rows)
    rows = sheet(client.get(reverse("dashboard:export", args=["4301", "progress"])))
    county = next(row for row in rows if row[0] == "长沙县")
    tally = Tally.objects.get(region__code="430121", scope=Scope.ALL, kind=ALL)
    assert county[1:7] == [
        tally.must,
        tally.not_started,
        tally.draft,
        tally.submitted,
        tally.returned,
        tally.approved,
    ]
    assert client.get(reverse("dashboard:export", args=["4301", "nothing"])).status_code == 404


# Who has not filed ------------------------------------------------------------------------


def test_the_unfiled_list_is_the_not_started_and_the_drafts(figures, client):
    drafts = Document.objects.filter(kind="individual", status="draft", reviews__isnull=True)
    drafts.filter(team__org__code="430121").first().delete()
    refresh_now()
    county = Org.objects.get(code="430121")
    tally = Tally.objects.get(region=county, scope=Scope.ALL, kind=ALL)
    rows = list(unfiled(county))
    assert len(rows) == tally.not_started + tally.draft
    assert len(list(unfiled(county, state="not_started"))) == tally.not_started == 1
    individual = Tally.objects.get(region=county, scope=Scope.ALL, kind="individual")
    assert len(list(unfiled(county, "individual"))) == individual.not_started + individual.draft
    login(client, "csx_group")
    response = client.get(reverse("dashboard:unfiled", args=["430121"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "未开始" in html and "草稿" in html and "长沙县教育局" in html
    assert response.context["page"].paginator.count == len(rows)
    exported = sheet(client.get(reverse("dashboard:unfiled_export", args=["430121"])))
    assert list(exported[2]) == ["单位", "班子", "干部", "类别", "状态", "最后修改"]
    assert len([r for r in exported[3:] if r and r[0]]) == len(rows) + 1  # and the note


# What a page costs --------------------------------------------------------------------------


def queries(client, code, **params):
    cache.clear()  # the figures as the first visitor after a count gets them
    with CaptureQueriesContext(connection) as captured:
        response = page(client, code, **params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def kept_queries(client, code, **params):
    page(client, code, **params)
    with CaptureQueriesContext(connection) as captured:
        response = page(client, code, **params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_pages_cost_a_fixed_number_of_queries(figures, client):
    login(client, "province_office")
    page(client, "43")  # the session and the static files' finders warm
    assert queries(client, "43") == PROVINCE_QUERIES
    assert queries(client, "43", kind="individual") == PROVINCE_QUERIES
    assert queries(client, "4301") == COUNTY_QUERIES
    assert queries(client, "430121") == COUNTY_QUERIES
    assert queries(client, "430121001") == TOWNSHIP_QUERIES
    assert kept_queries(client, "43") == PROVINCE_QUERIES_KEPT
    assert kept_queries(client, "430121") == COUNTY_QUERIES_KEPT
    assert kept_queries(client, "430121001") == TOWNSHIP_QUERIES  # live: never kept


def test_kept_figures_give_way_to_a_new_count(figures, client):
    login(client, "province_office")

    def shown():
        return page(client, "430121").context["figures"]

    first = shown()
    assert "table-progress" in first
    assert shown() is not None and shown() == first  # kept
    Document.objects.filter(team__org__code="430121", status="draft").update(status="approved")
    assert shown() == first  # not counted yet: the page says the time of its figures
    refresh_now()
    assert shown() != first
