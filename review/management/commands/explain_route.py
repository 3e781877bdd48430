import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from orgs.models import AuthorityKind, Level, OrgKind, Rank, Role, TeamKind
from plans.words import DocumentKind
from review import routing

# option dest -> (the codes it takes, what it is called)
OPTIONS = {
    "document": (DocumentKind, "--document"),
    "level": (Level, "--level"),
    "team": (TeamKind, "--team"),
    "org_kind": (OrgKind, "--org-kind"),
    "role": (Role, "--role"),
    "rank": (Rank, "--rank"),
}
# Subject field for each option.
FIELDS = {
    "document": "kind",
    "level": "level",
    "team": "team_kind",
    "org_kind": "org_kind",
    "role": "role",
    "rank": "rank",
}


def describe(subject):
    """领导班子整改方案｜县市区 地区 政府班子 (｜班子成员 处级)."""
    parts = [
        str(DocumentKind(subject.kind).label),
        f"{Level(subject.level).label} {OrgKind(subject.org_kind).label} {TeamKind(subject.team_kind).label}",
    ]
    if subject.role:
        parts.append(f"{Role(subject.role).label} {Rank(subject.rank).label}")
    return "｜".join(parts)


def mode_label(mode):
    return _("审阅（通过或退回）") if mode == routing.REVIEW else _("送阅（不影响流转）")


class Command(BaseCommand):
    help = _(
        "按湘群办发〔2014〕31号第四、五部分，说明一类文件由谁、按什么顺序审阅；"
        "--table 列出全部组合，供人工核对。"
    )

    def add_arguments(self, parser):
        codes = {dest: "、".join(choices.values) for dest, (choices, _flag) in OPTIONS.items()}
        parser.add_argument("--document", help=_("文件类别：%s") % codes["document"])
        parser.add_argument("--level", help=_("层级：%s") % codes["level"])
        parser.add_argument("--team", help=_("班子类型：%s") % codes["team"])
        parser.add_argument(
            "--org-kind", dest="org_kind", help=_("组织类型：%s（默认按班子类型推定）") % codes["org_kind"]
        )
        parser.add_argument(
            "--role", help=_("个人整改措施：本人在班子中的职责 %s（默认 member）") % codes["role"]
        )
        parser.add_argument("--rank", help=_("个人整改措施：本人级别 %s（默认 none）") % codes["rank"])
        parser.add_argument("--json", action="store_true", help=_("输出 JSON"))
        parser.add_argument(
            "--table", action="store_true", help=_("列出全部组合的审阅顺序（可用上面的选项筛选）")
        )

    def handle(self, *args, **options):
        given = {dest: options[dest] for dest in OPTIONS if options.get(dest) is not None}
        for dest, value in given.items():
            choices, flag = OPTIONS[dest]
            if value not in choices.values:
                valid = "、".join(f"{choice.value}（{choice.label}）" for choice in choices)
                raise CommandError(
                    _("%(flag)s 的代码“%(value)s”无效。可用的代码：%(valid)s")
                    % {"flag": flag, "value": value, "valid": valid}
                )
        if options["table"]:
            return self.table(given, options["json"])
        return self.one(given, options["json"])

    # One subject ----------------------------------------------------------------

    def one(self, given, as_json):
        absent = [OPTIONS[dest][1] for dest in ("document", "level", "team") if dest not in given]
        if absent:
            raise CommandError(
                _("请指定 %(absent)s（或用 --table 列出全部组合）。") % {"absent": "、".join(absent)}
            )
        kind, level, team = given["document"], given["level"], given["team"]
        if kind != DocumentKind.INDIVIDUAL and ("role" in given or "rank" in given):
            raise CommandError(_("--role 和 --rank 只用于个人整改措施（individual）。"))
        org_kind = given.get("org_kind") or default_org_kind(level, team)
        role = rank = None
        if kind == DocumentKind.INDIVIDUAL:
            role, rank = given.get("role", Role.MEMBER.value), given.get("rank", Rank.NONE.value)
        subject = routing.Subject(kind, level, org_kind, team, role, rank)
        try:
            steps = routing.route(subject)
        except routing.Unrouted as error:
            raise CommandError(str(error)) from None
        if as_json:
            self.stdout.write(
                json.dumps({"steps": [step.as_json() for step in steps]}, ensure_ascii=False, indent=2)
            )
            return
        self.stdout.write(describe(subject))
        carried = routing.CARRIED_BY.get(kind)
        if carried:
            self.stdout.write(
                _("作为%(plan)s的附件一并报送、一并审阅，不单独报送。依据：%(basis)s")
                % {"plan": DocumentKind(carried[0]).label, "basis": carried[1]}
            )
        for step in steps:
            self.stdout.write(
                _("第%(stage)d步  %(mode)s  %(authority)s（%(code)s）")
                % {
                    "stage": step.stage,
                    "mode": mode_label(step.mode),
                    "authority": AuthorityKind(step.authority).label,
                    "code": step.authority,
                }
            )
            self.stdout.write("        " + _("依据：%(basis)s") % {"basis": step.basis})

    # The whole table --------------------------------------------------------------

    def table(self, given, as_json):
        rows = [
            (subject, steps)
            for subject, steps in routing.table()
            if all(getattr(subject, FIELDS[dest]) == value for dest, value in given.items())
        ]
        if as_json:
            data = [
                {"subject": subject.as_json(), "steps": [step.as_json() for step in steps]}
                for subject, steps in rows
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        # Each sentence printed once, at the end; the rows cite it by number.
        notes = {}
        for subject, steps in rows:
            stages = {}
            for step in steps:
                number = notes.setdefault(step.basis, len(notes) + 1)
                mode = _("审阅") if step.mode == routing.REVIEW else _("送阅")
                stages.setdefault(step.stage, []).append(
                    f"{mode}:{AuthorityKind(step.authority).label}[{number}]"
                )
            chain = " → ".join(" + ".join(names) for names in stages.values())
            carried = routing.CARRIED_BY.get(subject.kind)
            if carried:
                number = notes.setdefault(carried[1], len(notes) + 1)
                chain = _("随%(plan)s一并报送[%(note)d]：%(chain)s") % {
                    "plan": DocumentKind(carried[0]).label,
                    "note": number,
                    "chain": chain,
                }
            self.stdout.write(describe(subject))
            self.stdout.write("    " + chain)
        self.stdout.write("")
        self.stdout.write(_("共 %(n)d 种组合。依据：") % {"n": len(rows)})
        for basis, number in notes.items():
            self.stdout.write(f"[{number}] {basis}")


def default_org_kind(level, team):
    """The org kind a team kind implies when --org-kind is not given."""
    if team == TeamKind.UNIT:
        return OrgKind.ORGAN.value
    if team == TeamKind.GRASSROOTS and level != Level.VILLAGE:
        return OrgKind.GRASSROOTS.value
    return OrgKind.REGION.value
