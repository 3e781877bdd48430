"""The imported tree as read once (Place), the evenly spread choice of regions for a
fraction (picked), and the words offices are named with (县委, 州委, a direct unit's
name, the village's short name)."""

from dataclasses import dataclass, field

GOLDEN = 0.6180339887498949


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


def office_word(name, default):
    """The word offices put before 委书记 and 长: 县, 区, 市, 州."""
    if name.endswith("自治州"):
        return "州"
    return name[-1] if name[-1] in "县区市州" else default


def committee_name(name):
    """长沙县 -> 长沙县委, 攸县 -> 攸县县委, 湘西土家族苗族自治州 -> 湘西州委."""
    if name.endswith("自治州"):
        return name[:2] + "州委"
    if len(name) == 2 and name.endswith("县"):
        return name + "县委"
    return name + "委"


def unit_name(region, prefix, suffix):
    """The name of a direct unit of REGION from phrases.UNITS: 长沙县委 + 组织部 (prefix C,
    the party committee), 长沙县 + 教育局 (prefix R, the region)."""
    return (committee_name(region.name) if prefix == "C" else region.name) + suffix


def village_short_name(name):
    """开元路社区居民委员会 -> 开元路社区, 星沙村村民委员会 -> 星沙村: the name a village's team
    and texts go by."""
    for suffix, added in (("村民委员会", "村"), ("居民委员会", "社区"), ("村委会", "村"), ("居委会", "社区")):
        if name.endswith(suffix) and len(name) > len(suffix):
            short = name[: -len(suffix)]
            return short if short.endswith(("村", "社区", "区")) else short + added
    return name.removesuffix("委员会") or name
