"""The documents of the notice and what they are made of.

A Document belongs to a team (and, for individual measures, to one person in it).
Everything a filer types is an Item: a text block (第一块 整改指导思想…) or one row of
a list (a problem, a measure, a task), each with a stable uid that survives edits and
reordering, and its own revision so two people saving the same row cannot overwrite
each other. The four responses (四个回应) are Inputs on the team's register; problems
cite the inputs they answer.

Which sections each kind has lives in plans/structure.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs.models import Person, Team


class DocumentKind(models.TextChoices):
    TEAM_PLAN = "team_plan", _("领导班子整改方案")
    SIMPLIFIED_PLAN = "simplified_plan", _("整改方案")
    GRASSROOTS_LIST = "grassroots_list", _("整改清单")
    INDIVIDUAL = "individual", _("领导干部个人整改措施")
    SPECIAL_RECTIFICATION = "special_rectification", _("专项整治工作方案")
    INSTITUTION_PLAN = "institution_plan", _("制度建设计划")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("审阅中")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已通过")


EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


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


class Source(models.TextChoices):
    """The four responses: what every plan must answer (section 一)."""

    MASS_OPINION = "mass_opinion", _("征求到的群众意见")
    SELF_INSPECTION = "self_inspection", _("对照检查材料查摆的突出问题")
    LIFE_MEETING = "life_meeting", _("专题民主生活会提出的批评意见")
    SUPERIOR = "superior", _("上级党组织和督导组点明的问题")


class Phase(models.TextChoices):
    NEAR = "near", _("近期")
    MID = "mid", _("中期")
    LONG = "long", _("长期")


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
    CENTRAL = "central", _("中央新增10个整治项目")
    GRASSROOTS = "grassroots", _("基层干部不正之风和违法违纪行为")


class SpecialTask(models.Model):
    """The catalogue of special rectification tasks (附件1) that plans pick from."""

    batch = models.CharField(_("批次"), max_length=16, choices=Batch)
    name = models.CharField(_("名称"), max_length=200)
    already_included = models.BooleanField(
        _("已纳入“34+11”"), default=False, help_text=_("中央新增项目中，省委已纳入“34+11”专项整治任务的")
    )
    required = models.BooleanField(
        _("必须纳入"), default=False, help_text=_("通知要求各市州、县市区委纳入专项整治范围的项目")
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("专项整治项目")
        verbose_name_plural = _("专项整治项目")
        ordering = ["batch", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["batch", "name"], name="special_task_unique")]

    def __str__(self):
        return self.name


class Document(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("班子"), on_delete=models.PROTECT, related_name="documents")
    person = models.ForeignKey(
        Person,
        verbose_name=_("干部"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    kind = models.CharField(_("类别"), max_length=24, choices=DocumentKind)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所附方案"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.DRAFT)
    title = models.CharField(_("标题"), max_length=200)
    unit_name = models.CharField(_("单位"), max_length=100, blank=True)
    position_title = models.CharField(_("职务"), max_length=100, blank=True)
    dated = models.DateField(_("日期"), null=True, blank=True)
    # 市州、县市区委: 党委书记主持制定，召开常委会议集体研究讨论 (section 二).
    presided_by_secretary = models.BooleanField(_("党委书记主持制定"), default=False)
    meeting_name = models.CharField(_("研究讨论的会议"), max_length=200, blank=True)
    meeting_date = models.DateField(_("会议日期"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("整改文件")
        verbose_name_plural = _("整改文件")
        ordering = ["team_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "kind"], condition=Q(person__isnull=True), name="document_one_per_team_kind"
            ),
            models.UniqueConstraint(
                fields=["team", "person", "kind"],
                condition=Q(person__isnull=False),
                name="document_one_per_person",
            ),
            models.CheckConstraint(
                condition=Q(kind="individual", person__isnull=False)
                | ~Q(kind="individual") & Q(person__isnull=True),
                name="document_person_iff_individual",
            ),
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="document_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="document_status_valid"),
        ]

    def __str__(self):
        return self.title

    @property
    def editable(self):
        return self.status in EDITABLE_STATUSES


class Input(models.Model):
    """One thing the team must answer (四个回应): an opinion, a problem found in
    self-inspection, a criticism at the 民主生活会, a problem pointed out from above.
    PERSON is set for what concerns one leader alone (their individual measures)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="inputs")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="inputs")
    source = models.CharField(_("来源"), max_length=20, choices=Source)
    text = models.TextField(_("内容"))
    explanation = models.TextField(
        _("未列入问题清单的说明"), blank=True, help_text=_("不由问题回应时，必须书面说明理由")
    )
    from_supervision = models.BooleanField(_("督导组点明"), default=False)
    position = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("“四个回应”事项")
        verbose_name_plural = _("“四个回应”事项")
        ordering = ["team_id", "source", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=Source.values), name="input_source_valid")
        ]

    def __str__(self):
        return self.text[:40]


class Item(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(max_length=32)
    position = models.PositiveIntegerField(default=0)
    category = models.CharField(_("类别"), max_length=32, choices=Category, blank=True)
    phase = models.CharField(_("阶段"), max_length=8, choices=Phase, blank=True)
    text = models.TextField(_("内容"), blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    owner = models.ForeignKey(
        Person, verbose_name=_("责任人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_text = models.CharField(_("责任人"), max_length=100, blank=True)
    unit = models.CharField(_("责任单位"), max_length=200, blank=True)
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    deadline_text = models.CharField(_("整改时限"), max_length=100, blank=True)
    inaction = models.BooleanField(_("为官不为"), default=False)
    note = models.TextField(_("备注"), blank=True)
    special_task = models.ForeignKey(
        SpecialTask, verbose_name=_("专项整治项目"), on_delete=models.PROTECT, null=True, blank=True
    )
    origin = models.CharField(_("来源"), max_length=16, choices=Origin, blank=True)
    focus = models.CharField(_("重点领域"), max_length=16, choices=Focus, blank=True)
    answers = models.ManyToManyField(
        Input, verbose_name=_("回应的事项"), blank=True, related_name="answered_by"
    )
    addresses = models.ManyToManyField(
        "self", verbose_name=_("针对的问题"), symmetrical=False, blank=True, related_name="addressed_by"
    )
    claims = models.ManyToManyField(
        "self", verbose_name=_("认领的班子问题"), symmetrical=False, blank=True, related_name="claimed_by"
    )
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("条目")
        verbose_name_plural = _("条目")
        ordering = ["document_id", "section", "position", "id"]
        indexes = [models.Index(fields=["document", "section", "position"], name="item_in_order")]

    def __str__(self):
        return self.text[:40]

    @property
    def owner_name(self):
        return self.owner.name if self.owner_id else self.owner_text
