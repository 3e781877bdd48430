"""The documents of the notice and what they are made of.

A Document belongs to a team (and, for individual measures, to one person in it).
Everything a filer types is an Item: a text block (第一块 整改指导思想…) or one row of
a list (a problem, a measure, a task), each with a stable uid that survives edits and
reordering, and its own revision so two people saving the same row cannot overwrite
each other. The four responses (四个回应) are Inputs on the team's register; problems
cite the inputs they answer.

Which sections each kind has lives in plans/structure.py; the kinds, states,
categories and every other word shown for them, in plans/words.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.models import Person, Team

from .words import (
    HEADER_FIELDS,
    INPUT_FIELDS,
    ITEM_FIELDS,
    Batch,
    Category,
    DocumentKind,
    Focus,
    Origin,
    Phase,
    Priority,
    Source,
    Status,
)

EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


class SpecialTask(models.Model):
    """The catalogue of special rectification tasks (附件1) that plans pick from."""

    batch = models.CharField(_("批次"), max_length=16, choices=Batch)
    name = models.CharField(_("名称"), max_length=200)
    already_included = models.BooleanField(
        _("亦为中央新增项目"),
        default=False,
        help_text=_("中央新增的10个整治项目之一，省委已纳入“34+11”专项整治任务：只在此列一次"),
    )
    required = models.BooleanField(
        _("必须纳入"), default=False, help_text=_("通知要求各市州、县市区委纳入专项整治范围的项目")
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("专项整治项目")
        verbose_name_plural = _("专项整治项目")
        # In 附件1's order: the first batch's 34, the second's 11, the centre's, the grassroots'.
        ordering = [
            Case(*(When(batch=code, then=n) for n, code in enumerate(Batch.values)), default=len(Batch)),
            "position",
            "id",
        ]
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
    unit_name = models.CharField(HEADER_FIELDS["unit_name"], max_length=100, blank=True)
    position_title = models.CharField(HEADER_FIELDS["position_title"], max_length=100, blank=True)
    dated = models.DateField(HEADER_FIELDS["dated"], null=True, blank=True)
    # 市州、县市区委: 党委书记主持制定，召开常委会议集体研究讨论 (section 二).
    presided_by_secretary = models.BooleanField(HEADER_FIELDS["presided_by_secretary"], default=False)
    meeting_name = models.CharField(HEADER_FIELDS["meeting_name"], max_length=200, blank=True)
    meeting_date = models.DateField(HEADER_FIELDS["meeting_date"], null=True, blank=True)
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


# The longest one entry of the register may be, typed or pasted.
MAX_INPUT_CHARS = 4000


class Input(models.Model):
    """One thing the team must answer (四个回应): an opinion, a problem found in
    self-inspection, a criticism at the 民主生活会, a problem pointed out from above.
    PERSON is set for what concerns one leader alone (their individual measures)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="inputs")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="inputs")
    source = models.CharField(INPUT_FIELDS["source"], max_length=20, choices=Source)
    text = models.TextField(INPUT_FIELDS["text"])
    explanation = models.TextField(
        INPUT_FIELDS["explanation"], blank=True, help_text=_("不由问题回应时，必须书面说明理由")
    )
    from_supervision = models.BooleanField(_("督导组点明"), default=False)
    # The supervising body that pointed it out (its members keep it); none when a leader
    # of a higher party committee did, who alone keeps it (created_by).
    added_by_body = models.ForeignKey(
        "orgs.Authority",
        verbose_name=_("点明的督导机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
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
    category = models.CharField(ITEM_FIELDS["category"], max_length=32, choices=Category, blank=True)
    phase = models.CharField(ITEM_FIELDS["phase"], max_length=8, choices=Phase, blank=True)
    # 分轻重缓急 (section 一): weighed on problems; every other row keeps the default.
    priority = models.CharField(
        ITEM_FIELDS["priority"], max_length=16, choices=Priority, default=Priority.NORMAL
    )
    text = models.TextField(ITEM_FIELDS["text"], blank=True)
    measures = models.TextField(ITEM_FIELDS["measures"], blank=True)
    owner = models.ForeignKey(
        Person,
        verbose_name=ITEM_FIELDS["owner"],
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_text = models.CharField(ITEM_FIELDS["owner"], max_length=100, blank=True)
    unit = models.CharField(ITEM_FIELDS["unit"], max_length=200, blank=True)
    deadline = models.DateField(ITEM_FIELDS["deadline"], null=True, blank=True)
    deadline_text = models.CharField(ITEM_FIELDS["deadline"], max_length=100, blank=True)
    inaction = models.BooleanField(ITEM_FIELDS["inaction"], default=False)
    note = models.TextField(ITEM_FIELDS["note"], blank=True)
    special_task = models.ForeignKey(
        SpecialTask, verbose_name=ITEM_FIELDS["special_task"], on_delete=models.PROTECT, null=True, blank=True
    )
    origin = models.CharField(ITEM_FIELDS["origin"], max_length=16, choices=Origin, blank=True)
    focus = models.CharField(ITEM_FIELDS["focus"], max_length=16, choices=Focus, blank=True)
    answers = models.ManyToManyField(
        Input, verbose_name=ITEM_FIELDS["answers"], blank=True, related_name="answered_by"
    )
    addresses = models.ManyToManyField(
        "self",
        verbose_name=ITEM_FIELDS["addresses"],
        symmetrical=False,
        blank=True,
        related_name="addressed_by",
    )
    claims = models.ManyToManyField(
        "self", verbose_name=ITEM_FIELDS["claims"], symmetrical=False, blank=True, related_name="claimed_by"
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
        constraints = [
            models.CheckConstraint(condition=Q(priority__in=Priority.values), name="item_priority_valid")
        ]

    def __str__(self):
        return self.text[:40]

    @property
    def owner_name(self):
        return self.owner.name if self.owner_id else self.owner_text


class ImportState(models.TextChoices):
    """Where an import of a spreadsheet stands: read on the tasks worker into a preview
    (or refused), then, once confirmed, written on the worker (or failed)."""

    QUEUED = "queued", _("排队等待读取")
    READING = "reading", _("正在读取")
    PREVIEW = "preview", _("待确认")
    REFUSED = "refused", _("未通过检查")
    CONFIRMED = "confirmed", _("排队等待写入")
    WRITING = "writing", _("正在写入")
    DONE = "done", _("已导入")
    FAILED = "failed", _("导入失败")


class Import(models.Model):
    """One spreadsheet uploaded to be imported into a document (plans/imports.py): the
    file kept through the storage, the reading the worker made of it (the preview, kept
    here, not in the session), and the key and the document's stamp its confirmation
    must carry. Only the user who uploaded it sees it; old ones are pruned."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="plans-imports/%Y/%m/", max_length=300)
    name = models.CharField(max_length=255)  # the file's name as uploaded
    state = models.CharField(max_length=10, choices=ImportState, default=ImportState.QUEUED)
    read = models.PositiveIntegerField(default=0)  # rows of the sheet read so far
    total = models.PositiveIntegerField(null=True, blank=True)  # rows the sheet says it has
    reading = models.JSONField(null=True, blank=True)  # Reading.as_json(rows=True), errors checked
    message = models.TextField(blank=True)  # why it was refused or failed
    count = models.PositiveIntegerField(default=0)  # rows to write, then written
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the confirmation's once-key
    stamp = models.DateTimeField()  # the document's updated_at at the upload
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(default=timezone.now)  # its state or progress, last
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Excel导入")
        verbose_name_plural = _("Excel导入")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "document", "-id"], name="plans_import_mine"),
            models.Index(fields=["created_at"], name="plans_import_age"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ImportState.values), name="import_state_valid")
        ]

    def __str__(self):
        return self.name

    @property
    def percent(self):
        return min(100, round(self.read * 100 / self.total)) if self.total else None
