"""The options that name a document's subject on the command line, shared by the commands
that explain what the notice says about one (explain_route, explain_oversight): the same
flags, the same codes, the same defaults and the same refusals, written once."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from orgs.models import Level, OrgKind, Rank, Role, TeamKind
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


def add_subject_arguments(parser, table_help):
    """The subject's options, --json, and --table (TABLE_HELP says what it lists)."""
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
    parser.add_argument("--table", action="store_true", help=table_help)


def given_options(options):
    """{dest: code} of the subject options given, each checked against its codes."""
    given = {dest: options[dest] for dest in OPTIONS if options.get(dest) is not None}
    for dest, value in given.items():
        choices, flag = OPTIONS[dest]
        if value not in choices.values:
            valid = "、".join(f"{choice.value}（{choice.label}）" for choice in choices)
            raise CommandError(
                _("%(flag)s 的代码“%(value)s”无效。可用的代码：%(valid)s")
                % {"flag": flag, "value": value, "valid": valid}
            )
    return given


def subject_from(given):
    """The routing.Subject the GIVEN options name (not yet checked against the notice)."""
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
    return routing.Subject(kind, level, org_kind, team, role, rank)


def matches(subject, given):
    """Whether SUBJECT is one the GIVEN options (all optional) select, for --table."""
    return all(getattr(subject, FIELDS[dest]) == value for dest, value in given.items())


def describe(subject):
    """领导班子整改方案｜县市区 地区 政府班子 (｜班子成员 处级)."""
    parts = [
        str(DocumentKind(subject.kind).label),
        f"{Level(subject.level).label} {OrgKind(subject.org_kind).label} {TeamKind(subject.team_kind).label}",
    ]
    if subject.role:
        parts.append(f"{Role(subject.role).label} {Rank(subject.rank).label}")
    return "｜".join(parts)


def default_org_kind(level, team):
    """The org kind a team kind implies when --org-kind is not given."""
    if team == TeamKind.UNIT:
        return OrgKind.ORGAN.value
    if team == TeamKind.GRASSROOTS and level != Level.VILLAGE:
        return OrgKind.GRASSROOTS.value
    return OrgKind.REGION.value
