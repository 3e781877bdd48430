"""Every change made in the admin is an audit entry too: Django's own LogEntry says who
changed which row and which fields (its change message); the entry keeps that, with the
region when the row is an org or a team."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Action
from .record import record

FLAGS = {ADDITION: "新增", CHANGE: "修改", DELETION: "删除"}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit-admin-log")
def _admin_changed(sender, instance, created, **kwargs):
    if not created:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    object_id = str(instance.object_id or "")
    label = model._meta.verbose_name if model is not None else ""
    org_id = None
    if model is not None and object_id.isdigit():
        meta = model._meta
        names = {field.name for field in meta.get_fields()}
        if meta.label == "orgs.Org":
            org_id = int(object_id)
        elif "org" in names:
            org_id = model._default_manager.filter(pk=object_id).values_list("org_id", flat=True).first()
    record(
        instance.user,
        Action.ADMIN,
        org_id=org_id,
        subject=f"{FLAGS.get(instance.action_flag, '')}{label}：{instance.object_repr}",
        subject_type=model._meta.label_lower if model is not None else "",
        subject_id=int(object_id) if object_id.isdigit() else None,
        after={"变更": instance.get_change_message()} if instance.action_flag == CHANGE else None,
    )
