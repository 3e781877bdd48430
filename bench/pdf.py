"""make bench: printing a 60-problem team plan, beside bare WeasyPrint on the same HTML.

    from bench import pdf
    pdf.measure()  # after django.setup(), on a migrated database with the Hunan tree and seed_demo

The plan is 中共长沙县委常委班子's (the demo's), filled by devdata.samples through
plans.editing as a filer would: 60 problems over the five categories, one measure each,
the text blocks and both attachments. If it already has 60 problems (a database kept
between runs) it is reused.

Each round runs, interleaved so that both see the same machine:
- product: what the worker does for one PDF (rectify.renderings.render): the database work
  and templates building the HTML here, WeasyPrint in a forked child, the file kept.
- floor: WeasyPrint alone on exactly the HTML the product printed, with the same base URL,
  fetcher (our static files: official.css and the fonts it names) and fonts, without our
  typesetting of the laid-out pages (rectify.justify, rectify.continued), in this process:
  what no printing code can go below.
Then, apart:
- serve_kept_ms: answering a reader once the PDF is kept (the view: scoped getter, the
  stamp, the kept row, the file streamed), through the test client.
- worker_rss_mb: this process's resident memory before printing, after three prints as the
  worker makes them (each child's memory goes with it; WeasyPrint's modules stay, loaded
  once), and after the floor's prints in this process, as a web request used to print.
Figures: medians and p95 in seconds, their ratio, the pages printed.
"""

import io
import statistics
import time

REPEAT = 7
PROBLEMS = 60


def build_plan():
    from django.contrib.auth import get_user_model

    from devdata.samples import fill_team_plan
    from orgs.models import Position, Team, TeamKind
    from plans.documents import open_team_document

    team = Team.objects.get(org__code="430121", kind=TeamKind.PARTY_COMMITTEE)
    user = get_user_model().objects.get(username="csx_filer")
    plan = open_team_document(team, user)
    if plan.items.filter(section="problems").count() >= PROBLEMS:
        return plan
    owners = [position.person for position in Position.objects.filter(team=team, active=True).order_by("pk")]
    return fill_team_plan(user, team, owners, PROBLEMS)


def rss_mb():
    """This process's resident memory now, in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def p95(samples):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _figures(samples):
    return round(statistics.median(samples), 3), round(p95(samples), 3)


def measure():
    """The figures above; the PDFs are kept in a directory of their own, removed after."""
    import tempfile

    from django.test import override_settings

    with (
        tempfile.TemporaryDirectory(prefix="rectify-bench-pdf-") as media,
        override_settings(MEDIA_ROOT=media),
    ):
        return _measure()


def _measure():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from pypdf import PdfReader

    from plans import pdf as printing
    from rectify import renderings
    from rectify.models import Rendering

    plan = build_plan()
    html = printing.render_html(plan)

    def floor(html):
        """WeasyPrint alone: our fetcher and fonts, none of our own typesetting after it
        (rectify.justify, rectify.continued), which the product's time includes."""
        from weasyprint import HTML

        from rectify.fetcher import BASE_URL, StaticFetcher
        from rectify.fonts import font_configuration

        source = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFetcher())
        return source.write_pdf(font_config=font_configuration())

    def product():
        """One PDF as the worker prints it: a fresh rendering, claimed, built, printed, kept."""
        Rendering.objects.filter(subject="bench.pdf").delete()
        rendering = Rendering.objects.create(key=f"bench.pdf@{time.monotonic_ns()}", subject="bench.pdf")
        renderings.render(rendering.pk, lambda: printing.render_html(plan))
        rendering.refresh_from_db()
        return rendering

    # The worker's memory: prints in children only (the first loads WeasyPrint here, once).
    rss_before = rss_mb()
    for _ in range(3):
        product()
    rss_worker = rss_mb()
    floor(html)  # warm up the floor: fonts, caches in this process

    ours, bare = [], []
    rendering = None
    for _ in range(REPEAT):
        started = time.perf_counter()
        rendering = product()
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        bare_pdf = floor(html)
        bare.append(time.perf_counter() - started)
    rss_here = rss_mb()  # after REPEAT + 1 prints in this process, as a web request printed
    with rendering.file.open("rb") if rendering.file else io.BytesIO() as kept:
        pdf = kept.read()
    Rendering.objects.filter(subject="bench.pdf").delete()

    # A reader once the PDF is kept: the view itself, scoped getter to the file streamed.
    client = Client()
    client.force_login(get_user_model().objects.get(username="csx_filer"))
    url = reverse("plans:pdf", args=[plan.pk])
    Rendering.objects.filter(subject=f"plans.document:{plan.pk}").delete()  # a kept database's old print
    kept_rendering = printing.kept_pdf(plan)
    Rendering.objects.filter(pk=kept_rendering.pk).update(state="queued")
    printing.print_document.call(kept_rendering.pk, plan.pk)
    serve = []
    for _ in range(REPEAT * 3):
        started = time.perf_counter()
        response = client.get(url)
        b"".join(response.streaming_content)
        serve.append(time.perf_counter() - started)
        assert response["Content-Type"] == "application/pdf", response.status_code
    # Its file goes with this directory: the server measured later prints its own.
    Rendering.objects.filter(pk=kept_rendering.pk).delete()

    ours_median, ours_p95 = _figures(ours)
    bare_median, bare_p95 = _figures(bare)
    serve_median, serve_p95 = _figures(serve)
    return {
        "pdf_60_items_s": ours_median,
        "pdf_60_items_p95_s": ours_p95,
        "bare_weasyprint_s": bare_median,
        "bare_weasyprint_p95_s": bare_p95,
        "pdf_ratio": round(ours_median / bare_median, 2),
        "pdf_html_ms": rendering.html_ms,
        "pdf_pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "bare_weasyprint_pages": len(PdfReader(io.BytesIO(bare_pdf)).pages),
        "serve_kept_ms": round(serve_median * 1000, 2),
        "serve_kept_p95_ms": round(serve_p95 * 1000, 2),
        "worker_rss_mb": {
            "before": rss_before,
            "after_3_prints_in_children": rss_worker,
            f"after_{REPEAT + 1}_prints_in_process": rss_here,
        },
    }
