from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from devdata import publication


class Command(BaseCommand):
    help = _(
        "演示用的公开：长沙县委整改方案（经一次退回修改后通过）在县政府门户网站公开，开元路社区整改清单向群众公布，"
        "县委组织部部长的个人整改措施在班子内部公开；规模数据中已通过、按第七条向社会或群众公开的文件在本地区门户网站公开"
        "（需先运行 seed_demo）。可重复运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true", help=_("DEBUG 关闭时也创建（仅用于演示环境）")
        )

    def handle(self, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(_("生产环境（DEBUG 关闭）不创建演示数据；确需创建，请加 --allow-production。"))
        made = publication.seed()
        if made is None:
            self.stdout.write(_("演示公开已存在，未新增。"))
            return
        self.stdout.write(self.style.SUCCESS(_("演示公开已就绪：公开 %(n)d 份文件。") % {"n": len(made)}))
