"""make bench: printing a 60-problem team plan, beside bare WeasyPrint on the same HTML.

    from bench.pdf import measure
    measure()  # after django.setup(), on a migrated database with the Hunan tree and seed_demo

The plan is 中共长沙县委常委班子's (the demo's), filled through plans.editing as a filer
would: 60 problems over the five categories, one measure each, the text blocks and both
attachments. If it already has 60 problems (a database kept between runs) it is reused.

- pdf_60_items_s: plans.pdf.render_pdf, the whole path a download takes (queries,
  templates, our fetcher serving official.css, WeasyPrint), median of REPEAT runs.
- bare_weasyprint_s: WeasyPrint alone on the same HTML with its default fetcher, the
  stylesheet handed over directly (the HTML's root-relative link has no base to resolve
  against there, so it is skipped): the floor no printing code can go below.
- pdf_ratio: the first over the second; pdf_pages: pages of the printed plan.
"""

import datetime as dt
import io
import logging
import statistics
import time

REPEAT = 3
PROBLEMS = 60


def build_plan():
    from django.contrib.auth import get_user_model

    from orgs.models import Position, Team, TeamKind
    from plans import editing
    from plans.documents import open_team_document
    from plans.models import Category, Focus, Origin, Phase, Source, SpecialTask
    from plans.structure import TEAM_ASPECTS, TEAM_PROBLEMS

    team = Team.objects.get(org__code="430121", kind=TeamKind.PARTY_COMMITTEE)
    user = get_user_model().objects.get(username="csx_filer")
    plan = open_team_document(team, user)
    if plan.items.filter(section="problems").count() >= PROBLEMS:
        return plan

    owners = [position.person for position in Position.objects.filter(team=team).select_related("person")]
    entries = [
        editing.add_input(user, team, source, f"{source.label}：文件多、会议多，基层负担重")
        for source in Source
    ]
    texts = {
        "principles": "以党的群众路线教育实践活动总要求为指导，坚持边学边查边改，坚持问题导向。",
        "goal_near": "2014年10月底前，群众反映强烈的突出问题得到有效解决。",
        "goal_mid": "2015年6月底前，“四风”问题得到根本扭转。",
        "goal_long": "建立健全作风建设长效机制，形成常态化制度体系。",
        "self_building": "坚持民主集中制，每半年召开一次专题民主生活会。",
        "leadership": "成立由县委书记任组长的整改工作领导小组，每月调度一次整改进度。",
    }
    for section, text in texts.items():
        item = plan.items.get(section=section)
        editing.save_item(user, item, item.revision, {"text": text})
    editing.add_item(
        user,
        plan,
        "phase_tasks",
        {"phase": Phase.NEAR, "text": "集中整改突出问题", "deadline_text": "2014年10月底前"},
    )
    for n in range(PROBLEMS):
        category = TEAM_PROBLEMS[n % len(TEAM_PROBLEMS)]
        problem = editing.add_item(
            user,
            plan,
            "problems",
            {
                "category": category,
                "text": f"{Category(category).label}：群众反映的第{n + 1}个突出问题，涉及办事程序繁琐、跑腿多",
            },
            links={"answers": [entries[n % len(entries)]]},
        )
        editing.add_item(
            user,
            plan,
            "measures",
            {
                "category": TEAM_ASPECTS[n % len(TEAM_PROBLEMS)],
                "text": f"2014年12月底前制定第{n + 1}项整改办法，压缩办事环节三分之一，每月通报一次进度",
                "owner": owners[n % len(owners)],
                "unit": "县委办",
                "deadline": dt.date(2014, 12, 31),
                "deadline_text": "2014年12月底前",
            },
            links={"addresses": [problem]},
        )
    editing.add_item(
        user,
        plan,
        "measures",
        {
            "category": Category.SPECIAL_AND_INSTITUTIONS,
            "text": "按附件1、附件2推进专项整治和制度建设，每季度通报一次进展",
            "owner": owners[0],
            "deadline_text": "长期坚持",
        },
    )
    plan.refresh_from_db()
    editing.save_header(
        user,
        plan,
        plan.revision,
        {
            "presided_by_secretary": True,
            "meeting_name": "县委常委会第42次会议",
            "meeting_date": dt.date(2014, 8, 20),
            "dated": dt.date(2014, 8, 25),
        },
    )
    special = plan.attachments.get(kind="special_rectification")
    institutions = plan.attachments.get(kind="institution_plan")
    for task in SpecialTask.objects.filter(required=True):
        editing.add_item(
            user,
            special,
            "tasks",
            {
                "special_task": task,
                "measures": f"开展{task.name}专项行动",
                "unit": "县纪委",
                "deadline_text": "2014年12月底前",
            },
        )
    editing.add_item(
        user,
        institutions,
        "tasks",
        {
            "origin": Origin.NEW,
            "focus": Focus.ORGANS,
            "text": "制定《县委常委会重大事项决策程序规定》",
            "unit": "县委办",
            "deadline_text": "2014年11月底前",
        },
    )
    plan.refresh_from_db()
    return plan


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
