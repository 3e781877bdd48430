"""The base of every command that writes development data (seed_demo, seed_scale,
seed_oversight, seed_publication): with DEBUG off it refuses, unless told
--allow-production (a demo or a benchmark machine), so a production database never gets
demo accounts by a slip."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class GuardedCommand(BaseCommand):
    # What the command writes, in the words of its refusal.
    writes = gettext_lazy("演示数据")

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help=_("DEBUG 关闭时也写入（仅用于演示或性能测试环境）"),
        )

    def execute(self, *args, **options):
        if not settings.DEBUG and not options.get("allow_production"):
            raise CommandError(
                _("生产环境（DEBUG 关闭）不写入%(what)s；确需写入，请加 --allow-production。")
                % {"what": self.writes}
            )
        return super().execute(*args, **options)
