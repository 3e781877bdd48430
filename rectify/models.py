from django.conf import settings
from django.db import models
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
