from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from rectify import fonts


class Command(BaseCommand):
    help = _(
        "列出打印公文时每种用途（标题、正文、黑体、楷体、页码）实际使用的字体；"
        "用回退字体代替国标字体时给出警告。字体目录由环境变量 RECTIFY_FONT_DIR 指定。"
    )

    def handle(self, **options):
        directory = fonts.font_directory()
        files = fonts.font_files()
        if directory is None:
            self.stdout.write(_("字体目录：未设置（RECTIFY_FONT_DIR），只用系统字体。"))
        elif not directory.is_dir():
            self.stdout.write(self.style.WARNING(_("字体目录 %(dir)s 不存在。") % {"dir": directory}))
        else:
            self.stdout.write(
                _("字体目录：%(dir)s（%(count)d 个字体文件）") % {"dir": directory, "count": len(files)}
            )
        fallbacks = 0
        for face in fonts.faces():
            line = f"{face.role.label}：{face.family or '—'}（{face.verdict}）  {face.file}"
            if face.fallback:
                fallbacks += 1
                self.stdout.write(self.style.WARNING(_("警告：") + line))
            else:
                self.stdout.write(line)
        if fallbacks:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "%(count)d 种用途用了回退字体。把单位已有授权的字体文件放进 RECTIFY_FONT_DIR 指定的目录即可。"
                    )
                    % {"count": fallbacks}
                )
            )
