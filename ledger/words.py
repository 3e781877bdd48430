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
