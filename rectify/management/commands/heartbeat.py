from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify import heartbeat


class Command(BaseCommand):
    help = _(
        "启动后台任务进程的心跳：在任务队列中排一次心跳（已有一次在等的不再排），此后每次心跳排定下一次。"
        "在启动后台任务进程前运行；/healthz 据最近一次心跳判断后台任务进程是否在运行。"
    )

    def handle(self, **options):
        planned = heartbeat.start()
        if planned is None:
            self.stdout.write(
                self.style.WARNING(_("后台任务不使用数据库队列（TASKS_BACKEND），无法排定心跳。"))
            )
            return
        at, fresh = planned
        shown = timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")
        if fresh:
            self.stdout.write(
                self.style.SUCCESS(_("已排定心跳（%(at)s），后台任务进程启动后即运行。") % {"at": shown})
            )
        else:
            self.stdout.write(_("队列中已有一次心跳在等（%(at)s），未重复排定。") % {"at": shown})
