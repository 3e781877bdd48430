"""The demo cast: real places of the Hunan tree, invented people.

Two cities and one county of each (长沙市/长沙县, 株洲市/攸县) get their 四大家 teams plus
court and procuratorate; 长沙县 gets three direct units, 星沙街道 and 开元路社区 get a
team; the reviewing bodies get members and jurisdictions; 长沙县委's four-responses
register holds what the office collected. Every login shares one
password, printed by `seed_demo` and listed in the README. Running it again changes
nothing that exists.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from guardian.shortcuts import assign_perm
from weasyprint import HTML

from ledger import clock
from ledger import transitions as ledger_transitions
from ledger.models import Entry
from orgs.models import Authority, AuthorityKind, Org, OrgKind, Person, Position, Rank, Role, Team, TeamKind
from orgs.policy import FILE_PERM, OVERSEE_PERM
from plans import editing
from plans.models import Document, Input
from plans.words import DocumentKind, Source
from rectify.dates import chinese_date
from rectify.fetcher import BASE_URL, StaticFetcher
from review import transitions as review_transitions

from . import samples

PASSWORD = "rectify2014"

SURNAMES = list(
    "刘李王张陈周罗彭谭曾邓贺杨黄赵吴徐唐胡肖田蒋朱龙廖毛易戴尹向邹伍夏汤文颜符石雷龚蔡黎袁任钟谢康郭何"
) + ["欧阳"]
GIVEN = (
    "建国 志强 海波 红梅 立新 卫东 晓明 国华 振华 永红 丽娟 文斌 小平 德明 春生 建军 秀兰 光明 "
    "学军 宏伟 俊杰 新民 家强 玉兰 湘平 湘华 沅江 岳林 楚明 芙蓉 向阳 湘云 卫平 爱民 少华 "
    "正清 胜利 长青 德胜 明辉 树人 志刚 国庆 丽萍 慧敏 亚军 庆丰 新华 昌盛 铁军 雪梅 湘涛 "
    "宇航 泽民 凤英 晓东 伟华 金生 国良 远志 美玲 芳 静 勇 斌 军 平 红 涛 娟 敏"
).split()


def _names(seed):
    """An endless, repeatable supply of distinct believable names."""
    rng = random.Random(seed)
    used = set()
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in used:
            used.add(name)
            yield name


@dataclass(frozen=True)
class Vacancy:
    """A seat of a demo team to fill: with a new person, or with the person who holds
    the seat titled SAME_AS in an earlier team of the region (市长 is 市委副书记、市长)."""

    title: str
    rank: str
    same_as: str | None = None
    # Role.OTHER for a cadre recorded in the team without a seat (其他党员领导干部); else the
    # first seat is the principal's and the others members'.
    role: str | None = None
    party_member: bool = True


def _region_teams(short, committee, kind_word, rank, member_rank):
    """Teams of a city (kind_word 市) or a county (县), with their seats."""
    w = kind_word
    return {
        TeamKind.PARTY_COMMITTEE: (
            f"中共{committee}常委班子",
            [
                Vacancy(f"{w}委书记", rank),
                Vacancy(f"{w}委副书记、{w}长", rank),
                Vacancy(f"{w}委副书记", member_rank),
                Vacancy(f"{w}委常委、常务副{w}长", member_rank),
                Vacancy(f"{w}委常委、组织部部长", member_rank),
                Vacancy(f"{w}委常委、纪委书记", member_rank),
                Vacancy(f"{w}委常委、宣传部部长", member_rank),
                Vacancy(f"{w}委常委、政法委书记", member_rank),
            ],
        ),
        TeamKind.CONGRESS: (
            f"{short}人大常委会党组班子",
            [Vacancy(f"{w}人大常委会主任", rank)] + [Vacancy(f"{w}人大常委会副主任", member_rank)] * 2,
        ),
        TeamKind.GOVERNMENT: (
            f"{short}人民政府党组班子",
            [
                Vacancy(f"{w}长", rank, same_as=f"{w}委副书记、{w}长"),
                Vacancy(f"常务副{w}长", member_rank, same_as=f"{w}委常委、常务副{w}长"),
                Vacancy(f"副{w}长", member_rank),
                Vacancy(f"副{w}长", member_rank),
                Vacancy(f"副{w}长", member_rank),
                # 其他在职党员领导干部 (section 四): files, routed by rank, not a member.
                Vacancy(f"{w}人民政府调研员", member_rank, role=Role.OTHER),
            ],
        ),
        TeamKind.CPPCC: (
            f"政协{short}委员会党组班子",
            [Vacancy(f"{w}政协主席", rank)]
            + [Vacancy(f"{w}政协副主席", member_rank)] * 2
            # A vice-chair of a democratic party: wrote no 对照检查材料, files nothing.
            + [Vacancy(f"{w}政协副主席", member_rank, party_member=False)],
        ),
        TeamKind.COURT: (
            f"{short}{'中级' if w == '市' else ''}人民法院党组班子",
            [
                Vacancy("院长", member_rank),
                Vacancy("副院长", _below(member_rank)),
                Vacancy("副院长", _below(member_rank)),
            ],
        ),
        TeamKind.PROCURATORATE: (
            f"{short}人民检察院党组班子",
            [
                Vacancy("检察长", member_rank),
                Vacancy("副检察长", _below(member_rank)),
                Vacancy("副检察长", _below(member_rank)),
            ],
        ),
    }


def _below(rank):
    return {Rank.TING: Rank.CHU, Rank.CHU: Rank.KE}.get(rank, Rank.NONE)


REGIONS = (
    # code, name in team names, its party committee, 市 or 县, principal rank, member rank
    ("4301", "长沙市", "长沙市委", "市", Rank.TING, Rank.TING),
    ("430121", "长沙县", "长沙县委", "县", Rank.CHU, Rank.CHU),
    ("4302", "株洲市", "株洲市委", "市", Rank.TING, Rank.TING),
    ("430223", "攸县", "攸县县委", "县", Rank.CHU, Rank.CHU),
)

# Logins of people holding positions: (region code, team kind, seat title) -> username.
PERSON_LOGINS = {
    ("4301", TeamKind.PARTY_COMMITTEE, "市委书记"): ("cs_secretary", "长沙市委书记"),
    ("430121", TeamKind.PARTY_COMMITTEE, "县委书记"): ("csx_secretary", "长沙县委书记（本级党委书记）"),
    ("430121", TeamKind.PARTY_COMMITTEE, "县委副书记、县长"): (
        "csx_head",
        "长沙县委副书记、县长（政府班子主要负责同志）",
    ),
    ("430121", TeamKind.PARTY_COMMITTEE, "县委常委、组织部部长"): ("csx_member", "长沙县委常委（班子成员）"),
}

UNITS = (
    # parent code, kind, name, team name, seats
    (
        "430121",
        OrgKind.ORGAN,
        "长沙县教育局",
        "中共长沙县教育局党组班子",
        [Vacancy("局长", Rank.KE), Vacancy("副局长", Rank.KE), Vacancy("副局长", Rank.KE)],
    ),
    (
        "430121",
        OrgKind.ENFORCEMENT,
        "长沙县公安局",
        "中共长沙县公安局党委班子",
        [Vacancy("局长", Rank.CHU), Vacancy("政治委员", Rank.KE), Vacancy("副局长", Rank.KE)],
    ),
    (
        "430121",
        OrgKind.WINDOW,
        "长沙县政务服务中心",
        "长沙县政务服务中心领导班子",
        [Vacancy("主任", Rank.KE), Vacancy("副主任", Rank.KE)],
    ),
    (
        "4301",
        OrgKind.ORGAN,
        "长沙市教育局",
        "中共长沙市教育局党组班子",
        [Vacancy("局长", Rank.CHU), Vacancy("副局长", Rank.CHU), Vacancy("副局长", Rank.CHU)],
    ),
)

GRASSROOTS = (
    # region code, team kind, team name, seats
    (
        "430121001",
        TeamKind.PARTY_COMMITTEE,
        "中共长沙县星沙街道工作委员会班子",
        [
            Vacancy("党工委书记", Rank.KE),
            Vacancy("党工委副书记、办事处主任", Rank.KE),
            Vacancy("党工委委员、副主任", Rank.KE),
            # 其他党员干部 (section 五): their measures in the lighter format, to the secretary.
            Vacancy("党政综合办公室主任", Rank.KE, role=Role.OTHER),
        ],
    ),
    (
        "430121001001",
        TeamKind.PARTY_COMMITTEE,
        "中共开元路社区委员会",
        [
            Vacancy("社区党委书记、居委会主任", Rank.NONE),
            Vacancy("社区党委副书记", Rank.NONE),
            Vacancy("社区党委委员", Rank.NONE),
        ],
    ),
)

FILERS = (
    # username, display name, (region or unit name, team kind or None for a unit's only team), role text
    ("cs_filer", "长沙市委办公室 赵敏", ("4301", TeamKind.PARTY_COMMITTEE), "中共长沙市委常委班子填报人"),
    ("csx_filer", "长沙县委办公室 王丽", ("430121", TeamKind.PARTY_COMMITTEE), "中共长沙县委常委班子填报人"),
    ("csx_gov_filer", "长沙县政府办公室 李强", ("430121", TeamKind.GOVERNMENT), "长沙县人民政府班子填报人"),
    (
        "edu_filer",
        "长沙县教育局办公室 陈静",
        ("长沙县教育局", TeamKind.UNIT),
        "长沙县教育局（县直属单位）填报人",
    ),
    ("xs_filer", "星沙街道党政办 周芳", ("430121001", TeamKind.PARTY_COMMITTEE), "星沙街道党工委班子填报人"),
    (
        "ky_filer",
        "开元路社区 刘娟",
        ("430121001001", TeamKind.PARTY_COMMITTEE),
        "开元路社区填报人（整改清单）",
    ),
    (
        "outsider",
        "攸县县委办公室 谭军",
        ("430223", TeamKind.PARTY_COMMITTEE),
        "攸县（株洲市）县委填报人：长沙之外的用户",
    ),
)

AUTHORITIES = (
    # kind, name, jurisdiction codes, (username, display name, role text)
    (
        AuthorityKind.PROVINCIAL_GROUP,
        "省委派驻长沙市督导组",
        ["4301"],
        ("cs_group", "督导组 彭志刚", "省委派驻长沙市督导组成员"),
    ),
    (
        AuthorityKind.PROVINCIAL_GROUP,
        "省委派驻株洲市督导组",
        ["4302"],
        ("zz_group", "督导组 曾宪文", "省委派驻株洲市督导组成员"),
    ),
    (
        AuthorityKind.LOCAL_GROUP,
        "长沙县委督导组",
        ["430121"],
        ("csx_group", "督导组 邓建平", "长沙县委督导组成员（县级督导组）"),
    ),
    (
        AuthorityKind.PROVINCIAL_OFFICE,
        "省委教育实践活动办",
        ["43"],
        ("province_office", "省委教育实践活动办 贺湘华", "省委教育实践活动办"),
    ),
    (
        AuthorityKind.PROVINCIAL_LEADERS,
        "省委有关领导",
        ["43"],
        ("province_leader", "省委有关领导 谢建国", "省委有关领导（送阅）"),
    ),
    (
        AuthorityKind.PROVINCIAL_CHIEF,
        "省委主要领导",
        ["43"],
        ("province_chief", "省委主要领导 秘书处", "省委主要领导（审阅市州委方案）"),
    ),
    (
        AuthorityKind.CENTRAL_GROUP,
        "中央第一巡回督导组",
        ["43"],
        ("central_group", "中央督导组 孙立新", "中央第一巡回督导组成员"),
    ),
    (
        AuthorityKind.CENTRAL_OFFICE,
        "中央教育实践活动办",
        ["43"],
        ("central_office", "中央教育实践活动办 刘文", "中央教育实践活动办"),
    ),
)


class DemoError(Exception):
    pass


def _user(username, display, created_logins, role, staff=False, superuser=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": display, "is_staff": staff, "is_superuser": superuser}
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    created_logins.append((username, role))
    return user


def _fill(team, seats, names, people_by_title):
    """Fill TEAM's SEATS (each a Vacancy, the principal's first), reusing the person of an
    earlier seat where `same_as` says so. PEOPLE_BY_TITLE collects who sits where, across
    the teams of one region."""
    for order, seat in enumerate(seats):
        existing = team.positions.filter(title=seat.title, sort_order=order).first()
        if existing:
            people_by_title.setdefault(seat.title, existing.person)
            continue
        if seat.same_as and seat.same_as in people_by_title:
            person = people_by_title[seat.same_as]
        else:
            person = Person.objects.create(name=next(names), party_member=seat.party_member)
        people_by_title.setdefault(seat.title, person)
        Position.objects.create(
            person=person,
            team=team,
            role=seat.role or (Role.PRINCIPAL if order == 0 else Role.MEMBER),
            title=seat.title,
            rank=seat.rank,
            sort_order=order,
            wrote_self_inspection=person.party_member,
        )


def _org(code):
    try:
        return Org.objects.get(code=code)
    except Org.DoesNotExist:
        raise DemoError(code) from None


@transaction.atomic
def seed():
    """Create the demo cast; return [(username, role)] of every demo login."""
    logins = []
    _user(
        "admin",
        "系统管理员",
        logins,
        "系统管理员（管理后台：组织树、班子、人员、授权）",
        staff=True,
        superuser=True,
    )
    names = _names(2014)

    for code, short, committee, word, rank, member_rank in REGIONS:
        org = _org(code)
        people_by_title = {}
        for kind, (team_name, seats) in _region_teams(short, committee, word, rank, member_rank).items():
            team, _created = Team.objects.get_or_create(org=org, kind=kind, defaults={"name": team_name})
            _fill(team, seats, names, people_by_title)
        for (region_code, _kind, title), (username, role) in PERSON_LOGINS.items():
            if region_code == code:
                person = people_by_title[title]
                person.user = _user(username, person.name, logins, role)
                person.save(update_fields=["user"])

    for parent_code, kind, name, team_name, seats in UNITS:
        parent = _org(parent_code)
        unit = Org.objects.filter(parent=parent, name=name).first()
        if unit is None:
            unit = Org.objects.create(parent=parent, kind=kind, level=parent.level, name=name)
        team, _created = Team.objects.get_or_create(
            org=unit, kind=TeamKind.UNIT, defaults={"name": team_name}
        )
        _fill(team, seats, names, {})

    for code, kind, team_name, seats in GRASSROOTS:
        team, _created = Team.objects.get_or_create(org=_org(code), kind=kind, defaults={"name": team_name})
        _fill(team, seats, names, {})

    for username, display, (where, kind), role in FILERS:
        user = _user(username, display, logins, role)
        org = _org(where) if where.isdigit() else Org.objects.exclude(kind=OrgKind.REGION).get(name=where)
        assign_perm(f"orgs.{FILE_PERM}", user, Team.objects.get(org=org, kind=kind))

    for kind, name, codes, (username, display, role) in AUTHORITIES:
        authority = Authority.objects.filter(name=name).first() or Authority.objects.create(
            kind=kind, name=name
        )
        user = _user(username, display, logins, role)
        authority.group.user_set.add(user)
        for code in codes:
            assign_perm(f"orgs.{OVERSEE_PERM}", authority.group, _org(code))

    _heads(logins)
    _registers()
    _overdue()
    _ledger()
    return logins


# Every chain needs its people: the principal of every demo team gets a login (the
# reviewer of their members' measures and, for a party committee, of the region's
# plans), and county and city leaders are the 分管领导 of the units and the township.
REGION_PREFIX = {"4301": "cs", "430121": "csx", "4302": "zz", "430223": "yx"}
TEAM_SUFFIX = {
    TeamKind.PARTY_COMMITTEE: "secretary",
    TeamKind.CONGRESS: "rd_head",
    TeamKind.GOVERNMENT: "gov_head",
    TeamKind.CPPCC: "zx_head",
    TeamKind.COURT: "court_head",
    TeamKind.PROCURATORATE: "procuratorate_head",
}
UNIT_HEADS = {
    "长沙县教育局": "edu_head",
    "长沙县公安局": "police_head",
    "长沙县政务服务中心": "service_head",
    "长沙市教育局": "cs_edu_head",
}
GRASSROOTS_HEADS = {"430121001": "xs_secretary", "430121001001": "ky_secretary"}
# 分管领导: (who, by region code and team kind of their principal seat) -> the orgs they oversee.
SUPERVISING = (
    (("430121", TeamKind.GOVERNMENT), ["长沙县教育局", "长沙县公安局", "长沙县政务服务中心", "430121001"]),
    (("4301", TeamKind.GOVERNMENT), ["长沙市教育局"]),
)


def _head_username(team):
    org = team.org
    if org.code in REGION_PREFIX:
        return f"{REGION_PREFIX[org.code]}_{TEAM_SUFFIX[team.kind]}"
    if org.code in GRASSROOTS_HEADS:
        return GRASSROOTS_HEADS[org.code]
    return UNIT_HEADS.get(org.name)


def _heads(logins):
    principals = Position.objects.filter(role=Role.PRINCIPAL, active=True).select_related(
        "person", "team__org"
    )
    for position in principals.order_by("team__org__tree_id", "team__org__lft", "team__kind"):
        username = _head_username(position.team)
        person = position.person
        if username is None:
            continue
        role = f"{position.team.name}主要负责同志（{position.title}）"
        if person.user_id is None:
            person.user = _user(username, person.name, logins, role)
            person.save(update_fields=["user"])
        elif person.user.username == username:
            logins.append((username, role))
    for (code, kind), places in SUPERVISING:
        head = Position.objects.get(team__org__code=code, team__kind=kind, role=Role.PRINCIPAL, active=True)
        for place in places:
            org = _org(place) if place.isdigit() else Org.objects.exclude(kind=OrgKind.REGION).get(name=place)
            assign_perm(f"orgs.{OVERSEE_PERM}", head.person.user, org)


# What 中共长沙县委 and one of its members must answer (四个回应), as the office would
# have collected it before writing the plan.
REGISTER = {
    Source.MASS_OPINION: (
        "县直机关会议多、文件多，基层干部疲于应付",
        "星沙片区征地拆迁补偿款发放不及时",
        "部分窗口单位办事程序繁琐，群众办事跑多趟",
    ),
    Source.SELF_INSPECTION: (
        "公务接待有超标准现象，接待费支出偏高",
        "常委班子成员下基层调研不深入，“走读”现象仍然存在",
    ),
    Source.LIFE_MEETING: ("批评与自我批评辣味不足，开展谈心谈话不经常",),
}
SUPERVISION_POINTED = "村（社区）便民服务中心坐班制度落实不到位"
MEMBER_REGISTER = {
    Source.LIFE_MEETING: ("到联系点调研次数偏少，了解基层实情不够",),
    Source.SELF_INSPECTION: ("对干部日常管理监督偏软，存在“老好人”思想",),
}


def _registers():
    team = Team.objects.get(org__code="430121", kind=TeamKind.PARTY_COMMITTEE)
    if Input.objects.filter(team=team).exists():
        return
    filer = get_user_model().objects.get(username="csx_filer")
    for source, texts in REGISTER.items():
        for text in texts:
            editing.add_input(filer, team, source, text)
    group = get_user_model().objects.get(username="cs_group")
    editing.add_input(group, team, Source.SUPERIOR, SUPERVISION_POINTED, from_supervision=True)
    member = Person.objects.get(user__username="csx_member")
    for source, texts in MEMBER_REGISTER.items():
        for text in texts:
            editing.add_input(member.user, team, source, text, person=member)


def _redate(user, plan, deadline_of):
    """Date PLAN two months ago and give its measures deadlines from today (DEADLINE_OF(n)
    for the n-th): the samples are written in 2014, and the demo's ledger lives now."""
    today = clock.today()
    measures = plan.items.filter(section="measures").order_by("position")
    for n, item in enumerate(measures):
        deadline = deadline_of(n)
        editing.save_item(
            user, item, item.revision, {"deadline": deadline, "deadline_text": f"{chinese_date(deadline)}前"}
        )
    plan.refresh_from_db()
    editing.save_header(user, plan, plan.revision, {"dated": today - dt.timedelta(days=60)})


def _overdue():
    """One measure overdue and escalated (督办), so that 逾期督办 and the notifications have
    something to show: 长沙县公安局's simplified plan, filed by its head and approved by its
    分管领导 (the county head), dated two months ago; its first measure was due
    LEDGER_ESCALATE_DAYS + 5 days ago, the others two months from today (real days: the
    schedule keeps chasing them as the demo runs). Escalating the first tells the county
    head and 长沙县委督导组."""
    team = Team.objects.get(org__name="长沙县公安局", kind=TeamKind.UNIT)
    if Document.objects.filter(team=team).exists():
        return
    head = Position.objects.get(team=team, role=Role.PRINCIPAL, active=True).person
    owners = [position.person for position in team.positions.filter(active=True).order_by("sort_order", "pk")]
    plan = samples.fill_simplified_plan(head.user, team, owners)
    today = clock.today()
    late = today - dt.timedelta(days=settings.LEDGER_ESCALATE_DAYS + 5)
    _redate(head.user, plan, lambda n: late if n == 0 else today + dt.timedelta(days=60))
    review_transitions.submit(head.user, plan)
    samples.approve_through(plan)
    first = Entry.objects.filter(document=plan).order_by("position").first()
    ledger_transitions.escalate(first.pk, first.deadline, today)


# The ledger (整改台账) of an approved plan: 长沙县人民政府's team plan, approved by the
# county's party secretary, with measures reported on, one done and waiting for
# verification (with a PDF of minutes as evidence), one closed, one sent back.
LEDGER_REPORTS = (
    "已召开县政府常务会议专题研究，制定工作方案，明确责任股室和完成时间。",
    "已全部完成：出台文件并印发执行，附县政府常务会议纪要。",
    "已完成：全县会议数量同比压缩三分之一，已公布会议计划。",
    "已完成：征地补偿款已发放到户。",
)
LEDGER_SENT_BACK = "发放情况只有汇总数，请附各乡镇的发放明细和公示照片后再报。"
MINUTES = "<h1>长沙县人民政府常务会议纪要</h1><p>会议研究了整改方案第2条措施的落实，决定即日印发执行。</p>"


def _minutes_pdf():
    """A one-page PDF of minutes, as an office would scan or print one."""

    content = HTML(string=MINUTES, base_url=BASE_URL, url_fetcher=StaticFetcher()).write_pdf()
    return SimpleUploadedFile("县政府常务会议纪要.pdf", content, content_type="application/pdf")


def _ledger():
    team = Team.objects.get(org__code="430121", kind=TeamKind.GOVERNMENT)
    if Document.objects.filter(team=team, kind=DocumentKind.TEAM_PLAN).exists():
        return
    users = get_user_model().objects
    filer = users.get(username="csx_gov_filer")
    owners = [position.person for position in team.positions.filter(active=True).order_by("sort_order")[:3]]
    plan = samples.fill_team_plan(filer, team, owners)
    _redate(filer, plan, lambda n: clock.today() + dt.timedelta(days=30 * (n + 1)))
    review_transitions.submit(filer, plan)
    samples.approve_through(plan)
    first, second, third, fourth = Entry.objects.filter(document=plan).order_by("position")[:4]

    def fresh(entry):
        return Entry.objects.get(pk=entry.pk)

    head = users.get(username="csx_head")
    ledger_transitions.report(
        head if first.owner.user_id == head.pk else filer, first.pk, first.revision, LEDGER_REPORTS[0]
    )
    ledger_transitions.report(
        filer, second.pk, second.revision, LEDGER_REPORTS[1], [_minutes_pdf()], done=True
    )
    ledger_transitions.report(filer, third.pk, third.revision, LEDGER_REPORTS[2], done=True)
    ledger_transitions.close(users.get(username="csx_secretary"), third.pk, fresh(third).revision)
    ledger_transitions.report(filer, fourth.pk, fourth.revision, LEDGER_REPORTS[3], done=True)
    ledger_transitions.send_back(
        users.get(username="csx_group"), fourth.pk, fresh(fourth).revision, LEDGER_SENT_BACK
    )
