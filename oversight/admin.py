"""Administration of oversight: the bulletins, to look at. Drafts are written and issued on
the office's pages (every change through oversight/transitions.py, with its event), and
an issued bulletin never changes, so here nothing is added, changed or deleted."""

from django.contrib import admin

from .models import Bulletin


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "number", "dated", "state", "issued_at")
    list_filter = ("state", "year")
    search_fields = ("title",)
    fields = (
        "title",
        "year",
        "number",
        "dated",
        "opening",
        "closing",
        "findings",
        "state",
        "content",
        "regions",
        "created_by",
        "created_at",
        "issued_by",
        "issued_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
