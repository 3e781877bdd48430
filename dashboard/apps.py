from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The supervising bodies' dashboard (督导看板): how far each region has got."""

    name = "dashboard"
    verbose_name = _("督导看板")
