"""Every word of the dashboard, once: the page, its charts and its Excel files read them.

The states, kinds, authorities and grounds are the labels plans.words and orgs.models
give them everywhere else; what is the dashboard's own is here.
"""

from django.utils.translation import gettext_lazy as _

from ledger import words as ledger_words
from orgs.models import AuthorityKind
from plans.words import Category, DocumentKind, ReturnReason, Source, Status

TITLE = _("督导看板")
ALL_KINDS = _("全部文件（不含附件）")
OWN_LEVEL = _("本级")
TOTAL = _("合计")
REGION = _("地区")
MUST = _("应报")
NOT_STARTED = _("未开始")
RATE = _("通过率")
RETURNS = _("退回次数")
IN_REVIEW = Status.SUBMITTED.label
AUTHORITY = _("审阅主体")
MODE = _("方式")
MODE_REVIEW = _("审阅把关")
MODE_READ = _("送阅")
WAITING = _("等待中")
OVERDUE = _("超过 %(days)s 天")
LONGEST = _("最长已等（天）")
DOCUMENT = _("文件")
KIND = _("类别")
UNIT = _("单位")
TEAM = _("班子")
PERSON = _("干部")
STATE = _("状态")
REACHED = _("到达时间")
WAITED = _("已等待（天）")
DAY = _("日期")
SUBMISSIONS = _("报送数")
UPDATED = _("最后修改")
AS_OF = _("数据截至 %(time)s")
LIVE = _("实时数据（%(time)s）")
NOT_YET = _("尚未统计")

# What a count of each state is called in a table's header and a chart's legend, in the
# order a document goes through them.
STATE_COLUMNS = (
    ("not_started", NOT_STARTED),
    (str(Status.DRAFT), Status.DRAFT.label),
    (str(Status.SUBMITTED), Status.SUBMITTED.label),
    (str(Status.RETURNED), Status.RETURNED.label),
    (str(Status.APPROVED), Status.APPROVED.label),
)

# The tables of a region's page, by the name their export is asked for by.
TABLES = {
    "progress": _("各地进度"),
    "stages": _("审阅中的文件在哪个环节"),
    "grounds": _("退回修改及理由"),
    "waits": _("各审阅主体的等待"),
    "oldest": _("等待最久的文件"),
    "days": _("每日报送"),
    "unfiled": _("未报送名单"),
    "completion": _("整改落实"),
    "categories": _("各类问题的整改落实"),
}
TABLE_NOTES = {
    "progress": _(
        "应报：各班子按通知应填报的文件，个人整改措施按撰写了对照检查材料的在职干部每人一份、计在其最高职务；"
        "未开始：应报而尚未开始填写的；各状态只计应报的文件（在较低职务下保留的个人整改措施不计）。"
    ),
    "stages": _("审阅中的文件此刻待哪个审阅主体审阅把关（同一环节两个主体同时审阅的，各计一次）。"),
    "grounds": _("退回次数：历次退回修改的次数；各项理由按退回时勾选的计数，一次退回可有几项理由。"),
    "waits": _("审阅中的环节等待审阅或送阅的份数，按到达该环节之日计算已等待的天数。"),
    "unfiled": _("应报而尚未开始填写、或仍为草稿未报送的文件。"),
    "completion": ledger_words.COMPLETION_NOTE,
    "categories": ledger_words.COMPLETION_NOTE,
}

# The completion columns: the measures, then each state the region's ledger filters by
# (ledger.words.ROLLUP_STATES), then the rate; the page, the Excel and the links agree.
MEASURES = ledger_words.MEASURES
COMPLETION_RATE = ledger_words.COMPLETION_RATE
MEASURE_STATES = tuple(ledger_words.ROLLUP_STATES.items())
CATEGORY = _("问题类别")
ALL_MEASURES = _("全部文件（含附件）")  # the measures of every kind: the attachments' tasks are measures too
NO_CATEGORY = ledger_words.NO_CATEGORY


def category_label(code):
    return Category(code).label if code else NO_CATEGORY


UNFILED_STATES = {"not_started": NOT_STARTED, str(Status.DRAFT): Status.DRAFT.label}


def kind_label(kind):
    return DocumentKind(kind).label if kind else ALL_KINDS


def authority_label(authority):
    return AuthorityKind(authority).label


def ground_label(key):
    """A key of Tally.grounds: a ground, or "four_responses:<source>" for the source not answered."""
    if ":" in key:
        _reason, source = key.split(":", 1)
        return Source(source).label
    return ReturnReason(key).label


GROUNDS = tuple(str(reason) for reason in ReturnReason)
