from django.utils.translation import gettext as _

from devdata import oversight
from devdata.management.guarded import GuardedCommand


class Command(GuardedCommand):
    help = _(
        "演示用的督导抽查：省委派驻长沙市督导组按种子随机调阅长沙市各县市区的乡镇，省委教育实践活动办逐份抽查，"
        "记录发现问题并印发一期点名通报（需先运行 seed_demo 和 seed_scale --within 4301,4302）。可重复运行。"
    )

    def handle(self, **options):
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
