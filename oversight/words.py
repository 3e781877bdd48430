"""Every word the user reads about spot checks, findings and bulletins, defined once.

Codes are those of domain.md (Oversight). The pages, the bulletin's PDF and the Excel
tables take their labels from here, as plans.words does for documents.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.words import ReturnReason


class CheckState(models.TextChoices):
    OPEN = "open", _("抽查中")
    CLOSED = "closed", _("已结束")


class Method(models.TextChoices):
    """How a spot check picks what it reads (section 六: 抽查部分…, 调阅…按20%左右的比例掌握)."""

    HAND = "hand", _("逐份选定")
    DRAW = "draw", _("随机抽样")


class Severity(models.TextChoices):
    SERIOUS = "serious", _("严重")
    GENERAL = "general", _("一般")
    MINOR = "minor", _("轻微")


# The grounds of a finding: the notice's return grounds (section 四) and 其他.
FindingGround = models.TextChoices(
    "FindingGround",
    [(reason.name, (reason.value, reason.label)) for reason in ReturnReason]
    + [("OTHER", ("other", _("其他")))],
)


class FindingState(models.TextChoices):
    """A finding that requires rectification waits for the filer's answer, then for the
    checker, who accepts it or keeps the finding open; one that does not is on record."""

    RECORDED = "recorded", _("已记录")
    OPEN = "open", _("待整改")
    ANSWERED = "answered", _("已答复，待认可")
    ACCEPTED = "accepted", _("已认可")


class BulletinState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


class Action(models.TextChoices):
    """What happened, in the oversight record."""

    OPEN = "open", _("开展抽查")
    DRAW = "draw", _("随机抽样")
    PICK = "pick", _("选定抽查文件")
    UNPICK = "unpick", _("取消选定")
    CLOSE = "close", _("结束抽查")
    READ = "read", _("调阅")
    FIND = "find", _("记录发现问题")
    ANSWER = "answer", _("答复整改情况")
    ACCEPT = "accept", _("认可整改")
    KEEP_OPEN = "keep_open", _("仍需整改")
    DRAFT_BULLETIN = "draft_bulletin", _("起草通报")
    EDIT_BULLETIN = "edit_bulletin", _("修改通报")
    ISSUE = "issue", _("印发通报")


BULLETIN_NUMBER = _("湘群办通报〔%(year)d〕%(number)d号")

# The bulletin as printed (GB/T 9704): who issues it, to whom, and how a body and a
# finding read in it.
ISSUER = _("中共湖南省委党的群众路线教育实践活动领导小组办公室")
# The issuer as the notice signs itself, on two lines.
ISSUER_LINES = (_("中共湖南省委党的群众路线"), _("教育实践活动领导小组办公室"))
ADDRESSEES = _("各市州委教育实践活动领导小组办公室，省委派驻各市州督导组：")
DRAFT_MARK = _("征求意见稿")
BODY_INTRO = _("抽查《%(document)s》，发现以下问题：")
ON_ITEM = _("（涉及条目：“%(item)s”）")
PERSON_SUFFIX = _("%(person)s同志")

# What a new bulletin starts with; the office rewrites it as it sees fit.
DEFAULT_OPENING = _(
    "按照湘群办发〔2014〕31号通知要求，省委教育实践活动办对部分市州、县市区领导班子整改方案"
    "和领导干部个人整改措施进行了抽查。现将抽查发现的问题通报如下："
)
DEFAULT_CLOSING = _(
    "被通报的单位要高度重视，对照通报指出的问题，认真修改完善整改方案和整改措施，按程序重新报送审阅。"
    "各市州、县市区要举一反三，对本地整改方案和整改措施逐一审核把关，确保做到“四个回应”，"
    "整改措施具体、针对性强，明确整改责任人和整改时限。"
)

# Refusals on bulletins the pages and the model say in the same words as transitions.
ONLY_OFFICE = _("点名通报由省委教育实践活动办印发。")
ISSUED_FROZEN = _("通报已经印发，不能再修改。")
ISSUED_AGAIN = _("这份通报已经印发（%(number)s），不能再次印发。")
