"""Administration: the special-rectification catalogue is kept here (the first batch's
34 tasks and the unnamed second-batch ones are added by the administrator); documents
are listed for looking up, never edited here: content goes through the editor and a
document's status only through review."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from orgs.models import AuthorityKind

from .models import Document, SpecialTask


@admin.register(SpecialTask)
class SpecialTaskAdmin(admin.ModelAdmin):
    list_display = ("name", "batch", "already_included", "required", "position")
    list_editable = ("already_included", "required", "position")
    list_filter = ("batch", "required", "already_included")
    search_fields = ("name",)
    ordering = ("batch", "position", "id")


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "team", "updated_at")
    list_filter = ("kind", "status")
    search_fields = ("title", "team__name", "person__name")
    list_select_related = ("team",)
    fields = (
        "title",
        "kind",
        "status",
        "team",
        "person",
        "parent",
        "unit_name",
        "dated",
        "updated_at",
        "updated_by",
        "route",
    )
    readonly_fields = fields

    @admin.display(description=_("审阅链"))
    def route(self, obj):
        """The chain this document takes and who holds each step; a step nobody holds is
        what stops its filer from submitting."""
        from review.panel import preview

        chain = preview(obj.parent if obj.parent_id else obj)
        if chain.error:
            return chain.error
        return format_html_join(
            mark_safe("<br>"),
            "{}. {}（{}）：{}",
            (
                (
                    step.stage,
                    AuthorityKind(step.authority).label,
                    step.mode,
                    "、".join(user.username for user in users) or _("尚未指定人员"),
                )
                for step, users in chain.steps
            ),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
