"""Spot checks (抽查) and what they find, and the named bulletins (点名通报).

A checking body opens a SpotCheck of a region, for the document classes section 六 (or
五) gives it (oversight.rules). Its Samples are the bodies whose documents it reads,
picked by hand or drawn by the published algorithm (oversight.draw), the seed kept with
the draw. While the check is open its checkers read the sampled documents (the policy
scope in oversight.access); every read is a Reading. On a read document a checker
records Findings; one that requires rectification is answered by the filer and accepted
(or kept open) by the checker. The provincial office gathers findings into a Bulletin;
once issued, its text is frozen and never changes.

Nothing here assigns a state: oversight/transitions.py does, under a lock, and writes
an Event for each change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from orgs.models import Authority, Org, Person, Team
from plans.models import Document
from plans.words import DocumentKind

from . import words
from .words import Action, BulletinState, CheckState, FindingGround, FindingState, Method, Severity


class SpotCheck(models.Model):
    authority = models.ForeignKey(
        Authority, verbose_name=_("抽查机构"), on_delete=models.PROTECT, related_name="spot_checks"
    )
    region = models.ForeignKey(Org, verbose_name=_("抽查地区"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("名称"), max_length=200)
    # Codes of oversight.rules.CheckRule: the document classes this check reads.
    classes = models.JSONField(_("抽查文件类别"), default=list)
    method = models.CharField(_("方式"), max_length=8, choices=Method, default=Method.HAND)
    percent = models.PositiveSmallIntegerField(_("抽样比例（%）"), null=True, blank=True)
    seed = models.CharField(_("随机种子"), max_length=100, blank=True)
    # The draw as oversight.draw computed it (Draw.as_json()), kept to show and recompute.
    drawn = models.JSONField(_("抽样结果"), null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=CheckState, default=CheckState.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every change: a form posted from an older page is refused.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("抽查")
        verbose_name_plural = _("抽查")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=CheckState.values), name="spot_check_state_valid"),
            models.CheckConstraint(condition=Q(method__in=Method.values), name="spot_check_method_valid"),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__gte=1, percent__lte=100),
                name="spot_check_percent_range",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.state == CheckState.OPEN


class Sample(models.Model):
    """One document a spot check reads, named by its filer (team, kind and, for
    individual measures, the person), so a body that has not filed is sampled too and
    shows as not filed."""

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="samples")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=24, choices=DocumentKind)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rule = models.CharField(_("抽查文件类别"), max_length=80)
    # The township it was drawn for (a draw), or None (picked by hand).
    township = models.ForeignKey(Org, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("抽查对象")
        verbose_name_plural = _("抽查对象")
        ordering = ["spot_check_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["spot_check", "team", "kind"], condition=Q(person__isnull=True), name="sample_once"
            ),
            models.UniqueConstraint(
                fields=["spot_check", "team", "kind", "person"],
                condition=Q(person__isnull=False),
                name="sample_once_per_person",
            ),
        ]
        indexes = [models.Index(fields=["team", "kind"], name="sample_document")]

    def __str__(self):
        return f"{self.team} · {self.get_kind_display()}"


class Reading(models.Model):
    """A checker opened a sampled document: 调阅 is logged, every time."""

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="readings")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(_("调阅内容"), max_length=16, default="page")  # page, pdf, version
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调阅记录")
        verbose_name_plural = _("调阅记录")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.document} · {self.at:%Y-%m-%d %H:%M}"


class Finding(models.Model):
    """What a checker found on a document or one of its items."""

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.PROTECT, related_name="findings")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="findings")
    item_uid = models.UUIDField(null=True, blank=True)
    item_text = models.TextField(blank=True)  # what the item said when the finding was made
    ground = models.CharField(_("问题类型"), max_length=16, choices=FindingGround)
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity, default=Severity.GENERAL)
    text = models.TextField(_("发现的问题"))
    requires_rectification = models.BooleanField(_("要求整改"), default=False)
    state = models.CharField(_("状态"), max_length=10, choices=FindingState, default=FindingState.RECORDED)
    answer = models.TextField(_("整改情况"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("发现问题")
        verbose_name_plural = _("发现问题")
        ordering = ["spot_check_id", "id"]
        indexes = [models.Index(fields=["document", "state"], name="finding_on_document")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=FindingState.values), name="finding_state_valid"),
            models.CheckConstraint(condition=Q(ground__in=FindingGround.values), name="finding_ground_valid"),
            models.CheckConstraint(condition=Q(severity__in=Severity.values), name="finding_severity_valid"),
            models.CheckConstraint(
                condition=Q(requires_rectification=True) | Q(state="recorded"),
                name="finding_recorded_unless_rectified",
            ),
        ]

    def __str__(self):
        return self.text[:40]

    @property
    def awaits_answer(self):
        return self.state == FindingState.OPEN


class Bulletin(models.Model):
    """A 点名通报 of the provincial office. A draft gathers findings; issuing it gives it
    its number and freezes what it says (`content`) for good."""

    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    dated = models.DateField(_("成文日期"))
    opening = models.TextField(_("导语"), blank=True)
    closing = models.TextField(_("要求"), blank=True)
    findings = models.ManyToManyField(
        Finding, verbose_name=_("通报的问题"), related_name="bulletins", blank=True
    )
    state = models.CharField(_("状态"), max_length=8, choices=BulletinState, default=BulletinState.DRAFT)
    # What the issued bulletin says, frozen at issue: the bodies named and what was found.
    content = models.JSONField(null=True, blank=True)
    # The regions the issued bulletin names (its readers are their offices).
    regions = models.ManyToManyField(Org, related_name="+", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("点名通报")
        verbose_name_plural = _("点名通报")
        ordering = ["-year", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="bulletin_unique_number"),
            models.CheckConstraint(condition=Q(state__in=BulletinState.values), name="bulletin_state_valid"),
            models.CheckConstraint(
                condition=Q(state="draft", number__isnull=True)
                | Q(state="issued", number__isnull=False, content__isnull=False),
                name="bulletin_issued_is_numbered",
            ),
        ]

    def __str__(self):
        return self.title

    # An issued bulletin never changes. Its number, text and findings are set by
    # transitions.issue in one conditional update; nothing saves or deletes it afterwards
    # (the admin, a shell, a script), and its findings stay as they were (below).

    def save(self, *args, **kwargs):
        if self.pk is not None and _issued(Bulletin.objects.filter(pk=self.pk)):
            raise Frozen(words.ISSUED_FROZEN)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _issued(Bulletin.objects.filter(pk=self.pk)):
            raise Frozen(_("通报已经印发，不能删除。"))
        return super().delete(*args, **kwargs)

    @property
    def issued(self):
        return self.state == BulletinState.ISSUED


class Frozen(Exception):
    """Something tried to change an issued bulletin."""


def _issued(bulletins):
    return bulletins.filter(state=BulletinState.ISSUED).exists()


@receiver(m2m_changed, sender=Bulletin.findings.through)
def _keep_findings(sender, instance, action, reverse, pk_set, **kwargs):
    """The findings of an issued bulletin are not added to, taken from or cleared."""
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    if reverse:  # finding.bulletins.add(…): the bulletins are named by PK_SET
        touched = Bulletin.objects.filter(pk__in=pk_set) if pk_set is not None else instance.bulletins.all()
    else:
        touched = Bulletin.objects.filter(pk=instance.pk)
    if _issued(touched):
        raise Frozen(_("通报已经印发，其通报的问题不能再改。"))


class Event(models.Model):
    """One thing that happened in oversight; rows are only ever added."""

    action = models.CharField(_("操作"), max_length=16, choices=Action)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    spot_check = models.ForeignKey(
        SpotCheck, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    bulletin = models.ForeignKey(
        Bulletin, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("督导记录")
        verbose_name_plural = _("督导记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"
