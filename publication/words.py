"""Every word the user reads about publication (section 七), defined once: the panel on a
document's page, the public site, the 公示 and the refusals read them from here, as
plans.words does for documents."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ledger.words import EntryState


class Action(models.TextChoices):
    """What happened to a publication, in its record."""

    PUBLISH = "publish", _("公开")
    WITHDRAW = "withdraw", _("撤回公开")


# What a public list shows of each measure, from its ledger entry (section 七: 向群众公布,
# so the masses can follow it). 已完成，待核验 is still 整改中 to the public: only a closed
# (销号) measure is done; a standing one (长期坚持) is never closed.
IN_PROGRESS = _("整改中")
COMPLETED = _("已完成")
STANDING = _("长期坚持")
PUBLIC_STATE = {EntryState.OPEN: IN_PROGRESS, EntryState.DONE: IN_PROGRESS, EntryState.CLOSED: COMPLETED}

# The fields of a publication.
CHANNEL = _("公开渠道")
PUBLISHED_ON = _("公开日期")
REASON = _("撤回理由")
CHANNEL_HINTS = {
    "public": _("如：长沙县人民政府门户网站、《长沙晚报》"),
    "internal": _("如：县委常委班子会议通报、单位内部公示栏"),
    "masses": _("如：村务公开栏、社区公示栏"),
}

# Refusals (transitions.py).
NOT_FILER = _("只有本文件的填报人可以公开或撤回公开。")
NOT_APPROVED = _("文件审阅通过后才能公开。")
ATTACHMENT = _("附件随所附方案一同公开。")
ALREADY = _("这份文件已经公开，请刷新页面。")
STALE = _("公开情况刚刚有了变化，请刷新页面后再操作。")
NO_CHANNEL = _("请填写公开渠道（如当地报纸、网站的名称或公示栏）。")
CHANNEL_TOO_LONG = _("公开渠道不超过 %(limit)d 字。")
NO_DATE = _("请填写公开日期，格式如 2014-09-30。")
FUTURE_DATE = _("公开日期不能晚于今天。")
NO_REASON = _("撤回公开须写明理由。")
REASON_TOO_LONG = _("撤回理由不超过 %(limit)d 字。")
NOT_PUBLISHED = _("这份文件没有公开，或已撤回。")
NO_VERSION = _("找不到审阅通过的版本，不能公开。")

# Messages after a move, and what the authors are told.
DONE_PUBLISH = _("已公开。")
DONE_WITHDRAW = _("已撤回公开。")
TOLD_PUBLISHED = _("《%(title)s》已%(scope)s（%(channel)s）。")
TOLD_WITHDRAWN = _("《%(title)s》已撤回公开：%(reason)s")

# The public site (the pages' own labels are in their templates).
MISSING = _("页面不存在")
MISSING_REASON = _("这份文件没有公开，或已撤回公开。")
TOO_MANY = _("访问过于频繁")
TOO_MANY_REASON = _("您在一分钟内访问的次数太多，请稍候一分钟再访问。")

# The 公示 for the village notice board.
NOTICE_TITLE = _("《%(title)s》公示")
NOTICE_INTRO = _(
    "按照湘群办发〔2014〕31号通知要求，现将本单位整改清单向群众公布，请广大群众监督整改落实情况。"
)
NOTICE_OPINIONS = _(
    "对整改清单和整改落实情况有意见建议的，请向%(unit)s反映（可到办公地点当面反映，或投入意见箱）。"
)
NOTICE_PERIOD = _("公示日期：%(date)s")
