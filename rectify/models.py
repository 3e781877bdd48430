from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Sent(models.Model):
    """A request that created something, under the key its form carried, with what it
    answered: the same key sent again (a double click, a browser's retry, a reload of
    the answer) gets this answer instead of creating the thing twice. See rectify/once.py."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    path = models.CharField(max_length=500)
    status = models.PositiveSmallIntegerField(null=True)
    headers = models.JSONField(default=dict)
    body = models.BinaryField(default=b"")
    messages = models.JSONField(default=list)  # [[level, text, extra_tags]] the answer left for the next page
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("已处理的提交")
        verbose_name_plural = _("已处理的提交")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="sent_once_per_user")]
        indexes = [models.Index(fields=["created_at"], name="sent_created")]  # pruning by age

    def __str__(self):
        return f"{self.path} {self.key}"


class RenderingState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RENDERING = "rendering", _("生成中")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


class Rendering(models.Model):
    """A PDF printed once on the tasks worker and kept (rectify/renderings.py), under what it
    prints and a stamp of that thing's content: "plans.document:12" at "r3.5f2c…". A new
    stamp (a draft edited) is a new row; the older rows of the same subject are pruned once
    it is ready. Two servers or a double click asking at once find the same row."""

    key = models.CharField(max_length=200, unique=True)  # f"{subject}@{stamp}"
    subject = models.CharField(max_length=120)  # "plans.document:12", "publication.notice:3"
    state = models.CharField(max_length=10, choices=RenderingState, default=RenderingState.QUEUED)
    file = models.FileField(upload_to="renderings/%Y/%m/", max_length=300, blank=True)
    size = models.PositiveIntegerField(default=0)  # bytes
    html_ms = models.PositiveIntegerField(null=True, blank=True)  # building the HTML (the database work)
    pdf_ms = models.PositiveIntegerField(null=True, blank=True)  # WeasyPrint, in its child process
    error = models.TextField(blank=True)  # why the last attempt failed, for the operator
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(default=timezone.now)  # again on a retry
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("生成的PDF")
        verbose_name_plural = _("生成的PDF")
        indexes = [models.Index(fields=["subject", "id"], name="rendering_subject")]  # pruning
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=RenderingState.values), name="rendering_state_valid"
            ),
        ]

    def __str__(self):
        return self.key

    @property
    def ready(self):
        return self.state == RenderingState.READY and bool(self.file)


class Heartbeat(models.Model):
    """When the tasks worker last ran the heartbeat (rectify/heartbeat.py): one row, read
    by /healthz to say whether a worker is taking work from the queue."""

    ONE = 1

    at = models.DateTimeField(null=True)  # None: no beat yet

    class Meta:
        verbose_name = _("后台任务进程心跳")
        verbose_name_plural = _("后台任务进程心跳")

    def __str__(self):
        return str(self.at)
