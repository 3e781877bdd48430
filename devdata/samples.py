"""Filled documents built through the same editing functions the pages use: the tests'
documents (tests/factories.py) and the plan `make bench` prints.

    plan = fill_team_plan(filer, team, [secretary, member])        # one problem per category
    plan = fill_team_plan(filer, team, [secretary, member], problems=60)
    measures = fill_individual(member_user, team, member)          # 两大版块, 为官不为 marked
"""

import datetime as dt

from plans import editing
from plans.documents import open_individual_document, open_team_document
from plans.models import SpecialTask
from plans.structure import INDIVIDUAL_ASPECTS, INDIVIDUAL_PROBLEMS, TEAM_ASPECTS, TEAM_PROBLEMS
from plans.words import Category, Focus, Origin, Phase, Source

PROBLEM_TEXT = {
    Category.POLITICAL_DISCIPLINE: "个别班子成员对中央和省委决策部署领会不深，贯彻执行有打折扣现象",
    Category.EIGHT_RULES: "公务接待有超标准现象，2013年县直机关接待费支出仍偏高",
    Category.FOUR_WINDS: "文山会海问题仍然突出，全县性会议全年达到86个",
    Category.MASS_INTERESTS: "星沙片区征地拆迁补偿款发放不及时，群众反映强烈",
    Category.LAST_MILE: "部分村（社区）便民服务中心坐班制度落实不到位，群众办事跑冤枉路",
}
MEASURE_TEXT = {
    Category.POLITICAL_DISCIPLINE: "每月召开一次常委会学习会，2014年10月底前制定《县委常委会议事规则》",
    Category.EIGHT_RULES: "出台《长沙县公务接待管理办法》，接待费支出比上年压缩30%",
    Category.FOUR_WINDS: "全县性会议压缩三分之一，全年控制在55个以内",
    Category.MASS_INTERESTS: "2014年12月底前将拖欠的征地补偿款全部发放到户，并公示发放结果",
    Category.LAST_MILE: "在全县225个村（社区）全面推行便民服务代办制，每周公示坐班表",
    Category.SPECIAL_AND_INSTITUTIONS: "按附件1、附件2推进专项整治和制度建设，每季度通报一次进展",
}


def _text(user, document, section, text):
    item = document.items.get(section=section)
    editing.save_item(user, item, item.revision, {"text": text})


def fill_register(user, team, person=None, per_source=1):
    """Put PER_SOURCE inputs of each source on TEAM's register (or PERSON's); return them."""
    entries = []
    for source in Source:
        for n in range(per_source):
            entries.append(
                editing.add_input(
                    user, team, source, f"{source.label}第{n + 1}条：会议多、文件多", person=person
                )
            )
    return entries


def fill_team_plan(user, team, owners, problems=None, register_by=None):
    """TEAM's complete team plan with its two attachments, passing every check as far as
    its own register goes: one input of each source is added (by REGISTER_BY, default
    USER) and answered or explained.

    PROBLEMS (default: one per category) problems are spread over the five categories,
    each with one measure owned in turn by OWNERS (people of the team) and a deadline."""
    plan = open_team_document(team, user)
    entries = fill_register(register_by or user, team)
    _text(user, plan, "principles", "以习近平总书记系列重要讲话精神为指导，坚持边学边查边改，坚持问题导向。")
    _text(user, plan, "goal_near", "2014年10月底前，群众反映强烈的突出问题得到有效解决。")
    _text(user, plan, "goal_mid", "2015年6月底前，“四风”问题得到根本扭转。")
    _text(user, plan, "goal_long", "建立健全作风建设长效机制，形成常态化制度体系。")
    _text(user, plan, "self_building", "坚持民主集中制，每半年召开一次专题民主生活会。")
    _text(user, plan, "leadership", "成立由县委书记任组长的整改工作领导小组，每月调度一次整改进度。")
    editing.add_item(
        user,
        plan,
        "phase_tasks",
        {
            "phase": Phase.NEAR,
            "text": "集中整改突出问题",
            "deadline_text": "2014年10月底前",
            "deadline": dt.date(2014, 10, 31),
        },
    )
    count = problems or len(TEAM_PROBLEMS)
    for n in range(count):
        category = TEAM_PROBLEMS[n % len(TEAM_PROBLEMS)]
        problem = editing.add_item(
            user,
            plan,
            "problems",
            {"category": category, "text": f"{PROBLEM_TEXT[category]}（第{n + 1}条）"},
            links={"answers": [entries[n % len(entries)]]},
        )
        aspect = TEAM_ASPECTS[n % len(TEAM_PROBLEMS)]
        editing.add_item(
            user,
            plan,
            "measures",
            {
                "category": aspect,
                "text": MEASURE_TEXT[aspect],
                "owner": owners[n % len(owners)],
                "unit": "县委办",
                "deadline": dt.date(2014, 12, 31),
                "deadline_text": "2014年12月底前",
            },
            links={"addresses": [problem]},
        )
    for entry in entries[count:]:
        editing.save_input(user, entry, entry.revision, {"explanation": "已在相关整改措施中一并解决"})
    editing.add_item(
        user,
        plan,
        "measures",
        {
            "category": Category.SPECIAL_AND_INSTITUTIONS,
            "text": MEASURE_TEXT[Category.SPECIAL_AND_INSTITUTIONS],
            "owner": owners[0],
            "unit": "县委办",
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
    # Only a party committee's plan has the two attachments (附件1、2); the other teams'
    # plans "参照" the six blocks without them.
    attachments = {attachment.kind: attachment for attachment in plan.attachments.all()}
    if attachments:
        _fill_attachments(user, attachments["special_rectification"], attachments["institution_plan"])
    plan.refresh_from_db()
    return plan


def _fill_attachments(user, special, institutions):
    """The special rectification tasks the catalogue requires, and one institution."""
    for task in SpecialTask.objects.filter(required=True):
        editing.add_item(
            user,
            special,
            "tasks",
            {
                "special_task": task,
                "measures": f"开展{task.name}专项行动，年底前完成一轮排查",
                "unit": "县纪委",
                "deadline": dt.date(2014, 12, 31),
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
            "deadline": dt.date(2014, 11, 30),
            "deadline_text": "2014年11月底前",
        },
    )


def fill_simplified_plan(user, team, owners):
    """TEAM's complete simplified plan (section 五: 条目式), answering its register: one
    problem per input, each with a measure owned in turn by OWNERS, with a deadline."""
    plan = open_team_document(team, user)
    entries = fill_register(user, team)
    _text(user, plan, "requirements", "坚持问题导向，边学边查边改，年底前群众反映强烈的问题基本解决。")
    for n, entry in enumerate(entries):
        problem = editing.add_item(
            user, plan, "problems", {"text": f"{entry.text[:40]}（第{n + 1}条）"}, links={"answers": [entry]}
        )
        editing.add_item(
            user,
            plan,
            "measures",
            {
                "text": "逐项明确责任人和完成节点，每月调度一次，完成一项销号一项",
                "owner": owners[n % len(owners)],
                "deadline": dt.date(2014, 12, 31),
                "deadline_text": "2014年12月底前",
            },
            links={"addresses": [problem]},
        )
    plan.refresh_from_db()
    editing.save_header(user, plan, plan.revision, {"dated": dt.date(2014, 8, 25)})
    plan.refresh_from_db()
    return plan


def fill_individual(user, team, person):
    """PERSON's complete individual measures in TEAM: a problem under each of the three
    categories and a measure against each, the “四风” pair marked 为官不为."""
    document = open_individual_document(team, person, user)
    problems = {}
    for category in INDIVIDUAL_PROBLEMS:
        problems[category] = editing.add_item(
            user,
            document,
            "problems",
            {
                "category": category,
                "text": f"本人在{category.label[:8]}上标准不高，调研走访偏少",
                "inaction": category == Category.FOUR_WINDS,
            },
        )
    for aspect, category in zip(INDIVIDUAL_ASPECTS, INDIVIDUAL_PROBLEMS, strict=True):
        editing.add_item(
            user,
            document,
            "measures",
            {
                "category": aspect,
                "text": "每月到联系村走访2次，年底前完成4篇调研报告",
                "deadline": dt.date(2014, 12, 31),
                "deadline_text": "2014年12月底前",
                "inaction": category == Category.FOUR_WINDS,
            },
            links={"addresses": [problems[category]]},
        )
    document.refresh_from_db()
    return document


def approve_through(document):
    """Decide every pending review step of DOCUMENT's open review, each approved by the
    first of its assignees, until the document is approved; DOCUMENT, refreshed."""
    from review import transitions
    from review.models import Mode, ReviewState, StepState

    review = document.reviews.get(state=ReviewState.OPEN)
    while True:
        review.refresh_from_db()
        step = review.steps.filter(mode=Mode.REVIEW, state=StepState.PENDING).order_by("stage", "id").first()
        if step is None:
            break
        transitions.approve(step.assignees.order_by("pk").first(), step.pk, review.revision)
    document.refresh_from_db()
    return document
