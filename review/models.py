"""Submissions, their chains, decisions and history.

A document submitted for review opens a Review: the chain of steps it will take,
routed by review/routing.py and fixed at that moment (a later rule change never
rewrites it), each step with the users who may act for it. Every submission and
resubmission freezes the whole document as an immutable Version. Every action is an
append-only Event; a return carries Comments on individual items, which the filer
marks addressed (or answers) before resubmitting.

Nothing here assigns a status: review/transitions.py does, through conditional updates
that must touch exactly one row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs.models import AuthorityKind
from plans.models import Document

# The longest texts written in a review, in characters: each field says its limit as it
# nears it (static/js/limits.js), and the server holds to it (review/transitions.py).
COMMENT_MAX_CHARS = 2000  # a 批注 on one item
NOTE_MAX_CHARS = 5000  # the 总体意见
RESUBMIT_NOTE_MAX_CHARS = 2000  # the 修改说明 sent with a resubmission


class ReviewState(models.TextChoices):
    OPEN = "open", _("审阅中")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class Mode(models.TextChoices):
    REVIEW = "review", _("审阅把关")
    READ = "read", _("送阅")


class StepState(models.TextChoices):
    WAITING = "waiting", _("未到")
    PENDING = "pending", _("待审阅")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("已退回")
    UNREAD = "unread", _("待阅")
    READ = "read", _("已阅")


class Review(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="reviews")
    state = models.CharField(_("状态"), max_length=16, choices=ReviewState, default=ReviewState.OPEN)
    version = models.PositiveIntegerField(_("当前版本"), default=1)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every change of state: a page shows the state it was rendered at, and a
    # decision posted from an older page is refused.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("审阅")
        verbose_name_plural = _("审阅")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(state__in=["open", "returned"]),
                name="review_one_open_per_document",
            ),
            models.CheckConstraint(condition=Q(state__in=ReviewState.values), name="review_state_valid"),
        ]

    def __str__(self):
        return f"{self.document} · {self.get_state_display()}"


class Version(models.Model):
    """The whole document as it was submitted (plans.documents.snapshot), never changed."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="versions")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    snapshot = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("版本")
        verbose_name_plural = _("版本")
        ordering = ["document_id", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="version_unique_number")]

    def __str__(self):
        return f"{self.document} v{self.number}"


class Step(models.Model):
    """One authority's place in a chain, with the users who may act for it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="steps")
    stage = models.PositiveSmallIntegerField(_("环节"))
    authority = models.CharField(_("审阅主体"), max_length=24, choices=AuthorityKind)
    mode = models.CharField(_("方式"), max_length=8, choices=Mode)
    basis = models.TextField(_("依据"))
    state = models.CharField(_("状态"), max_length=16, choices=StepState, default=StepState.WAITING)
    assignees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="review_steps", blank=True)
    reached_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("审阅环节")
        verbose_name_plural = _("审阅环节")
        ordering = ["review_id", "stage", "id"]
        indexes = [models.Index(fields=["state", "reached_at"], name="step_waiting")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=StepState.values), name="step_state_valid"),
            models.CheckConstraint(
                condition=Q(mode="review", state__in=["waiting", "pending", "approved", "returned"])
                | Q(mode="read", state__in=["waiting", "unread", "read"]),
                name="step_state_fits_mode",
            ),
        ]

    def __str__(self):
        return f"{self.get_authority_display()}（{self.get_mode_display()}）"

    @property
    def is_open(self):
        return self.state in (StepState.PENDING, StepState.UNREAD)


# The steps waiting on their assignees: a review step pending while its review is open,
# a read step not yet read. The inbox, the menu's badge and the home page count these.
PENDING = Q(state=StepState.PENDING, review__state=ReviewState.OPEN)
UNREAD = Q(state=StepState.UNREAD)


def waiting_counts(user):
    """{"pending": n, "unread": n, "total": n} of the steps waiting on USER, in one query."""
    counts = Step.objects.filter(assignees=user).aggregate(
        pending=models.Count("pk", filter=PENDING), unread=models.Count("pk", filter=UNREAD)
    )
    return {**counts, "total": counts["pending"] + counts["unread"]}


class Action(models.TextChoices):
    SUBMIT = "submit", _("报送")
    WITHDRAW = "withdraw", _("撤回")
    APPROVE = "approve", _("审阅通过")
    RETURN = "return", _("退回修改")
    READ = "read", _("已阅")
    RESUBMIT = "resubmit", _("修改后重新报送")
    ADDRESS = "address", _("答复意见")
    APPROVED = "approved", _("审阅完成")


class Event(models.Model):
    """One thing that happened; rows are only ever added."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="events")
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="events")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    version = models.PositiveIntegerField(null=True, blank=True)
    action = models.CharField(_("操作"), max_length=16, choices=Action)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    grounds = models.JSONField(
        _("退回理由"), default=list, blank=True
    )  # [{"reason": plans.words.ReturnReason, "source": plans.words.Source or None}]
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("审阅记录")
        verbose_name_plural = _("审阅记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["document", "at"], name="event_timeline")]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class Comment(models.Model):
    """A reviewer's remark on one item of the version returned, and the filer's answer."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="comments")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    item_uid = models.UUIDField()
    item_text = models.TextField(blank=True)  # what the item said when commented on
    text = models.TextField(_("意见"))
    addressed = models.BooleanField(_("已整改"), default=False)
    answer = models.TextField(_("答复"), blank=True)
    addressed_at = models.DateTimeField(null=True, blank=True)
    addressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("条目意见")
        verbose_name_plural = _("条目意见")
        ordering = ["id"]
        indexes = [models.Index(fields=["review", "item_uid"], name="comment_on_item")]

    def __str__(self):
        return self.text[:40]


class CommentDraft(models.Model):
    """What a reviewer has written so far, kept as it is typed: a 批注 on one item, or
    (ITEM_UID empty) the 总体意见. It belongs to one user and one step; nobody else sees
    it. The return or approval that sends it (or discards it) deletes it
    (review/drafts.py)."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item_uid = models.UUIDField(null=True, blank=True)  # None: the 总体意见
    text = models.TextField(_("意见"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("未送出的意见")
        verbose_name_plural = _("未送出的意见")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "user", "item_uid"],
                condition=Q(item_uid__isnull=False),
                name="draft_one_per_item",
            ),
            models.UniqueConstraint(
                fields=["step", "user"], condition=Q(item_uid__isnull=True), name="draft_one_note"
            ),
        ]

    def __str__(self):
        return self.text[:40]


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # What a review event tells about a document; or, for what the apps above review
    # tell (a finding, a bulletin), a LINK to open, with the document if there is one.
    document = models.ForeignKey(Document, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    link = models.CharField(max_length=200, blank=True)
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When it was mailed to the user (review/notices.py): a mail is sent once.
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.text
