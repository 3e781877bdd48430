from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from devdata import demo
from devdata.management.guarded import GuardedCommand


class Command(GuardedCommand):
    help = _("创建演示用的班子、干部、审阅机构和登录账号（需先导入湖南省区划）。可重复运行。")

    def handle(self, **options):
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
