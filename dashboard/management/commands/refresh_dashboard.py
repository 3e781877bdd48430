from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.models import Tally
from dashboard.refresh import refresh_now


class Command(BaseCommand):
    help = _(
        "重新统计督导看板的全部数字（平时由后台任务在每次审阅变动后自动进行；"
        "批量导入数据后、或需要立即更新时运行）。"
    )

    def handle(self, **options):
        freshness = refresh_now()
        self.stdout.write(
            self.style.SUCCESS(
                _("督导看板已重新统计：%(rows)s 行，数据截至 %(at)s，用时 %(took).2f 秒。")
                % {
                    "rows": f"{Tally.objects.count():,}",
                    "at": timezone.localtime(freshness.computed_at).strftime("%Y-%m-%d %H:%M:%S"),
                    "took": freshness.took,
                }
            )
        )
