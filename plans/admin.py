"""Administration: the special-rectification catalogue is kept here (the first batch's
34 tasks and the unnamed second-batch ones are added by the administrator); documents
are listed for looking up, never edited here: content goes through the editor and a
document's status only through review."""

from django.contrib import admin

from rectify.admin import LookOnly

from .models import Document, SpecialTask


@admin.register(SpecialTask)
class SpecialTaskAdmin(admin.ModelAdmin):
    list_display = ("name", "batch", "already_included", "required", "position")
    list_editable = ("already_included", "required", "position")
    list_filter = ("batch", "required", "already_included")
    search_fields = ("name",)
    ordering = ("batch", "position", "id")


@admin.register(Document)
class DocumentAdmin(LookOnly):
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
    )
