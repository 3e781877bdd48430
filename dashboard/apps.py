from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The supervising bodies' dashboard (督导看板): how far each region has got."""

    name = "dashboard"
    verbose_name = _("督导看板")

    def ready(self):
        # The figures are rolled up by a task; whatever they count queues it when it
        # changes. Every transition writes an Event; documents are opened one by one.
        from orgs.models import Org, Position, Team
        from oversight.models import Event as OversightEvent
        from plans.models import Document
        from review.models import Event

        from .refresh import changed, created, issued

        for model in (Event, Document):
            post_save.connect(created, sender=model, dispatch_uid=f"dashboard-created-{model.__name__}")
        for model in (Org, Team, Position):
            post_save.connect(changed, sender=model, dispatch_uid=f"dashboard-saved-{model.__name__}")
        for model in (Org, Team, Position, Document):
            post_delete.connect(changed, sender=model, dispatch_uid=f"dashboard-deleted-{model.__name__}")
        # The ledger's measures: every change of an entry writes one of its events.
        from ledger.models import Event as LedgerEvent

        post_save.connect(created, sender=LedgerEvent, dispatch_uid="dashboard-created-ledger-event")
        # The bulletins naming a region are shown, and kept, with its figures.
        post_save.connect(issued, sender=OversightEvent, dispatch_uid="dashboard-bulletin-issued")
