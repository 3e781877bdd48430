"""The run: seed() and its Seeder, which reads the tree once, picks the regions for the
fraction, makes the reviewers above the counties and the direct units, then fills one
County per transaction (people, documents, reviews, each from its own module)."""

import random
from collections import Counter

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection, reset_queries, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from orgs.models import Authority, Level, Org, OrgKind, Team, TeamKind
from orgs.models import AuthorityKind as A
from orgs.policy import FILE_PERM, OVERSEE_PERM
from orgs.tree import renumber
from plans.models import SpecialTask
from review import assignees

from .. import demo
from .documents import DocumentsMixin
from .ledger import LedgerMixin
from .people import Names, PeopleMixin
from .phrases import UNITS
from .reviews import ReviewsMixin
from .tree import Place, picked, unit_name
from .writing import BATCH, WritingMixin

SEED = 2014


class ScaleError(Exception):
    pass


class Seeder:
    def __init__(self, fraction=1.0, seed=SEED, progress=None, within=()):
        if not 0 < fraction <= 1:
            raise ScaleError("--fraction 须大于 0、不大于 1。")
        self.fraction = fraction
        # Region codes the run is kept to (the demo fills its two cities), or () for all.
        self.within = tuple(within)
        self.seed = seed
        self.progress = progress or (lambda done, total, counts: None)
        self.counts = Counter()
        self.now = timezone.now()
        self.routes = {}
        self._holders = {}
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
        self.occupied = set(Team.objects.order_by().values_list("org_id", flat=True).distinct())

    def _jobs(self):
        """(region to fill or None, townships with their villages, city) per transaction."""
        cities = sorted((p for p in self.province.children if p.kind == OrgKind.REGION), key=lambda p: p.code)
        counties = sorted(
            (p for city in cities for p in city.children if p.kind == OrgKind.REGION), key=lambda p: p.code
        )
        jobs = []
        for index, city in enumerate(cities):
            if picked(index, self.fraction) and city.pk not in self.occupied and self._inside(city):
                jobs.append((city, [], city))
        for index, county in enumerate(counties):
            if not picked(index, self.fraction) or not self._inside(county):
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

    def _inside(self, place):
        return not self.within or any(place.code.startswith(code) for code in self.within)

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

    def holders(self, authority, place):
        """The ids of the users who hold AUTHORITY at PLACE (review.assignees.holders),
        asked once per run: the bodies per city, and the places this run did not make."""
        key = (authority, place.pk)
        if key not in self._holders:
            self._holders[key] = list(assignees.holders(authority, place).values_list("pk", flat=True))
        return self._holders[key]

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
                name = unit_name(region, prefix, suffix)
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


# One county (or city) ------------------------------------------------------------------


class County(PeopleMixin, DocumentsMixin, ReviewsMixin, WritingMixin, LedgerMixin):
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
        # Cadres without a seat (Role.OTHER) and their measures draw from their own
        # generator: adding them changed nobody else's name or document.
        self.others_rng = random.Random(f"{seeder.seed}:{self.county.code}:others")
        self.other_names = Names(self.others_rng)
        self.supervisors = {}  # org id -> the user who is its 分管领导

    def fill(self):
        region, townships, county = self.region, self.townships, self.county
        names = Names(self.rng)
        plans = []
        if region is not None:
            plans += self.region_plans(region, names, self.rng)
        for township, villages in townships:
            if township.pk not in self.seeder.occupied:
                plans.append(self.township_plan(township, county, names))
            plans += [self.village_plan(village, township, county, names) for village in villages]
        # The party committees whose secretaries are 本级党委书记 or 乡镇党委 here.
        self.committees = {plan.place.pk: plan for plan in plans if plan.kind == TeamKind.PARTY_COMMITTEE}
        filer = self.write_people(plans, county, region)
        self.write_grants(plans, region, filer)
        papers = self.papers(plans, filer)
        self.write(papers, filer)
        self.write_ledger([*papers, *(a for paper in papers for a in paper.attachments)], filer)
        counts = self.seeder.counts
        counts["cities" if county.level == Level.CITY else "counties"] += region is not None
        counts["townships"] += sum(1 for t, _v in townships if t.pk not in self.seeder.occupied)
        counts["villages"] += sum(len(v) for _t, v in townships)


def seed(fraction=1.0, seed=SEED, progress=None, within=()):
    """Fill the share FRACTION of the imported Hunan tree (of the regions whose codes
    WITHIN gives, if any); return the counts of what was made (Counter). Raises
    ScaleError when the tree is not there."""
    return Seeder(fraction, seed, progress, within).run()
