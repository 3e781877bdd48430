"""The township draw (oversight.draw) and draw_sample: the published algorithm, recomputed
here independently with hashlib, on small hand-made strata and on the shipped Hunan data."""

import csv
import hashlib
import io
import json
import math
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from orgs.models import Level, Org, OrgKind
from oversight.draw import Draw, DrawError, Stratum, draw, draw_region, quota, ticket

HUNAN = Path(__file__).resolve().parent.parent / "data" / "divisions" / "hunan"
SEED = "2014-08-07"


def expected(codes, percent, seed):
    """The draw of one area as domain.md states it, written out afresh."""
    tickets = {code: hashlib.sha256(f"{seed},{code}".encode()).hexdigest() for code in codes}
    k = max(1, math.ceil(len(codes) * percent / 100)) if codes else 0
    return sorted(codes, key=lambda code: tickets[code])[:k]


CHANGSHA_COUNTY = [f"430121{n:03d}" for n in range(1, 6)]
YOUXIAN = ["430223101", "430223102", "430223103"]


# The pure function ----------------------------------------------------------------------


def test_a_small_draw_by_hand():
    result = draw({"430223": YOUXIAN, "430121": CHANGSHA_COUNTY}, 40, SEED)
    # Worked out once by hand from the tickets (first hex digits):
    #   430121002 402b71…, 430121003 467e53…, 430121004 589f59…, 430121001 5e1616…, 430121005 70e1ed…
    #   430223102 233991…, 430223101 3b6d42…, 430223103 9cdbf1…
    # 5 × 40% = 2; 3 × 40% = 1.2 → 2.
    assert result == Draw(
        SEED,
        40,
        (
            Stratum("430121", 5, ("430121002", "430121003")),
            Stratum("430223", 3, ("430223102", "430223101")),
        ),
    )
    assert ticket(SEED, "430121002") == hashlib.sha256(b"2014-08-07,430121002").hexdigest()
    assert ticket(SEED, "430121002").startswith("402b71")
    for stratum, codes in zip(result.strata, (CHANGSHA_COUNTY, YOUXIAN), strict=True):
        assert list(stratum.drawn) == expected(codes, 40, SEED)


def test_as_json():
    result = draw({"430121": CHANGSHA_COUNTY}, 20, "007")
    assert result.as_json() == {
        "seed": "007",
        "percent": 20,
        "strata": [{"area": "430121", "population": 5, "drawn": expected(CHANGSHA_COUNTY, 20, "007")}],
    }
    assert json.dumps(result.as_json())


@pytest.mark.parametrize(
    ("population", "percent", "k"),
    [
        (7, 20, 2),
        (3, 20, 1),
        (5, 20, 1),
        (10, 20, 2),
        (11, 20, 3),
        (1, 1, 1),
        (20, 1, 1),
        (7, 100, 7),
        (0, 20, 0),
    ],
)
def test_how_many_are_drawn(population, percent, k):
    assert quota(population, percent) == k
    codes = [f"430121{n:03d}" for n in range(1, population + 1)]
    (stratum,) = draw({"430121": codes}, percent, SEED).strata
    assert stratum.population == population and len(stratum.drawn) == k
    assert list(stratum.drawn) == expected(codes, percent, SEED)


def test_all_at_one_hundred_percent_in_ticket_order():
    codes = [f"430121{n:03d}" for n in range(1, 19)]
    (stratum,) = draw({"430121": codes}, 100, SEED).strata
    assert sorted(stratum.drawn) == codes
    assert list(stratum.drawn) == sorted(codes, key=lambda code: ticket(SEED, code))


def test_the_same_seed_draws_the_same_whatever_the_order_given():
    codes = [f"430121{n:03d}" for n in range(1, 19)]
    first = draw({"430121": codes, "430223": YOUXIAN}, 20, SEED)
    again = draw({"430223": list(reversed(YOUXIAN)), "430121": list(reversed(codes))}, 20, SEED)
    assert first == again
    assert [s.area for s in first.strata] == ["430121", "430223"]


def test_another_seed_draws_otherwise():
    codes = [f"430121{n:03d}" for n in range(1, 19)]
    one = draw({"430121": codes}, 20, SEED)
    other = draw({"430121": codes}, 20, "2014-08-08")
    assert one.strata[0].drawn != other.strata[0].drawn
    assert list(other.strata[0].drawn) == expected(codes, 20, "2014-08-08")


@pytest.mark.parametrize(
    ("percent", "seed", "message"),
    [
        (0, SEED, "1 到 100"),
        (101, SEED, "1 到 100"),
        (20.0, SEED, "整数"),
        ("20", SEED, "整数"),
        (True, SEED, "整数"),
        (20, "", "随机种子不能为空"),
        (20, "   ", "随机种子不能为空"),
        (20, None, "随机种子不能为空"),
        (20, "x" * 101, "不能超过 100 个字符"),
        (20, "2014\n08", "控制字符"),
    ],
)
def test_bad_terms_are_refused(percent, seed, message):
    with pytest.raises(DrawError) as error:
        draw({"430121": CHANGSHA_COUNTY}, percent, seed)
    assert message in str(error.value)


def test_a_seed_of_a_hundred_characters_is_enough():
    assert draw({"430121": CHANGSHA_COUNTY}, 20, "种" * 100).seed == "种" * 100


def test_a_township_drawn_twice_is_refused():
    with pytest.raises(DrawError, match="430121001"):
        draw({"430121": [*CHANGSHA_COUNTY, "430121001"]}, 20, SEED)
    with pytest.raises(DrawError, match="430121001"):
        draw({"430121": CHANGSHA_COUNTY, "430223": ["430121001"]}, 20, SEED)


# On the shipped data -----------------------------------------------------------------


def shipped_townships(*counties):
    """{county code: [township codes]} of COUNTIES, read straight from the shipped CSV."""
    with open(HUNAN / "streets.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {county: [row["code"] for row in rows if row["areaCode"] == county] for county in counties}


def test_draw_region_on_the_hunan_data(demo_tree, django_assert_num_queries):
    townships = shipped_townships("430121", "430223")
    assert all(len(codes) > 5 for codes in townships.values())
    hunan = Org.objects.get(code="43")
    with django_assert_num_queries(1):
        result = draw_region(hunan, 20, SEED)
    assert result.as_json() == {
        "seed": SEED,
        "percent": 20,
        "strata": [
            {"area": county, "population": len(codes), "drawn": expected(codes, 20, SEED)}
            for county, codes in sorted(townships.items())
        ],
    }
    # A city: its counties only; a county: one stratum.
    changsha = draw_region(Org.objects.get(code="4301"), 20, SEED)
    assert changsha.strata == result.strata[:1]
    county = draw_region(Org.objects.get(code="430223"), 20, SEED)
    assert county.strata == result.strata[1:]
    # Units under a county are not townships.
    csx = Org.objects.get(code="430121")
    Org.objects.create(name="长沙县教育局", kind=OrgKind.ORGAN, level=Level.COUNTY, parent=csx)
    assert draw_region(Org.objects.get(code="430121"), 20, SEED).strata == result.strata[:1]


def test_draw_region_refuses_what_is_not_a_province_city_or_county(demo_tree):
    with pytest.raises(DrawError, match="抽样范围须为省、市州或县市区"):
        draw_region(Org.objects.get(code="430121001"), 20, SEED)
    csx = Org.objects.get(code="430121")
    unit = Org.objects.create(name="长沙县教育局", kind=OrgKind.ORGAN, level=Level.COUNTY, parent=csx)
    with pytest.raises(DrawError, match="长沙县教育局是县市区直属机关"):
        draw_region(unit, 20, SEED)
    with pytest.raises(DrawError, match="1 到 100"):
        draw_region(csx, 0, SEED)


def test_a_county_without_townships_is_a_stratum_of_none(db):
    hunan = Org.objects.create(code="43", name="湖南省", level=Level.PROVINCE)
    city = Org.objects.create(code="4301", name="长沙市", level=Level.CITY, parent=hunan)
    Org.objects.create(code="430199", name="某开发区", level=Level.COUNTY, parent=city)
    result = draw_region(Org.objects.get(code="43"), 20, SEED)
    assert result.strata == (Stratum("430199", 0, ()),)


# draw_sample -----------------------------------------------------------------------


def sample(*args):
    out = io.StringIO()
    call_command("draw_sample", *args, stdout=out)
    return out.getvalue()


def test_draw_sample_json(demo_tree):
    printed = json.loads(sample("--region", "43", "--percent", "20", "--seed", "007", "--json"))
    assert printed == draw_region(Org.objects.get(code="43"), 20, "007").as_json()
    assert printed["seed"] == "007" and printed["percent"] == 20
    assert [stratum["area"] for stratum in printed["strata"]] == ["430121", "430223"]
    townships = shipped_townships("430121")["430121"]
    assert printed["strata"][0]["drawn"] == expected(townships, 20, "007")


def test_draw_sample_readable(demo_tree):
    text = sample("--region", "430121", "--percent", "20", "--seed", SEED)
    drawn = expected(shipped_townships("430121")["430121"], 20, SEED)
    names = dict(Org.objects.filter(code__in=drawn).values_list("code", "name"))
    assert "乡镇、街道抽样：长沙县（430121），比例 20%，随机种子“2014-08-07”" in text
    assert f"430121 长沙县：共 18 个乡镇、街道，抽取 {len(drawn)} 个" in text
    for code in drawn:
        assert f"{code} {names[code]}  （票号 {ticket(SEED, code)[:16]}…）" in text
    assert "重算方法" in text and f'sha256("{SEED},{drawn[0]}")' in text
    assert "k = max(1, ⌈n × 20 / 100⌉)" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "99", "--percent", "20", "--seed", SEED], "没有区划代码为“99”的地区"),
        (["--region", "430121001", "--percent", "20", "--seed", SEED], "抽样范围须为省、市州或县市区"),
        (["--region", "43", "--percent", "20%", "--seed", SEED], "--percent 须为 1 到 100 之间的整数"),
        (["--region", "43", "--percent", "abc", "--seed", SEED], "--percent 须为 1 到 100 之间的整数"),
        (["--region", "43", "--percent", "0", "--seed", SEED], "1 到 100"),
        (["--region", "43", "--percent", "20", "--seed", ""], "随机种子不能为空"),
        (["--region", "43", "--seed", SEED], "请指定 --percent"),
        ([], "请指定 --region、--percent、--seed"),
    ],
)
def test_draw_sample_refusals(demo_tree, args, message):
    with pytest.raises(CommandError) as error:
        sample(*args)
    assert message in str(error.value)
