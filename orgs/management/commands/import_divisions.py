import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from orgs.divisions import DivisionError, DivisionImport


class Command(BaseCommand):
    help = _(
        "导入国家统计用区划代码（provinces、cities、areas、streets、villages 五个文件，"
        "CSV 或 .csv.gz）。可重复运行：已有的不变，更名或新增的更新或添加。"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help=_("区划数据目录，如 data/divisions/hunan"))

    def handle(self, directory, **options):
        started = time.monotonic()
        live = self.stderr.isatty()
        current = {"path": None}

        def progress(level_report):
            # On a terminal one line per file counts up as chunks are written.
            if not live:
                return
            if current["path"] not in (None, level_report.path):
                self.stderr.write("")
            current["path"] = level_report.path
            self.stderr.write(f"\r{level_report.path.name:<18} {level_report.rows:>9,} " + _("行"), ending="")
            self.stderr.flush()

        try:
            report = DivisionImport(directory, progress=progress).run()
        except DivisionError as error:
            raise CommandError(_("导入失败，数据库未作任何改动。%(error)s") % {"error": error}) from None
        finally:
            if live and current["path"] is not None:
                self.stderr.write("")

        for level in report.levels:
            self.stdout.write(
                _(
                    "%(file)s：%(rows)s 行，新增 %(created)s，更名 %(renamed)s，移动 %(moved)s，不变 %(unchanged)s"
                )
                % {
                    "file": level.path.name,
                    "rows": f"{level.rows:,}",
                    "created": f"{level.created:,}",
                    "renamed": f"{level.renamed:,}",
                    "moved": f"{level.moved:,}",
                    "unchanged": f"{level.unchanged:,}",
                }
            )
        elapsed = time.monotonic() - started
        if report.changed:
            message = _("导入完成：共 %(rows)s 行，用时 %(seconds).1f 秒。")
        else:
            message = _("没有变化：%(rows)s 行与数据库一致，用时 %(seconds).1f 秒。")
        self.stdout.write(self.style.SUCCESS(message % {"rows": f"{report.rows:,}", "seconds": elapsed}))
