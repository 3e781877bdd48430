from django.contrib import admin

from .models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """The audit, read only: nobody adds, changes or deletes an entry here."""

    list_display = ("at", "actor_name", "action", "subject", "org")
    list_filter = ("action",)
    search_fields = ("actor_name", "subject")
    list_select_related = ("org",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
