"""Scale data: the imported Hunan tree filled as the province would fill it (seed_scale).

At fraction F = 1.0 every city and county gets its 四大家, court and procuratorate and
58 direct units, every township its party committee, every village its party
organisation: about 41,000 team documents, 59,000 individual measures and 1.1 million
items, each document in one of the four states of review. F < 1 takes a share of the
cities and of the counties (a county with all its townships and villages), chosen by
a low-discrepancy sequence over the codes: evenly spread, the same for the same F, and
the choice for a smaller F is contained in the choice for a larger one.

How it is built, and why:

* One county (or city) is one transaction, written with bulk inserts into every table
  it touches, M2M through rows included; no per-row save(), no signals. Memory holds
  one county at a time, so it stays flat whatever F.
* Everything a county holds comes from a random generator seeded with its code: the
  same county gets the same people and texts whatever F, whichever runs before it.
* An org that already has a team is left alone (the demo's 长沙市 and 长沙县, anything
  made by hand, a county seeded before). So a second run with the same F adds nothing,
  and a run with a larger F tops up the counties a smaller one left out.
* Chains are review.routing.route(subject), computed once per distinct subject. Step
  assignees are those review.assignees would resolve, worked out per authority and
  place from what the county's chunk has just created (principals, 分管领导 grants)
  and, for the bodies (督导组, 活动办 …), once per city through the real resolvers. A
  document whose chain names an authority nobody holds stays a draft, as submit()
  would refuse it.
* Logins only for reviewers: the principal of every team above the villages, the
  city and county leaders who are 分管领导 of the townships and units (by an oversee
  grant on each), one member per provincial supervision group, and one filer per city
  or county, who submits what has no login of its own. All share the demo's password.
* A submitted document has its Review, Steps with assignees, a Version whose snapshot
  has exactly the shape of plans.documents.snapshot, its Events, Comments when it was
  returned, and Notifications for the steps now waiting. Times are spread over the
  last weeks, in the order the events happened.
"""

import datetime as dt
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection, reset_queries, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from orgs import demo
from orgs.models import (
    Authority,
    AuthorityKind,
    Level,
    Org,
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
from orgs.policy import FILE_PERM, OVERSEE_PERM
from orgs.tree import renumber
from plans.models import (
    Category,
    Document,
    DocumentKind,
    Input,
    Item,
    Source,
    SpecialTask,
    Status,
)
from plans.structure import (
    INDIVIDUAL_PROBLEMS,
    STRUCTURES,
    TEAM_PROBLEMS,
    files_individual_measures,
    kinds_for_team,
)

from . import routing
from .assignees import RESOLVERS
from .models import (
    Action,
    Comment,
    Event,
    Mode,
    Notification,
    ReturnReason,
    Review,
    ReviewState,
    Step,
    StepState,
    Version,
)
from .scale_phrases import (
    ANSWERS,
    APPROVE_COMMENTS,
    BLOCKS,
    DEADLINES,
    GIVEN_CHARS,
    INACTION_MEASURES,
    INACTION_PROBLEMS,
    INDIVIDUAL_ASPECT,
    INDIVIDUAL_MEASURES,
    INDIVIDUAL_PROBLEM_TEXTS,
    INPUT_TEXTS,
    INSTITUTIONS,
    LIST_ENTRIES,
    OWNER_UNITS,
    PHASE_TASKS,
    RETURN_COMMENTS,
    RETURN_NOTES,
    SPECIAL_MEASURES,
    TEAM_MEASURES,
    TEAM_PROBLEM_TEXTS,
    UNITS,
)

SEED = 2014
BATCH = 2000
GOLDEN = 0.6180339887498949
STATES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED)
STATE_WEIGHTS = (25, 35, 15, 25)
A = AuthorityKind
C = Category
BODIES = {str(k) for k in (A.PROVINCIAL_GROUP, A.PROVINCIAL_OFFICE, A.PROVINCIAL_LEADERS)} | {
    str(k) for k in (A.PROVINCIAL_CHIEF, A.CENTRAL_GROUP, A.CENTRAL_OFFICE, A.LOCAL_GROUP)
}


class ScaleError(Exception):
    pass


# Who sits where ------------------------------------------------------------------------

# Seats: (title, rank, login suffix or None, key of a person shared across the region's
# teams or None). The first seat is the principal.


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
    government = [(f"{w}长", top, "head", "head"), (f"常务副{w}长", top, "exec", "exec")] + [
        (f"副{w}长", top, f"gov{n}", None) for n in range(2, 6)
    ]
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


def _text(rng, template, **slots):
    return template.format(
        n=rng.randint(3, 90),
        m=rng.randint(2, 12),
        pct=rng.choice((10, 15, 20, 30)),
        date=rng.choice(DEADLINES[:8])[0],
        **slots,
    )


# The tree as read once -------------------------------------------------------------------


@dataclass
class Place:
    pk: int
    code: str | None
    name: str
    level: str
    kind: str
    parent_id: int | None
    tree_id: int
    lft: int
    rght: int
    depth: int
    children: list = field(default_factory=list)


def picked(index, fraction):
    """Whether the INDEX-th of a level's regions (in code order) is in the share FRACTION:
    a golden-ratio sequence, evenly spread, nested as FRACTION grows, the first always in."""
    return (index * GOLDEN) % 1.0 < fraction


def _word(name, default):
    """The word offices put before 委书记 and 长: 县, 区, 市, 州."""
    if name.endswith("自治州"):
        return "州"
    return name[-1] if name[-1] in "县区市州" else default


def _committee(name):
    """长沙县 -> 长沙县委, 攸县 -> 攸县县委, 湘西土家族苗族自治州 -> 湘西州委."""
    if name.endswith("自治州"):
        return name[:2] + "州委"
    if len(name) == 2 and name.endswith("县"):
        return name + "县委"
    return name + "委"


def _village_short(name):
    for suffix, added in (("村民委员会", "村"), ("居民委员会", "社区"), ("村委会", "村"), ("居委会", "社区")):
        if name.endswith(suffix) and len(name) > len(suffix):
            short = name[: -len(suffix)]
            return short if short.endswith(("村", "社区", "区")) else short + added
    return name.removesuffix("委员会") or name


# One county's worth -------------------------------------------------------------------


@dataclass
class Seat:
    title: str
    rank: str
    role: str
    person: Person
    login: str | None = None


@dataclass
class TeamPlan:
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


@dataclass
class Paper:
    """A document being written, with what its snapshot and links need."""

    plan: TeamPlan
    document: Document
    seat: Seat | None = None
    items: list = field(default_factory=list)
    inputs: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    # id(item) -> {"answers": [inputs], "addresses": [items], "claims": [items]}
    links: dict = field(default_factory=dict)
    chain: list = field(default_factory=list)  # [(routing.Step, [user ids])]


class Seeder:
    def __init__(self, fraction=1.0, seed=SEED, progress=None):
        if not 0 < fraction <= 1:
            raise ScaleError("--fraction 须大于 0、不大于 1。")
        self.fraction = fraction
        self.seed = seed
        self.progress = progress or (lambda done, total, counts: None)
        self.counts = Counter()
        self.now = timezone.now()
        self.routes = {}
        self.bodies = {}
        self.fallbacks = {}
        self.password = make_password(demo.PASSWORD, salt="rectifyscale")
        self.oversee = Permission.objects.get(codename=OVERSEE_PERM, content_type__app_label="orgs")
        self.file_team = Permission.objects.get(codename=FILE_PERM, content_type__app_label="orgs")
        self.tasks = list(SpecialTask.objects.order_by("batch", "position", "id"))

    # The whole run ---------------------------------------------------------------------

    def run(self):
        self._load()
        jobs = self._jobs()
        with transaction.atomic():
            self._reviewers()
            if self._units(jobs):
                self._load()
                jobs = self._jobs()
        self.progress(0, len(jobs), self.counts)
        for done, job in enumerate(jobs, start=1):
            with transaction.atomic():
                County(self, *job).fill()
            reset_queries()  # with DEBUG on, Django would keep every chunk's SQL
            if not connection.in_atomic_block:
                # SQLite keeps each chunk's huge prepared INSERTs in the connection's
                # statement cache; a fresh connection keeps memory flat.
                connection.close()
            self.progress(done, len(jobs), self.counts)
        if self.counts["documents"]:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return self.counts

    def _load(self):
        province = Org.objects.filter(code="43", kind=OrgKind.REGION, level=Level.PROVINCE).first()
        if province is None or not Org.objects.filter(tree_id=province.tree_id, level=Level.VILLAGE).exists():
            raise ScaleError(
                "找不到湖南省区划（代码 43，含村、社区）。请先导入：python manage.py import_divisions data/divisions/hunan"
            )
        self.tree_id = province.tree_id
        columns = ("pk", "code", "name", "level", "kind", "parent_id", "tree_id", "lft", "rght", "depth")
        rows = Org.objects.filter(tree_id=province.tree_id).order_by("lft").values_list(*columns)
        self.places = {row[0]: Place(*row) for row in rows.iterator(chunk_size=10000)}
        for place in self.places.values():
            if place.parent_id:
                self.places[place.parent_id].children.append(place)
        self.province = self.places[province.pk]
        self.occupied = set(Team.objects.values_list("org_id", flat=True).distinct())

    def _jobs(self):
        """(region to fill or None, townships with their villages, city) per transaction."""
        cities = sorted((p for p in self.province.children if p.kind == OrgKind.REGION), key=lambda p: p.code)
        counties = sorted(
            (p for city in cities for p in city.children if p.kind == OrgKind.REGION), key=lambda p: p.code
        )
        jobs = []
        for index, city in enumerate(cities):
            if picked(index, self.fraction) and city.pk not in self.occupied:
                jobs.append((city, [], city))
        for index, county in enumerate(counties):
            if not picked(index, self.fraction):
                continue
            townships = [
                (
                    township,
                    [v for v in township.children if v.kind == OrgKind.REGION and v.pk not in self.occupied],
                )
                for township in sorted(county.children, key=lambda p: p.code or "")
                if township.kind == OrgKind.REGION
            ]
            townships = [(t, villages) for t, villages in townships if villages or t.pk not in self.occupied]
            region = None if county.pk in self.occupied else county
            if region or townships:
                jobs.append((region, townships, self.places[county.parent_id]))
        return jobs

    # Reviewers above the counties ---------------------------------------------------------

    def _reviewers(self):
        """The provincial and central bodies (the demo's, by name, when present) and one
        supervision group per city, each with a member who can log in."""
        names = Names(random.Random(f"{self.seed}:reviewers"))
        bodies = [
            (kind, name, [self.province], login)
            for kind, name, _codes, login in demo.AUTHORITIES
            if kind not in (A.PROVINCIAL_GROUP, A.LOCAL_GROUP)
        ]
        demo_groups = {
            name: login for kind, name, _codes, login in demo.AUTHORITIES if kind == A.PROVINCIAL_GROUP
        }
        for city in sorted(self.province.children, key=lambda p: p.code or ""):
            if city.kind != OrgKind.REGION:
                continue
            name = f"省委派驻{city.name}督导组"
            member = names()
            login = demo_groups.get(name) or (f"{city.code}_group", f"督导组 {member}", "")
            bodies.append((A.PROVINCIAL_GROUP, name, [city], login))
        User = get_user_model()
        for kind, name, places, (username, display, _role) in bodies:
            authority = Authority.objects.filter(name=name).first()
            if authority is None:
                authority = Authority.objects.create(kind=kind, name=name)
                for place in places:
                    assign_perm(f"orgs.{OVERSEE_PERM}", authority.group, Org.objects.get(pk=place.pk))
                self.counts["authorities"] += 1
            if not authority.group.user_set.exists():
                user, created = User.objects.get_or_create(
                    username=username, defaults={"first_name": display, "password": self.password}
                )
                authority.group.user_set.add(user)
                self.counts["users"] += created

    def _body_members(self, authority, city):
        key = (authority, city.pk)
        if key not in self.bodies:
            users = RESOLVERS[authority](None, city).filter(is_active=True).distinct()
            self.bodies[key] = sorted(users.values_list("pk", flat=True))
        return self.bodies[key]

    # Direct units ----------------------------------------------------------------------

    def _units(self, jobs):
        """The direct units of every city and county about to be filled, created once
        (a unit of the same name under the region is reused), then the tree renumbered."""
        new = []
        for region, _townships, _city in jobs:
            if region is None:
                continue
            existing = {p.name for p in region.children if p.kind != OrgKind.REGION}
            for kind, prefix, suffix, *_rest in UNITS:
                name = self._unit_name(region, prefix, suffix)
                if name not in existing:
                    new.append(
                        Org(
                            parent_id=region.pk,
                            level=region.level,
                            kind=kind,
                            name=name,
                            tree_id=region.tree_id,
                            lft=0,
                            rght=0,
                            depth=region.depth + 1,
                        )
                    )
        if new:
            Org.objects.bulk_create(new, batch_size=BATCH)
            self.counts["units"] += len(new)
            renumber(self.tree_id)
        return bool(new)

    @staticmethod
    def _unit_name(region, prefix, suffix):
        return (_committee(region.name) if prefix == "C" else region.name) + suffix


# One county (or city) ------------------------------------------------------------------


class County:
    """One transaction's worth: a county (or city) with its units, townships and
    villages, or the townships and villages of a county left alone. Everything in it
    comes from one random generator seeded with the county's code."""

    def __init__(self, seeder, region, townships, city):
        self.seeder = seeder
        self.region = region
        self.townships = townships
        self.city = city
        self.county = region or seeder.places[townships[0][0].parent_id]
        self.rng = random.Random(f"{seeder.seed}:{self.county.code}")
        self.supervisors = {}  # org id -> the user who is its 分管领导

    def fill(self):
        region, townships, county = self.region, self.townships, self.county
        names = Names(self.rng)
        plans = []
        if region is not None:
            plans += self._region_plans(region, names, self.rng)
        for township, villages in townships:
            if township.pk not in self.seeder.occupied:
                plans.append(self._township_plan(township, county, names))
            plans += [self._village_plan(village, township, county, names) for village in villages]
        # The party committees whose secretaries are 本级党委书记 or 乡镇党委 here.
        self.committees = {plan.place.pk: plan for plan in plans if plan.kind == TeamKind.PARTY_COMMITTEE}
        filer = self._people(plans, county, region)
        self._grants(plans, region, filer)
        papers = self._papers(plans, filer)
        self._write(papers, filer)
        counts = self.seeder.counts
        counts["cities" if county.level == Level.CITY else "counties"] += region is not None
        counts["townships"] += sum(1 for t, _v in townships if t.pk not in self.seeder.occupied)
        counts["villages"] += sum(len(v) for _t, v in townships)

    def _region_plans(self, region, names, rng):
        city = region.level == Level.CITY
        w = _word(region.name, "市" if city else "县")
        short, committee = region.name, _committee(region.name)
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
            for order, (title, rank, login, share) in enumerate(seats):
                person = shared.get(share) if share else None
                if person is None:
                    person = Person(name=names(), party_member=not (kind == TeamKind.CPPCC and order == 3))
                    if share:
                        shared[share] = person
                role = Role.PRINCIPAL if order == 0 else Role.MEMBER
                filled.append(Seat(title, rank, role, person, f"{region.code}_{login}" if login else None))
            plans.append(TeamPlan(region, kind, team_names[kind], filled, region, None, committee, w))
        units = {p.name: p for p in region.children if p.kind != OrgKind.REGION}
        top = Rank.CHU if city else Rank.KE
        for index, (_kind, prefix, suffix, team_name, principal, deputy) in enumerate(UNITS, start=1):
            unit = units.get(self.seeder._unit_name(region, prefix, suffix))
            if unit is None or unit.pk in self.seeder.occupied:
                continue
            seats = [
                Seat(principal, top, Role.PRINCIPAL, Person(name=names()), f"{region.code}_u{index:02d}")
            ]
            seats += [
                Seat(deputy, top, Role.MEMBER, Person(name=names())) for _ in range(rng.choice((3, 4, 4, 4)))
            ]
            plans.append(
                TeamPlan(
                    unit, TeamKind.UNIT, team_name.format(u=unit.name), seats, region, None, unit.name, w
                )
            )
        return plans

    def _township_plan(self, township, county, names):
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
            Seat(
                title,
                Rank.KE,
                Role.PRINCIPAL if order == 0 else Role.MEMBER,
                Person(name=names()),
                f"{township.code}_secretary" if order == 0 else None,
            )
            for order, title in enumerate(titles)
        ]
        return TeamPlan(township, TeamKind.PARTY_COMMITTEE, team, seats, county, township, name, name[-1])

    def _village_plan(self, village, township, county, names):
        short = _village_short(village.name)
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
            Seat(title, Rank.NONE, Role.PRINCIPAL if order == 0 else Role.MEMBER, Person(name=names()))
            for order, title in enumerate(titles)
        ]
        return TeamPlan(village, TeamKind.PARTY_COMMITTEE, team, seats, county, township, short, "村")

    # People, logins, grants -----------------------------------------------------------------

    def _people(self, plans, county, region):
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

    def _grants(self, plans, region, filer):
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
                pool = committee if plan.place.name.startswith(_committee(region.name)) else government
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

    # Documents ----------------------------------------------------------------------------

    def _papers(self, plans, filer):
        """Every document of the chunk with its items, inputs and planned chain."""
        rng = self.rng
        papers = []
        homes = {}
        for plan in plans:
            for seat in plan.seats:
                if id(seat.person) not in homes or seat.role == Role.PRINCIPAL:
                    homes[id(seat.person)] = (plan, seat)
        for plan in plans:
            team = plan.as_team()
            kinds = kinds_for_team(team)
            if not kinds:
                continue
            head = self._paper(plan, kinds[0])
            head.attachments = [self._paper(plan, kind, parent=head) for kind in kinds[1:]]
            papers.append(head)
            if files_individual_measures(team):
                for seat in plan.seats:
                    if seat.person.party_member and homes[id(seat.person)] == (plan, seat):
                        papers.append(self._paper(plan, DocumentKind.INDIVIDUAL, seat=seat, team_paper=head))
        for paper in papers:
            status = rng.choices(STATES, STATE_WEIGHTS)[0]
            if status != Status.DRAFT:
                paper.chain = self._chain(paper)
                if not paper.chain or not all(people for _step, people in paper.chain):
                    status = Status.DRAFT
            for document in [paper.document, *(a.document for a in paper.attachments)]:
                document.status = status
                document.updated_by_id = filer
        return papers

    def _paper(self, plan, kind, seat=None, parent=None, team_paper=None):
        rng = self.rng
        person = seat.person if seat else None
        title = {
            DocumentKind.GRASSROOTS_LIST: f"{plan.name}整改清单",
            DocumentKind.INDIVIDUAL: f"{person.name}同志个人整改措施" if person else "",
            DocumentKind.SPECIAL_RECTIFICATION: f"{plan.name}专项整治工作方案",
            DocumentKind.INSTITUTION_PLAN: f"{plan.name}制度建设计划",
        }.get(kind, f"{plan.name}整改方案")
        dated = dt.date(2014, 9, rng.randint(1, 30))
        document = Document(
            team=plan.team,
            person=person,
            kind=kind,
            title=title,
            unit_name=plan.name,
            position_title=seat.title if seat else "",
            dated=dated,
        )
        paper = Paper(plan, document, seat=seat)
        if kind == DocumentKind.TEAM_PLAN and parent is None and plan.kind == TeamKind.PARTY_COMMITTEE:
            if plan.place.level in (Level.CITY, Level.COUNTY):
                document.presided_by_secretary = True
                document.meeting_name = f"{plan.body}常委会2014年第{rng.randint(12, 30)}次会议"
                document.meeting_date = dated - dt.timedelta(days=rng.randint(1, 6))
        if STRUCTURES[kind].needs_four_responses:
            paper.inputs = self._inputs(plan, person)
        getattr(self, f"_items_{kind}")(paper, team_paper)
        return paper

    def _uid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _inputs(self, plan, person):
        rng = self.rng
        if person is not None:
            sources = rng.sample(
                (Source.SELF_INSPECTION, Source.LIFE_MEETING, Source.MASS_OPINION), rng.randint(1, 2)
            )
        elif plan.place.level == Level.VILLAGE:
            sources = [Source.MASS_OPINION] * rng.randint(2, 3)
        else:
            sources = [Source.MASS_OPINION, Source.MASS_OPINION, Source.SELF_INSPECTION, Source.LIFE_MEETING]
            sources += [Source.SUPERIOR] * rng.randint(0, 1)
        return [
            Input(
                uid=self._uid(),
                team=plan.team,
                person=person,
                source=source,
                text=rng.choice(INPUT_TEXTS[source]),
                from_supervision=source == Source.SUPERIOR,
                position=position,
            )
            for position, source in enumerate(sources, start=1)
        ]

    def _item(self, paper, section, position, links=None, **values):
        item = Item(uid=self._uid(), document=paper.document, section=section, position=position, **values)
        paper.items.append(item)
        if links:
            paper.links[id(item)] = links
        return item

    def _blocks(self, paper, codes):
        plan = paper.plan
        for code in codes:
            leader = plan.seats[0].title
            self._item(
                paper, code, 0, text=self.rng.choice(BLOCKS[code]).format(leader=leader, scope=plan.scope)
            )

    def _deadline(self):
        text, date = self.rng.choice(DEADLINES)
        return {"deadline_text": text, "deadline": date}

    def _owner(self, paper, n):
        seats = paper.plan.seats
        return seats[n % len(seats)].person

    def _problems_and_measures(self, paper, categories, count, with_aspects):
        """COUNT problems over CATEGORIES (each used), each answered by one measure."""
        rng, plan = self.rng, paper.plan
        problems = []
        inputs = paper.inputs
        for n in range(count):
            category = categories[n % len(categories)]
            answers = [inputs[n]] if n < len(inputs) else []
            text = _text(rng, rng.choice(TEAM_PROBLEM_TEXTS[category]), scope=plan.scope)
            problems.append(
                self._item(
                    paper,
                    "problems",
                    n + 1,
                    {"answers": answers},
                    category=category if with_aspects else "",
                    text=text,
                )
            )
        for n, problem in enumerate(problems):
            category = categories[n % len(categories)]
            self._item(
                paper,
                "measures",
                n + 1,
                {"addresses": [problem]},
                category=category if with_aspects else "",
                text=_text(rng, rng.choice(TEAM_MEASURES[category]), scope=plan.scope, body=plan.body),
                owner=self._owner(paper, n),
                unit=rng.choice(OWNER_UNITS).format(body=plan.body) if with_aspects else "",
                **self._deadline(),
            )
        return problems

    def _items_team_plan(self, paper, _team_paper):
        rng = self.rng
        self._blocks(
            paper, ("principles", "goal_near", "goal_mid", "goal_long", "self_building", "leadership")
        )
        for position, (phase, text, deadline) in enumerate(PHASE_TASKS, start=1):
            self._item(
                paper,
                "phase_tasks",
                position,
                phase=phase,
                text=text,
                deadline_text=DEADLINES[deadline][0],
                deadline=DEADLINES[deadline][1],
            )
        count = rng.randint(10, 16)
        self._problems_and_measures(paper, TEAM_PROBLEMS, count, with_aspects=True)
        for extra in range(rng.randint(1, 2)):
            self._item(
                paper,
                "measures",
                count + extra + 1,
                category=C.SPECIAL_AND_INSTITUTIONS,
                text=_text(rng, TEAM_MEASURES[C.SPECIAL_AND_INSTITUTIONS][extra]),
                owner=paper.plan.principal,
                unit=OWNER_UNITS[0].format(body=paper.plan.body),
                **self._deadline(),
            )

    def _items_simplified_plan(self, paper, _team_paper):
        self._blocks(paper, ("requirements",))
        categories = list(TEAM_PROBLEMS)
        self.rng.shuffle(categories)
        self._problems_and_measures(paper, categories, self.rng.randint(6, 10), with_aspects=False)

    def _items_grassroots_list(self, paper, _team_paper):
        rng = self.rng
        entries = rng.sample(LIST_ENTRIES, rng.randint(5, 8))
        for n, (problem, measures) in enumerate(entries):
            answers = [paper.inputs[n]] if n < len(paper.inputs) else []
            self._item(
                paper,
                "entries",
                n + 1,
                {"answers": answers},
                text=_text(rng, problem),
                measures=_text(rng, measures),
                owner=self._owner(paper, n),
                **self._deadline(),
            )

    def _items_individual(self, paper, team_paper):
        rng = self.rng
        claimable = [item for item in team_paper.items if item.section == "problems"] if team_paper else []
        count = rng.randint(4, 7)
        inaction = rng.random() < 0.15
        problems = []
        for n in range(count):
            category = INDIVIDUAL_PROBLEMS[n % 3]
            links = {"answers": [paper.inputs[n]] if n < len(paper.inputs) else []}
            if claimable and rng.random() < 0.25:
                links["claims"] = [rng.choice(claimable)]
            is_inaction = inaction and n == count - 1
            pool = INACTION_PROBLEMS if is_inaction else INDIVIDUAL_PROBLEM_TEXTS[category]
            problems.append(
                self._item(
                    paper,
                    "problems",
                    n + 1,
                    links,
                    category=category,
                    text=_text(rng, rng.choice(pool)),
                    inaction=is_inaction,
                )
            )
        for n, problem in enumerate(problems):
            pool = INACTION_MEASURES if problem.inaction else INDIVIDUAL_MEASURES[problem.category]
            self._item(
                paper,
                "measures",
                n + 1,
                {"addresses": [problem]},
                category=INDIVIDUAL_ASPECT[problem.category],
                text=_text(rng, rng.choice(pool)),
                inaction=problem.inaction,
                note="" if rng.random() < 0.8 else "已在专题民主生活会上作出承诺",
                **self._deadline(),
            )

    def _items_special_rectification(self, paper, _team_paper):
        rng = self.rng
        catalogue = self.seeder.tasks
        tasks = [t for t in catalogue if t.required]
        tasks += rng.sample([t for t in catalogue if not t.required], min(4, len(catalogue) - len(tasks)))
        # An empty catalogue (a flushed database) still gets a plan: its tasks in words.
        for n, task in enumerate(tasks or [None] * 3, start=1):
            self._item(
                paper,
                "tasks",
                n,
                special_task=task,
                measures=_text(rng, rng.choice(SPECIAL_MEASURES)),
                unit=rng.choice(OWNER_UNITS).format(body=paper.plan.body),
                **self._deadline(),
            )

    def _items_institution_plan(self, paper, _team_paper):
        rng = self.rng
        for n, (origin, focus, text) in enumerate(rng.sample(INSTITUTIONS, rng.randint(5, 8)), start=1):
            self._item(
                paper,
                "tasks",
                n,
                origin=origin,
                focus=focus,
                text=text.format(body=paper.plan.body),
                unit=rng.choice(OWNER_UNITS).format(body=paper.plan.body),
                **self._deadline(),
            )

    # Chains and who acts on them -------------------------------------------------------------

    def _subject(self, paper):
        plan = paper.plan
        seat = paper.seat
        return routing.Subject(
            str(paper.document.kind),
            str(plan.place.level),
            str(plan.place.kind),
            str(plan.kind),
            str(seat.role) if seat else None,
            str(seat.rank) if seat else None,
        )

    def _chain(self, paper):
        subject = self._subject(paper)
        if subject not in self.seeder.routes:
            self.seeder.routes[subject] = routing.route(subject)
        author = paper.seat.person.user_id if paper.seat else None
        return [
            (step, [pk for pk in self._assignees(step.authority, paper.plan) if pk != author])
            for step in self.seeder.routes[subject]
        ]

    def _assignees(self, authority, plan):
        """The users review.assignees would resolve, from what this chunk made, the bodies
        per city, and the real resolvers for places this run did not make (cached)."""
        if authority in (A.TEAM_PRINCIPAL, A.UNIT_PRINCIPAL):
            user = plan.principal.user_id
            return [user] if user else []
        if authority in BODIES:
            return self.seeder._body_members(authority, self.city)
        if authority == A.PARTY_SECRETARY:
            place, mine = plan.region, self.committees.get(plan.region.pk)
        elif authority == A.TOWNSHIP_COMMITTEE:
            place, mine = plan.township, self.committees.get(plan.township.pk)
        elif authority == A.SUPERVISING_LEADER:
            place, mine = plan.place, None
            if place.pk in self.supervisors:
                return [self.supervisors[place.pk]]
        else:
            raise ValueError(authority)
        if mine is not None:
            user = mine.principal.user_id
            return [user] if user else []
        key = (authority, place.pk)
        if key not in self.seeder.fallbacks:
            users = RESOLVERS[authority](None, place).filter(is_active=True).distinct()
            self.seeder.fallbacks[key] = sorted(users.values_list("pk", flat=True))
        return self.seeder.fallbacks[key]

    # Writing it all ---------------------------------------------------------------------------

    def _write(self, papers, filer):
        documents = [paper.document for paper in papers]
        attachments = [a for paper in papers for a in paper.attachments]
        every = papers + attachments
        Input.objects.bulk_create([i for paper in every for i in paper.inputs], batch_size=BATCH)
        Document.objects.bulk_create(documents, batch_size=BATCH)
        for paper in papers:
            for attachment in paper.attachments:
                attachment.document.parent = paper.document
        Document.objects.bulk_create([a.document for a in attachments], batch_size=BATCH)
        Item.objects.bulk_create([item for paper in every for item in paper.items], batch_size=BATCH)
        through = {"answers": [], "addresses": [], "claims": []}
        for paper in every:
            for item in paper.items:
                links = paper.links.get(id(item), {})
                through["answers"] += [
                    Item.answers.through(item_id=item.pk, input_id=i.pk) for i in links.get("answers", ())
                ]
                for name in ("addresses", "claims"):
                    through[name] += [
                        getattr(Item, name).through(from_item_id=item.pk, to_item_id=other.pk)
                        for other in links.get(name, ())
                    ]
        for name, rows in through.items():
            getattr(Item, name).through.objects.bulk_create(rows, batch_size=BATCH)
            self.seeder.counts[f"links:{name}"] += len(rows)
        self.seeder.counts["inputs"] += sum(len(paper.inputs) for paper in every)
        self.seeder.counts["items"] += sum(len(paper.items) for paper in every)
        for paper in every:
            self.seeder.counts["documents"] += 1
            self.seeder.counts[f"kind:{paper.document.kind}"] += 1
            self.seeder.counts[f"status:{paper.document.status}"] += 1
        self._reviews(papers, filer)

    def _reviews(self, papers, filer):
        rows = SimpleNamespace(
            reviews=[], versions=[], steps=[], events=[], comments=[], notes=[], doc_times=[]
        )
        for paper in papers:
            if paper.document.status == Status.DRAFT:
                created = self.seeder.now - dt.timedelta(days=self.rng.uniform(1, 45))
                updated = min(self.seeder.now, created + dt.timedelta(days=self.rng.uniform(0, 10)))
                rows.doc_times += [(created, updated, d.pk) for d in _documents_of(paper)]
            else:
                self._review(paper, filer, rows)
        Review.objects.bulk_create(rows.reviews, batch_size=BATCH)
        Version.objects.bulk_create(rows.versions, batch_size=BATCH // 4)
        Step.objects.bulk_create([step for step, _people in rows.steps], batch_size=BATCH)
        assigned = [
            Step.assignees.through(step_id=step.pk, user_id=user)
            for step, people in rows.steps
            for user in people
        ]
        Step.assignees.through.objects.bulk_create(assigned, batch_size=BATCH)
        Event.objects.bulk_create(rows.events, batch_size=BATCH)
        Comment.objects.bulk_create(rows.comments, batch_size=BATCH)
        Notification.objects.bulk_create(rows.notes, batch_size=BATCH)
        # Django stamps auto_now_add with the moment of insertion; put back when each happened.
        _stamp(Review, "submitted_at", rows.reviews)
        _stamp(Version, "created_at", rows.versions)
        _stamp(Event, "at", rows.events)
        _stamp(Notification, "created_at", rows.notes)
        _stamp_documents(rows.doc_times)
        for name, value in (
            ("reviews", rows.reviews),
            ("versions", rows.versions),
            ("steps", rows.steps),
            ("step_assignees", assigned),
            ("events", rows.events),
            ("comments", rows.comments),
            ("notifications", rows.notes),
        ):
            self.seeder.counts[name] += len(value)

    def _review(self, paper, filer, rows):
        """The review of one submitted document as the transitions would have left it:
        stages before the current one decided, the current one waiting (or returned),
        later ones not reached; an approved document has every review step approved."""
        rng = self.rng
        document = paper.document
        status = document.status
        submitter = (paper.seat.person.user_id if paper.seat else None) or filer
        start = self.seeder.now - dt.timedelta(days=rng.uniform(2, 40), minutes=rng.randint(0, 600))
        span = self.seeder.now - start
        clock = [start]

        def later():
            clock[0] = min(self.seeder.now, clock[0] + span * rng.uniform(0.03, 0.15))
            return clock[0]

        review = Review(document=document, submitted_by_id=submitter, version=1)
        review.moment = start
        version = Version(
            review=review, document=document, number=1, snapshot=_snapshot(paper), created_by_id=submitter
        )
        version.moment = start
        rows.reviews.append(review)
        rows.versions.append(version)

        def event(action, actor, at, step=None, **extra):
            row = Event(
                document=document, review=review, step=step, version=1, action=action, actor_id=actor, **extra
            )
            row.moment = at
            rows.events.append(row)
            return row

        def note(users, text, cause, at):
            for user in users:
                row = Notification(user_id=user, document=document, event=cause, text=text)
                row.moment = at
                rows.notes.append(row)

        reaching = event(Action.SUBMIT, submitter, start)
        chain = paper.chain
        stages = sorted({step.stage for step, _people in chain})
        deciding = [n for n in stages if any(s.stage == n and s.mode == Mode.REVIEW for s, _p in chain)]
        current = None if status == Status.APPROVED else rng.choice(deciding)
        reached = start
        decisions = 0
        last = submitter
        for number in stages:
            here = [(planned, people) for planned, people in chain if planned.stage == number]
            reviews_here = [planned for planned, _people in here if planned.mode == Mode.REVIEW]
            returned = rng.choice(reviews_here) if number == current and status == Status.RETURNED else None
            done, cause = reached, reaching
            for planned, people in here:
                step = Step(
                    review=review,
                    stage=planned.stage,
                    authority=planned.authority,
                    mode=planned.mode,
                    basis=planned.basis,
                )
                rows.steps.append((step, people))
                if current is not None and number > current:
                    step.state = StepState.WAITING
                    continue
                step.reached_at = reached
                actor = rng.choice(people)
                if planned.mode == Mode.READ:
                    if number != current and rng.random() < 0.7:
                        _decide(step, StepState.READ, actor, later())
                        event(Action.READ, actor, step.decided_at, step)
                    else:
                        step.state = StepState.UNREAD
                        label = A(planned.authority).label
                        note(people, f"《{document.title}》送您阅（{label}）。", reaching, reached)
                    continue
                if planned is returned:
                    _decide(step, StepState.RETURNED, actor, later())
                    changed = step.decided_at
                    self._return(paper, review, step, actor, event, rows)
                    note(
                        [submitter],
                        f"《{document.title}》被退回修改（{A(planned.authority).label}）。",
                        rows.events[-1],
                        step.decided_at,
                    )
                    decisions += 1
                elif number != current or (
                    status == Status.SUBMITTED
                    and len(reviews_here) > 1
                    and planned is reviews_here[0]
                    and rng.random() < 0.5
                ):
                    _decide(step, StepState.APPROVED, actor, later())
                    cause = event(
                        Action.APPROVE, actor, step.decided_at, step, comment=rng.choice(APPROVE_COMMENTS)
                    )
                    done, last = step.decided_at, actor
                    decisions += 1
                else:
                    step.state = StepState.PENDING
                    note(
                        people,
                        f"《{document.title}》已报送，请审阅（{A(planned.authority).label}）。",
                        reaching,
                        reached,
                    )
            reached, reaching = done, cause
        review.state = {
            Status.SUBMITTED: ReviewState.OPEN,
            Status.RETURNED: ReviewState.RETURNED,
            Status.APPROVED: ReviewState.APPROVED,
        }[status]
        review.revision = 1 + decisions + (status == Status.APPROVED)
        if status == Status.APPROVED:
            review.closed_at = changed = clock[0]
            done = event(Action.APPROVED, last, changed)
            note([submitter], f"《{document.title}》已审阅通过。", done, changed)
        elif status == Status.SUBMITTED:
            changed = start
        created = start - dt.timedelta(days=rng.uniform(1, 10))
        rows.doc_times += [(created, changed, d.pk) for d in _documents_of(paper)]

    def _return(self, paper, review, step, actor, event, rows):
        rng = self.rng
        reasons = rng.sample(list(ReturnReason), rng.randint(1, 2))
        grounds = [
            {
                "reason": str(r),
                "source": str(rng.choice(list(Source))) if r == ReturnReason.FOUR_RESPONSES else None,
            }
            for r in reasons
        ]
        returned = event(
            Action.RETURN, actor, step.decided_at, step, grounds=grounds, comment=rng.choice(RETURN_NOTES)
        )
        listed = [
            item for item in paper.items if not STRUCTURES[paper.document.kind].section(item.section).single
        ]
        for item in rng.sample(listed, min(len(listed), rng.randint(1, 3))):
            comment = Comment(
                event=returned,
                review=review,
                item_uid=item.uid,
                item_text=item.text or item.measures or (item.special_task.name if item.special_task else ""),
                text=rng.choice(RETURN_COMMENTS[reasons[0]]),
            )
            if rng.random() < 0.3:
                comment.addressed = True
                comment.answer = rng.choice(ANSWERS)
                comment.addressed_by_id = review.submitted_by_id
                comment.addressed_at = min(
                    self.seeder.now, step.decided_at + dt.timedelta(hours=rng.uniform(1, 48))
                )
            rows.comments.append(comment)


def _decide(step, state, actor, at):
    step.state = state
    step.decided_by_id = actor
    step.decided_at = at
    step.decided_version = 1


def _documents_of(paper):
    return [paper.document, *(attachment.document for attachment in paper.attachments)]


def _iso(value):
    return value.isoformat() if value else None


def _snapshot(paper):
    """plans.documents.snapshot(document), from what is in memory."""
    document = paper.document
    sections = {section.code: [] for section in STRUCTURES[document.kind].sections}
    for item in sorted(paper.items, key=lambda item: (item.section, item.position)):
        links = paper.links.get(id(item), {})
        sections.setdefault(item.section, []).append(
            {
                "uid": str(item.uid),
                "category": item.category,
                "phase": item.phase,
                "text": item.text,
                "measures": item.measures,
                "owner": item.owner.name if item.owner else item.owner_text,
                "unit": item.unit,
                "deadline": _iso(item.deadline),
                "deadline_text": item.deadline_text,
                "inaction": item.inaction,
                "note": item.note,
                "special_task": item.special_task.name if item.special_task else None,
                "origin": item.origin,
                "focus": item.focus,
                "answers": sorted(str(entry.uid) for entry in links.get("answers", ())),
                "addresses": sorted(str(problem.uid) for problem in links.get("addresses", ())),
                "claims": sorted(str(problem.uid) for problem in links.get("claims", ())),
            }
        )
    inputs = sorted(paper.inputs, key=lambda entry: (entry.source, entry.position))
    return {
        "kind": document.kind,
        "title": document.title,
        "team": paper.plan.name,
        "person": document.person.name if document.person else None,
        "unit_name": document.unit_name,
        "position_title": document.position_title,
        "dated": _iso(document.dated),
        "presided_by_secretary": document.presided_by_secretary,
        "meeting_name": document.meeting_name,
        "meeting_date": _iso(document.meeting_date),
        "inputs": [
            {
                "uid": str(entry.uid),
                "source": entry.source,
                "text": entry.text,
                "explanation": entry.explanation,
                "from_supervision": entry.from_supervision,
            }
            for entry in inputs
        ],
        "sections": sections,
        "attachments": [_snapshot(attachment) for attachment in paper.attachments],
    }


def _stamp(model, column, rows):
    """Set COLUMN of ROWS (each with .moment) in one executemany."""
    adapt = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {connection.ops.quote_name(column)} = %s WHERE id = %s",
            [(adapt(row.moment), row.pk) for row in rows],
        )


def _stamp_documents(times):
    adapt = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(Document._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET created_at = %s, updated_at = %s WHERE id = %s",
            [(adapt(created), adapt(updated), pk) for created, updated, pk in times],
        )


def seed(fraction=1.0, seed=SEED, progress=None):
    """Fill the share FRACTION of the imported Hunan tree; return the counts of what was
    made (Counter). Raises ScaleError when the tree is not there."""
    return Seeder(fraction, seed, progress).run()
