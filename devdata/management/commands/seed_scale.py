import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from dashboard.refresh import refresh_now
from devdata import scale
from devdata.management.guarded import GuardedCommand

SUMMARY = (
    # (counter key, label)
    ("cities", "市州"),
    ("counties", "县市区"),
    ("townships", "乡镇、街道"),
    ("villages", "村、社区"),
    ("units", "新建直属单位"),
    ("teams", "领导班子"),
    ("people", "干部"),
    ("positions", "职务"),
    ("users", "登录账号"),
    ("grants", "授权"),
    ("inputs", "“四个回应”事项"),
    ("documents", "整改文件"),
    ("items", "条目"),
    ("links:answers", "回应关联"),
    ("links:addresses", "措施针对问题关联"),
    ("links:claims", "认领班子问题关联"),
    ("reviews", "审阅"),
    ("versions", "版本"),
    ("steps", "审阅环节"),
    ("step_assignees", "环节审阅人"),
    ("events", "审阅记录"),
    ("comments", "条目意见"),
    ("notifications", "通知"),
    ("entries", "整改台账措施"),
    ("entry_reports", "整改进展报告"),
    ("entry_events", "整改台账记录"),
)


class Command(GuardedCommand):
    writes = _lazy("规模测试数据")
    help = _(
        "按全省实际规模填充已导入的湖南省区划：班子、干部、审阅人账号、整改文件及其审阅（用于性能测试）。"
        "--fraction 取其中一部分（0.05 即约 5% 的市州和县市区，县市区连同其全部乡镇和村）。"
        "已有班子的组织一律不动，所以重复运行只补齐尚未填充的部分：同一比例再运行不新增任何内容，"
        "较大的比例补齐较小比例未选中的县市区。"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--fraction", type=float, default=1.0, help=_("填充比例，0 < F ≤ 1，默认 1.0（全省）")
        )
        parser.add_argument(
            "--seed", type=int, default=scale.SEED, help=_("随机种子（同一种子生成同样的数据）")
        )
        parser.add_argument(
            "--within",
            default="",
            help=_("只填充这些地区（区划代码，逗号分隔，如 4301,4302）；默认全省"),
        )

    def handle(self, fraction, seed, within, **options):
        started = time.monotonic()
        live = self.stderr.isatty()
        shown = {"tenth": -1}

        def progress(done, total, counts):
            # On a terminal one line counts up; otherwise a line at every tenth.
            line = _("%(done)s/%(total)s 个市县，%(documents)s 份文件，%(items)s 条，%(seconds).0f 秒") % {
                "done": done,
                "total": total,
                "documents": f"{counts['documents']:,}",
                "items": f"{counts['items']:,}",
                "seconds": time.monotonic() - started,
            }
            if live:
                self.stderr.write("\r" + line, ending="")
                self.stderr.flush()
            elif total and done * 10 // total > shown["tenth"]:
                shown["tenth"] = done * 10 // total
                self.stderr.write(line)

        try:
            codes = [code.strip() for code in within.split(",") if code.strip()]
            counts = scale.seed(fraction, seed=seed, progress=progress, within=codes)
        except scale.ScaleError as error:
            raise CommandError(str(error)) from None
        finally:
            if live:
                self.stderr.write("")
        # The data went in by bulk inserts, which no signal sees: count the dashboard's
        # figures now, so that they are right the moment this command ends.
        refreshed = refresh_now()
        elapsed = time.monotonic() - started
        if not counts["documents"] and not counts["teams"]:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "没有新增：比例 %(fraction)s 所选的市县都已填充过（已有班子的组织不再改动）。用时 %(s).1f 秒。"
                    )
                    % {"fraction": fraction, "s": elapsed}
                )
            )
            return
        for key, label in SUMMARY:
            self.stdout.write(f"  {label}：{counts[key]:,}")
        by_kind = "，".join(
            f"{label} {counts['kind:' + kind]:,}"
            for kind, label in scale.DocumentKind.choices
            if counts["kind:" + kind]
        )
        by_status = "，".join(
            f"{label} {counts['status:' + status]:,}" for status, label in scale.Status.choices
        )
        self.stdout.write(_("  督导看板重新统计：%(took).1f 秒") % {"took": refreshed.took})
        self.stdout.write(_("  按类别：%s") % by_kind)
        self.stdout.write(_("  按状态：%s") % by_status)
        by_entry_state = "，".join(
            f"{label} {counts['entry:' + state]:,}" for state, label in scale.EntryState.choices
        )
        self.stdout.write(_("  整改台账：%s") % by_entry_state)
        self.stdout.write(
            self.style.SUCCESS(
                _("规模数据已生成（比例 %(fraction)s），用时 %(s).1f 秒。")
                % {"fraction": fraction, "s": elapsed}
            )
        )
