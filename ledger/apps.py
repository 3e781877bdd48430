from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    """Following a plan through (整改落实): the ledger (整改台账) of every measure of an
    approved document, its progress reports and evidence, its verification and closing
    (销号), and the chasing of what is late (督办)."""

    name = "ledger"
    verbose_name = _("整改台账")

    def ready(self):
        # Open the ledger of a document as review approves it; register who sees and
        # does what with orgs.policy, and the ledger's part of a document's page with
        # plans.pages.
        from . import access, entries, panel  # noqa: F401
