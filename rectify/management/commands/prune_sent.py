from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rectify.once import prune


class Command(BaseCommand):
    help = _(
        "删除保存超过期限的已处理提交（用于防止重复提交，默认保留 %(days)d 天，见 ONCE_RETENTION_DAYS）。"
        "平时由后台任务在新的提交之后自动清理。"
    ) % {"days": settings.ONCE_RETENTION_DAYS}

    def add_arguments(self, parser):
        parser.add_argument("--days", help=_("保留最近多少天的（默认按 ONCE_RETENTION_DAYS）"))

    def handle(self, **options):
        days = options["days"]
        if days is not None:
            try:
                days = int(days)
            except ValueError:
                days = 0
            if days < 1:
                raise CommandError(_("--days 须是正整数（保留最近多少天），例如 --days 7。"))
        else:
            days = settings.ONCE_RETENTION_DAYS
        deleted = prune(days)
        self.stdout.write(
            self.style.SUCCESS(
                _("已删除保存超过 %(days)d 天的已处理提交 %(n)d 条。") % {"days": days, "n": deleted}
            )
        )
