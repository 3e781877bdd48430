from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevdataConfig(AppConfig):
    """Development and demonstration data: the demo cast on the real Hunan tree (seed_demo),
    the sample documents the tests and the bench fill, and the province-scale generator
    (seed_scale). Used by the demo, the bench and the tests, never by a user's action."""

    name = "devdata"
    verbose_name = _("开发与演示数据")
