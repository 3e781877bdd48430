"""The ledger (整改台账): one Entry for each measure of an approved document, as the
approved version states it, with its progress Reports (and their Evidence), its append-only
Events, and the Chases the schedule sent about it (a reminder or an escalation is sent
once: its row is the proof). Only ledger.transitions changes an entry's state. An Export
is an Excel file of a region's ledger made on the tasks worker, its progress kept where
the page and the worker both read it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.models import Org, Person
from plans.models import Document
from plans.words import ITEM_FIELDS, Category

from .words import Action, ChaseKind, EntryState, ExportState


class Entry(models.Model):
    """A measure to carry out: what the approved document says of it, copied when the
    ledger opens (the document no longer changes once approved), and where it stands."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="ledger")
    item_uid = models.UUIDField()  # the Item (and snapshot entry) it was opened from
    section = models.CharField(max_length=32)
    position = models.PositiveIntegerField(default=0)  # order within the document
    number = models.CharField(_("序号"), max_length=16, blank=True)
    category = models.CharField(ITEM_FIELDS["category"], max_length=32, choices=Category, blank=True)
    problem = models.TextField(_("问题"), blank=True)  # the problems the measure answers
    text = models.TextField(_("整改措施"))
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
    # 长期坚持: no date; reports every `interval_days` and is never closed.
    standing = models.BooleanField(_("长期坚持"), default=False)
    interval_days = models.PositiveSmallIntegerField(_("报告周期（天）"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=EntryState, default=EntryState.OPEN)
    last_report_at = models.DateTimeField(_("最近报告"), null=True, blank=True)
    done_at = models.DateTimeField(_("报告完成时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("台账条目")
        verbose_name_plural = _("台账条目")
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "item_uid"], name="ledger_entry_once_per_item"),
            models.CheckConstraint(
                condition=~models.Q(standing=True, state="closed"), name="ledger_standing_never_closed"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "deadline"], name="ledger_entry_due"),
            models.Index(fields=["owner", "state"], name="ledger_entry_owner"),
        ]

    def __str__(self):
        return self.text[:40]

    @property
    def owner_name(self):
        return self.owner.name if self.owner_id else self.owner_text


class Report(models.Model):
    """A progress report on an entry, by its owner or the filer for them; `done` reports
    the measure carried out (the verifier then closes it or sends it back)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="reports")
    text = models.TextField(_("进展情况"))
    done = models.BooleanField(_("已完成"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["entry", "at", "id"]

    def __str__(self):
        return self.text[:40]


class Evidence(models.Model):
    """A file attached to a report (PDF, image, Word, Excel), kept through Django's storage
    API so a shared object store can hold it in production; served as a download only."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/", max_length=300)
    name = models.CharField(_("文件名"), max_length=200)  # as the user's file was called
    content_type = models.CharField(max_length=100)  # as read from the content
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["report", "id"]

    def __str__(self):
        return self.name


class Event(models.Model):
    """Append-only record of what happened to an entry; actor is None for the schedule."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("操作"), max_length=16, choices=Action)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    report = models.ForeignKey(Report, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField(blank=True)  # the reason of a sending back, the words of a chase
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("台账记录")
        verbose_name_plural = _("台账记录")
        ordering = ["entry", "at", "id"]

    def __str__(self):
        return self.get_action_display()


class Chase(models.Model):
    """One reminder or escalation the schedule sent about an entry, for one date (the
    deadline it was about, or the report it asked for). Unique: a restarted or doubled
    worker finds the row and sends nothing twice."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="chases")
    kind = models.CharField(max_length=12, choices=ChaseKind)
    due = models.DateField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "kind", "due"], name="ledger_chase_once")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due}"


class Export(models.Model):
    """An Excel file of a region's ledger too large to write in a request: the worker
    writes it (ledger.sheets.export_region_task) and says how far it has got; only the
    user who asked for it downloads it, while the region is still theirs to oversee."""

    region = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filters = models.JSONField(default=dict, blank=True)  # as ledger.region.Filters.as_dict
    state = models.CharField(max_length=8, choices=ExportState, default=ExportState.QUEUED)
    total = models.PositiveIntegerField(default=0)  # entries to write
    written = models.PositiveIntegerField(default=0)  # entries written so far
    file = models.FileField(upload_to="ledger-exports/%Y/%m/", max_length=300, blank=True)
    name = models.CharField(max_length=200)  # the file's name as downloaded
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("台账导出")
        verbose_name_plural = _("台账导出")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "region", "-created_at"], name="ledger_export_mine")]

    def __str__(self):
        return self.name

    @property
    def percent(self):
        return min(100, round(self.written * 100 / self.total)) if self.total else 0
