"""Who reviews which document, in which order: section 四 of the notice as rules.

Each rule names the documents it covers (kind, level, org kind, team kind and, for
individual measures, the person's role and rank in the team), the authorities it sends
them to, and the sentence of the notice it implements, verbatim, as its `basis`. One
function, `route`, evaluates every rule against a document's subject:

* the steps of every matching rule are collected; an authority named twice is one step
  (a `review` wins over a `read`, the first rule's basis is kept);
* an authority the document's own author holds is dropped: nobody reviews their own;
* steps are ordered bottom-up by `TIERS` (本班子 → 分管领导 → 本级书记 → 督导组 → 省 → 中央);
  authorities of one tier share a stage, stages are numbered 1, 2, … after the drops.

A `review` step decides (approve, or return for revision on the grounds section 四
lists); a `read` step only receives the document and never blocks the chain. The
notice's own wording tells them apart: what is 报 somebody 审阅 is reviewed, what is
送 somebody 审阅 is read.

Where the notice is silent the rule says what a careful reader would do, and why, in a
comment beside it. Section 六 (抽查, 调阅) is not routing: spot checks pick from what the
chains carry, and each body already sees every submitted document in its jurisdiction.

API: `route(subject)`, `route_for(document)` = `route(subject_of(document))`, `table()`
(every subject with its steps, for `explain_route --table`), `filed_kinds(...)` (what a
team files) and `carried_by(kind)` (what an attachment travels inside). A subject the
notice does not provide for raises `Unrouted` (a ValueError) with a message for people;
`checked(subject)` is that check alone, for the rules of sections 六 and 七 (oversight).
"""

from dataclasses import asdict, dataclass, replace
from types import SimpleNamespace

from django.utils.translation import gettext as _

from orgs.models import (
    REGION_TEAMS,
    TEAM_SEATS,
    AuthorityKind,
    Level,
    OrgKind,
    Rank,
    Role,
    TeamKind,
    team_kinds_for,
)
from plans.structure import UNIT_KINDS, has_individual_measures, kinds_for_team, measures_seat, seats_of
from plans.words import DocumentKind

REVIEW = "review"
READ = "read"
MODES = (REVIEW, READ)

A = AuthorityKind
D = DocumentKind
T = TeamKind


@dataclass(frozen=True)
class RouteStep:
    """One step of the route a document would take; review.models.Step is the step a
    submitted document's chain holds."""

    stage: int
    authority: str
    mode: str
    basis: str

    def as_json(self):
        return {"stage": self.stage, "authority": self.authority, "mode": self.mode, "basis": self.basis}


@dataclass(frozen=True)
class Subject:
    """What routing looks at: the document kind, where its team sits, and for individual
    measures the person's role (Role) and rank (Rank) in that team."""

    kind: str
    level: str
    org_kind: str
    team_kind: str
    role: str | None = None
    rank: str | None = None

    def as_json(self):
        return asdict(self)


class Unrouted(ValueError):
    """The subject is not a document the notice provides for; the message says why."""


# The sentences of the notice the rules implement, verbatim ------------------------

# 四: members of a 四大家 team → its principal.
FOUR_BIG_MEMBERS = "市州、县市区“四大家”班子成员的个人整改措施要报本班子主要负责同志审阅。"
# 四: 人大、政府、政协 plans and members, 法检两长, other 厅处级 → 本级党委书记.
SECRETARY = (
    "市州、县市区人大、政府、政协领导班子整改方案及班子成员、法检“两长”和其他在职厅处级党员领导干部"
    "的个人整改措施，要分别报市州、县市区委书记审阅。"
)
# 四: city 四大家, county party committee and 党政正职 → 省委督导组 → 省委活动办 (+ 送省委有关领导).
PROVINCE = (
    "市州“四大家”领导班子整改方案及班子成员、法检“两长”和其他在职厅级党员领导干部的个人整改措施，"
    "县市区委班子整改方案和党政正职个人整改措施，经省委督导组审阅把关后，报省委教育实践活动办审阅，"
    "并送省委有关领导审阅。"
)
# 四: city party committee plan and city 党政正职 → 省委主要领导.
CHIEF = "市州委常委班子整改方案和党政正职个人整改措施，要报省委主要领导审阅。"
# 四: city party committee plan and the city secretary → 中央第一巡回督导组 and 中央活动办.
CENTRAL = "市州委常委班子整改方案和市州委书记个人整改措施，还要报中央第一巡回督导组和中央教育实践活动办审阅。"
# 五: 县市区直属单位 and 乡镇、街道.
UNITS = "单位主要领导和分管领导要严格审核把关，省、市、县三级督导组要加强督促指导并进行抽查。"
# 五: the grassroots list.
LISTS = (
    "村、社区和非公有制经济组织、社会组织及其他基层组织要针对前段征求到的意见、自身查摆出来的问题，"
    "条目式列出存在的突出问题并逐一明确整改措施（即整改清单）。"
)
# 附件1、2: the two attachments go up with the party committee's plan.
SPECIAL = "市州、县市区委专项整治工作方案要作为领导班子整改方案的附件报省委教育实践活动办。"
INSTITUTIONS = "市州、县市区委制度建设计划要作为领导班子整改方案的附件报省委教育实践活动办。"

BASES = (FOUR_BIG_MEMBERS, SECRETARY, PROVINCE, CHIEF, CENTRAL, UNITS, LISTS, SPECIAL, INSTITUTIONS)


# The rules ---------------------------------------------------------------------------


def code_set(values):
    """VALUES as a frozenset of plain-string codes (None stays None: any)."""
    return None if values is None else frozenset(str(value) for value in values)


class Matching:
    """What a rule about documents matches: a subject whose every field is among the rule's
    `kinds`, `levels`, `org_kinds`, `team_kinds`, `roles` and `ranks` (None: any). Shared
    by the rules of section 四 here and those of sections 六 and 七 (oversight.rules)."""

    def applies(self, subject):
        return all(
            allowed is None or value in allowed
            for allowed, value in (
                (self.kinds, subject.kind),
                (self.levels, subject.level),
                (self.org_kinds, subject.org_kind),
                (self.team_kinds, subject.team_kind),
                (self.roles, subject.role),
                (self.ranks, subject.rank),
            )
        )


@dataclass(frozen=True)
class RouteRule(Matching):
    """Documents matching every given field (None: any) go to STEPS, ((authority, mode), …)."""

    basis: str
    steps: tuple
    kinds: frozenset
    levels: frozenset | None = None
    org_kinds: frozenset | None = None
    team_kinds: frozenset | None = None
    roles: frozenset | None = None
    ranks: frozenset | None = None


def rule(basis, *steps, kinds, levels=None, org_kinds=None, team_kinds=None, roles=None, ranks=None):
    return RouteRule(
        basis=basis,
        steps=tuple((str(authority), mode) for authority, mode in steps),
        kinds=code_set(kinds),
        levels=code_set(levels),
        org_kinds=code_set(org_kinds),
        team_kinds=code_set(team_kinds),
        roles=code_set(roles),
        ranks=code_set(ranks),
    )


PLANS = (D.TEAM_PLAN, D.SIMPLIFIED_PLAN)
INDIVIDUAL = (D.INDIVIDUAL,)
CITY = (Level.CITY,)
COUNTY = (Level.COUNTY,)
CITY_COUNTY = (Level.CITY, Level.COUNTY)
REGION = (OrgKind.REGION,)
FOUR_BIG = (T.PARTY_COMMITTEE, T.CONGRESS, T.GOVERNMENT, T.CPPCC)
THREE = (T.CONGRESS, T.GOVERNMENT, T.CPPCC)  # 人大、政府、政协
LAW = (T.COURT, T.PROCURATORATE)  # 法检
TOWNSHIP_TEAMS = (T.PARTY_COMMITTEE, T.CONGRESS, T.GOVERNMENT)
PARTY_AND_GOVERNMENT = (T.PARTY_COMMITTEE, T.GOVERNMENT)  # 党政正职 are their principals
PRINCIPAL = (Role.PRINCIPAL,)
MEMBER = (Role.MEMBER,)
OTHER = (Role.OTHER,)  # 其他党员领导干部: recorded in a team, not of it
BELOW_PRINCIPAL = (Role.MEMBER, Role.OTHER)

PROVINCE_STEPS = (
    (A.PROVINCIAL_GROUP, REVIEW),  # 经省委督导组审阅把关后: 把关 is a gate
    (A.PROVINCIAL_OFFICE, REVIEW),  # 报省委教育实践活动办审阅
    # 并送省委有关领导审阅: 送 for reading, at the same time as the office (TIERS); the
    # leaders read what the office is deciding on and hold nothing up.
    (A.PROVINCIAL_LEADERS, READ),
)
# 还要报…审阅: 报 for review, like every other 报 in section 四; both bodies at once.
CENTRAL_STEPS = ((A.CENTRAL_GROUP, REVIEW), (A.CENTRAL_OFFICE, REVIEW))

RULES = (
    # 四 ---------------------------------------------------------------------------
    # Every member of a city or county 四大家 team, its principal included (whose own
    # measures then skip this step).
    rule(
        FOUR_BIG_MEMBERS,
        (A.TEAM_PRINCIPAL, REVIEW),
        kinds=INDIVIDUAL,
        levels=CITY_COUNTY,
        org_kinds=REGION,
        team_kinds=FOUR_BIG,
        roles=TEAM_SEATS,
    ),
    rule(
        SECRETARY,
        (A.PARTY_SECRETARY, REVIEW),
        kinds=PLANS,
        levels=CITY_COUNTY,
        org_kinds=REGION,
        team_kinds=THREE,
    ),
    # 班子成员 of 人大、政府、政协, whatever their rank. The party committee's own members
    # are not listed here: their 本班子主要负责同志 is the secretary, who has them already.
    rule(
        SECRETARY,
        (A.PARTY_SECRETARY, REVIEW),
        kinds=INDIVIDUAL,
        levels=CITY_COUNTY,
        org_kinds=REGION,
        team_kinds=THREE,
        roles=TEAM_SEATS,
    ),
    # 法检“两长”.
    rule(
        SECRETARY,
        (A.PARTY_SECRETARY, REVIEW),
        kinds=INDIVIDUAL,
        levels=CITY_COUNTY,
        org_kinds=REGION,
        team_kinds=LAW,
        roles=PRINCIPAL,
    ),
    # 其他在职厅处级党员领导干部: the sentence mirrors the opening of section 四, where
    # "其他在职党员领导干部" of the 市州、县市区 stand apart from "市州直属单位领导班子和党员
    # 领导干部". So it means the region's other leaders — in our teams, the members of the
    # court and procuratorate below the 两长 — and not the cadres of direct units, whom
    # section 五 leaves to their unit's leaders.
    rule(
        SECRETARY,
        (A.PARTY_SECRETARY, REVIEW),
        kinds=INDIVIDUAL,
        levels=CITY_COUNTY,
        org_kinds=REGION,
        team_kinds=LAW,
        roles=MEMBER,
        ranks=(Rank.TING, Rank.CHU),
    ),
    # …其他在职厅处级党员领导干部 without a seat (Role.OTHER), recorded in whichever of the
    # region's teams they serve in.
    rule(
        SECRETARY,
        (A.PARTY_SECRETARY, REVIEW),
        kinds=INDIVIDUAL,
        levels=CITY_COUNTY,
        org_kinds=REGION,
        team_kinds=REGION_TEAMS,
        roles=OTHER,
        ranks=(Rank.TING, Rank.CHU),
    ),
    # Not in the notice: the team plans of the court and procuratorate. Section 五 would
    # give a county's to 单位主要领导和分管领导, but their 分管领导 (the 政法委书记) is a
    # standing-committee member the data cannot tell from the others, and section 四
    # names 法检 beside 人大、政府、政协 throughout and sends their 两长 to the secretary.
    # So their plans go where the 两长's measures go, as the 人大、政府、政协 plans do.
    rule(
        SECRETARY,
        (A.PARTY_SECRETARY, REVIEW),
        kinds=PLANS,
        levels=CITY_COUNTY,
        org_kinds=REGION,
        team_kinds=LAW,
    ),
    # 市州“四大家”领导班子整改方案.
    rule(PROVINCE, *PROVINCE_STEPS, kinds=PLANS, levels=CITY, org_kinds=REGION, team_kinds=FOUR_BIG),
    # …及班子成员 (all of them, 市州“四大家” members being 厅级 by office).
    rule(
        PROVINCE,
        *PROVINCE_STEPS,
        kinds=INDIVIDUAL,
        levels=CITY,
        org_kinds=REGION,
        team_kinds=FOUR_BIG,
        roles=TEAM_SEATS,
    ),
    # …法检“两长”.
    rule(
        PROVINCE,
        *PROVINCE_STEPS,
        kinds=INDIVIDUAL,
        levels=CITY,
        org_kinds=REGION,
        team_kinds=LAW,
        roles=PRINCIPAL,
    ),
    # …和其他在职厅级党员领导干部 (read as for the secretary's sentence above), and those
    # without a seat in any of the city's teams.
    rule(
        PROVINCE,
        *PROVINCE_STEPS,
        kinds=INDIVIDUAL,
        levels=CITY,
        org_kinds=REGION,
        team_kinds=LAW,
        roles=MEMBER,
        ranks=(Rank.TING,),
    ),
    rule(
        PROVINCE,
        *PROVINCE_STEPS,
        kinds=INDIVIDUAL,
        levels=CITY,
        org_kinds=REGION,
        team_kinds=REGION_TEAMS,
        roles=OTHER,
        ranks=(Rank.TING,),
    ),
    # 县市区委班子整改方案.
    rule(
        PROVINCE,
        *PROVINCE_STEPS,
        kinds=PLANS,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=(T.PARTY_COMMITTEE,),
    ),
    # 县市区…党政正职个人整改措施: the county secretary and the county head.
    rule(
        PROVINCE,
        *PROVINCE_STEPS,
        kinds=INDIVIDUAL,
        levels=COUNTY,
        org_kinds=REGION,
        team_kinds=PARTY_AND_GOVERNMENT,
        roles=PRINCIPAL,
    ),
    # 报省委主要领导审阅: 报 for review, after the office (the notice's order, and the office
    # is the gate that section 四 tells to return what falls short).
    rule(
        CHIEF,
        (A.PROVINCIAL_CHIEF, REVIEW),
        kinds=PLANS,
        levels=CITY,
        org_kinds=REGION,
        team_kinds=(T.PARTY_COMMITTEE,),
    ),
    rule(
        CHIEF,
        (A.PROVINCIAL_CHIEF, REVIEW),
        kinds=INDIVIDUAL,
        levels=CITY,
        org_kinds=REGION,
        team_kinds=PARTY_AND_GOVERNMENT,
        roles=PRINCIPAL,
    ),
    rule(
        CENTRAL, *CENTRAL_STEPS, kinds=PLANS, levels=CITY, org_kinds=REGION, team_kinds=(T.PARTY_COMMITTEE,)
    ),
    rule(
        CENTRAL,
        *CENTRAL_STEPS,
        kinds=INDIVIDUAL,
        levels=CITY,
        org_kinds=REGION,
        team_kinds=(T.PARTY_COMMITTEE,),
        roles=PRINCIPAL,
    ),
    # 五 ---------------------------------------------------------------------------
    # 单位主要领导和分管领导要严格审核把关, for 县市区直属单位 and 乡镇、街道; the city's
    # direct units "参照" the same and the notice routes them nowhere else, so they are
    # treated alike (and the courts and procuratorates for their members). The two
    # leaders split the work as section 四 splits it between a team's principal and the
    # secretary: the 单位主要领导 reviews the measures of the unit's members; the 分管领导
    # (the city or county leader in charge of the unit, or linked to the township)
    # reviews the unit's plan and its principal's measures. The principal presides over
    # the plan (section 二, "参照"), so does not review it. The 三级督导组 only 督促指导
    # and 抽查: section 六, not a step.
    # …and their 其他党员干部 (Role.OTHER), whom section 五 names beside the members.
    rule(
        UNITS,
        (A.UNIT_PRINCIPAL, REVIEW),
        kinds=INDIVIDUAL,
        org_kinds=UNIT_KINDS,
        team_kinds=(T.UNIT,),
        roles=BELOW_PRINCIPAL,
    ),
    rule(
        UNITS,
        (A.UNIT_PRINCIPAL, REVIEW),
        kinds=INDIVIDUAL,
        levels=(Level.TOWNSHIP,),
        org_kinds=REGION,
        team_kinds=TOWNSHIP_TEAMS,
        roles=BELOW_PRINCIPAL,
    ),
    rule(
        UNITS,
        (A.UNIT_PRINCIPAL, REVIEW),
        kinds=INDIVIDUAL,
        levels=CITY_COUNTY,
        org_kinds=REGION,
        team_kinds=LAW,
        roles=BELOW_PRINCIPAL,
    ),
    # Not in the notice: a 四大家 team's other cadre below 处级 (Role.OTHER, 科级 or none),
    # whom section 四 does not name. Section 五 has such cadres' measures checked by the
    # leader of their body (单位主要领导), which for a 四大家 team is its principal.
    rule(
        UNITS,
        (A.TEAM_PRINCIPAL, REVIEW),
        kinds=INDIVIDUAL,
        levels=CITY_COUNTY,
        org_kinds=REGION,
        team_kinds=FOUR_BIG,
        roles=OTHER,
        ranks=(Rank.KE, Rank.NONE),
    ),
    rule(UNITS, (A.SUPERVISING_LEADER, REVIEW), kinds=PLANS, org_kinds=UNIT_KINDS, team_kinds=(T.UNIT,)),
    rule(
        UNITS,
        (A.SUPERVISING_LEADER, REVIEW),
        kinds=INDIVIDUAL,
        org_kinds=UNIT_KINDS,
        team_kinds=(T.UNIT,),
        roles=PRINCIPAL,
    ),
    # A township's teams: the county leader linked to the township (分管) reviews their
    # plans and their principals' measures.
    rule(
        UNITS,
        (A.SUPERVISING_LEADER, REVIEW),
        kinds=PLANS,
        levels=(Level.TOWNSHIP,),
        org_kinds=REGION,
        team_kinds=TOWNSHIP_TEAMS,
    ),
    rule(
        UNITS,
        (A.SUPERVISING_LEADER, REVIEW),
        kinds=INDIVIDUAL,
        levels=(Level.TOWNSHIP,),
        org_kinds=REGION,
        team_kinds=TOWNSHIP_TEAMS,
        roles=PRINCIPAL,
    ),
    # The grassroots list names no reviewer. A village's (or community's) party
    # organisation works under the leadership of the township party committee, which is
    # to its villages what the 单位主要领导和分管领导 are to a unit; so the township
    # committee reviews the lists of the villages and of every grassroots organisation
    # (非公、社会组织 …) within the township. The 三级督导组 spot-check them (六).
    rule(
        LISTS,
        (A.TOWNSHIP_COMMITTEE, REVIEW),
        kinds=(D.GRASSROOTS_LIST,),
        levels=(Level.TOWNSHIP, Level.VILLAGE),
    ),
    # A grassroots organisation hanging directly under a city or county has no township
    # above it: the leader of that region in charge of it (分管) reviews its list.
    rule(LISTS, (A.SUPERVISING_LEADER, REVIEW), kinds=(D.GRASSROOTS_LIST,), levels=CITY_COUNTY),
)

# The attachments (附件1、2) are not routed on their own: they go up inside their team
# plan's submission and are read and decided with it, by the plan's chain. Routing one
# gives its plan's chain, so `explain_route` can show where it goes.
CARRIED_BY = {
    str(D.SPECIAL_RECTIFICATION): (str(D.TEAM_PLAN), SPECIAL),
    str(D.INSTITUTION_PLAN): (str(D.TEAM_PLAN), INSTITUTIONS),
}

# Bottom-up order of the authorities; one tier is one stage. The notice's order where it
# gives one (经省委督导组审阅把关后，报省委教育实践活动办 …; 还要报中央…), and below the
# province the nearer leader first: a member's principal, then the leader in charge, then
# the secretary — each sees what the one below has let through.
TIERS = {
    A.TEAM_PRINCIPAL: 1,
    A.UNIT_PRINCIPAL: 1,
    A.TOWNSHIP_COMMITTEE: 1,
    A.SUPERVISING_LEADER: 2,
    A.PARTY_SECRETARY: 3,
    A.LOCAL_GROUP: 4,
    A.PROVINCIAL_GROUP: 5,
    A.PROVINCIAL_OFFICE: 6,
    A.PROVINCIAL_LEADERS: 6,  # 并送: alongside the office
    A.PROVINCIAL_CHIEF: 7,
    A.CENTRAL_GROUP: 8,
    A.CENTRAL_OFFICE: 8,  # 报中央第一巡回督导组和中央教育实践活动办: both at once
}
TIERS = {str(authority): tier for authority, tier in TIERS.items()}
AUTHORITY_ORDER = [str(authority) for authority in AuthorityKind]


# Which documents exist ---------------------------------------------------------------

ROUTED_LEVELS = (Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


def filed_kinds(level, org_kind, team_kind):
    """The document kinds a team of TEAM_KIND at an org of LEVEL and ORG_KIND files, as
    plans.structure decides (attachments and individual measures included). The notice
    covers the 市州、县市区 and everything under them, not the province's own bodies."""
    if level not in ROUTED_LEVELS:
        return ()
    org = SimpleNamespace(level=level, kind=org_kind)
    if team_kind not in team_kinds_for(org):
        return ()
    team = SimpleNamespace(kind=team_kind, org=org)
    kinds = tuple(str(kind) for kind in kinds_for_team(team))
    if has_individual_measures(team):
        kinds += (str(D.INDIVIDUAL),)
    return kinds


def checked(subject):
    """SUBJECT with plain-string codes, or Unrouted if no such document exists."""
    codes = {
        "kind": (subject.kind, D.values),
        "level": (subject.level, Level.values),
        "org_kind": (subject.org_kind, OrgKind.values),
        "team_kind": (subject.team_kind, TeamKind.values),
    }
    for field, (value, valid) in codes.items():
        if value not in valid:
            raise Unrouted(_("无效的代码 %(field)s=%(value)s。") % {"field": field, "value": value})
    subject = Subject(
        str(subject.kind),
        str(subject.level),
        str(subject.org_kind),
        str(subject.team_kind),
        subject.role,
        subject.rank,
    )
    if subject.level not in ROUTED_LEVELS:
        raise Unrouted(_("本通知只规定市州、县市区及以下的整改方案和整改措施，不含省级。"))
    org = SimpleNamespace(level=subject.level, kind=subject.org_kind)
    if subject.team_kind not in team_kinds_for(org):
        raise Unrouted(
            _("%(level)s%(org_kind)s不设%(team)s。")
            % {
                "level": Level(subject.level).label,
                "org_kind": OrgKind(subject.org_kind).label,
                "team": TeamKind(subject.team_kind).label,
            }
        )
    if subject.kind not in filed_kinds(subject.level, subject.org_kind, subject.team_kind):
        raise Unrouted(
            _("%(level)s%(org_kind)s的%(team)s不填报%(kind)s。")
            % {
                "level": Level(subject.level).label,
                "org_kind": OrgKind(subject.org_kind).label,
                "team": TeamKind(subject.team_kind).label,
                "kind": D(subject.kind).label,
            }
        )
    if subject.kind != D.INDIVIDUAL:
        return replace(subject, role=None, rank=None)
    if subject.role not in Role.values or subject.rank not in Rank.values:
        raise Unrouted(_("个人整改措施须写明本人在班子中的职责和级别。"))
    return replace(subject, role=str(subject.role), rank=str(subject.rank))


def _held_by_author(subject):
    """The authorities the document's own author holds. A team's principal presides over
    its plan or list (section 二: 由党委书记主持制定; others "参照"); individual
    measures are the person's own."""
    if subject.kind == D.INDIVIDUAL and subject.role != Role.PRINCIPAL:
        return frozenset()
    held = {str(A.TEAM_PRINCIPAL), str(A.UNIT_PRINCIPAL)}
    if subject.team_kind == T.PARTY_COMMITTEE and subject.org_kind == OrgKind.REGION:
        if subject.level in CITY_COUNTY:
            held.add(str(A.PARTY_SECRETARY))
        elif subject.level == Level.TOWNSHIP:
            held.add(str(A.TOWNSHIP_COMMITTEE))
    return frozenset(held)


def carried_by(kind):
    """The document kind an attachment travels inside (None for a document routed itself)."""
    carried = CARRIED_BY.get(str(kind))
    return carried[0] if carried else None


def route(subject):
    """The steps SUBJECT's document passes, in order. Raises Unrouted for a document the
    notice does not provide for (a kind the team does not file, a province-level team)."""
    subject = checked(subject)
    if subject.kind in CARRIED_BY:
        subject = replace(subject, kind=CARRIED_BY[subject.kind][0])
    skipped = _held_by_author(subject)
    chosen = {}  # authority -> (mode, basis), first rule first
    for candidate in RULES:
        if not candidate.applies(subject):
            continue
        for authority, mode in candidate.steps:
            if authority in skipped:
                continue
            if authority not in chosen or (mode == REVIEW and chosen[authority][0] == READ):
                chosen[authority] = (mode, candidate.basis)
    ordered = sorted(chosen, key=lambda authority: (TIERS[authority], AUTHORITY_ORDER.index(authority)))
    stages = {tier: number for number, tier in enumerate(sorted({TIERS[a] for a in ordered}), start=1)}
    return [RouteStep(stages[TIERS[a]], a, chosen[a][0], chosen[a][1]) for a in ordered]


def subject_of(document):
    """The Subject of a plans.models.Document: its team's org and kind and, for individual
    measures, the person's highest seat (orgs.seats, plans.structure.measures_seat): a
    leader's one measures are routed by what the person is, whichever team they sit in.
    Measures opened under a lower seat before this rule stay readable but are not routed."""
    team = document.team
    org = team.org
    if document.kind != D.INDIVIDUAL:
        return Subject(document.kind, org.level, org.kind, team.kind)
    seats = seats_of(document.person_id)
    here = next((position for position in seats if position.team_id == team.pk), None)
    if here is None:
        raise Unrouted(
            _("%(person)s在%(team)s没有在职职务，无法确定个人整改措施的审阅顺序。")
            % {"person": document.person.name, "team": team.name}
        )
    # A team that files no measures has no measures seat; checked() says so.
    seat = measures_seat(seats) or here
    if seat.team_id != team.pk:
        raise Unrouted(
            _(
                "%(person)s的个人整改措施按本人最高职务（%(title)s）在%(team)s填报、报送；"
                "这一份保留供查阅，不再报送。"
            )
            % {"person": document.person.name, "title": seat.title, "team": seat.team.name}
        )
    seat_org = seat.team.org
    return Subject(document.kind, seat_org.level, seat_org.kind, seat.team.kind, seat.role, seat.rank)


def route_for(document):
    return route(subject_of(document))


def subjects():
    """Every subject the notice's documents exist for, in a fixed order."""
    for level in ROUTED_LEVELS:
        for org_kind in OrgKind:
            for team_kind in TeamKind:
                for kind in filed_kinds(level, org_kind, team_kind):
                    base = Subject(kind, str(level), str(org_kind), str(team_kind))
                    if kind != D.INDIVIDUAL:
                        yield base
                        continue
                    for role in Role:
                        for rank in Rank:
                            yield replace(base, role=str(role), rank=str(rank))


def table():
    """[(Subject, [RouteStep])] for every subject: the whole routing, for a person to check."""
    return [(subject, route(subject)) for subject in subjects()]
