from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from orgs.policy import Right, can
from plans.models import Document
from plans.spreadsheets import export_filename, export_workbook


class Command(BaseCommand):
    help = _(
        "把整改文件导出为 Excel 工作簿（.xlsx），与网页上“下载Excel”得到的文件相同，可再导入。"
        "--user 用户名：只导出该账号看得到的文件。"
    )

    def add_arguments(self, parser):
        parser.add_argument("document", type=int, metavar="DOCUMENT_ID", help=_("整改文件编号"))
        parser.add_argument("--out", metavar="FILE", help=_("写到这个文件（默认：当前目录下按文件名命名）"))
        parser.add_argument("--user", metavar="USERNAME", help=_("以哪个账号导出（检查该账号能否查看）"))

    def handle(self, *args, **options):
        document = (
            Document.objects.select_related("team__org", "person").filter(pk=options["document"]).first()
        )
        if document is None:
            raise CommandError(_("没有编号为 %(id)s 的整改文件。") % {"id": options["document"]})
        if username := options["user"]:
            account = get_user_model().objects.filter(username=username, is_active=True).first()
            if account is None:
                raise CommandError(_("没有用户“%(name)s”。") % {"name": username})
            if not can(account, Right.VIEW, document):
                raise CommandError(
                    _("用户“%(name)s”不能查看《%(title)s》。") % {"name": username, "title": document.title}
                )
        path = Path(options["out"] or export_filename(document))
        try:
            path.write_bytes(export_workbook(document))
        except OSError as error:
            raise CommandError(_("无法写入文件：%(error)s") % {"error": error.strerror or error}) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("已导出《%(title)s》到 %(path)s。") % {"title": document.title, "path": path}
            )
        )
