from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """Sections 五, 六 and 七 of the notice: who spot-checks what, the spot checks with
    their samples and findings, and the named bulletins (点名通报)."""

    name = "oversight"
    verbose_name = _("督导抽查")

    def ready(self):
        # Register the scopes this app owns with orgs.policy, and its part of a
        # document's page with plans.pages.
        from . import access, bulletin_access, panel  # noqa: F401
