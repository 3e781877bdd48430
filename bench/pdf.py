"""make bench: printing a 60-problem team plan, beside bare WeasyPrint on the same HTML.

    from bench.pdf import measure
    measure()  # after django.setup(), on a migrated database with the Hunan tree and seed_demo

The plan is 中共长沙县委常委班子's (the demo's), filled by devdata.samples through
plans.editing as a filer would: 60 problems over the five categories, one measure each,
the text blocks and both attachments. If it already has 60 problems (a database kept between runs) it is reused.

- pdf_60_items_s: plans.pdf.render_pdf, the whole path a download takes (queries,
  templates, our fetcher serving official.css, WeasyPrint), median of REPEAT runs.
- bare_weasyprint_s: WeasyPrint alone on the same HTML with its default fetcher, the
  stylesheet handed over directly (the HTML's root-relative link has no base to resolve
  against there, so it is skipped): the floor no printing code can go below.
- pdf_ratio: the first over the second; pdf_pages: pages of the printed plan.
"""

import io
import logging
import statistics
import time

REPEAT = 3
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


def _median_seconds(run, repeat=REPEAT):
    samples = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def measure():
    from django.contrib.staticfiles import finders
    from pypdf import PdfReader
    from weasyprint import CSS, HTML

    from plans.pdf import render_html, render_pdf

    plan = build_plan()
    render_pdf(plan)  # warm up: fonts, templates, stylesheet parsing caches

    ours, pdf = _median_seconds(lambda: render_pdf(plan))

    html = render_html(plan)
    stylesheet = finders.find("css/official.css")
    weasyprint_log = logging.getLogger("weasyprint")
    level = weasyprint_log.level
    weasyprint_log.setLevel(logging.CRITICAL)  # the skipped relative link is expected here
    try:
        bare, bare_pdf = _median_seconds(
            lambda: HTML(string=html).write_pdf(stylesheets=[CSS(filename=stylesheet)])
        )
    finally:
        weasyprint_log.setLevel(level)

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    bare_pages = len(PdfReader(io.BytesIO(bare_pdf)).pages)
    return {
        "pdf_60_items_s": round(ours, 3),
        "bare_weasyprint_s": round(bare, 3),
        "pdf_ratio": round(ours / bare, 2),
        "pdf_pages": pages,
        "bare_weasyprint_pages": bare_pages,
    }
