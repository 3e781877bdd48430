from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from devdata import oversight


class Command(BaseCommand):
    help = _(
        "演示用的督导抽查：省委派驻长沙市督导组按种子随机调阅长沙市各县市区的乡镇，省委教育实践活动办逐份抽查，"
        "记录发现问题并印发一期点名通报（需先运行 seed_demo 和 seed_scale --within 4301,4302）。可重复运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true", help=_("DEBUG 关闭时也创建（仅用于演示环境）")
        )

    def handle(self, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(_("生产环境（DEBUG 关闭）不创建演示数据；确需创建，请加 --allow-production。"))
        made = oversight.seed()
        if made is None:
            self.stdout.write(_("演示抽查已存在，未新增。"))
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("演示抽查已就绪：抽查 %(checks)d 次，发现问题 %(findings)d 条，点名通报 %(bulletins)d 期。")
                % {
                    "checks": made["checks"],
                    "findings": made["findings"],
                    "bulletins": 1 if made["bulletin"] else 0,
                }
            )
        )
