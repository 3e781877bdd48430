"""make bench: the performance figures, each beside a floor measured in the same run.

Everything is measured on the province's full data (seed_scale, F = BENCH_SCALE, 1.0 by
default), through a real server: gunicorn with the product's gunicorn.conf.py and a
tasks worker, on PostgreSQL when one answers on 127.0.0.1:5432 (a fresh database made
for the run and dropped after it), SQLite otherwise (the report says which). The floor
is a bare Django view served by the same server behind the same middleware (one query,
a template of 50 rows); each page's requests are interleaved with the floor's, and both
are given as p50 and p95. Then the load scenario (bench/load.py, locust): the same
offered load on the floor and on the product, requests per second and p50/p95/p99.

The libraries' own floors are measured beside what we do with them: bare WeasyPrint on
the same HTML (bench/pdf.py), raw openpyxl reading and writing the same cells
(bench/sheets.py, bench/ledger.py).

Prints a report; the whole of it as JSON goes to BENCH_JSON (default: beside the run's
temporary files, its path printed).
"""

import json
import os
import platform
import tempfile
import time
from pathlib import Path

from bench.http import Browser, percentile, session_for
from bench.scale import manage_measured

ROOT = Path(__file__).resolve().parent.parent
HUNAN = ROOT / "data" / "divisions" / "hunan"
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def database(workdir):
    """(DATABASE_URL, what it is, a function that drops it afterwards or None)."""
    given = os.environ.get("BENCH_DATABASE_URL")
    if given:
        return given, given.split(":", 1)[0], None
    try:
        import psycopg

        name = f"rectify_bench_{int(time.time())}"
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except Exception as error:  # no PostgreSQL here: SQLite, and say so
        return (
            f"sqlite:///{workdir / 'bench.sqlite3'}",
            f"sqlite (no PostgreSQL at {POSTGRES}: {error})",
            None,
        )

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{POSTGRES}/{name}", "postgresql", drop


class Measure:
    """GETs through the server, each page's interleaved with the floor's."""

    def __init__(self, port, floor_url, floor_session):
        self.port = port
        self.floor_url = floor_url
        self.floor = Browser(port, floor_session)
        self.floor_samples = []

    def browser(self, session_key=None):
        return Browser(self.port, session_key)

    def _get(self, browser, url, status=200):
        code, body, ms = browser.get(url)
        assert code == status, (url, code, body[:300])
        return ms

    def page(self, browser, url, repeat=REPEAT, client=None, before=None):
        """p50/p95 of URL and of the floor, interleaved; queries of one in-process GET."""
        for _ in range(2):
            self._get(self.floor, self.floor_url)
            if before:
                before()
            self._get(browser, url)
        mine, floor = [], []
        for round_ in range(repeat):
            if before:
                before()
            if round_ % 2:
                mine.append(self._get(browser, url))
                floor.append(self._get(self.floor, self.floor_url))
            else:
                floor.append(self._get(self.floor, self.floor_url))
                if before:
                    before()
                mine.append(self._get(browser, url))
        self.floor_samples += floor
        figures = {
            "url": url,
            "p50_ms": percentile(mine, 0.5),
            "p95_ms": percentile(mine, 0.95),
            "floor_p50_ms": percentile(floor, 0.5),
            "floor_p95_ms": percentile(floor, 0.95),
        }
        figures["ratio_p50"] = round(figures["p50_ms"] / figures["floor_p50_ms"], 2)
        figures["ratio_p95"] = round(figures["p95_ms"] / figures["floor_p95_ms"], 2)
        if client is not None:
            figures["queries"] = queries(client, url)
        return figures


def queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def report(result):
    """The figures as a reader wants them: one line per page, the load scenario's table."""
    lines = [
        f"Rectify make bench — {result['machine']['database']}, "
        f"F = {result['scale']['fraction']}, {result['machine']['server']}",
        f"floor (bare view through the same server): p50 {result['floor']['p50_ms']} ms, "
        f"p95 {result['floor']['p95_ms']} ms",
        "",
        f"{'page':52} {'p50 ms':>9} {'p95 ms':>9} {'×floor p50':>10} {'×floor p95':>10} {'queries':>7}",
    ]
    for name, page in result["pages"].items():
        if "p50_ms" not in page:
            continue
        lines.append(
            f"{name:52} {page['p50_ms']:>9} {page['p95_ms']:>9} {page['ratio_p50']:>10} "
            f"{page['ratio_p95']:>10} {page.get('queries', ''):>7}"
        )
    lines += ["", "load (locust; the same users and pace on the floor, then on Rectify):"]
    lines.append(
        f"{'scenario':22} {'':8} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>7}"
        f" {'share':>6} {'p95×':>6}"
    )
    for name, scenario in result.get("load", {}).items():
        for who in ("floor", "rectify"):
            row = scenario[who]
            extra = (
                f" {scenario['throughput_share_of_floor']:>6} {scenario['p95_ratio_to_floor']:>6}"
                if who == "rectify"
                else ""
            )
            lines.append(
                f"{name if who == 'floor' else '':22} {who:8} {row['requests_per_s']:>7} {row['p50_ms']:>7}"
                f" {row['p95_ms']:>7} {row['p99_ms']:>7} {row['failures']:>7}{extra}"
            )
    for title, figures in (("pdf", result["pdf"]), ("spreadsheets", result["spreadsheets"])):
        lines += ["", f"{title}: {json.dumps(figures, ensure_ascii=False)}"]
    return "\n".join(lines)


def main():
    workdir = Path(tempfile.mkdtemp(prefix="rectify-bench-"))
    database_url, what, drop = database(workdir)
    # One key for this process and the server: the sessions made here sign users in there.
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "SECRET_KEY": "bench-only-key-not-for-production",
        }
    )
    env = dict(os.environ)
    try:
        result = run(workdir, env, what)
    finally:
        if drop and not os.environ.get("BENCH_KEEP"):
            drop()
    path = Path(os.environ.get("BENCH_JSON") or workdir / "bench.json")
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(report(result))
    print(f"\nall figures (JSON): {path}")


def run(workdir, env, what):
    manage_measured("migrate", "--noinput", env=env)
    import_seconds, import_peak_mb, _ = manage_measured("import_divisions", str(HUNAN), env=env)
    again_seconds, again_peak_mb, again_out = manage_measured("import_divisions", str(HUNAN), env=env)
    manage_measured("seed_demo", env=env)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from bench import ledger as ledger_bench
    from bench import loadrun, pdf, pdfserve, scale, sheets
    from bench import public as public_bench
    from bench.server import Server, rss_mb
    from orgs.models import Level, Org
    from plans.models import Document
    from plans.words import DocumentKind
    from review.models import Step, StepState

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    User = get_user_model()

    # The libraries beside what we do with them, on the demo (each leaves the database
    # as it found it, but for the 60-problem plan pdf.measure builds for the pages).
    sheet_figures = sheets.measure()
    pdf_figures = pdf.measure()

    fraction = float(os.environ.get("BENCH_SCALE", "1.0"))
    scale_figures = scale.seed(fraction)
    refresh_seconds, refresh_peak_mb, refresh_out = manage_measured("refresh_dashboard", env=env)
    public_city, published = public_bench.publish()

    province = Org.objects.get(code="43")
    county = Org.objects.get(code="430121")
    biggest_township = max(Org.objects.filter(level=Level.TOWNSHIP), key=lambda org: org.descendant_count)
    village = Org.objects.get(code="430121001001")
    plan = Document.objects.get(team__org=county, team__kind="party_committee", kind=DocumentKind.TEAM_PLAN)
    busiest = (
        Step.objects.filter(state=StepState.PENDING)
        .values("assignees")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    deciding = (
        Step.objects.filter(
            state=StepState.PENDING,
            review__document__kind=DocumentKind.TEAM_PLAN,
            review__document__team__kind="party_committee",
        )
        .select_related("review__document")
        .first()
    )
    from dashboard.models import Scope, Tally

    def fullest(level):
        return (
            Tally.objects.filter(region__level=level, scope=Scope.ALL, kind="")
            .select_related("region")
            .order_by("-must")
            .first()
            .region
        )

    fullest_county, busiest_township = fullest(Level.COUNTY), fullest(Level.TOWNSHIP)
    ledger_county, ledger_measures = ledger_bench.fullest_county()

    people = {
        "office": User.objects.get(username="province_office"),
        "filer": User.objects.get(username="csx_filer"),
        "reviewer": User.objects.get(pk=busiest["assignees"]),
        "decider": deciding.assignees.first(),
    }
    clients = {}
    for role, user in people.items():
        clients[role] = Client()
        clients[role].force_login(user)

    floor_url = f"/bench/floor/{county.pk}/"
    with Server(env["DATABASE_URL"]) as server:
        measure = Measure(server.port, floor_url, session_for(people["office"]))
        browsers = {role: measure.browser(session_for(user)) for role, user in people.items()}
        few = max(5, REPEAT // 3)
        pages = {}
        for name, role, url, repeat in (
            ("home_province_office", "office", "/", REPEAT),
            ("home_county_filer", "filer", "/", REPEAT),
            ("tree_province", "office", f"/orgs/{province.pk}/", REPEAT),
            ("tree_county", "office", f"/orgs/{county.pk}/", REPEAT),
            ("tree_largest_township", "office", f"/orgs/{biggest_township.pk}/", REPEAT),
            ("tree_village", "office", f"/orgs/{village.pk}/", REPEAT),
            ("search_name", "office", "/orgs/search/?q=%E6%98%9F%E6%B2%99", REPEAT),  # 星沙
            ("search_code", "office", "/orgs/search/?q=430121", REPEAT),
            ("search_common_word", "office", "/orgs/search/?q=%E6%9D%91", REPEAT),  # 村
            ("document_editor_60_problems", "filer", f"/documents/{plan.pk}/", REPEAT),
            ("checklist_60_problems", "filer", f"/documents/{plan.pk}/checklist/", REPEAT),
            ("inbox_busiest_reviewer", "reviewer", "/inbox/", few),
            ("inbox_busiest_reviewer_all", "reviewer", "/inbox/?state=all", few),
            ("inbox_province_office", "office", "/inbox/?state=all", few),
            (
                "committee_plan_page_as_its_reviewer",
                "decider",
                f"/documents/{deciding.review.document_id}/",
                few,
            ),
            ("dashboard_province", "office", f"/dashboard/{province.code}/", REPEAT),
            (
                "dashboard_province_individual",
                "office",
                f"/dashboard/{province.code}/?kind=individual",
                REPEAT,
            ),
            (
                f"dashboard_county_{fullest_county.code}",
                "office",
                f"/dashboard/{fullest_county.code}/",
                REPEAT,
            ),
            (
                f"dashboard_township_{busiest_township.code}_live",
                "office",
                f"/dashboard/{busiest_township.code}/",
                REPEAT,
            ),
            ("dashboard_unfiled_province", "office", f"/dashboard/{province.code}/unfiled/", few),
            (
                f"ledger_county_{ledger_county.code}",
                "office",
                f"/ledger/region/{ledger_county.code}/",
                REPEAT,
            ),
            (
                f"ledger_county_{ledger_county.code}_overdue",
                "office",
                f"/ledger/region/{ledger_county.code}/?state=overdue",
                REPEAT,
            ),
        ):
            pages[name] = measure.page(browsers[role], url, repeat, client=clients[role])
        pages["document_editor_60_problems"]["items"] = plan.items.count()

        # What a count of the dashboard's figures leaves: the first visitor after it, with
        # the shared cache emptied before each request.
        from django.core.cache import cache

        for name, url in (
            ("dashboard_province_first_after_count", f"/dashboard/{province.code}/"),
            (
                f"dashboard_county_{fullest_county.code}_first_after_count",
                f"/dashboard/{fullest_county.code}/",
            ),
        ):
            pages[name] = measure.page(browsers["office"], url, REPEAT, before=cache.clear)

        # The county's ledger as Excel, written in the request, beside raw openpyxl.
        excel_url = f"/ledger/region/{ledger_county.code}/ledger.xlsx"
        excel = ledger_bench.excel(measure, browsers["office"], excel_url, ledger_measures)
        if excel:
            pages[f"ledger_county_{ledger_county.code}_excel"] = excel

        # The public site as an anonymous visitor: the first after a publication (the
        # cache emptied) and the next ones (kept).
        anonymous = measure.browser()
        for name, url in public_bench.urls(public_city, published):
            pages[f"{name}_first_visitor"] = measure.page(anonymous, url, REPEAT, before=cache.clear)
            pages[f"{name}_kept"] = measure.page(anonymous, url, REPEAT)

        # The 60-problem plan's PDF through the server: the first reader waits while the
        # worker renders it once; every later one is served the kept file.
        pdf_figures["through_server"] = pdfserve.measure(
            measure, browsers["filer"], f"/documents/{plan.pk}/print.pdf"
        )

        cast = workdir / "cast.json"
        cast_figures = loadrun.write_cast(cast, floor_url)
        load = loadrun.scenarios(server.port, cast)
        memory = {"gunicorn_workers_rss_mb_after": [rss_mb(pid) for pid in server.workers]}

    floor_all = measure.floor_samples
    return {
        "machine": {
            "python": platform.python_version(),
            "database": what,
            "server": "gunicorn (gunicorn.conf.py) + db_worker",
            "cores": os.cpu_count(),
            "orgs": Org.objects.count(),
            "repeat": REPEAT,
        },
        "floor": {
            "what": "bare Django view served by the same gunicorn, same middleware, signed in, "
            "one query, a template of 50 rows",
            "p50_ms": percentile(floor_all, 0.5),
            "p95_ms": percentile(floor_all, 0.95),
        },
        "import_divisions_hunan": {
            "rows": 31691,
            "seconds": import_seconds,
            "peak_rss_mb": import_peak_mb,
            "second_run_seconds": again_seconds,
            "second_run_peak_rss_mb": again_peak_mb,
            "second_run_reports_no_change": "没有变化" in again_out,
        },
        "scale": scale_figures
        | {
            "dashboard_refresh": {
                "seconds": refresh_seconds,
                "peak_rss_mb": refresh_peak_mb,
                "tallies": Tally.objects.count(),
                "summary": refresh_out.strip().splitlines()[-1] if refresh_out.strip() else "",
            },
            "public_city": {"code": public_city.code, "name": public_city.name, "published": len(published)},
            "ledger_county": {"code": ledger_county.code, "measures": ledger_measures},
            "busiest_pending": busiest["n"],
        },
        "pages": pages,
        "load": load,
        "load_cast": cast_figures,
        "memory": memory,
        "pdf": pdf_figures,
        "spreadsheets": sheet_figures,
    }


if __name__ == "__main__":
    main()
