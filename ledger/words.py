"""Every word the user reads about the ledger, defined once (as plans.words for documents)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.words import ITEM_FIELDS


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


# Chasing (ledger.chase): what the schedule tells, and the 逾期督办 page ---------------

REMIND_TEXT = _("《%(title)s》的整改措施“%(measure)s”将于%(deadline)s到期，请按时完成并报告整改进展。")
REPORT_DUE_TEXT = _("《%(title)s》中长期坚持的整改措施“%(measure)s”已到定期报告时间，请报告整改进展。")
ESCALATE_TEXT = _(
    "督办：《%(title)s》的整改措施“%(measure)s”（责任人：%(owner)s）已超过整改时限%(days)s天，尚未完成。"
)
NO_OWNER = _("未明确")

CHASE_TITLE = _("逾期督办")
CHASE_INTRO = _(
    "已过整改时限、尚未完成的整改措施（已报告完成、等待核验的不计入）。逾期 %(days)s 天仍未完成的，"
    "系统向审阅把关的机构和督导组督办，并发邮件。"
)
CHASE_ALL = _("全部逾期")
CHASE_ESCALATED = _("已督办")
CHASE_EMPTY = _("没有逾期的整改措施。")
DOCUMENT = _("文件")
ORG = _("单位")
MEASURE = ITEM_FIELDS["measures"]
OWNER = ITEM_FIELDS["owner"]
DEADLINE = ITEM_FIELDS["deadline"]
DAYS_OVERDUE = _("逾期天数")
ESCALATED_ON = _("督办时间")
NOT_ESCALATED = _("尚未督办")

CHASED = _("已发送到期提醒 %(remind)d 条、定期报告提醒 %(report_due)d 条、督办 %(escalate)d 条。")
NEXT_RUN = _("下一次检查排定在 %(at)s。")
NEXT_RUN_KEPT = _("下一次检查已排定在 %(at)s，不再重复排定。")
NO_SCHEDULE = _("后台任务队列不支持定时，未排定下一次检查：请每天运行一次本命令（如用 cron）。")


class LedgerRight(models.TextChoices):
    """What may be done to a ledger entry (registered with orgs.policy, ledger/access.py)."""

    REPORT = "report", _("报告进展")
    VERIFY = "verify", _("核验")


# What a report may carry: the kinds of evidence files, by what their content says they
# are (ledger/evidence.py), with the names users know them by.
EVIDENCE_KINDS = _("PDF、图片（PNG、JPG、GIF）、Word、Excel")
REPORT_MAX_CHARS = 5000
REASON_MAX_CHARS = 2000
EVIDENCE_MAX_FILES = 10

# Refusals, in the words the pages and the transitions share.
NOT_REPORTER = _("只有这条措施的责任人和本班子的填报人可以报告进展。")
NOT_VERIFIER = _("只有审阅通过这份文件的机构和督导组可以核验这条措施。")
CLOSED_ALREADY = _("这条整改措施已经销号，不再报告进展。")
WAITING_VERIFICATION = _("这条整改措施已报告完成，正在等待核验；核验退回后可继续报告。")
NOT_WAITING = _("这条整改措施现在没有待核验的完成报告。")
STANDING_NOT_DONE = _("长期坚持的措施按期报告进展，不报告完成，也不销号。")
STANDING_NOT_CLOSED = _("长期坚持的措施不销号。")
TEXT_REQUIRED = _("请写明整改进展情况。")
TEXT_TOO_LONG = _("进展情况最多 %(limit)d 字，现在是 %(n)d 字，请删减后再报告。")
REASON_REQUIRED = _("退回继续整改须写明理由。")
REASON_TOO_LONG = _("退回理由最多 %(limit)d 字，现在是 %(n)d 字。")
TOO_MANY_FILES = _("一次最多上传 %(limit)d 个佐证材料，这次选了 %(n)d 个。")
FILE_TOO_BIG = _(
    "“%(name)s”有 %(size)s，超过了每个文件 %(limit)s 的上限，没有报告。请压缩或分成几个文件后再上传。"
)
FILE_EMPTY = _("“%(name)s”是空文件，没有报告。")
FILE_NOT_ALLOWED = _(
    "“%(name)s”不是可以上传的佐证材料（按文件内容识别，只收 %(kinds)s），没有报告。请换成这些格式后再上传。"
)
FILE_MACROS = _("“%(name)s”含有宏、ActiveX 控件或嵌入的对象，没有报告。请另存为不含宏的文件后再上传。")
TEXT_KEPT = _("您填写的进展情况仍在下面的框中，改正后可以再次报告。")

# What the people concerned are told (review.notices.post), with the measure's place.
TOLD_DONE = _("《%(title)s》第%(number)s条整改措施已报告完成，请核验销号。")
TOLD_CLOSED = _("《%(title)s》第%(number)s条整改措施已核验销号。")
TOLD_SENT_BACK = _("《%(title)s》第%(number)s条整改措施被退回继续整改：%(reason)s")

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
