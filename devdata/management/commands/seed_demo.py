from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from devdata import demo


class Command(BaseCommand):
    help = _("创建演示用的班子、干部、审阅机构和登录账号（需先导入湖南省区划）。可重复运行。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help=_("DEBUG 关闭时也创建演示数据（仅用于演示环境）"),
        )

    def handle(self, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(_("生产环境（DEBUG 关闭）不创建演示数据；确需创建，请加 --allow-production。"))
        try:
            logins = demo.seed()
        except demo.DemoError as error:
            raise CommandError(
                _(
                    "找不到区划代码 %(code)s。请先导入湖南省区划：python manage.py import_divisions data/divisions/hunan"
                )
                % {"code": error}
            ) from None
        self.stdout.write(
            self.style.SUCCESS(_("演示数据已就绪。演示账号（密码均为 %(pw)s）：") % {"pw": demo.PASSWORD})
        )
        width = max(len(username) for username, _role in logins)
        for username, role in logins:
            self.stdout.write(f"  {username:<{width}}  {role}")
