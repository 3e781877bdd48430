from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from ledger import chase, words


class Command(BaseCommand):
    help = _(
        "检查整改台账：发送到期提醒、定期报告提醒，对逾期的整改措施督办（已发送的不再发送），"
        "并在后台任务队列中排定下一次检查（已排定的不重复排定）。"
    )

    def handle(self, **options):
        sent = chase.chase()
        self.stdout.write(self.style.SUCCESS(words.CHASED % sent))
        planned = chase.plan_next()
        if planned is None:
            self.stdout.write(self.style.WARNING(words.NO_SCHEDULE))
            return
        at, fresh = planned
        shown = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
        self.stdout.write((words.NEXT_RUN if fresh else words.NEXT_RUN_KEPT) % {"at": shown})
