from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from .posted import IdConverter


class RectifyConfig(AppConfig):
    """The project's own small shared pieces that need a table: what a request that
    created something answered (rectify/once.py)."""

    name = "rectify"
    verbose_name = _("系统")

    def ready(self):
        # Before any URLconf is read: the product's patterns name ids as <id:pk>.
        register_converter(IdConverter, "id")

        from django.contrib.auth.signals import user_logged_in

        from .auth import name_lockout_records
        from .middleware import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="rectify.idle.note_sign_in")
        name_lockout_records(self.apps)
