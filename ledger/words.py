"""Every word the user reads about the ledger, defined once (as plans.words for documents)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryState(models.TextChoices):
    """Where a measure stands. A measure with a standing deadline (长期坚持) stays OPEN:
    it reports at an interval and is never closed."""

    OPEN = "open", _("整改中")
    DONE = "done", _("已完成，待核验")
    CLOSED = "closed", _("已销号")


class Action(models.TextChoices):
    """What happened to a ledger entry, in its record."""

    OPEN = "open", _("建立台账")
    REPORT = "report", _("报告进展")
    DONE = "done", _("报告完成")
    CLOSE = "close", _("核验销号")
    SEND_BACK = "send_back", _("退回继续整改")
    REMIND = "remind", _("到期提醒")
    ESCALATE = "escalate", _("督办")


class ChaseKind(models.TextChoices):
    """What the schedule sent about an entry (ledger.models.Chase)."""

    REMIND = "remind", _("到期提醒")
    REPORT_DUE = "report_due", _("定期报告提醒")
    ESCALATE = "escalate", _("督办")


# A region's ledger and its roll-ups (the region's page, its Excel, the dashboard) -----

LEDGER = _("整改台账")
MEASURES = _("措施总数")
# What the region's ledger filters by, and the dashboard counts, in this order: the three
# states, then the two that cut across them (ledger/overdue.py says what they mean).
OVERDUE = "overdue"
ESCALATED = "escalated"
ROLLUP_STATES = {
    str(EntryState.OPEN): _("整改中"),
    str(EntryState.DONE): _("待核验"),
    str(EntryState.CLOSED): _("已销号"),
    OVERDUE: _("逾期"),
    ESCALATED: _("已督办"),
}
COMPLETION_RATE = _("完成率")
ALL_STATES = _("全部状态")
ALL_CATEGORIES = _("全部类别")
ALL_KINDS = _("全部文件")
NO_CATEGORY = _("未分类别")
SEARCH = _("责任人、措施或责任单位")
UNIT_AND_DOCUMENT = _("单位和文件")
# The progress columns after the notice's own in the ledger's Excel, in this order.
PROGRESS_COLUMNS = (
    ("state", _("完成情况")),
    ("progress", _("最近进展")),
    ("reported", _("报告时间")),
    ("closed", _("销号时间")),
    ("escalated", _("督办")),
)
ESCALATED_MARK = _("已督办（%(date)s）")
OVERDUE_MARK = _("逾期")
EXPORT_INLINE = _("导出 Excel")
EXPORT_QUEUE = _("后台生成 Excel")
EXPORT_FILE = _("%(name)s整改台账")
COMPLETION_NOTE = _(
    "措施总数：已通过的文件（含附件）中的每一条整改措施；整改中、待核验（已报告完成）、已销号三者相加等于措施总数；"
    "逾期：整改中、不属长期坚持、已过整改时限的；已督办：已提请上级督办、尚未销号的；"
    "完成率：已销号的措施占措施总数（长期坚持的不计）的比例。"
)


class ExportState(models.TextChoices):
    """Where an Excel file made on the tasks worker stands."""

    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("正在生成")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")
