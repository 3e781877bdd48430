"""Who sits where: the seats of a region's teams, believable names, each team and its
seats as planned in memory (PlannedTeam, PlannedPosition), and a county's teams, people,
positions, reviewer logins and 分管领导 grants, written in bulk."""

from collections import Counter
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth import get_user_model

from orgs.models import (
    Level,
    OrgKind,
    OrgUserGrant,
    Person,
    Position,
    Rank,
    Role,
    Team,
    TeamKind,
    TeamUserGrant,
)

from .. import demo
from .phrases import GIVEN_CHARS, UNITS
from .tree import Place, committee_name, office_word, unit_name, village_short_name
from .writing import BATCH

# Who sits where ------------------------------------------------------------------------

# Seats: (title, rank, login suffix or None, key of a person shared across the region's
# teams or None[, Role.OTHER for a cadre without a seat]). The first seat is the principal.


def _region_seats(w, city):
    top = Rank.TING if city else Rank.CHU
    deputy = Rank.CHU if city else Rank.KE
    committee = [
        (f"{w}委书记", top, "secretary", None),
        (f"{w}委副书记、{w}长", top, "head", "head"),
        (f"{w}委副书记", top, "pc2", None),
        (f"{w}委常委、常务副{w}长", top, "exec", "exec"),
        (f"{w}委常委、组织部部长", top, "pc4", None),
        (f"{w}委常委、纪委书记", top, "pc5", None),
        (f"{w}委常委、宣传部部长", top, "pc6", None),
        (f"{w}委常委、政法委书记", top, "pc7", None),
        (f"{w}委常委、统战部部长", top, "pc8", None),
        (f"{w}委常委、{w}委办公室主任", top, "pc9", None),
    ]
    government = (
        [(f"{w}长", top, "head", "head"), (f"常务副{w}长", top, "exec", "exec")]
        + [(f"副{w}长", top, f"gov{n}", None) for n in range(2, 6)]
        # 其他在职党员领导干部 (section 四), recorded in the government without a seat.
        + [(f"{w}人民政府调研员", top, None, None, Role.OTHER)]
    )
    return {
        TeamKind.PARTY_COMMITTEE: committee,
        TeamKind.CONGRESS: [(f"{w}人大常委会主任", top, "congress", None)]
        + [(f"{w}人大常委会副主任", top, None, None)] * 3,
        TeamKind.GOVERNMENT: government,
        # The last vice-chair is not a party member (民主党派): no individual measures.
        TeamKind.CPPCC: [(f"{w}政协主席", top, "cppcc", None)] + [(f"{w}政协副主席", top, None, None)] * 3,
        TeamKind.COURT: [("院长", top, "court", None)] + [("副院长", deputy, None, None)] * 2,
        TeamKind.PROCURATORATE: [("检察长", top, "procuratorate", None)]
        + [("副检察长", deputy, None, None)] * 2,
    }


SURNAMES = demo.SURNAMES
GIVEN = demo.GIVEN


class Names:
    """Believable names from one random generator: 王建国, 欧阳明辉, 刘芳."""

    def __init__(self, rng):
        self.rng = rng

    def __call__(self):
        rng = self.rng
        draw = rng.random()
        if draw < 0.4:
            given = rng.choice(GIVEN)
        elif draw < 0.85:
            given = rng.choice(GIVEN_CHARS) + rng.choice(GIVEN_CHARS)
        else:
            given = rng.choice(GIVEN_CHARS)
        return rng.choice(SURNAMES) + given


# One county's worth -------------------------------------------------------------------


@dataclass
class PlannedPosition:
    """A Position to write: a seat of a PlannedTeam with the Person who will hold it,
    and the username of their login, if they get one."""

    title: str
    rank: str
    role: str
    person: Person
    login: str | None = None


@dataclass
class PlannedTeam:
    """A Team to write, with its seats (PlannedPosition, the principal's first) and what
    its documents' routing and texts need to know about where it stands."""

    place: Place
    kind: str
    name: str
    seats: list
    region: Place  # the city or county whose secretary is 本级党委书记
    township: Place | None
    body: str  # how texts name it: 长沙县委, 长沙县教育局, 星沙街道
    scope: str  # 全县性会议
    team: Team | None = None

    @property
    def principal(self):
        return self.seats[0].person

    def as_team(self):
        return SimpleNamespace(kind=self.kind, org=self.place)


class PeopleMixin:
    """County's teams and who sits in them: the plans of the region's teams, its
    townships' and villages', then the rows for teams, people, positions, logins and
    grants."""

    def region_plans(self, region, names, rng):
        city = region.level == Level.CITY
        w = office_word(region.name, "市" if city else "县")
        short, committee = region.name, committee_name(region.name)
        team_names = {
            TeamKind.PARTY_COMMITTEE: f"中共{committee}常委班子",
            TeamKind.CONGRESS: f"{short}人大常委会党组班子",
            TeamKind.GOVERNMENT: f"{short}人民政府党组班子",
            TeamKind.CPPCC: f"政协{short}委员会党组班子",
            TeamKind.COURT: f"{short}{'中级' if city else ''}人民法院党组班子",
            TeamKind.PROCURATORATE: f"{short}人民检察院党组班子",
        }
        shared = {}
        plans = []
        for kind, seats in _region_seats(w, city).items():
            filled = []
            for order, (title, rank, login, share, *other) in enumerate(seats):
                person = shared.get(share) if share else None
                if person is None and other:
                    person = Person(name=self.other_names())
                elif person is None:
                    person = Person(name=names(), party_member=not (kind == TeamKind.CPPCC and order == 3))
                    if share:
                        shared[share] = person
                role = other[0] if other else Role.PRINCIPAL if order == 0 else Role.MEMBER
                filled.append(
                    PlannedPosition(title, rank, role, person, f"{region.code}_{login}" if login else None)
                )
            plans.append(PlannedTeam(region, kind, team_names[kind], filled, region, None, committee, w))
        units = {p.name: p for p in region.children if p.kind != OrgKind.REGION}
        top = Rank.CHU if city else Rank.KE
        for index, (_kind, prefix, suffix, team_name, principal, deputy) in enumerate(UNITS, start=1):
            unit = units.get(unit_name(region, prefix, suffix))
            if unit is None or unit.pk in self.seeder.occupied:
                continue
            seats = [
                PlannedPosition(
                    principal, top, Role.PRINCIPAL, Person(name=names()), f"{region.code}_u{index:02d}"
                )
            ]
            seats += [
                PlannedPosition(deputy, top, Role.MEMBER, Person(name=names()))
                for _ in range(rng.choice((3, 4, 4, 4)))
            ]
            plans.append(
                PlannedTeam(
                    unit, TeamKind.UNIT, team_name.format(u=unit.name), seats, region, None, unit.name, w
                )
            )
        return plans

    def township_plan(self, township, county, names):
        name = township.name
        if name.endswith("街道"):
            prefix, head, deputy, team = "党工委", "办事处主任", "办事处副主任", f"中共{name}工作委员会班子"
        elif name.endswith(("镇", "乡")):
            w = name[-1]
            prefix, head, deputy, team = f"{w}党委", f"{w}长", f"副{w}长", f"中共{name}委员会班子"
        else:
            prefix, head, deputy, team = "党委", "主任", "副主任", f"中共{name}委员会班子"
        titles = [
            f"{prefix}书记",
            f"{prefix}副书记、{head}",
            f"{prefix}副书记",
            f"{prefix}委员、纪委书记",
            f"{prefix}委员、组织委员",
            f"{prefix}委员、宣传委员",
            f"{prefix}委员、{deputy}",
            f"{prefix}委员、武装部部长",
        ]
        seats = [
            PlannedPosition(
                title,
                Rank.KE,
                Role.PRINCIPAL if order == 0 else Role.MEMBER,
                Person(name=names()),
                f"{township.code}_secretary" if order == 0 else None,
            )
            for order, title in enumerate(titles)
        ]
        # 其他党员干部 (section 五): files the lighter measures, reviewed by the secretary.
        seats.append(
            PlannedPosition("党政综合办公室主任", Rank.KE, Role.OTHER, Person(name=self.other_names()))
        )
        return PlannedTeam(township, TeamKind.PARTY_COMMITTEE, team, seats, county, township, name, name[-1])

    def village_plan(self, village, township, county, names):
        short = village_short_name(village.name)
        if short.endswith("社区"):
            team, titles = (
                f"中共{short}委员会",
                ("社区党委书记、居委会主任", "社区党委副书记", "社区党委委员"),
            )
        else:
            team, titles = (
                f"中共{short}支部委员会",
                ("村党支部书记、村委会主任", "村党支部副书记", "村党支部委员"),
            )
        seats = [
            PlannedPosition(
                title, Rank.NONE, Role.PRINCIPAL if order == 0 else Role.MEMBER, Person(name=names())
            )
            for order, title in enumerate(titles)
        ]
        return PlannedTeam(village, TeamKind.PARTY_COMMITTEE, team, seats, county, township, short, "村")

    # People, logins, grants -----------------------------------------------------------------

    def write_people(self, plans, county, region):
        """Teams, people, positions and the logins of reviewers; returns the filer."""
        User = get_user_model()
        wanted = {f"{county.code}_filer": f"{county.name}教育实践活动办 {Names(self.rng)()}"}
        for plan in plans:
            for seat in plan.seats:
                if seat.login and seat.login not in wanted:
                    wanted[seat.login] = seat.person.name
        existing = dict(
            User.objects.filter(username__in=wanted, person__isnull=True).values_list("username", "pk")
        )
        taken = set(
            User.objects.filter(username__in=wanted, person__isnull=False).values_list("username", flat=True)
        )
        new = [
            User(username=username, first_name=display[:150], password=self.seeder.password)
            for username, display in wanted.items()
            if username not in existing and username not in taken
        ]
        User.objects.bulk_create(new, batch_size=BATCH)
        self.seeder.counts["users"] += len(new)
        users = {**existing, **{user.username: user.pk for user in new}}
        people = {}
        for plan in plans:
            plan.team = Team(org_id=plan.place.pk, kind=plan.kind, name=plan.name)
            for seat in plan.seats:
                if seat.login in users and seat.person.user_id is None:
                    seat.person.user_id = users[seat.login]
                people[id(seat.person)] = seat.person
        Team.objects.bulk_create([plan.team for plan in plans], batch_size=BATCH)
        Person.objects.bulk_create(list(people.values()), batch_size=BATCH)
        Position.objects.bulk_create(
            [
                Position(
                    person_id=seat.person.pk,
                    team_id=plan.team.pk,
                    role=seat.role,
                    title=seat.title,
                    rank=seat.rank,
                    sort_order=order,
                    wrote_self_inspection=seat.person.party_member,
                )
                for plan in plans
                for order, seat in enumerate(plan.seats)
            ],
            batch_size=BATCH,
        )
        self.seeder.counts["teams"] += len(plans)
        self.seeder.counts["people"] += len(people)
        self.seeder.counts["positions"] += sum(len(plan.seats) for plan in plans)
        return users.get(f"{county.code}_filer")

    def write_grants(self, plans, region, filer):
        """The filer files for the region's party committee; the region's leaders are the
        分管领导 of its units (vice heads of government) and townships (standing committee)."""
        if region is None:
            return
        by_kind = {plan.kind: plan for plan in plans if plan.place.pk == region.pk}
        committee = [
            s.person.user_id for s in by_kind[TeamKind.PARTY_COMMITTEE].seats[1:] if s.person.user_id
        ]
        government = [s.person.user_id for s in by_kind[TeamKind.GOVERNMENT].seats[1:] if s.person.user_id]
        grants = []
        turn = Counter()
        for plan in plans:
            if plan.kind == TeamKind.UNIT:
                pool = committee if plan.place.name.startswith(committee_name(region.name)) else government
            elif plan.place.level == Level.TOWNSHIP:
                pool = committee
            else:
                continue
            if not pool:
                continue
            user_id = pool[turn[id(pool)] % len(pool)]
            turn[id(pool)] += 1
            self.supervisors[plan.place.pk] = user_id
            grants.append(
                OrgUserGrant(user_id=user_id, permission=self.seeder.oversee, content_object_id=plan.place.pk)
            )
        OrgUserGrant.objects.bulk_create(grants, batch_size=BATCH)
        files = by_kind[TeamKind.PARTY_COMMITTEE].team
        filing = (
            [TeamUserGrant(user_id=filer, permission=self.seeder.file_team, content_object=files)]
            if filer
            else []
        )
        TeamUserGrant.objects.bulk_create(filing)
        self.seeder.counts["grants"] += len(grants) + len(filing)
