"""The township draw: which 乡镇、街道 a spot check calls up.

Section 六 has the provincial group 调阅部分乡镇、街道党委班子的整改方案和党委书记的整改措施
（按20%左右的比例掌握）. The sample is drawn so that anyone can recompute it from what is
published with it (domain.md): within each county-level area of the region, every
township gets the ticket sha256("{seed},{code}") (hexadecimal, its 9-digit code), and the
k townships with the smallest tickets are drawn, k = max(1, ceil(n × percent / 100)), n
the townships of that area. The seed is typed in before the draw and published with it;
nobody can steer a ticket without changing the seed, and nobody can change the seed once
it is published.

`draw(strata_input, percent, seed)` is the pure function over {area code: [township
codes]}; `draw_region(org, percent, seed)` reads the townships under a province, city or
county in one query, whatever the tree's size. Bad input raises `DrawError` (a
ValueError) with a message for people.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from orgs.models import Level, Org, OrgKind
from orgs.tree import subtree

# The regions a draw may cover: each county-level area under it is one stratum.
DRAW_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)
SEED_MAX_LENGTH = 100


class DrawError(ValueError):
    """The draw cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class Stratum:
    """One county-level area: its code, how many townships it has, the codes drawn (in
    ticket order)."""

    area: str
    population: int
    drawn: tuple

    def as_json(self):
        return {"area": self.area, "population": self.population, "drawn": list(self.drawn)}


@dataclass(frozen=True)
class Draw:
    seed: str
    percent: int
    strata: tuple

    def as_json(self):
        return {"seed": self.seed, "percent": self.percent, "strata": [s.as_json() for s in self.strata]}


def ticket(seed, code):
    """The township's ticket in the draw with SEED: sha256 of "seed,code", hexadecimal."""
    return hashlib.sha256(f"{seed},{code}".encode()).hexdigest()


def quota(population, percent):
    """k = max(1, ceil(n × percent / 100)), in integers (no rounding of floats), and never
    more than there are."""
    return min(population, max(1, -(-population * percent // 100)))


def check_terms(percent, seed):
    """Refuse a percent or a seed the draw cannot be published with."""
    if isinstance(percent, bool) or not isinstance(percent, int) or not 1 <= percent <= 100:
        raise DrawError(
            _("抽样比例须为 1 到 100 之间的整数（百分数），收到：%(value)r。") % {"value": percent}
        )
    if not isinstance(seed, str) or not seed.strip():
        raise DrawError(_("随机种子不能为空：请在抽样前输入并公布一个随机种子。"))
    if len(seed) > SEED_MAX_LENGTH:
        raise DrawError(_("随机种子不能超过 %(n)d 个字符。") % {"n": SEED_MAX_LENGTH})
    if not seed.isprintable():
        raise DrawError(_("随机种子不能含换行、制表等控制字符，否则难以照原样公布和重算。"))


def draw(strata_input, percent, seed):
    """The draw over STRATA_INPUT, {area code: [township codes]}: strata in area-code order,
    each with its smallest-ticket townships, in ticket order."""
    check_terms(percent, seed)
    seen = set()
    strata = []
    for area in sorted(strata_input):
        codes = [str(code) for code in strata_input[area]]
        repeated = seen.intersection(codes) | {code for code, n in Counter(codes).items() if n > 1}
        if repeated:
            raise DrawError(_("乡镇、街道代码重复：%(codes)s。") % {"codes": "、".join(sorted(repeated))})
        seen.update(codes)
        drawn = sorted(codes, key=lambda code: ticket(seed, code))[: quota(len(codes), percent)]
        strata.append(Stratum(str(area), len(codes), tuple(drawn)))
    return Draw(seed, percent, tuple(strata))


def areas(org):
    """({county code: [township codes]}, {code: name}) under ORG, a province, city or
    county region, in one query over ORG's subtree (the tree's own columns). A county
    area with no townships is kept, with none."""
    if org.kind != OrgKind.REGION or org.level not in DRAW_LEVELS:
        raise DrawError(
            _("抽样范围须为省、市州或县市区（地区）；%(name)s是%(level)s%(kind)s。")
            % {"name": org.name, "level": Level(org.level).label, "kind": OrgKind(org.kind).label}
        )
    rows = (
        Org.objects.filter(subtree(org), kind=OrgKind.REGION, level__in=(Level.COUNTY, Level.TOWNSHIP))
        .order_by("code")
        .values_list("code", "name", "level", "parent__code")
    )
    strata, names = {}, {}
    for code, name, level, parent_code in rows:
        names[code] = name
        if level == Level.COUNTY:
            strata.setdefault(code, [])
        else:
            strata.setdefault(parent_code, []).append(code)
    return strata, names


def draw_region(org, percent, seed):
    """The draw over every county-level area under ORG (one stratum if ORG is a county)."""
    check_terms(percent, seed)
    strata, _names = areas(org)
    return draw(strata, percent, seed)
