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
