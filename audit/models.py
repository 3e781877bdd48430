"""The audit: one row for every write a person makes outside the review's own events
(drafting, the register, imports, grants, the admin), kept as it was written.

A row says who, when, what (the action and the row it touched), where (the region, for
reading it by region; the document, when there is one) and the values before and after.
A deleted row leaves its last values here: its tombstone. Rows are only ever added: the
model refuses a second save and a delete, and the database refuses an UPDATE (a trigger,
migration 0002), so nobody, the admin included, can change what happened.

The app sits just above orgs: it knows the tree (to read by region) and nothing above
it; documents and items are named by their ids and uids, never by a foreign key, so a
tombstone outlives what it names.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    ITEM_ADDED = "item_added", _("新增条目")
    ITEM_SAVED = "item_saved", _("修改条目")
    ITEM_MOVED = "item_moved", _("调整条目顺序")
    ITEM_DELETED = "item_deleted", _("删除条目")
    HEADER_SAVED = "header_saved", _("修改文件信息")
    INPUT_ADDED = "input_added", _("登记意见")
    INPUT_SAVED = "input_saved", _("修改登记的意见")
    INPUT_DELETED = "input_deleted", _("删除登记的意见")
    IMPORTED = "imported", _("导入表格")
    GRANT_ADDED = "grant_added", _("授予权限")
    GRANT_REMOVED = "grant_removed", _("撤销权限")
    ADMIN = "admin", _("系统管理中的修改")


class Immutable(Exception):
    pass


class Entry(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=24, choices=Action)
    org = models.ForeignKey(
        "orgs.Org",
        verbose_name=_("地区或单位"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    document_id = models.BigIntegerField(_("文件编号"), null=True, db_index=True)
    subject = models.CharField(_("对象"), max_length=200, blank=True)  # what it touched, in words
    subject_type = models.CharField(max_length=40, blank=True)  # "item", "input", "document" …
    subject_id = models.BigIntegerField(null=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-at"], name="audit_by_actor"),
            models.Index(fields=["org", "-at"], name="audit_by_org"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.subject}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Immutable("an audit entry is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Immutable("an audit entry is never deleted")

    def changes(self):
        """[(field, before, after)] of the fields that differ, in the order of AFTER then
        BEFORE's own: what a reader of the audit wants to see first."""
        before, after = self.before or {}, self.after or {}
        names = list(after) + [name for name in before if name not in after]
        return [
            (name, _shown(before.get(name)), _shown(after.get(name)))
            for name in names
            if before.get(name) != after.get(name)
        ]


def _shown(value):
    """A value as the audit's page shows it: a list (the problems a measure answers) as
    its members joined, 是/否 for a flag."""
    if isinstance(value, list):
        return "、".join(str(member) for member in value) or "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return value
