"""Every change made in the admin is an audit entry too: Django's own LogEntry says who
changed which row; the entry keeps that, with the region when the row is an org or a
team, and the fields the form changed, before and after. The values come from each
admin's form as it is saved (watch_admins wraps every registered ModelAdmin's
save_model when the app is ready), handed to the LogEntry written just after it in the
same request."""

from contextvars import ContextVar

from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Action
from .record import record

FLAGS = {ADDITION: "新增", CHANGE: "修改", DELETION: "删除"}
# The fields the admin form being saved changed: {label: (before, after)}.
_changed = ContextVar("audit_admin_changed", default=None)


def _value(value):
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        return value
    return sorted(str(v) for v in value)


def _initial(form, name):
    """What the form showed in NAME before it was changed: its initial value, or the
    field's own (a form that fills a field in __init__, as the team's 填报人)."""
    value = form[name].initial
    return form.fields[name].initial if value is None else value


def _watch(model_admin):
    save_model = model_admin.save_model

    def watched(request, obj, form, change):
        if change:
            _changed.set(
                {
                    str(form.fields[name].label or name): (
                        _value(_initial(form, name)),
                        _value(form.cleaned_data.get(name)),
                    )
                    for name in form.changed_data
                    if name in form.fields
                }
            )
        return save_model(request, obj, form, change)

    model_admin.save_model = watched


def watch_admins(site=admin.site):
    for model_admin in site._registry.values():
        if not getattr(model_admin, "_audit_watched", False):
            _watch(model_admin)
            model_admin._audit_watched = True


@receiver(post_save, sender=LogEntry, dispatch_uid="audit-admin-log")
def _admin_changed(sender, instance, created, **kwargs):
    if not created:
        return
    changed = _changed.get() if instance.action_flag == CHANGE else None
    _changed.set(None)
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
        before={label: pair[0] for label, pair in changed.items()} if changed else None,
        after=(
            {label: pair[1] for label, pair in changed.items()}
            if changed
            else {"变更": instance.get_change_message()}
            if instance.action_flag == CHANGE
            else None
        ),
    )
