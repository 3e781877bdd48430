import json
import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from orgs.policy import Right, can
from plans.models import Document
from plans.sheets.layout import INDIVIDUAL, INSTITUTION, SPECIAL, TEAM
from plans.sheets.safety import too_large
from plans.spreadsheets import MAX_BYTES, SheetError, import_reading, read_workbook
from plans.words import HEADER_FIELDS, INDIVIDUAL_TITLE, TEAM_TITLE, DocumentKind
from rectify.dates import chinese_date

KIND_NAMES = {
    TEAM: TEAM_TITLE,
    INDIVIDUAL: INDIVIDUAL_TITLE,
    SPECIAL: DocumentKind.SPECIAL_RECTIFICATION.label,
    INSTITUTION: DocumentKind.INSTITUTION_PLAN.label,
}


class Command(BaseCommand):
    help = _(
        "读取按通知附表填写的整改问题清单（.xlsx）。--dry-run 只读取、报告，不写入；"
        "--into 文件编号 --user 用户名 导入到该文件（全部导入或全部不导入）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Excel 工作簿（.xlsx）"))
        parser.add_argument("--dry-run", action="store_true", help=_("只读取和检查，不写入数据库"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出读取结果"))
        parser.add_argument("--into", type=int, metavar="DOCUMENT_ID", help=_("导入到这个整改文件"))
        parser.add_argument("--user", metavar="USERNAME", help=_("以哪个账号导入（与 --into 同用）"))

    def handle(self, *args, **options):
        file, dry_run, as_json = options["file"], options["dry_run"], options["json"]
        document, account = self._target(options["into"], options["user"])
        try:
            if os.path.getsize(file) > MAX_BYTES:
                raise too_large()
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(_("无法打开文件：%(error)s") % {"error": error.strerror or error}) from None
        except SheetError as error:
            raise CommandError(error.message) from None
        try:
            reading = read_workbook(data)
        except SheetError as error:
            raise CommandError(error.message) from None

        if as_json:
            self.stdout.write(json.dumps(reading.as_json(), ensure_ascii=False, indent=2))
        else:
            self._summary(reading)
        if document is None:
            return
        try:
            with transaction.atomic():
                count = import_reading(account, document, reading)
                if dry_run:
                    transaction.set_rollback(True)
        except SheetError as error:
            raise CommandError(error.message) from None
        if not as_json:
            if dry_run:
                message = _("试运行：可以导入 %(count)s 行到《%(title)s》，未写入。")
            else:
                message = _("已导入 %(count)s 行到《%(title)s》。")
            self.stdout.write(self.style.SUCCESS(message % {"count": count, "title": document.title}))

    def _target(self, into, username):
        if into is None:
            if username:
                raise CommandError(_("--user 须与 --into 同用。"))
            return None, None
        if not username:
            raise CommandError(_("导入时须用 --user 指明以哪个账号填报。"))
        account = get_user_model().objects.filter(username=username, is_active=True).first()
        if account is None:
            raise CommandError(_("没有用户“%(name)s”。") % {"name": username})
        document = Document.objects.select_related("team__org", "person").filter(pk=into).first()
        if document is None:
            raise CommandError(_("没有编号为 %(id)s 的整改文件。") % {"id": into})
        if not can(account, Right.FILE, document):
            raise CommandError(
                _("用户“%(name)s”不能填报《%(title)s》（无权限，或文件不在可修改状态）。")
                % {"name": username, "title": document.title}
            )
        return document, account

    def _summary(self, reading):
        parts = [str(KIND_NAMES[reading.kind])]
        for label, value in (
            (HEADER_FIELDS["unit_name"], reading.unit),
            (_("姓名"), reading.name),
            (HEADER_FIELDS["position_title"], reading.position),
        ):
            if value:
                parts.append(f"{label}：{value}")
        if reading.date:
            parts.append(chinese_date(reading.date))
        self.stdout.write("，".join(parts))
        self.stdout.write(_("共读取 %(count)s 行。") % {"count": len(reading.items)})
        if reading.errors:
            self.stdout.write(
                self.style.WARNING(_("%(count)s 处需要修改：") % {"count": len(reading.errors)})
            )
            for error in reading.errors:
                self.stdout.write(_("  第%(row)s行：%(message)s") % error)
