"""Who spot-checks what (sections 六 and 五) and where each document is published (七).

Section 六 names four bodies and, for each, the documents it 抽查 (spot-checks) or 调阅
(calls up); section 五 adds the 省、市、县三级督导组 for the simplified plans and the
individual measures of the county's direct units and of the townships (and, read with it,
the grassroots lists). Each `CheckRule`
names one class of documents (kind, level, org kind, team kind and, for individual
measures, the person's role and rank in the team, as review.routing matches them), the
body that checks it, the share of the sample where the notice gives one, and the sentence
of the notice it implements, verbatim, as its `basis`. One function, `checks`, evaluates
every rule against a document's subject:

* every matching rule is collected; a body named by two rules is one check, with the
  first rule's basis and the share that one of them gives (the notice gives at most one);
* checks are ordered bottom-up, as AuthorityKind lists the bodies (市、县督导组 first).

`RULES` list section 六 in the notice's order, body by body and clause by clause, then
section 五's 三级督导组, which adds to 六 what the groups nearest the townships check; so
a body that both sections name cites 六, the sentence that says what it checks and how much.

A body never spot-checks what it reviews in the document's chain (section 四 gives it
every such document to decide on); where a clause of 六 reads wider than that, the rule
is narrowed and a comment says so. Where the notice is silent the rule says what a
careful reader would do, and why, in a comment beside it.

`publication` answers where a document is published, from section 七, by the first of
`PUBLICATION_RULES` that matches (exactly one matches each document the notice provides
for). The attachments (附件1、2) are checked and published with the plan they travel
inside, as routing reviews them with it.

API: `RULES`, `rules_for(authority)`, `rule(code)`, `checks(subject)`, `publication(subject)`
and `table()` (every subject with its checks and publication, for `explain_oversight
--table`). A subject the notice does not provide for raises `Unchecked`, a
`review.routing.Unrouted` (ValueError) with routing's message for people.
"""

from dataclasses import dataclass, replace

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from orgs.models import REGION_TEAMS, TEAM_SEATS, AuthorityKind, Level, OrgKind, Position, Role, TeamKind
from plans.structure import UNIT_KINDS
from plans.words import DocumentKind
from review import routing
from review.routing import Matching, code_set

A = AuthorityKind
D = DocumentKind
T = TeamKind


class Unchecked(routing.Unrouted):
    """The subject is not a document the notice provides for; the message says why."""


class Scope(models.TextChoices):
    """Where a document is published (section 七)."""

    PUBLIC = "public", _("在当地媒体公开或以其他适当方式公开")
    INTERNAL = "internal", _("在班子或单位内部公开")
    MASSES = "masses", _("向群众公布")


@dataclass(frozen=True)
class Check:
    """One body's spot check of a document: SHARE of the class (None: 抽查, 部分, by hand)."""

    authority: str
    share: float | None
    basis: str

    def as_json(self):
        return {"authority": self.authority, "share": self.share, "basis": self.basis}


@dataclass(frozen=True)
class Publication:
    scope: str
    basis: str

    def as_json(self):
        return {"scope": self.scope, "basis": self.basis}


# The sentences of the notice the rules implement, verbatim ------------------------
# Section 六 is one paragraph of four sentences, one per body; each quote runs from the
# body's name to the sentence's 。 (the paragraph has no ；).

# 六: 中央教育实践活动办.
CENTRAL_OFFICE = (
    "中央教育实践活动办直接抽查部分市州委常委的个人整改措施，"
    "抽查县市区委领导班子整改方案、县市区委书记和部分常委的个人整改措施。"
)
# 六: 中央第一巡回督导组.
CENTRAL_GROUP = (
    "中央第一巡回督导组将抽查市州人大、政府、政协领导班子，县市区委常委班子的整改方案，"
    "市县直属单位和企事业单位、执法监管部门和窗口单位、乡镇（街道）领导班子整改方案，"
    "抽查村、社区和非公有制经济组织、社会组织及其他基层组织的整改清单。"
)
# 六: 省委驻市州督导组 (its 非有制 is the notice's slip for 非公有制, quoted as it stands).
PROVINCIAL_GROUP = (
    "省委驻市州督导组要抽查县市区委常委个人整改措施，"
    "县市区人大、政府、政协领导班子整改方案及班子成员、法检“两长”和其他在职党员领导干部的个人整改措施，"
    "抽查市、县直机关和企事业单位、执法监管部门和窗口单位领导班子的整改方案和主要负责同志的个人整改措施，"
    "调阅部分乡镇、街道党委班子的整改方案和党委书记的整改措施（按20%左右的比例掌握），"
    "抽查部分村、社区和非有制经济组织、社会组织及其他基层党组织的整改清单。"
)
# 六: 省委教育实践活动办 (its 点名通报 is the bulletin, not a check).
PROVINCIAL_OFFICE = (
    "省委教育实践活动办将抽查县市区委常委个人整改措施，"
    "抽查县市区人大、政府、政协领导班子整改方案和班子成员个人整改措施，"
    "抽查市、县直机关和企事业单位以及乡镇、街道领导班子整改方案、主要负责同志的整改措施，"
    "抽查部分村、社区和非公有制经济组织、社会组织及其他基层党组织的整改清单，"
    "并对抽查发现的问题进行点名通报。"
)
# 五: the 三级督导组, for 县市区直属单位 and 乡镇、街道 (the clause after the ；, as
# review.routing quotes it for the two leaders who review those documents).
THREE_LEVEL_GROUPS = routing.UNITS
# 七: the three scopes.
PUBLIC = (
    "市州、县市区“四大家”班子，市县直机关和企事业单位以及乡镇、街道领导班子，制定整改方案，"
    "列出整改问题清单，要按照“四个回应”的要求，与人对应、与事对应，明确具体目标、推进措施、"
    "责任主体和进度安排，并在当地媒体公开或以其他适当方式公开。"
)
INTERNAL = "领导班子成员个人整改措施和清单，可在班子或单位内部公开。"
MASSES = "村、社区和非公有制经济组织、社会组织及其他基层组织的整改清单，要向群众公布。"

SECTION_SIX = (CENTRAL_OFFICE, CENTRAL_GROUP, PROVINCIAL_GROUP, PROVINCIAL_OFFICE)
BASES = (*SECTION_SIX, THREE_LEVEL_GROUPS, PUBLIC, INTERNAL, MASSES)

# The provincial group's 调阅…（按20%左右的比例掌握）.
TOWNSHIP_SHARE = 0.2


# The rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRule(Matching):
    """AUTHORITY spot-checks the documents matching every given field (None: any).

    `code` is a stable slug, "<authority>.<class>"; `label` names the class as the notice
    does; `share` is the proportion the notice sets (None where it says only 抽查 or 部分);
    `draws_townships` marks the class a township draw (oversight.draw) samples."""

    code: str
    authority: str
    label: str
    share: float | None
    basis: str
    kinds: frozenset
    levels: frozenset | None = None
    org_kinds: frozenset | None = None
    team_kinds: frozenset | None = None
    roles: frozenset | None = None
    ranks: frozenset | None = None
    draws_townships: bool = False

    def documents_q(self, prefix=""):
        """A Q over plans.models.Document (PREFIX: the path to it, "document__") selecting
        this rule's documents; role and rank are those of the person's active position in
        the document's team, as routing.subject_of reads them."""
        q = Q()
        for field, allowed in (
            ("kind", self.kinds),
            ("team__org__level", self.levels),
            ("team__org__kind", self.org_kinds),
            ("team__kind", self.team_kinds),
        ):
            if allowed is not None:
                q &= Q(**{f"{prefix}{field}__in": sorted(allowed)})
        # Individual measures count only while their author holds an active position in
        # the team (routing.subject_of finds no subject otherwise), with the rule's role
        # and rank; a rule that names a role or rank matches nothing but measures.
        positions = Position.objects.filter(
            team_id=OuterRef(f"{prefix}team_id"), person_id=OuterRef(f"{prefix}person_id"), active=True
        )
        if self.roles is not None:
            positions = positions.filter(role__in=sorted(self.roles))
        if self.ranks is not None:
            positions = positions.filter(rank__in=sorted(self.ranks))
        if self.roles is not None or self.ranks is not None:
            q &= Q(Exists(positions))
        elif self.kinds is None or D.INDIVIDUAL in self.kinds:
            q &= ~Q(**{f"{prefix}kind": D.INDIVIDUAL}) | Q(Exists(positions))
        return q


def _rule(
    authority,
    slug,
    label,
    basis,
    *,
    kinds,
    share=None,
    draws_townships=False,
    levels=None,
    org_kinds=None,
    team_kinds=None,
    roles=None,
    ranks=None,
):
    return CheckRule(
        code=f"{authority}.{slug}",
        authority=str(authority),
        label=label,
        share=share,
        basis=basis,
        kinds=code_set(kinds),
        levels=code_set(levels),
        org_kinds=code_set(org_kinds),
        team_kinds=code_set(team_kinds),
        roles=code_set(roles),
        ranks=code_set(ranks),
        draws_townships=draws_townships,
    )


TEAM_PLAN = (D.TEAM_PLAN,)
PLANS = (D.TEAM_PLAN, D.SIMPLIFIED_PLAN)  # a city unit files the first, a county unit the second
SIMPLIFIED = (D.SIMPLIFIED_PLAN,)
INDIVIDUAL = (D.INDIVIDUAL,)
PLANS_AND_MEASURES = (D.SIMPLIFIED_PLAN, D.INDIVIDUAL)
LISTS = (D.GRASSROOTS_LIST,)
CITY = (Level.CITY,)
COUNTY = (Level.COUNTY,)
CITY_COUNTY = (Level.CITY, Level.COUNTY)  # 市县, 市、县
TOWNSHIP = (Level.TOWNSHIP,)
BELOW_COUNTY = (Level.TOWNSHIP, Level.VILLAGE)
REGION = (OrgKind.REGION,)
COMMITTEE = (T.PARTY_COMMITTEE,)
THREE = (T.CONGRESS, T.GOVERNMENT, T.CPPCC)  # 人大、政府、政协
CONGRESS_CPPCC = (T.CONGRESS, T.CPPCC)
LAW = (T.COURT, T.PROCURATORATE)  # 法检
TOWNSHIP_TEAMS = (T.PARTY_COMMITTEE, T.CONGRESS, T.GOVERNMENT)  # 乡镇（街道）领导班子
UNIT = (T.UNIT,)
PRINCIPAL = (Role.PRINCIPAL,)
MEMBER = (Role.MEMBER,)
# 其他党员领导干部 (Role.OTHER) write 对照检查材料 and file measures without a seat in the
# team they are recorded in. A clause that names 常委, 书记, 班子成员 or 主要负责同志 names
# seats, so it leaves them out; two clauses name them: 六's 省委驻市州督导组 (其他在职党员领导
# 干部 of the 县市区) and 五's 三级督导组 (其他党员干部 of the county units and townships).
OTHER = (Role.OTHER,)

# Not in the notice: the plans of the courts and procuratorates. Section 六 names 法检 only
# for the 两长's measures; every other plan of a 市州、县市区 team is reviewed up to the
# province (四) or spot-checked (六), and read literally these would be neither. They are
# organs of the region like its direct organs (plans.structure files a county's as a
# county direct unit's simplified plan), so every clause of 六 on the plans of the 市县
# 直属单位 / 市、县直机关 is read to cover them, in a rule of its own beside it.

RULES = (
    # 六: 中央教育实践活动办 ---------------------------------------------------------
    # 市州委常委: the members. The city secretary's measures the office itself reviews
    # (四: 还要报…中央教育实践活动办审阅), and its 抽查 names the 书记 apart where it means him.
    _rule(
        A.CENTRAL_OFFICE,
        "city_committee_members",
        "市州委常委的个人整改措施",
        CENTRAL_OFFICE,
        kinds=INDIVIDUAL,
        levels=CITY,
        org_kinds=REGION,
        team_kinds=COMMITTEE,
        roles=MEMBER,
    ),
    _rule(
        A.CENTRAL_OFFICE,
        "county_committee_plan",
        "县市区委领导班子整改方案",
        CENTRAL_OFFICE,
        kinds=TEAM_PLAN,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=COMMITTEE,
    ),
    # 县市区委书记 (the principal) 和部分常委 (the members): the whole standing committee,
    # its seats only; the other cadres recorded in it are not 常委.
    _rule(
        A.CENTRAL_OFFICE,
        "county_committee_measures",
        "县市区委书记和部分常委的个人整改措施",
        CENTRAL_OFFICE,
        kinds=INDIVIDUAL,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=COMMITTEE,
        roles=TEAM_SEATS,
    ),
    # 六: 中央第一巡回督导组 ---------------------------------------------------------
    # 将抽查 governs the first three clauses, and the second's 的整改方案 closes the first too:
    # 市州人大、政府、政协领导班子〔的整改方案〕，县市区委常委班子的整改方案.
    _rule(
        A.CENTRAL_GROUP,
        "city_three_plans",
        "市州人大、政府、政协领导班子整改方案",
        CENTRAL_GROUP,
        kinds=TEAM_PLAN,
        levels=CITY,
        org_kinds=REGION,
        team_kinds=THREE,
    ),
    _rule(
        A.CENTRAL_GROUP,
        "county_committee_plan",
        "县市区委常委班子的整改方案",
        CENTRAL_GROUP,
        kinds=TEAM_PLAN,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=COMMITTEE,
    ),
    _rule(
        A.CENTRAL_GROUP,
        "unit_plans",
        "市县直属单位和企事业单位、执法监管部门和窗口单位领导班子整改方案",
        CENTRAL_GROUP,
        kinds=PLANS,
        levels=CITY_COUNTY,
        org_kinds=UNIT_KINDS,
        team_kinds=UNIT,
    ),
    # Courts and procuratorates as 市县直属单位 (see above).
    _rule(
        A.CENTRAL_GROUP,
        "law_plans",
        "市县法院、检察院领导班子整改方案",
        CENTRAL_GROUP,
        kinds=PLANS,
        levels=CITY_COUNTY,
        org_kinds=REGION,
        team_kinds=LAW,
    ),
    # 乡镇（街道）领导班子: all three of a township's teams.
    _rule(
        A.CENTRAL_GROUP,
        "township_plans",
        "乡镇（街道）领导班子整改方案",
        CENTRAL_GROUP,
        kinds=SIMPLIFIED,
        levels=TOWNSHIP,
        org_kinds=REGION,
        team_kinds=TOWNSHIP_TEAMS,
    ),
    # Every grassroots list is one of these bodies', at whatever level it hangs.
    _rule(
        A.CENTRAL_GROUP,
        "grassroots_lists",
        "村、社区和非公有制经济组织、社会组织及其他基层组织的整改清单",
        CENTRAL_GROUP,
        kinds=LISTS,
    ),
    # 六: 省委驻市州督导组 -----------------------------------------------------------
    # 县市区委常委: the members. The county secretary's measures (党政正职) the group
    # reviews (四: 经省委督导组审阅把关), as it does the county committee's plan, which this
    # sentence accordingly leaves out.
    _rule(
        A.PROVINCIAL_GROUP,
        "county_committee_members",
        "县市区委常委个人整改措施",
        PROVINCIAL_GROUP,
        kinds=INDIVIDUAL,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=COMMITTEE,
        roles=MEMBER,
    ),
    _rule(
        A.PROVINCIAL_GROUP,
        "county_three_plans",
        "县市区人大、政府、政协领导班子整改方案",
        PROVINCIAL_GROUP,
        kinds=TEAM_PLAN,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=THREE,
    ),
    # 班子成员: the members of the three teams and the heads of 人大 and 政协; the county
    # head's measures (党政正职) the group reviews (四).
    _rule(
        A.PROVINCIAL_GROUP,
        "county_three_members",
        "县市区人大、政府、政协班子成员的个人整改措施",
        PROVINCIAL_GROUP,
        kinds=INDIVIDUAL,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=THREE,
        roles=MEMBER,
    ),
    _rule(
        A.PROVINCIAL_GROUP,
        "county_congress_cppcc_heads",
        "县市区人大、政协班子主要负责同志的个人整改措施",
        PROVINCIAL_GROUP,
        kinds=INDIVIDUAL,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=CONGRESS_CPPCC,
        roles=PRINCIPAL,
    ),
    _rule(
        A.PROVINCIAL_GROUP,
        "county_law_heads",
        "县市区法检“两长”的个人整改措施",
        PROVINCIAL_GROUP,
        kinds=INDIVIDUAL,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=LAW,
        roles=PRINCIPAL,
    ),
    # 其他在职党员领导干部: read as routing reads section 四's 其他在职厅处级党员领导干部,
    # the region's leaders outside the teams named — in our teams the members of the court
    # and procuratorate below the 两长 — here of any rank, as the clause names none.
    _rule(
        A.PROVINCIAL_GROUP,
        "county_other_leaders",
        "县市区其他在职党员领导干部的个人整改措施",
        PROVINCIAL_GROUP,
        kinds=INDIVIDUAL,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=LAW,
        roles=MEMBER,
    ),
    # …and, in the clause's own words, the 其他在职党员领导干部 without a seat, recorded in
    # any of the county's teams, of any rank (routing sends the 处级 to the secretary and
    # the 科级 to their team's principal: the group reviews none of them).
    _rule(
        A.PROVINCIAL_GROUP,
        "county_other_cadres",
        "县市区其他在职党员领导干部（不在班子中任职）的个人整改措施",
        PROVINCIAL_GROUP,
        kinds=INDIVIDUAL,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=REGION_TEAMS,
        roles=OTHER,
    ),
    _rule(
        A.PROVINCIAL_GROUP,
        "unit_plans",
        "市、县直机关和企事业单位、执法监管部门和窗口单位领导班子的整改方案",
        PROVINCIAL_GROUP,
        kinds=PLANS,
        levels=CITY_COUNTY,
        org_kinds=UNIT_KINDS,
        team_kinds=UNIT,
    ),
    # Courts and procuratorates as 市、县直机关 (see above). Their heads' measures: a
    # county's 两长 are named above; a city's the group reviews (四).
    _rule(
        A.PROVINCIAL_GROUP,
        "law_plans",
        "市、县法院、检察院领导班子的整改方案",
        PROVINCIAL_GROUP,
        kinds=PLANS,
        levels=CITY_COUNTY,
        org_kinds=REGION,
        team_kinds=LAW,
    ),
    _rule(
        A.PROVINCIAL_GROUP,
        "unit_heads",
        "市、县直机关和企事业单位、执法监管部门和窗口单位主要负责同志的个人整改措施",
        PROVINCIAL_GROUP,
        kinds=INDIVIDUAL,
        levels=CITY_COUNTY,
        org_kinds=UNIT_KINDS,
        team_kinds=UNIT,
        roles=PRINCIPAL,
    ),
    # 调阅…（按20%左右的比例掌握）: the one class with a share, and the one a township draw
    # samples: the townships drawn, then each drawn township's committee plan and its
    # secretary's measures.
    _rule(
        A.PROVINCIAL_GROUP,
        "township_committee_plans",
        "乡镇、街道党委班子的整改方案",
        PROVINCIAL_GROUP,
        kinds=SIMPLIFIED,
        share=TOWNSHIP_SHARE,
        draws_townships=True,
        levels=TOWNSHIP,
        org_kinds=REGION,
        team_kinds=COMMITTEE,
    ),
    _rule(
        A.PROVINCIAL_GROUP,
        "township_secretaries",
        "乡镇、街道党委书记的整改措施",
        PROVINCIAL_GROUP,
        kinds=INDIVIDUAL,
        share=TOWNSHIP_SHARE,
        draws_townships=True,
        levels=TOWNSHIP,
        org_kinds=REGION,
        team_kinds=COMMITTEE,
        roles=PRINCIPAL,
    ),
    # 非有制: 非公有制, as the other three sentences say; 其他基层党组织: the party
    # organisation of the body that files the list, so every grassroots list.
    _rule(
        A.PROVINCIAL_GROUP,
        "grassroots_lists",
        "村、社区和非公有制经济组织、社会组织及其他基层党组织的整改清单",
        PROVINCIAL_GROUP,
        kinds=LISTS,
    ),
    # 六: 省委教育实践活动办 ---------------------------------------------------------
    # 县市区委常委 and 班子成员: narrowed as for the provincial group, whose chain the
    # office closes (四: …报省委教育实践活动办审阅). Unlike the group's sentence, the
    # office's names no 其他在职党员领导干部: their measures are not the office's to check.
    _rule(
        A.PROVINCIAL_OFFICE,
        "county_committee_members",
        "县市区委常委个人整改措施",
        PROVINCIAL_OFFICE,
        kinds=INDIVIDUAL,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=COMMITTEE,
        roles=MEMBER,
    ),
    _rule(
        A.PROVINCIAL_OFFICE,
        "county_three_plans",
        "县市区人大、政府、政协领导班子整改方案",
        PROVINCIAL_OFFICE,
        kinds=TEAM_PLAN,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=THREE,
    ),
    _rule(
        A.PROVINCIAL_OFFICE,
        "county_three_members",
        "县市区人大、政府、政协班子成员个人整改措施",
        PROVINCIAL_OFFICE,
        kinds=INDIVIDUAL,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=THREE,
        roles=MEMBER,
    ),
    _rule(
        A.PROVINCIAL_OFFICE,
        "county_congress_cppcc_heads",
        "县市区人大、政协班子主要负责同志的个人整改措施",
        PROVINCIAL_OFFICE,
        kinds=INDIVIDUAL,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=CONGRESS_CPPCC,
        roles=PRINCIPAL,
    ),
    # 市、县直机关和企事业单位: the 执法监管部门 and 窗口单位, which the other two sentences
    # name beside them, are themselves organs or enterprises and institutions; the
    # sentence does not leave them out.
    _rule(
        A.PROVINCIAL_OFFICE,
        "unit_plans",
        "市、县直机关和企事业单位领导班子整改方案",
        PROVINCIAL_OFFICE,
        kinds=PLANS,
        levels=CITY_COUNTY,
        org_kinds=UNIT_KINDS,
        team_kinds=UNIT,
    ),
    # Courts and procuratorates as 市、县直机关 (see above), their 两长 as the 主要负责同志
    # below; a city's 两长 the office reviews (四).
    _rule(
        A.PROVINCIAL_OFFICE,
        "law_plans",
        "市、县法院、检察院领导班子整改方案",
        PROVINCIAL_OFFICE,
        kinds=PLANS,
        levels=CITY_COUNTY,
        org_kinds=REGION,
        team_kinds=LAW,
    ),
    _rule(
        A.PROVINCIAL_OFFICE,
        "township_plans",
        "乡镇、街道领导班子整改方案",
        PROVINCIAL_OFFICE,
        kinds=SIMPLIFIED,
        levels=TOWNSHIP,
        org_kinds=REGION,
        team_kinds=TOWNSHIP_TEAMS,
    ),
    _rule(
        A.PROVINCIAL_OFFICE,
        "unit_heads",
        "市、县直机关和企事业单位主要负责同志的整改措施",
        PROVINCIAL_OFFICE,
        kinds=INDIVIDUAL,
        levels=CITY_COUNTY,
        org_kinds=UNIT_KINDS,
        team_kinds=UNIT,
        roles=PRINCIPAL,
    ),
    _rule(
        A.PROVINCIAL_OFFICE,
        "county_law_heads",
        "县市区法院、检察院主要负责同志的整改措施",
        PROVINCIAL_OFFICE,
        kinds=INDIVIDUAL,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=LAW,
        roles=PRINCIPAL,
    ),
    _rule(
        A.PROVINCIAL_OFFICE,
        "township_heads",
        "乡镇、街道领导班子主要负责同志的整改措施",
        PROVINCIAL_OFFICE,
        kinds=INDIVIDUAL,
        levels=TOWNSHIP,
        org_kinds=REGION,
        team_kinds=TOWNSHIP_TEAMS,
        roles=PRINCIPAL,
    ),
    _rule(
        A.PROVINCIAL_OFFICE,
        "grassroots_lists",
        "村、社区和非公有制经济组织、社会组织及其他基层党组织的整改清单",
        PROVINCIAL_OFFICE,
        kinds=LISTS,
    ),
    # 五: 省、市、县三级督导组 -------------------------------------------------------
    # The 省 group is the one stationed at the city (provincial_group), the 市、县 groups
    # are local_group. They check the plans of 县市区直属单位 and 乡镇、街道领导班子 and
    # the measures of all their people: "领导班子及成员和其他党员干部", seats or none.
    *(
        check_rule
        for authority in (A.PROVINCIAL_GROUP, A.LOCAL_GROUP)
        for check_rule in (
            _rule(
                authority,
                "county_units",
                "县市区直属单位领导班子及成员和其他党员干部的整改方案和个人整改措施",
                THREE_LEVEL_GROUPS,
                kinds=PLANS_AND_MEASURES,
                levels=COUNTY,
                org_kinds=UNIT_KINDS,
                team_kinds=UNIT,
            ),
            # A county's court and procuratorate file as its direct units do
            # (plans.structure), and routing sends their members to 单位主要领导 under
            # this same sentence of 五: so its groups check them as direct units.
            _rule(
                authority,
                "county_law",
                "县市区法院、检察院领导班子及成员和其他党员干部的整改方案和个人整改措施",
                THREE_LEVEL_GROUPS,
                kinds=PLANS_AND_MEASURES,
                levels=COUNTY,
                org_kinds=REGION,
                team_kinds=LAW,
            ),
            _rule(
                authority,
                "townships",
                "乡镇、街道领导班子及成员和其他党员干部的整改方案和个人整改措施",
                THREE_LEVEL_GROUPS,
                kinds=PLANS_AND_MEASURES,
                levels=TOWNSHIP,
                org_kinds=REGION,
                team_kinds=TOWNSHIP_TEAMS,
            ),
            # Not in the notice: a unit under a township or a village (a 卫生院, a school).
            # It files the simplified plan of section 五 and routing gives it that
            # section's two leaders; nothing in 六 reaches it. It lies within the
            # township, so the groups that check the township check it.
            _rule(
                authority,
                "units_below_county",
                "乡镇、街道所属单位领导班子及成员和其他党员干部的整改方案和个人整改措施",
                THREE_LEVEL_GROUPS,
                kinds=PLANS_AND_MEASURES,
                levels=BELOW_COUNTY,
                org_kinds=UNIT_KINDS,
                team_kinds=UNIT,
            ),
        )
    ),
    # The grassroots lists follow in 五 and name no checker there; 六 has every other body
    # spot-check them (the provincial group among them, above). The 市、县 groups, nearest
    # the villages, check them too: routing already points to them (its comment on LISTS).
    _rule(
        A.LOCAL_GROUP,
        "grassroots_lists",
        "村、社区和非公有制经济组织、社会组织及其他基层组织的整改清单",
        THREE_LEVEL_GROUPS,
        kinds=LISTS,
    ),
)

_BY_CODE = {check_rule.code: check_rule for check_rule in RULES}


# Publication (七) --------------------------------------------------------------------


@dataclass(frozen=True)
class PublicationRule(Matching):
    """Documents matching every given field (None: any) are published in SCOPE."""

    scope: str
    basis: str
    kinds: frozenset
    levels: frozenset | None = None
    org_kinds: frozenset | None = None
    team_kinds: frozenset | None = None
    roles: frozenset | None = None
    ranks: frozenset | None = None


def _published(scope, basis, *, kinds, levels=None, org_kinds=None, team_kinds=None):
    return PublicationRule(
        scope=str(scope),
        basis=basis,
        kinds=code_set(kinds),
        levels=code_set(levels),
        org_kinds=code_set(org_kinds),
        team_kinds=code_set(team_kinds),
    )


PUBLICATION_RULES = (
    # 领导班子成员个人整改措施和清单: every individual's measures (their problem list is part
    # of them), a principal's too, at every level: 七 gives them no other scope anywhere.
    _published(Scope.INTERNAL, INTERNAL, kinds=INDIVIDUAL),
    # The lists of every grassroots body: the sentence names the bodies, not their level,
    # so a non-public or social organisation hanging under a township, county or city
    # publishes to the masses as a village's does.
    _published(Scope.MASSES, MASSES, kinds=LISTS),
    # 市州、县市区“四大家”班子.
    _published(
        Scope.PUBLIC,
        PUBLIC,
        kinds=PLANS,
        levels=CITY_COUNTY,
        org_kinds=REGION,
        team_kinds=(T.PARTY_COMMITTEE, *THREE),
    ),
    # 市县直机关和企事业单位: the 执法监管部门 and 窗口单位 among them (as for the office's
    # 六 above).
    _published(Scope.PUBLIC, PUBLIC, kinds=PLANS, levels=CITY_COUNTY, org_kinds=UNIT_KINDS, team_kinds=UNIT),
    # 乡镇、街道领导班子.
    _published(
        Scope.PUBLIC, PUBLIC, kinds=SIMPLIFIED, levels=TOWNSHIP, org_kinds=REGION, team_kinds=TOWNSHIP_TEAMS
    ),
    # Not in the notice: the courts' and procuratorates' plans, read as 市县直机关 (六 above).
    _published(Scope.PUBLIC, PUBLIC, kinds=PLANS, levels=CITY_COUNTY, org_kinds=REGION, team_kinds=LAW),
    # Not in the notice: the units under a township or a village (as for 五 above). A
    # team's plan is published wherever 七 speaks of one; nothing marks theirs as internal.
    _published(
        Scope.PUBLIC, PUBLIC, kinds=SIMPLIFIED, levels=BELOW_COUNTY, org_kinds=UNIT_KINDS, team_kinds=UNIT
    ),
    # The attachments (附件1、2) are not ruled here: they are the 专项整治 and 建章立制 of
    # the plan's 第四块⑥, filed apart (section 二), and are published with the plan they
    # travel inside (routing.CARRIED_BY): the 四大家's, so in public.
)


# Evaluation ------------------------------------------------------------------------


def _checked(subject):
    """SUBJECT with plain codes, attachments as the plan they travel inside; Unchecked if
    the notice does not provide for it."""
    try:
        subject = routing.checked(subject)
    except routing.Unrouted as error:
        raise Unchecked(str(error)) from None
    carried = routing.carried_by(subject.kind)
    return replace(subject, kind=carried) if carried else subject


def rules_for(authority):
    """The rules of AUTHORITY (an AuthorityKind code), in notice order."""
    if authority not in AuthorityKind.values:
        raise KeyError(authority)
    return [check_rule for check_rule in RULES if check_rule.authority == authority]


def rule(code):
    """The rule with CODE; KeyError if there is none."""
    return _BY_CODE[code]


def checks(subject):
    """The bodies that spot-check SUBJECT's document, bottom-up, one Check each."""
    subject = _checked(subject)
    chosen = {}  # authority -> [basis, share], first rule first
    for check_rule in RULES:
        if not check_rule.applies(subject):
            continue
        entry = chosen.setdefault(check_rule.authority, [check_rule.basis, check_rule.share])
        if entry[1] is None:
            entry[1] = check_rule.share
    ordered = sorted(chosen, key=routing.AUTHORITY_ORDER.index)
    return [Check(authority, chosen[authority][1], chosen[authority][0]) for authority in ordered]


def publication(subject):
    """Where SUBJECT's document is published (section 七)."""
    subject = _checked(subject)
    for candidate in PUBLICATION_RULES:
        if candidate.applies(subject):
            return Publication(candidate.scope, candidate.basis)
    raise Unchecked(gettext("第七部分没有规定这类文件的公开范围。"))


def table():
    """[(Subject, [Check], Publication)] for every subject routing knows: the whole of
    sections 五、六、七, for a person to check."""
    return [(subject, checks(subject), publication(subject)) for subject in routing.subjects()]
