from django.utils.translation import gettext as _

from devdata import publication
from devdata.management.guarded import GuardedCommand


class Command(GuardedCommand):
    help = _(
        "演示用的公开：长沙县委整改方案（经一次退回修改后通过）在县政府门户网站公开，开元路社区整改清单向群众公布，"
        "县委组织部部长的个人整改措施在班子内部公开；规模数据中已通过、按第七条向社会或群众公开的文件在本地区门户网站公开"
        "（需先运行 seed_demo）。可重复运行。"
    )

    def handle(self, **options):
        made = publication.seed()
        if made is None:
            self.stdout.write(_("演示公开已存在，未新增。"))
            return
        self.stdout.write(self.style.SUCCESS(_("演示公开已就绪：公开 %(n)d 份文件。") % {"n": len(made)}))
