"""Every word the user reads about a document, defined once, in the notice's own terms.

The editor, the checklist, the diff between versions, the printed PDF and the Excel
tables all take their labels from here: the kinds and states of a document, the four
responses, the problem categories (as the notice's sections and its tables word them),
the fields of an item and their values, the columns of the notice's two tables, and the
grounds for returning a document. Codes are those of domain.md; labels are lazily
translated, Chinese being the interface language.

This module knows nothing of models or requests, so every app may read it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Documents ----------------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    TEAM_PLAN = "team_plan", _("领导班子整改方案")
    SIMPLIFIED_PLAN = "simplified_plan", _("整改方案")
    GRASSROOTS_LIST = "grassroots_list", _("整改清单")
    INDIVIDUAL = "individual", _("领导干部个人整改措施")
    SPECIAL_RECTIFICATION = "special_rectification", _("专项整治工作方案")
    INSTITUTION_PLAN = "institution_plan", _("制度建设计划")


class Status(models.TextChoices):
    """Where a document stands: being written, under review, returned, approved."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("审阅中")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已通过")


class Source(models.TextChoices):
    """The four responses: what every plan must answer (section 一)."""

    MASS_OPINION = "mass_opinion", _("征求到的群众意见")
    SELF_INSPECTION = "self_inspection", _("对照检查材料查摆的突出问题")
    LIFE_MEETING = "life_meeting", _("专题民主生活会提出的批评意见")
    SUPERIOR = "superior", _("上级党组织和督导组点明的问题")


# What a grassroots list answers, in section 五's words: 村、社区……要针对前段征求到的意见、
# 自身查摆出来的问题，条目式列出存在的突出问题. They wrote no 对照检查材料 (section 五 asks
# those who did) and held no 专题民主生活会, so they are not asked about either.
GRASSROOTS_SOURCES = {
    Source.MASS_OPINION: _("前段征求到的意见"),
    Source.SELF_INSPECTION: _("自身查摆出来的问题"),
}


# Categories ---------------------------------------------------------------------------


class Category(models.TextChoices):
    """Problem categories (第三块) and measure aspects (第四块, 两大版块)."""

    POLITICAL_DISCIPLINE = "political_discipline", _("遵守政治纪律方面存在的问题")
    EIGHT_RULES = "eight_rules", _("贯彻中央八项规定和省委九项规定精神方面存在的问题")
    FOUR_WINDS = "four_winds", _("“四风”方面存在的突出问题")
    MASS_INTERESTS = "mass_interests", _("关系群众切身利益方面存在的突出问题")
    LAST_MILE = "last_mile", _("联系服务群众“最后一公里”方面存在的突出问题")
    SPECIAL_AND_INSTITUTIONS = "special_and_institutions", _("推进专项整治和建章立制的措施和要求")
    THEORY_AND_DISCIPLINE = "theory_and_discipline", _("加强理论武装、严守政治纪律方面的整改措施")
    STYLE_AND_FOUR_WINDS = "style_and_four_winds", _("转变作风、整治“四风”方面的整改措施")


C = Category

# Shorter names for the same categories where the notice's tables or section 三 use them:
# what the editor's category picker, the checklist and the import preview show.
CATEGORY_SHORT = {
    C.POLITICAL_DISCIPLINE: _("遵守政治纪律方面"),
    C.EIGHT_RULES: _("贯彻中央八项规定和省委九项规定精神方面"),
    C.FOUR_WINDS: _("“四风”方面"),
    C.MASS_INTERESTS: _("关系群众切身利益方面"),
    C.LAST_MILE: _("联系服务群众“最后一公里”方面"),
    C.SPECIAL_AND_INSTITUTIONS: _("推进专项整治和建章立制"),
    C.THEORY_AND_DISCIPLINE: _("加强理论武装、严守政治纪律"),
    C.STYLE_AND_FOUR_WINDS: _("转变作风、整治“四风”"),
}

# The category names as the team table (领导班子整改问题清单) writes them: the notice's own
# wording where its table has it, the section's or the short name otherwise.
TABLE_CATEGORY = {
    C.POLITICAL_DISCIPLINE: C.POLITICAL_DISCIPLINE.label,
    C.EIGHT_RULES: _("贯彻中央八项和省委九项规定问题"),
    C.FOUR_WINDS: C.FOUR_WINDS.label,
    C.MASS_INTERESTS: _("关系群众切身利益方面的突出问题"),
    C.LAST_MILE: _("服务群众“最后一公里”存在的突出问题"),
    C.SPECIAL_AND_INSTITUTIONS: CATEGORY_SHORT[C.SPECIAL_AND_INSTITUTIONS],
    C.THEORY_AND_DISCIPLINE: CATEGORY_SHORT[C.THEORY_AND_DISCIPLINE],
    C.STYLE_AND_FOUR_WINDS: CATEGORY_SHORT[C.STYLE_AND_FOUR_WINDS],
}

# The six aspects of 第四块 and the three of 第二版块, as the notice heads the measures.
TEAM_ASPECT_TITLES = {
    C.POLITICAL_DISCIPLINE: _("遵守党的政治纪律的整改措施"),
    C.EIGHT_RULES: _("进一步贯彻执行中央八项规定和省委九项规定精神的整改措施"),
    C.FOUR_WINDS: _("解决“四风”方面存在突出问题的整改措施"),
    C.MASS_INTERESTS: _("解决关系群众切身利益问题的整改措施"),
    C.LAST_MILE: _("解决联系服务群众“最后一公里”问题的整改措施"),
    C.SPECIAL_AND_INSTITUTIONS: C.SPECIAL_AND_INSTITUTIONS.label,
}
INDIVIDUAL_ASPECT_TITLES = {
    C.THEORY_AND_DISCIPLINE: C.THEORY_AND_DISCIPLINE.label,
    C.EIGHT_RULES: _("贯彻落实中央八项规定和省委九项规定精神方面的整改措施"),
    C.STYLE_AND_FOUR_WINDS: C.STYLE_AND_FOUR_WINDS.label,
}


# The values of an item's fields ------------------------------------------------------


class Phase(models.TextChoices):
    NEAR = "near", _("近期")
    MID = "mid", _("中期")
    LONG = "long", _("长期")


class Priority(models.TextChoices):
    """分轻重缓急 (section 一): how pressing a problem is; a problem nobody has weighed is 一般."""

    URGENT = "urgent", _("急")
    IMPORTANT = "important", _("重")
    NORMAL = "normal", _("一般")


class Origin(models.TextChoices):
    """Where an institution-building task comes from (附件2)."""

    CENTRAL = "central", _("承接中央制度建设要求")
    PROVINCIAL = "provincial", _("承接省级制度建设任务")
    NEW = "new", _("结合实际健全完善")


class Focus(models.TextChoices):
    """The focus areas 附件2 gives, by kind of body."""

    ORGANS = "organs", _("市、县机关：科学民主决策、党务政务公开和各领域办事公开")
    ENFORCEMENT = "enforcement", _("执法监管部门：公正执法、规范执法、阳光执法")
    WINDOW = "window", _("窗口单位、服务行业：便民服务、高效服务、优质服务")
    GRASSROOTS = "grassroots", _("乡镇、街道和村社区：联系服务群众、加强民主管理、维护群众合法权益")
    PARTY_ORGS = "party_orgs", _("各领域基层党组织：增强党组织功能、严格党内生活、加强党员管理")


class Batch(models.TextChoices):
    FIRST = "first", _("第一批活动34项专项整治任务")
    SECOND = "second", _("第二批活动11项专项治理任务")
    # 中央新增的10个项目中，省委已纳入“34+11”的3个就是第二批的任务 (附件1): listed there once.
    CENTRAL = "central", _("中央新增、我省尚未纳入的7个项目")
    GRASSROOTS = "grassroots", _("基层干部不正之风和违法违纪行为")


# The fields of an item whose values are codes, and the choices that name them; a
# field that is true or false (为官不为, 党委书记主持制定) reads 是 or 否.
FIELD_CHOICES = {
    "category": Category,
    "phase": Phase,
    "priority": Priority,
    "origin": Origin,
    "focus": Focus,
}
YES_NO = {True: _("是"), False: _("否")}


def value_label(name, value):
    """What the value of an item's field NAME reads as: a code as its label, 为官不为 (or
    any true or false) as 是 or 否, anything else as it is."""
    if name in FIELD_CHOICES and value:
        return FIELD_CHOICES[name](value).label
    if name == "inaction" or isinstance(value, bool):
        return YES_NO[bool(value)]
    return value


# Fields ----------------------------------------------------------------------------------

# An item's fields, by the name plans.models.Item and a snapshot give them.
ITEM_FIELDS = {
    "category": _("类别"),
    "phase": _("阶段"),
    "priority": _("轻重缓急"),
    "text": _("内容"),
    "measures": _("整改措施"),
    "owner": _("责任人"),
    "unit": _("责任单位"),
    "deadline": _("整改时限"),
    "inaction": _("为官不为"),
    "note": _("备注"),
    "special_task": _("专项整治项目"),
    "origin": _("来源"),
    "focus": _("重点领域"),
    "answers": _("回应的意见"),
    "addresses": _("针对的问题"),
    "claims": _("认领的班子问题"),
}
# What the text of an item is, by the code of its section (the notice's words); any
# other section's text is ITEM_FIELDS["text"].
TEXT_LABELS = {
    "problems": _("问题"),
    "measures": ITEM_FIELDS["measures"],
    "phase_tasks": _("主要任务和措施"),
    "entries": _("存在的突出问题"),
    "tasks": _("制度建设任务"),
}
# Where a field is written short: the printed details of an entry ("时限：…",
# "针对问题：第1、3条"), a table's narrow column, the hint under a saved row.
FIELD_SHORT = {
    "deadline": _("时限"),
    "addresses": _("针对问题"),
}
DEADLINE_DATE = _("时限日期")  # the date a deadline in words was read as, in the diff
ANSWERS_PICKER = _("回应的意见和问题（四个回应）")  # the picker of the inputs a problem answers

# A document's own fields, above its sections.
HEADER_FIELDS = {
    "unit_name": _("单位"),
    "position_title": _("职务"),
    "dated": _("日期"),
    "presided_by_secretary": _("党委书记主持制定"),
    "meeting_name": _("研究讨论的会议"),
    "meeting_date": _("会议日期"),
}
HEADER_SHORT = {"meeting_name": _("会议")}  # where the header is listed in a line, as in a conflict
# An entry of the four responses' register.
INPUT_FIELDS = {
    "source": _("来源"),
    "text": ITEM_FIELDS["text"],
    "explanation": _("未列入问题清单的说明"),
}


def text_label(section_code):
    """What the text of an item of the section SECTION_CODE is called."""
    return TEXT_LABELS.get(section_code, ITEM_FIELDS["text"])


# The tables ------------------------------------------------------------------------------

TEAM_TITLE = _("领导班子整改问题清单")
INDIVIDUAL_TITLE = _("领导干部个人整改清单")
GRASSROOTS_TITLE = DocumentKind.GRASSROOTS_LIST.label
NUMBER = _("序号")
# A merged cell said again at the top of a page its rows run on to: "…方面存在的问题（续）".
CONTINUED = _("（续）")
CATEGORY_COLUMN = _("问题类别")
# The columns of the notice's two tables, (field, header) as the notice heads them: what
# the Excel export writes, the reader looks for and the PDF prints. A header the notice
# breaks over two lines carries its line break.
TEAM_TABLE = (
    ("number", NUMBER),
    ("category", CATEGORY_COLUMN),
    ("problem", _("问题清单")),
    ("measures", _("整改任务和措施")),
    ("owner", ITEM_FIELDS["owner"]),
    ("deadline", ITEM_FIELDS["deadline"]),
)
INDIVIDUAL_TABLE = (
    ("number", NUMBER),
    ("problem", _("“四风”方面\n突出问题")),
    ("measures", _("具体整改措施")),
    ("deadline", ITEM_FIELDS["deadline"]),
    ("note", ITEM_FIELDS["note"]),
)
# Words of the attachments' tables (附件1 专项整治, 附件2 制度建设).
SPECIAL_TASK_SHORT = _("整治项目")
SPECIAL_MEASURES = _("整治措施")
COMPLETION = _("完成时限")
INACTION_MARK = _("“为官不为”问题")  # 备注 of a row whose problem or measure is one


# Grounds for returning a document -----------------------------------------------------


class ReturnReason(models.TextChoices):
    """Grounds for returning a document (section 四; domain.md return_reason), in the
    order of the sentence that names them."""

    FOUR_RESPONSES = "four_responses", _("没有做到“四个回应”")
    NOT_CONCRETE = "not_concrete", _("整改措施不具体")
    NOT_TARGETED = "not_targeted", _("针对性不强")
    NO_OWNER = "no_owner", _("没有具体明确整改责任人")
    NO_DEADLINE = "no_deadline", _("没有具体明确整改时限")


# What the checks before submission find besides the grounds: a document not complete.
INCOMPLETE = "incomplete"

# The grounds in a word, for the badges beside an item.
GROUND_SHORT = {
    ReturnReason.FOUR_RESPONSES: _("未回应"),
    ReturnReason.NOT_CONCRETE: _("不具体"),
    ReturnReason.NOT_TARGETED: ReturnReason.NOT_TARGETED.label,
    ReturnReason.NO_OWNER: _("无责任人"),
    ReturnReason.NO_DEADLINE: _("无时限"),
    INCOMPLETE: _("未填完"),
}


def ground_label(reason, source=None):
    """The ground REASON in words, with the SOURCE not answered if given:
    ground_label("four_responses", "mass_opinion") → 没有做到“四个回应”（征求到的群众意见）."""
    label = str(ReturnReason(reason).label)
    if source:
        label += f"（{Source(source).label}）"
    return label
