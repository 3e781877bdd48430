"""Which of a person's seats is the highest: the one their individual measures go under.

A leader files one individual measures (section 五: 按要求撰写了对照检查材料的…党员领导干部，
都要制定…个人整改措施), however many teams they sit in, and section 四 routes it by what the
person is, not by the seat a filer happened to open it from: a 县长 who is also 县委副书记 is
one of the county's 党政正职, and a 市长 sitting in the 市委 is one of the city's. So the
measures go under the highest seat, and the highest seat is the one whose route reaches
the highest authority. Section 四 names them from the top down, and this order follows it,
one criterion after another:

1. 党政正职 of a 市州 or 县市区 (the principals of its party committee and government)
   first: theirs alone go to 省委主要领导 (市州), and to 省委督导组 and 省委活动办 (县市区):
   "县市区委班子整改方案和党政正职个人整改措施，经省委督导组审阅把关后，报省委教育实践活动办审阅"
   and "市州委常委班子整改方案和党政正职个人整改措施，要报省委主要领导审阅".
2. The city before the county before the township: "市州“四大家”…班子成员…的个人整改措施" go
   up to the province, "县市区" ones to the 县市区委书记, and section 五 leaves the townships'
   and direct units' to their own leaders.
3. A region's own teams (四大家, 法检) before its direct units: section 四 routes the former,
   section 五 the latter.
4. The principal before a member, a member before 其他党员领导干部 (Role.OTHER): 主要负责同志
   review their members, and the 法检“两长” go where their members do not.
5. The teams in the notice's order, 党委 first ("市州委书记个人整改措施，还要报中央…").
6. The rank: 厅级 before 处级 before 科级 ("其他在职厅级党员领导干部" go to the province,
   "厅处级" to the secretary).

Ties (never in real data) go to the older position. The same order is given as a number,
`seat_rank`, in Python and as an SQL expression (`seat_rank_sql`), so a page, a command
and the dashboard's counts choose the same seat.
"""

from django.db.models import Case, IntegerField, Q, Value, When

from .models import Level, OrgKind, Rank, Role, TeamKind

# 1. 党政正职 of a city or county.
HEAD_LEVELS = (Level.CITY, Level.COUNTY)
HEAD_TEAMS = (TeamKind.PARTY_COMMITTEE, TeamKind.GOVERNMENT)
# 2.–6., best first.
LEVEL_ORDER = tuple(Level)  # province, city, county, township, village
ROLE_ORDER = (Role.PRINCIPAL, Role.MEMBER, Role.OTHER)
TEAM_ORDER = tuple(TeamKind)  # 党委, 人大, 政府, 政协, 法院, 检察院, 单位, 基层
RANK_ORDER = (Rank.TING, Rank.CHU, Rank.KE, Rank.NONE)

# Each criterion is one decimal digit of the rank, the first the most significant.
WEIGHTS = (100_000, 10_000, 1_000, 100, 10, 1)


def is_head(level, org_kind, team_kind, role):
    """党政正职 of a 市州 or 县市区."""
    return (
        org_kind == OrgKind.REGION
        and level in HEAD_LEVELS
        and team_kind in HEAD_TEAMS
        and role == Role.PRINCIPAL
    )


def seat_rank(level, org_kind, team_kind, role, rank):
    """The seat's place in the order above: the smaller, the higher."""
    digits = (
        0 if is_head(level, org_kind, team_kind, role) else 1,
        LEVEL_ORDER.index(level),
        0 if org_kind == OrgKind.REGION else 1,
        ROLE_ORDER.index(role),
        TEAM_ORDER.index(team_kind),
        RANK_ORDER.index(rank),
    )
    return sum(digit * weight for digit, weight in zip(digits, WEIGHTS, strict=True))


def rank_of(position):
    """seat_rank of a Position (its team and the team's org loaded)."""
    team = position.team
    return seat_rank(team.org.level, team.org.kind, team.kind, position.role, position.rank)


def highest(positions):
    """The highest of POSITIONS (None if there are none)."""
    return min(positions, key=lambda position: (rank_of(position), position.pk or 0), default=None)


def _index(field, order, weight):
    return Case(
        *[When(**{field: value}, then=Value(index * weight)) for index, value in enumerate(order)],
        default=Value(len(order) * weight),
        output_field=IntegerField(),
    )


def seat_rank_sql(prefix=""):
    """seat_rank as an SQL expression on the Position reached through PREFIX."""
    org = f"{prefix}team__org__"
    head = Q(
        **{
            f"{org}kind": OrgKind.REGION,
            f"{org}level__in": HEAD_LEVELS,
            f"{prefix}team__kind__in": HEAD_TEAMS,
            f"{prefix}role": Role.PRINCIPAL,
        }
    )
    first, level, region, role, team, rank = WEIGHTS
    return (
        Case(When(head, then=Value(0)), default=Value(first), output_field=IntegerField())
        + _index(f"{org}level", LEVEL_ORDER, level)
        + Case(
            When(**{f"{org}kind": OrgKind.REGION}, then=Value(0)),
            default=Value(region),
            output_field=IntegerField(),
        )
        + _index(f"{prefix}role", ROLE_ORDER, role)
        + _index(f"{prefix}team__kind", TEAM_ORDER, team)
        + _index(f"{prefix}rank", RANK_ORDER, rank)
    )
