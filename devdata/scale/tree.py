"""The imported tree as read once (Place), the evenly spread choice of regions for a
fraction (picked), and the words offices are named with (县委, 州委, the village's short
name)."""

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
