"""make bench: the performance figures, each beside a floor measured in the same run.

Runs against a throw-away SQLite database (or BENCH_DATABASE_URL), never the demo's.
Prints one JSON document. Timings are medians of repeated requests through the
whole Django stack (middleware, session, login) with the test client; the floor is
a bare view behind the same stack rendering a template from one query, so the
ratios say what our pages cost beyond Django itself.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HUNAN = ROOT / "data" / "divisions" / "hunan"
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def manage_measured(*args, env):
    """Run manage.py in a child process; return (seconds, its peak RSS in MB, stdout)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    stdout, stderr = child.stdout.read(), child.stderr.read()
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"manage.py {' '.join(args)} failed:\n{stderr.decode()}")
    return round(elapsed, 2), round(usage.ru_maxrss / 1024, 1), stdout.decode()


def timed(client, url, repeat=REPEAT):
    """Median milliseconds and query count of GET url."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured.captured_queries)  # read now: later requests reset the log
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2), queries


def timed_first(client, url, repeat=REPEAT):
    """Median milliseconds and query count of GET url as the first visitor after a count
    of the dashboard's figures sees it: with the figures kept in no cache."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = []
    for round_ in range(repeat + 3):
        cache.clear()
        if round_ == 3:
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries = len(captured.captured_queries)
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if round_ >= 3:
            samples.append(elapsed)
    return round(statistics.median(samples), 2), queries


def main():
    workdir = Path(tempfile.mkdtemp(prefix="rectify-bench-"))
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1"}
    os.environ.update(
        {"DATABASE_URL": database_url, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "rectify.settings"}
    )

    manage_measured("migrate", "--noinput", env=env)
    import_seconds, import_peak_mb, _ = manage_measured("import_divisions", str(HUNAN), env=env)
    again_seconds, again_peak_mb, again_out = manage_measured("import_divisions", str(HUNAN), env=env)
    manage_measured("seed_demo", env=env)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings

    from orgs.models import Level, Org

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    province = Org.objects.get(code="43")
    county = Org.objects.get(code="430121")
    biggest_township = max(Org.objects.filter(level=Level.TOWNSHIP), key=lambda org: org.descendant_count)
    village = Org.objects.get(code="430121001001")

    client = Client()
    client.force_login(get_user_model().objects.get(username="province_office"))

    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        floor_ms, floor_queries = timed(client, f"/bench/floor/{county.pk}/")

        def page(url):
            ms, queries = timed(client, url)
            return {
                "url": url,
                "median_ms": ms,
                "queries": queries,
                "ratio_to_floor": round(ms / floor_ms, 2),
            }

        pages = {
            "home_province_office": page("/"),
            "tree_province": page(f"/orgs/{province.pk}/"),
            "tree_county": page(f"/orgs/{county.pk}/"),
            "tree_largest_township": page(f"/orgs/{biggest_township.pk}/"),
            "tree_village": page(f"/orgs/{village.pk}/"),
            "search_name": page("/orgs/search/?q=%E6%98%9F%E6%B2%99"),  # 星沙
            "search_code": page("/orgs/search/?q=430121"),
            "search_common_word": page("/orgs/search/?q=%E6%9D%91"),  # 村: thousands of matches
        }

    from bench import pdf, sheets
    from plans.models import Document
    from plans.words import DocumentKind

    sheet_figures = sheets.measure()  # on 长沙县委's plan, in a transaction it rolls back
    pdf_figures = pdf.measure()  # builds 长沙县委's 60-problem plan, kept for the editor below
    plan = Document.objects.get(team__org=county, team__kind="party_committee", kind=DocumentKind.TEAM_PLAN)
    filer = Client()
    filer.force_login(get_user_model().objects.get(username="csx_filer"))
    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        ms, queries = timed(filer, f"/documents/{plan.pk}/", repeat=max(5, REPEAT // 3))
        pages["document_editor_60_problems"] = {
            "url": f"/documents/{plan.pk}/",
            "items": plan.items.count(),
            "median_ms": ms,
            "queries": queries,
            "ratio_to_floor": round(ms / floor_ms, 2),
        }
        ms, queries = timed(filer, f"/documents/{plan.pk}/checklist/", repeat=max(5, REPEAT // 3))
        pages["checklist_60_problems"] = {
            "median_ms": ms,
            "queries": queries,
            "ratio_to_floor": round(ms / floor_ms, 2),
        }

    # Review at the province's size: seed_scale on the same database, then the busiest
    # reviewer's inbox and a committee plan's page as its current reviewer sees it.
    from django.db.models import Count

    from bench import scale
    from review.models import Step, StepState

    fraction = float(os.environ.get("BENCH_SCALE", "1.0"))
    scale_figures = scale.seed(fraction)
    busiest = (
        Step.objects.filter(state=StepState.PENDING)
        .values("assignees")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    reviewer = Client()
    reviewer.force_login(get_user_model().objects.get(pk=busiest["assignees"]))
    deciding = (
        Step.objects.filter(
            state=StepState.PENDING,
            review__document__kind=DocumentKind.TEAM_PLAN,
            review__document__team__kind="party_committee",
        )
        .select_related("review__document")
        .first()
    )
    decider = Client()
    decider.force_login(deciding.assignees.first())
    # The dashboard: seed_scale counted its figures at its end; count them again here to
    # time the refresh on its own, then read the province and the county with the most
    # due (rolled up) and the largest township (counted live).
    refresh_seconds, refresh_peak_mb, refresh_out = manage_measured("refresh_dashboard", env=env)
    from dashboard.models import Scope, Tally

    fullest = (
        Tally.objects.filter(region__level=Level.COUNTY, scope=Scope.ALL, kind="")
        .select_related("region")
        .order_by("-must")
        .first()
        .region
    )
    busiest_township = (
        Tally.objects.filter(region__level=Level.TOWNSHIP, scope=Scope.ALL, kind="")
        .select_related("region")
        .order_by("-must")
        .first()
        .region
    )
    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        floor_again, _ = timed(client, f"/bench/floor/{county.pk}/")
        at_scale = {
            "fraction": fraction,
            "floor_ms_after_seeding": floor_again,
            "busiest_pending": busiest["n"],
        }
        for name, who, url in (
            ("inbox_busiest_reviewer", reviewer, "/inbox/"),
            ("inbox_busiest_reviewer_all", reviewer, "/inbox/?state=all"),
            ("inbox_province_office", client, "/inbox/?state=all"),
            ("committee_plan_page_as_its_reviewer", decider, f"/documents/{deciding.review.document_id}/"),
            ("dashboard_province", client, f"/dashboard/{province.code}/"),
            ("dashboard_province_individual", client, f"/dashboard/{province.code}/?kind=individual"),
            (f"dashboard_county_{fullest.code}", client, f"/dashboard/{fullest.code}/"),
            (
                f"dashboard_township_{busiest_township.code}_live",
                client,
                f"/dashboard/{busiest_township.code}/",
            ),
            ("dashboard_unfiled_province", client, f"/dashboard/{province.code}/unfiled/"),
        ):
            # The dashboard's pages are held to 3× the floor: measure them as often as it.
            target = name.startswith("dashboard") and "unfiled" not in name
            ms, queries = timed(who, url, repeat=REPEAT if target else max(5, REPEAT // 3))
            at_scale[name] = {
                "url": url,
                "median_ms": ms,
                "queries": queries,
                "ratio_to_floor": round(ms / floor_again, 2),
            }
        # The same pages as the first visitor after each count sees them (not kept).
        for name, url in (
            ("dashboard_province_first_after_count", f"/dashboard/{province.code}/"),
            (f"dashboard_county_{fullest.code}_first_after_count", f"/dashboard/{fullest.code}/"),
        ):
            ms, queries = timed_first(client, url)
            at_scale[name] = {
                "url": url,
                "median_ms": ms,
                "queries": queries,
                "ratio_to_floor": round(ms / floor_again, 2),
            }
        # The ledger of the county with the most measures, and its Excel (bench/ledger.py).
        from bench import ledger as ledger_bench
        from bench import public as public_bench

        scale_figures["ledger"] = ledger_bench.measure(client, timed, floor_again)
        # The public list of a city (bench/public.py, filled in at the merge).
        public = public_bench.measure(client, timed, floor_again)
        if public is not None:
            scale_figures["public"] = public
    scale_figures["pages"] = at_scale
    scale_figures["dashboard_refresh"] = {
        "seconds": refresh_seconds,
        "peak_rss_mb": refresh_peak_mb,
        "tallies": Tally.objects.count(),
        "summary": refresh_out.strip().splitlines()[-1] if refresh_out.strip() else "",
    }

    result = {
        "machine": {
            "python": platform.python_version(),
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "orgs": Org.objects.count(),
            "repeat": REPEAT,
        },
        "floor": {
            "what": "bare Django view behind the same middleware, one query, a template of 50 rows",
            "median_ms": floor_ms,
            "queries": floor_queries,
        },
        "import_divisions_hunan": {
            "rows": 31691,
            "seconds": import_seconds,
            "peak_rss_mb": import_peak_mb,
            "second_run_seconds": again_seconds,
            "second_run_peak_rss_mb": again_peak_mb,
            "second_run_reports_no_change": "没有变化" in again_out,
        },
        "pages": pages,
        "pdf": pdf_figures,
        "spreadsheets": sheet_figures,
        "scale": scale_figures,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
