from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    """Section 七: approved documents published where the notice says (在当地媒体公开,
    在班子或单位内部公开, 向群众公布), the public site under /public/ and the 公示 for the
    village notice board."""

    name = "publication"
    verbose_name = _("公开")

    def ready(self):
        # Register who reads a document published within its team with orgs.policy, and
        # the publish form on the approved document's page with plans.pages.
        from . import access, panel  # noqa: F401
