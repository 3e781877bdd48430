from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectifyConfig(AppConfig):
    """The project's own small shared pieces that need a table: what a request that
    created something answered (rectify/once.py)."""

    name = "rectify"
    verbose_name = _("系统")
