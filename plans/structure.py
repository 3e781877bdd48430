"""What each document is made of, and which team files which document.

Sections are read from sections 二, 三 and 五 of the notice and its two attachments.
A section is either one text block (`single`) or a list of items with the fields
named in `fields`. Views, checks, spreadsheets, PDFs and snapshots all walk this.
"""

from dataclasses import dataclass, field, replace

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from orgs.models import Level, OrgKind, Position, TeamKind
from orgs.seats import highest, seat_rank_sql

from .words import GRASSROOTS_SOURCES, Category, DocumentKind, Source

C = Category
TEAM_PROBLEMS = (C.POLITICAL_DISCIPLINE, C.EIGHT_RULES, C.FOUR_WINDS, C.MASS_INTERESTS, C.LAST_MILE)
TEAM_ASPECTS = (*TEAM_PROBLEMS, C.SPECIAL_AND_INSTITUTIONS)
INDIVIDUAL_PROBLEMS = (C.POLITICAL_DISCIPLINE, C.EIGHT_RULES, C.FOUR_WINDS)
INDIVIDUAL_ASPECTS = (C.THEORY_AND_DISCIPLINE, C.EIGHT_RULES, C.STYLE_AND_FOUR_WINDS)


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    single: bool = False  # one text block rather than a list
    fields: tuple = ("text",)
    categories: tuple = ()  # the categories the items fall under, in order; each must be used
    required: bool = True  # an empty section blocks submission
    answers_inputs: bool = False  # items here are problems that cite the four responses
    addresses: str | None = None  # items here are measures against the problems of this section
    help: str = ""

    @property
    def is_list(self):
        return not self.single


@dataclass(frozen=True)
class Structure:
    kind: str
    sections: tuple
    needs_four_responses: bool = True
    # The four responses the document is asked about, each with its words; an entry of
    # another source on the register is still checked, never dropped.
    sources: dict = field(default_factory=lambda: {source: source.label for source in Source}, compare=False)
    notes: tuple = field(default=())
    lighter: bool = False  # section 五's lighter format of its kind (LIGHTER)

    def section(self, code):
        for section in self.sections:
            if section.code == code:
                return section
        raise KeyError(code)

    @property
    def problems(self):
        return next((s for s in self.sections if s.answers_inputs), None)


STRUCTURES = {
    DocumentKind.TEAM_PLAN: Structure(
        DocumentKind.TEAM_PLAN,
        (
            Section("principles", _("第一块 整改指导思想和基本原则"), single=True),
            Section("goal_near", _("第二块 整改总体目标：近期目标"), single=True),
            Section("goal_mid", _("第二块 整改总体目标：中期目标"), single=True),
            Section("goal_long", _("第二块 整改总体目标：长期目标"), single=True),
            Section(
                "phase_tasks",
                _("第二块 具体路径：分阶段整改主要任务和措施"),
                fields=("phase", "text", "deadline"),
                help=_("分近期、中期、长期提出整改主要任务和措施。"),
            ),
            Section(
                "problems",
                _("第三块 查摆出的主要问题（问题清单）"),
                fields=("category", "priority", "text", "answers"),
                categories=TEAM_PROBLEMS,
                answers_inputs=True,
                help=_(
                    "“四风”问题不必一风一风地列，可打乱顺序，抓住突出问题一条一条列出。每条问题注明回应了哪些意见。"
                ),
            ),
            Section(
                "measures",
                _("第四块 整改主要内容、责任分工和时限要求"),
                fields=("category", "text", "addresses", "owner", "unit", "deadline"),
                categories=TEAM_ASPECTS,
                addresses="problems",
                help=_(
                    "按照归口认领、个人担责、牵头整改的原则，逐条落实到班子成员，明确整改责任人、责任单位和时限。"
                ),
            ),
            Section("self_building", _("第五块 加强领导班子自身建设的措施"), single=True),
            Section("leadership", _("第六块 加强对整改工作的组织领导"), single=True),
        ),
    ),
    DocumentKind.SIMPLIFIED_PLAN: Structure(
        DocumentKind.SIMPLIFIED_PLAN,
        (
            Section("requirements", _("整改的总体要求和目标"), single=True),
            Section(
                "problems",
                _("存在的主要问题"),
                fields=("priority", "text", "answers"),
                answers_inputs=True,
                help=_("把主要问题条目式列出即可，不必分几大块。"),
            ),
            Section(
                "measures",
                _("整改措施"),
                # 明确整改责任人、责任单位 (section 二), 明确……责任主体 (section 七, which names
                # 县市区直属单位 and 乡镇、街道 with the 四大家).
                fields=("text", "addresses", "owner", "unit", "deadline"),
                addresses="problems",
                help=_("整改措施可条目式提出，不必机械地分几大块。"),
            ),
        ),
    ),
    DocumentKind.GRASSROOTS_LIST: Structure(
        DocumentKind.GRASSROOTS_LIST,
        (
            Section(
                "entries",
                _("整改清单"),
                fields=("priority", "text", "measures", "answers", "owner", "deadline"),
                answers_inputs=True,
                help=_("针对前段征求到的意见、自身查摆出来的问题，条目式列出突出问题并逐一明确整改措施。"),
            ),
        ),
        sources=GRASSROOTS_SOURCES,
    ),
    DocumentKind.INDIVIDUAL: Structure(
        DocumentKind.INDIVIDUAL,
        (
            Section(
                "problems",
                _("第一版块 问题清单"),
                fields=("category", "priority", "text", "inaction", "answers", "claims"),
                categories=INDIVIDUAL_PROBLEMS,
                answers_inputs=True,
                help=_("如存在“为官不为”问题，要列出具体表现。可认领班子问题清单中的问题。"),
            ),
            Section(
                "measures",
                _("第二版块 整改措施"),
                fields=("category", "text", "inaction", "addresses", "deadline", "note"),
                categories=INDIVIDUAL_ASPECTS,
                addresses="problems",
                help=_("每一条都必须具体明确整改举措、整改时限。"),
            ),
        ),
    ),
    DocumentKind.SPECIAL_RECTIFICATION: Structure(
        DocumentKind.SPECIAL_RECTIFICATION,
        (
            Section(
                "tasks",
                _("专项整治项目及整治措施"),
                fields=("special_task", "measures", "unit", "deadline"),
                help=_(
                    "对接“34+11”专项整治任务，并把中央新增加、我省尚未纳入的7个项目和基层干部不正之风问题纳入。"
                ),
            ),
        ),
        needs_four_responses=False,
    ),
    DocumentKind.INSTITUTION_PLAN: Structure(
        DocumentKind.INSTITUTION_PLAN,
        (
            Section(
                "tasks",
                _("制度建设任务"),
                fields=("origin", "focus", "text", "unit", "deadline"),
                help=_(
                    "承接好中央和省级层面出台的制度，并结合实际健全完善相关制度，明确主要任务、责任主体、完成时限。"
                ),
            ),
        ),
        needs_four_responses=False,
    ),
}

# 五: "不必照搬照抄…厅处级党员领导干部个人整改措施的体例格式…不一定详细分遵守政治纪律、贯彻中央
# 八项规定和省委九项规定精神、“四风”突出问题等几大块列存在的问题，把这些方面存在的主要问题条目式列出
# 即可，整改措施也可条目式提出，不必机械地分几大块". The same two lists, 条目式: their items have
# no category, so no block is offered, required or printed (a category an item was given
# before stays in the database, unread).
LISTED_HELP = {
    "problems": _(
        "把遵守政治纪律、贯彻中央八项规定和省委九项规定精神、“四风”等方面存在的主要问题条目式列出即可，"
        "不必分几大块。如存在“为官不为”问题，要列出具体表现。"
    ),
    "measures": _("整改措施可条目式提出，不必机械地分几大块；每一条都必须具体明确整改举措、整改时限。"),
}


def _listed(section):
    """SECTION 条目式: without its category."""
    return replace(
        section,
        fields=tuple(name for name in section.fields if name != "category"),
        categories=(),
        help=LISTED_HELP.get(section.code, section.help),
    )


LIGHTER_INDIVIDUAL = replace(
    STRUCTURES[DocumentKind.INDIVIDUAL],
    sections=tuple(_listed(section) for section in STRUCTURES[DocumentKind.INDIVIDUAL].sections),
    lighter=True,
)
# The kinds section 五 lightens, in their lighter format.
LIGHTER = {DocumentKind.INDIVIDUAL: LIGHTER_INDIVIDUAL}

ATTACHMENTS = (DocumentKind.SPECIAL_RECTIFICATION, DocumentKind.INSTITUTION_PLAN)
UNIT_KINDS = (OrgKind.ORGAN, OrgKind.ENTERPRISE, OrgKind.ENFORCEMENT, OrgKind.WINDOW)


def is_party_committee_plan(team):
    """市州、县市区委常委班子: its plan is presided over by the secretary, discussed at a
    standing-committee meeting, and carries the two attachments (section 二, 附件1、2)."""
    org = team.org
    return (
        team.kind == TeamKind.PARTY_COMMITTEE
        and org.kind == OrgKind.REGION
        and org.level in (Level.CITY, Level.COUNTY)
    )


def team_document_kind(team):
    """The one plan or list a team files, from domain.md's table (None if none).

    - 市州、县市区 四大家 teams; 市州 court, procuratorate and direct units ("参照"): team plan.
    - 县市区 direct units (court and procuratorate included) and 乡镇、街道 teams: simplified plan.
    - 村、社区 and other grassroots organisations: grassroots list.
    """
    org = team.org
    if org.kind == OrgKind.REGION:
        if org.level == Level.CITY:
            return DocumentKind.TEAM_PLAN
        if org.level == Level.COUNTY:
            if team.kind in (TeamKind.COURT, TeamKind.PROCURATORATE):
                return DocumentKind.SIMPLIFIED_PLAN
            return DocumentKind.TEAM_PLAN
        if org.level == Level.TOWNSHIP:
            return DocumentKind.SIMPLIFIED_PLAN
        if org.level == Level.VILLAGE:
            return DocumentKind.GRASSROOTS_LIST
        return None
    if org.kind in UNIT_KINDS:
        return DocumentKind.TEAM_PLAN if org.level == Level.CITY else DocumentKind.SIMPLIFIED_PLAN
    return DocumentKind.GRASSROOTS_LIST


def has_individual_measures(team):
    """Leaders who wrote 对照检查材料 file individual measures: every team above the
    village and grassroots level (section 五)."""
    return team_document_kind(team) in (DocumentKind.TEAM_PLAN, DocumentKind.SIMPLIFIED_PLAN)


def individual_measures_q(prefix=""):
    """has_individual_measures as a Q on the teams reached through PREFIX: the regions'
    teams from the township up (not the province's) and every direct unit's."""
    return Q(**{f"{prefix}org__kind": OrgKind.REGION, f"{prefix}org__level__in": FILING_LEVELS}) | Q(
        **{f"{prefix}org__kind__in": UNIT_KINDS}
    )


FILING_LEVELS = (Level.CITY, Level.COUNTY, Level.TOWNSHIP)


# Who files individual measures, and under which seat --------------------------------


def filing_positions(positions):
    """Of POSITIONS (teams and their orgs loaded), the active ones in teams whose leaders
    file individual measures."""
    return [p for p in positions if p.active and has_individual_measures(p.team)]


def measures_seat(positions):
    """The seat a person's one individual measures go under, from all their POSITIONS: the
    highest (orgs.seats) of those in teams that file them, or None."""
    return highest(filing_positions(positions))


def asked_to_file(positions):
    """Section 五: 按要求撰写了对照检查材料的…党员领导干部，都要制定…个人整改措施. A person is
    asked to file when one of their filing seats says they wrote 对照检查材料."""
    return any(p.wrote_self_inspection for p in filing_positions(positions))


def seats_of(person):
    """The person's active positions, with their teams and orgs, for measures_seat."""
    return list(Position.objects.filter(person=person, active=True).select_related("team__org"))


MEASURES_RANK = "measures_seat_rank"


def due_measures(positions):
    """POSITIONS (a Position queryset) narrowed to the seats individual measures are due
    under: each person asked to file, once, at their measures_seat; as SQL, so a list or a
    count of the whole province is one query."""
    filing = Position.objects.filter(
        individual_measures_q("team__"), person_id=OuterRef("person_id"), active=True
    )
    higher = filing.annotate(**{MEASURES_RANK: seat_rank_sql()}).filter(
        Q(**{f"{MEASURES_RANK}__lt": OuterRef(MEASURES_RANK)})
        | Q(**{MEASURES_RANK: OuterRef(MEASURES_RANK), "pk__lt": OuterRef("pk")})
    )
    return (
        positions.filter(individual_measures_q("team__"), active=True)
        .annotate(**{MEASURES_RANK: seat_rank_sql()})
        .filter(~Exists(higher), Exists(filing.filter(wrote_self_inspection=True)))
    )


# Section 五's lighter individual measures --------------------------------------------


def lighter_measures(team):
    """Section 五: the individual measures of the leaders and other cadres of 县市区直属单位
    and 乡镇、街道 may be lighter: problems listed 条目式, not in the blocks of the 厅处级
    format, and measures 条目式 too. The teams that file the simplified plan, except a
    county's court and procuratorate: their 两长 and other leaders are section 四's
    ("法检“两长”和其他在职党员领导干部…参照上述要求"), in the full format."""
    return team_document_kind(team) == DocumentKind.SIMPLIFIED_PLAN and team.kind not in (
        TeamKind.COURT,
        TeamKind.PROCURATORATE,
    )


def structure_for(kind, team):
    """The Structure a document of KIND filed by TEAM is written in: its kind's, or for
    individual measures of a team section 五 lightens, LIGHTER_INDIVIDUAL."""
    if kind in LIGHTER and lighter_measures(team):
        return LIGHTER[kind]
    return STRUCTURES[kind]


def structure_of(document):
    """The Structure DOCUMENT is written in: what every view, check, table, PDF and
    snapshot of a document walks. STRUCTURES[kind] is for where only a kind is known."""
    if document.kind not in LIGHTER:  # no need to load its team
        return STRUCTURES[document.kind]
    return structure_for(document.kind, document.team)


def structure_named(kind, lighter=False):
    """The Structure a snapshot names by its kind and its `lighter` mark (a snapshot taken
    before it carried the mark is of its kind's)."""
    if lighter and kind in LIGHTER:
        return LIGHTER[kind]
    return STRUCTURES[kind]


def kinds_for_team(team):
    """Every team-level document kind the team files, attachments included."""
    kind = team_document_kind(team)
    if kind is None:
        return ()
    if kind == DocumentKind.TEAM_PLAN and is_party_committee_plan(team):
        return (kind, *ATTACHMENTS)
    return (kind,)
