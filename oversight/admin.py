"""Administration of oversight: spot checks, their reads and findings, the bulletins and
the record of what happened, to look at. Every change is made on the pages, through
oversight/transitions.py with its event, and an issued bulletin never changes, so here
nothing is added, changed or deleted."""

from django.contrib import admin

from rectify.admin import LookOnly

from .models import Bulletin, Event, Finding, Reading, SpotCheck


@admin.register(Bulletin)
class BulletinAdmin(LookOnly):
    list_display = ("title", "year", "number", "dated", "state", "issued_at")
    list_filter = ("state", "year")
    search_fields = ("title",)


@admin.register(SpotCheck)
class SpotCheckAdmin(LookOnly):
    list_display = ("title", "authority", "region", "method", "seed", "state", "opened_at")
    list_filter = ("state", "method", "authority")
    search_fields = ("title", "region__name")


@admin.register(Finding)
class FindingAdmin(LookOnly):
    list_display = ("text", "document", "ground", "severity", "state", "created_at")
    list_filter = ("state", "severity", "ground")
    search_fields = ("text", "document__title")


@admin.register(Reading)
class ReadingAdmin(LookOnly):
    list_display = ("at", "user", "document", "what", "spot_check")
    list_select_related = ("user", "document", "spot_check")


@admin.register(Event)
class EventAdmin(LookOnly):
    list_display = ("at", "action", "actor", "spot_check", "finding", "bulletin")
    list_filter = ("action",)
