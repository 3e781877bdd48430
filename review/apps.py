from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """The chains of section 四: submissions, decisions, returns and spot checks."""

    name = "review"
    verbose_name = _("审阅")

    def ready(self):
        # Register the scopes and rights this app owns with orgs.policy, and its part of
        # a document's page with plans.pages.
        from . import access, panel  # noqa: F401
