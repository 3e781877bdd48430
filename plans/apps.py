from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """The documents the notice defines: team plans, attachments, simplified plans,
    grassroots lists and individual measures, with their spreadsheets and PDFs."""

    name = "plans"
    verbose_name = _("整改文件")

    def ready(self):
        # Register the scopes and rights this app owns with orgs.policy.
        from . import access  # noqa: F401
