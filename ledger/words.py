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
FILE_MACROS = _("“%(name)s”含有宏，没有报告。请另存为不含宏的文件后再上传。")
TEXT_KEPT = _("您填写的进展情况仍在下面的框中，改正后可以再次报告。")

# What the people concerned are told (review.notices.post), with the measure's place.
TOLD_DONE = _("《%(title)s》第%(number)s条整改措施已报告完成，请核验销号。")
TOLD_CLOSED = _("《%(title)s》第%(number)s条整改措施已核验销号。")
TOLD_SENT_BACK = _("《%(title)s》第%(number)s条整改措施被退回继续整改：%(reason)s")
