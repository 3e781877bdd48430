"""The checks before submission: every rule, on documents built as the pages build them."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from orgs.models import Person, Rank
from plans import checks, editing
from plans.checks import ERROR, HINT, check, is_vague
from plans.documents import open_individual_document, open_team_document, responses
from plans.models import SpecialTask
from plans.structure import STRUCTURES
from plans.words import INCOMPLETE, Category, DocumentKind, ReturnReason, Source

from .conftest import seat
from .factories import fill_register, filled_individual, filled_team_plan

# The notice ships with the project (docs/notice.txt), so a clone anywhere can check
# the rules against it.
NOTICE = (Path(__file__).resolve().parents[1] / "docs" / "notice.txt").read_text(encoding="utf-8")


# The register, the plan's team and its org (is it a committee's?), the attachments, the
# items of all three, the measures' problems (the one link the rules read), the team's
# members, the catalogue.
CHECK_QUERIES = 8


def codes(checklist, severity=None):
    return {f.reason for f in checklist.findings if severity is None or f.severity == severity}


def test_every_rule_quotes_a_sentence_of_the_notice():
    for registered in checks.RULES:
        assert registered.quote in NOTICE, (registered.code, registered.quote)


# Section 四's sentence naming the grounds for returning a document, and the words it
# names each with.
GROUNDS = "凡是没有做到“四个回应”，整改措施不具体、针对性不强，没有具体明确整改责任人和整改时限的，都要打回修改完善。"
NAMED = {
    ReturnReason.FOUR_RESPONSES: "没有做到“四个回应”",
    ReturnReason.NOT_CONCRETE: "整改措施不具体",
    ReturnReason.NOT_TARGETED: "针对性不强",
    ReturnReason.NO_OWNER: "整改责任人",
    ReturnReason.NO_DEADLINE: "整改时限",
}


def test_the_grounds_are_registered_in_the_notice_s_order_then_an_incomplete_document():
    assert GROUNDS in NOTICE
    assert list(ReturnReason) == sorted(NAMED, key=lambda ground: GROUNDS.index(NAMED[ground]))
    reasons = [registered.reason for registered in checks.RULES]
    grounds = [reason for reason in reasons if reason != INCOMPLETE]
    assert grounds == list(ReturnReason)
    assert reasons == grounds + [INCOMPLETE] * (len(reasons) - len(grounds))


def test_the_checklist_lists_the_rules_in_the_notice_s_order(cast):
    plan = open_team_document(cast.committee, cast.filer)
    assert [rule.code for rule in check(plan).rules] == [
        *(f"four_responses:{source}" for source in Source),
        "concrete",
        "targeted",
        "owner",
        "deadline",
        "complete",
        "meeting",
        "attachments",
    ]
    special = plan.attachments.get(kind="special_rectification")
    assert [rule.code for rule in check(special).rules] == [
        "concrete",
        "owner",
        "deadline",
        "complete",
        "catalogue",
    ]


def test_each_finding_carries_its_rule_and_ground(cast):
    plan = filled_team_plan(cast)
    measure = plan.items.filter(section="measures").first()
    editing.save_item(
        cast.filer, measure, measure.revision, {"owner": None, "owner_text": "", "text": "进一步加强作风建设"}
    )
    grounds = {registered.code: registered.reason for registered in checks.RULES}
    result = check(plan)
    for rule in result.rules:
        for finding in rule.findings:
            assert finding.rule == rule.code
            assert finding.reason == grounds[rule.code.split(":")[0]]
    assert {"no_owner", "not_concrete"} <= codes(result)


def test_a_complete_team_plan_passes(cast):
    plan = filled_team_plan(cast)
    result = check(plan)
    assert result.passed, [f.message for f in result.errors]
    assert all(result.passed for _document, result in result.attachments)


def test_the_checks_read_no_answers(cast, django_assert_num_queries):
    """The checks count a plan's answers by its register (responses()); the inputs each
    problem answers and the measures an individual claims, which only the editor shows,
    are not read for them on a save: the plan with its attachments, their items and their
    measures' problems, the register, the team's members, the catalogue."""
    plan = filled_team_plan(cast)
    assert any(item.answers.exists() for item in plan.items.all())
    with django_assert_num_queries(CHECK_QUERIES):
        result = check(plan)
    assert result.passed


def test_an_empty_plan_fails_on_every_ground(cast):
    plan = open_team_document(cast.committee, cast.filer)
    result = check(plan)
    assert not result.passed
    messages = " ".join(f.message for f in result.errors)
    assert "缺少“第一块 整改指导思想和基本原则”" in messages
    assert "须注明由党委书记主持制定" in messages
    assert "常委会议名称和日期" in messages
    assert "附件《中共长沙县委常委班子专项整治工作方案》" in messages


@pytest.mark.parametrize("source", list(Source))
def test_unanswered_input_is_four_responses_failure(cast, source):
    plan = filled_team_plan(cast)
    stray = editing.add_input(cast.filer, cast.committee, source, "群众反映办事要跑多个窗口")
    result = check(plan)
    finding = next(f for f in result.errors if f.reason == "four_responses")
    assert finding.source == source
    assert str(stray.uid) in finding.inputs
    assert "群众反映办事要跑多个窗口" in finding.message
    # A written explanation answers it too.
    stray.refresh_from_db()
    editing.save_input(cast.filer, stray, stray.revision, {"explanation": "已由县政府班子整改"})
    assert check(plan).passed


def test_responses_count_per_source(cast):
    plan = filled_team_plan(cast)
    counts = {r.source: (r.answered, r.explained, r.total) for r in responses(plan)}
    assert counts == {source: (1, 0, 1) for source in Source}


def test_empty_register_is_only_a_hint(cast):
    plan = filled_team_plan(cast)
    cast.committee.inputs.all().delete()
    result = check(plan)
    assert "four_responses" in codes(result, HINT)
    assert "four_responses" not in codes(result, ERROR)


def test_measure_without_owner_or_deadline(cast):
    plan = filled_team_plan(cast)
    measure = plan.items.filter(section="measures").first()
    editing.save_item(
        cast.filer,
        measure,
        measure.revision,
        {"owner": None, "owner_text": "", "deadline": None, "deadline_text": ""},
    )
    result = check(plan)
    assert {"no_owner", "no_deadline"} <= codes(result, ERROR)
    assert str(measure.uid) in {uid for f in result.errors for uid in f.items}


def test_deadline_in_words_counts(cast):
    plan = filled_team_plan(cast)
    measure = plan.items.filter(section="measures").first()
    editing.save_item(cast.filer, measure, measure.revision, {"deadline": None, "deadline_text": "长期坚持"})
    assert "no_deadline" not in codes(check(plan))


def test_empty_category_is_a_failure(cast):
    plan = filled_team_plan(cast)
    plan.items.filter(section="problems", category=Category.LAST_MILE).delete()
    messages = [f.message for f in check(plan).errors]
    assert any("联系服务群众“最后一公里”方面" in m for m in messages)


def test_problem_without_measure_is_not_targeted(cast):
    plan = filled_team_plan(cast)
    problem = editing.add_item(
        cast.filer, plan, "problems", {"category": Category.FOUR_WINDS, "text": "调研不深入"}
    )
    result = check(plan)
    finding = next(f for f in result.errors if f.reason == "not_targeted")
    assert finding.items == (str(problem.uid),)


@pytest.mark.parametrize(
    "text, vague",
    [
        ("进一步加强作风建设", True),
        ("切实提高服务群众水平", True),
        ("不断完善工作机制", True),
        ("2014年10月底前清理超标办公用房3处", False),
        ("制定《机关公务接待管理办法》", False),
        ("每月开展一次集中学习", False),
        ("全县性会议压缩三分之一", False),
        ("", False),
    ],
)
def test_concreteness_hint(text, vague):
    assert is_vague(text) is vague


def test_vague_measure_warns_but_does_not_block(cast):
    plan = filled_team_plan(cast)
    measure = plan.items.filter(section="measures").first()
    editing.save_item(cast.filer, measure, measure.revision, {"text": "进一步加强作风建设，切实提高服务水平"})
    result = check(plan)
    assert "not_concrete" in codes(result, HINT)
    assert result.passed


def test_party_committee_needs_meeting_and_attachments(cast):
    plan = filled_team_plan(cast)
    editing.save_header(
        cast.filer, plan, plan.revision, {"presided_by_secretary": False, "meeting_date": None}
    )
    messages = [f.message for f in check(plan).errors]
    assert any("党委书记主持" in m for m in messages) and any("常委会议" in m for m in messages)


def test_special_rectification_must_take_in_the_seven_and_the_grassroots_item(cast):
    plan = filled_team_plan(cast)
    special = plan.attachments.get(kind="special_rectification")
    task = SpecialTask.objects.get(name="整治“裸官”问题")
    special.items.filter(special_task=task).delete()
    result = check(plan)
    assert not result.passed
    attachment_result = dict((d.kind, r) for d, r in result.attachments)["special_rectification"]
    assert any("整治“裸官”问题" in f.message for f in attachment_result.errors)


def test_government_plan_needs_no_meeting(cast):
    plan = open_team_document(cast.government, cast.principal)
    assert not plan.attachments.exists()
    rules = {rule.code for rule in check(plan).rules}
    assert "meeting" not in rules and "attachments" not in rules


def test_complete_individual_measures_pass(cast):
    document = filled_individual(cast)
    result = check(document)
    assert result.passed, [f.message for f in result.errors]


def test_individual_inaction_needs_a_measure(cast):
    document = filled_individual(cast)
    document.items.filter(section="measures", inaction=True).update(inaction=False)
    assert "not_targeted" in codes(check(document), ERROR)


def test_individual_answers_only_its_own_inputs(cast):
    document = filled_individual(cast)
    fill_register(cast)  # team-level: not the individual's business
    assert check(document).passed
    mine = editing.add_input(
        cast.filer, cast.committee, Source.LIFE_MEETING, "批评：下基层少", person=cast.member_person
    )
    result = check(document)
    assert str(mine.uid) in {uid for f in result.errors for uid in f.inputs}


def test_grassroots_list_needs_measures_per_entry(cast):
    document = open_team_document(cast.kaiyuan_committee, cast.filer)
    entry = editing.add_item(
        cast.filer,
        document,
        "entries",
        {"text": "小区路灯损坏无人修", "owner_text": "刘娟", "deadline": dt.date(2014, 10, 31)},
    )
    result = check(document)
    assert any("没有明确整改措施" in f.message for f in result.errors)
    entry.refresh_from_db()
    editing.save_item(cast.filer, entry, entry.revision, {"measures": "10月底前更换损坏路灯12盏"})
    assert "not_concrete" not in codes(check(document), ERROR)


# 逐条落实到班子成员头上，明确整改责任人、责任单位 (section 二) -------------------------------


def _owner_hints(document):
    return [f for f in check(document).findings if f.rule == "owner" and f.severity == HINT]


def test_a_team_plan_s_owner_who_is_no_member_and_no_unit_is_warned(cast):
    plan = filled_team_plan(cast)
    measure = plan.items.filter(section="measures").order_by("category", "position").first()
    editing.save_item(cast.filer, measure, measure.revision, {"owner": None, "owner_text": "张三丰"})
    [finding] = _owner_hints(plan)
    assert finding.reason == ReturnReason.NO_OWNER and finding.items == (str(measure.uid),)
    assert finding.message.startswith("责任人“张三丰”不是本班子成员，也不是单位：")
    assert measure.text[:10] in finding.message  # the row it is about
    assert check(plan).passed  # a warning: the reviewer judges


@pytest.mark.parametrize(
    "owner_text",
    ["县财政局", "县委办、县纪委", "县委书记夏海波", "夏海波、欧阳明辉", "欧阳明辉，县委组织部"],
)
def test_a_member_of_the_team_or_a_unit_is_not_warned(cast, owner_text):
    plan = filled_team_plan(cast)
    measure = plan.items.filter(section="measures").first()
    editing.save_item(cast.filer, measure, measure.revision, {"owner": None, "owner_text": owner_text})
    assert _owner_hints(plan) == []


def test_a_member_who_has_left_the_team_is_warned_and_a_mixed_cell_names_only_the_stranger(cast):
    plan = filled_team_plan(cast)
    measures = list(plan.items.filter(section="measures", owner=cast.member_person))
    cast.member_person.positions.update(active=False)
    hints = _owner_hints(plan)
    assert len(hints) == len(measures) > 0
    assert all("“欧阳明辉”不是本班子成员" in f.message for f in hints)

    measure = plan.items.filter(section="measures", owner=cast.secretary_person).first()
    editing.save_item(
        cast.filer, measure, measure.revision, {"owner": None, "owner_text": "夏海波、张三丰、县委办"}
    )
    assert any(f.message.startswith("责任人“张三丰”不是") for f in _owner_hints(plan))


def test_only_a_team_plan_s_owners_are_held_to_the_team(cast):
    """The sentence is section 二's, of the team plans; a community's 责任人 is whoever it names."""
    document = open_team_document(cast.kaiyuan_committee, cast.filer)
    editing.add_item(
        cast.filer,
        document,
        "entries",
        {
            "text": "路灯不亮",
            "measures": "10月底前更换路灯12盏",
            "owner_text": "张三丰",
            "deadline_text": "10月底前",
        },
    )
    assert _owner_hints(document) == []


def test_a_simplified_plan_s_measure_names_its_unit(cast):
    document = open_team_document(cast.xingsha_committee, cast.filer)
    assert "unit" in STRUCTURES[DocumentKind.SIMPLIFIED_PLAN].section("measures").fields
    problem = editing.add_item(cast.filer, document, "problems", {"text": "窗口推诿扯皮"})
    measure = editing.add_item(
        cast.filer,
        document,
        "measures",
        {"text": "10月底前推行首问负责制", "owner_text": "周芳", "deadline_text": "2014年10月底前"},
        links={"addresses": [problem]},
    )
    [finding] = _owner_hints(document)
    assert finding.message == "没有明确责任单位：10月底前推行首问负责制"
    measure.refresh_from_db()
    editing.save_item(cast.filer, measure, measure.revision, {"unit": "街道党政综合办公室"})
    assert _owner_hints(document) == []


# A community's list answers 前段征求到的意见、自身查摆出来的问题 (section 五) ---------------------


def test_a_community_s_list_is_not_asked_about_the_life_meeting_or_self_inspection_material(cast, client):
    document = open_team_document(cast.kaiyuan_committee, cast.filer)
    result = check(document)
    four = [rule for rule in result.rules if rule.code.startswith("four_responses")]
    assert [rule.code for rule in four] == ["four_responses:mass_opinion", "four_responses:self_inspection"]
    said = " ".join(str(rule.label) for rule in result.rules) + " ".join(f.message for f in result.findings)
    assert "前段征求到的意见" in said and "自身查摆出来的问题" in said
    assert "专题民主生活会" not in said and "对照检查材料" not in said

    assign_perm("orgs.file_team", cast.filer, cast.kaiyuan_committee)
    client.force_login(cast.filer)
    for url in (
        reverse("plans:document", args=[document.pk]),
        reverse("plans:checklist", args=[document.pk]),
    ):
        html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        assert "自身查摆出来的问题" in html
        assert "专题民主生活会" not in html and "对照检查材料" not in html
    # A team plan is still asked about all four.
    plan = open_team_document(cast.committee, cast.filer)
    assert [r.source for r in responses(plan)] == list(Source)


def test_what_a_community_entered_of_another_source_is_still_answered(cast):
    document = open_team_document(cast.kaiyuan_committee, cast.filer)
    stray = editing.add_input(
        cast.filer, cast.kaiyuan_committee, Source.SUPERIOR, "街道党工委点明：账目不公开"
    )
    finding = next(f for f in check(document).errors if f.reason == ReturnReason.FOUR_RESPONSES)
    assert finding.source == Source.SUPERIOR and finding.inputs == (str(stray.uid),)


def _dated_measure(cast, deadline, deadline_text="", dated=dt.date(2014, 9, 2)):
    plan = filled_team_plan(cast)
    editing.save_header(cast.filer, plan, plan.revision, {"dated": dated})
    measure = plan.items.filter(section="measures").first()
    editing.save_item(
        cast.filer, measure, measure.revision, {"deadline": deadline, "deadline_text": deadline_text}
    )
    return plan, measure


def _deadline_hints(plan, measure):
    return [
        f.message
        for f in check(plan).hints
        if f.reason == ReturnReason.NO_DEADLINE and str(measure.uid) in f.items
    ]


def test_a_deadline_before_the_plan_s_date_is_flagged(cast):
    plan, measure = _dated_measure(cast, dt.date(2014, 6, 30), "上半年")
    assert _deadline_hints(plan, measure) == [
        f"整改时限“上半年”早于方案日期2014年9月2日，请核对：{checks._label(measure)}"
    ]
    assert check(plan).passed  # a warning, not a refusal


def test_a_deadline_years_past_the_campaign_is_flagged(cast):
    too_late = dt.date(2014 + checks.DEADLINE_HORIZON_YEARS, 9, 3)
    plan, measure = _dated_measure(cast, too_late, "")
    hints = _deadline_hints(plan, measure)
    assert len(hints) == 1
    assert f"远在方案日期{checks.DEADLINE_HORIZON_YEARS}年以后" in hints[0]


@pytest.mark.parametrize(
    ("deadline", "text"),
    [
        (dt.date(2014, 9, 2), "立即整改"),
        (dt.date(2014, 12, 31), "年底前"),
        (dt.date(2014 + checks.DEADLINE_HORIZON_YEARS, 9, 2), ""),
        (None, "长期坚持"),
    ],
)
def test_deadlines_within_the_campaign_are_not_flagged(cast, deadline, text):
    plan, measure = _dated_measure(cast, deadline, text)
    assert _deadline_hints(plan, measure) == []


def test_an_undated_plan_measures_deadlines_against_the_campaign_year(cast):
    plan, measure = _dated_measure(cast, dt.date(2013, 12, 31), "2013年底", dated=None)
    assert _deadline_hints(plan, measure) == [
        f"整改时限“2013年底”早于2014年，请核对：{checks._label(measure)}"
    ]


def _listed_measures(user, team, person):
    """Measures whose problems and measures are listed 条目式, under no category."""
    document = open_individual_document(team, person, user)
    problem = editing.add_item(user, document, "problems", {"text": "下基层调研偏少，联系群众不够紧密"})
    editing.add_item(
        user,
        document,
        "measures",
        {"text": "每月到联系村走访2次", "deadline": dt.date(2014, 12, 31), "deadline_text": "2014年12月底前"},
        links={"addresses": [problem]},
    )
    return document


def _missing_blocks(checklist):
    return [f for f in checklist.errors if f.rule == "complete" and "缺少" in f.message]


@pytest.mark.parametrize("team", ["xingsha_committee", "edu_team"])
def test_township_and_county_unit_cadres_list_problems_and_measures_without_blocks(cast, team):
    """Section 五: 不一定详细分…几大块列存在的问题…条目式列出即可，整改措施也可条目式提出."""
    person = Person.objects.create(name="街道委员")
    seat(person, getattr(cast, team), "委员", rank=Rank.KE, order=2)
    result = check(_listed_measures(cast.admin, getattr(cast, team), person))
    assert _missing_blocks(result) == []
    assert result.passed, [f.message for f in result.errors]


def test_a_county_leader_s_measures_keep_the_blocks_of_section_three(cast):
    result = check(_listed_measures(cast.member, cast.committee, cast.member_person))
    # The items fall under the first block of each list; the other two of each are missing.
    assert len(_missing_blocks(result)) == 4
