from django.contrib import admin

from rectify.admin import LookOnly

from .models import Entry


@admin.register(Entry)
class EntryAdmin(LookOnly):
    """The audit, read only: nobody adds, changes or deletes an entry here."""

    list_display = ("at", "actor_name", "action", "subject", "org")
    list_filter = ("action",)
    search_fields = ("actor_name", "subject")
    list_select_related = ("org",)
    date_hierarchy = "at"
