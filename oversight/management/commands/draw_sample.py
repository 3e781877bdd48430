import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from orgs.models import Org
from oversight.draw import DrawError, areas, check_terms, draw, ticket


class Command(BaseCommand):
    help = _(
        "按公布的算法抽取乡镇、街道（湘群办发〔2014〕31号第六部分：调阅部分乡镇、街道党委班子的整改方案"
        "和党委书记的整改措施，按20%左右的比例掌握）：在每个县市区内按比例抽取，任何人可凭随机种子重算。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", help=_("抽样范围：省、市州或县市区的区划代码，如 4301"))
        parser.add_argument("--percent", help=_("抽样比例（百分数，1 到 100 的整数），如 20"))
        parser.add_argument("--seed", help=_("随机种子：抽样前输入并与结果一并公布"))
        parser.add_argument("--json", action="store_true", help=_("输出 JSON"))

    def handle(self, *args, **options):
        absent = [flag for flag in ("region", "percent", "seed") if options.get(flag) is None]
        if absent:
            raise CommandError(
                _("请指定 %(absent)s。") % {"absent": "、".join(f"--{flag}" for flag in absent)}
            )
        text, seed = options["percent"].strip(), options["seed"]
        if not text.isascii() or not text.isdigit():
            raise CommandError(
                _("--percent 须为 1 到 100 之间的整数（百分数，不带 %%），收到“%(value)s”。")
                % {"value": text}
            )
        region = Org.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(_("没有区划代码为“%(code)s”的地区。") % {"code": options["region"]})
        try:
            check_terms(int(text), seed)
            strata, names = areas(region)
            result = draw(strata, int(text), seed)
        except DrawError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
            return
        self.readable(region, result, names)

    def readable(self, region, result, names):
        self.stdout.write(
            _("乡镇、街道抽样：%(name)s（%(code)s），比例 %(percent)d%%，随机种子“%(seed)s”")
            % {"name": region.name, "code": region.code, "percent": result.percent, "seed": result.seed}
        )
        for stratum in result.strata:
            self.stdout.write(
                _("%(code)s %(name)s：共 %(n)d 个乡镇、街道，抽取 %(k)d 个")
                % {
                    "code": stratum.area,
                    "name": names.get(stratum.area, ""),
                    "n": stratum.population,
                    "k": len(stratum.drawn),
                }
            )
            for code in stratum.drawn:
                self.stdout.write(
                    "    "
                    + _("%(code)s %(name)s  （票号 %(ticket)s…）")
                    % {"code": code, "name": names.get(code, ""), "ticket": ticket(result.seed, code)[:16]}
                )
        self.stdout.write(
            _("合计：%(areas)d 个县市区，%(n)d 个乡镇、街道，抽取 %(k)d 个。")
            % {
                "areas": len(result.strata),
                "n": sum(stratum.population for stratum in result.strata),
                "k": sum(len(stratum.drawn) for stratum in result.strata),
            }
        )
        example = next((s.drawn[0] for s in result.strata if s.drawn), "430121001")
        self.stdout.write(
            _(
                '重算方法：对每个乡镇、街道，计算 sha256("随机种子,9位区划代码") 的十六进制值作为票号'
                '（如 sha256("%(seed)s,%(example)s")），在每个县市区内按票号从小到大取前 k 个，'
                "k = max(1, ⌈n × %(percent)d / 100⌉)，n 为该县市区的乡镇、街道数。"
                "随机种子、比例和区划代码都已公布，任何人都能照此重算、核对结果。"
            )
            % {"seed": result.seed, "example": example, "percent": result.percent}
        )
