"""import_divisions: builds the tree in bulk, is idempotent, and refuses bad files whole."""

import csv
import gzip
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from orgs.divisions import FILES
from orgs.models import Level, Org, OrgKind

HUNAN = Path(__file__).resolve().parent.parent / "data" / "divisions" / "hunan"


def hunan_slice(county="430121"):
    """The rows of one county of the shipped Hunan data, with its province and city."""
    rows = {}
    for spec in FILES:
        with open(HUNAN / f"{spec.stem}.csv", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames
            kept = [row for row in reader if county.startswith(row["code"]) or row["code"].startswith(county)]
        rows[spec.stem] = (header, kept)
    return rows


def write(directory, rows, gz=False):
    directory.mkdir(parents=True, exist_ok=True)
    for stem, (header, records) in rows.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, quoting=csv.QUOTE_NONNUMERIC)
        writer.writeheader()
        writer.writerows(records)
        data = buffer.getvalue().encode("utf-8")
        if gz:
            (directory / f"{stem}.csv.gz").write_bytes(gzip.compress(data))
        else:
            (directory / f"{stem}.csv").write_bytes(data)
    return directory


def snapshot():
    return list(
        Org.objects.order_by("pk").values_list(
            "pk", "code", "name", "parent_id", "tree_id", "lft", "rght", "depth"
        )
    )


def assert_tree_consistent():
    """Every node lies inside its parent, one level deeper, and its numbers span its subtree."""
    nodes = {o.pk: o for o in Org.objects.all()}
    children = {}
    for org in nodes.values():
        children.setdefault(org.parent_id, []).append(org)
    for org in nodes.values():
        assert org.lft < org.rght
        below = [o for o in nodes.values() if o.tree_id == org.tree_id and org.lft < o.lft < org.rght]
        assert org.rght - org.lft - 1 == 2 * len(below), org
        if org.parent_id:
            parent = nodes[org.parent_id]
            assert parent.tree_id == org.tree_id
            assert parent.lft < org.lft and org.rght < parent.rght
            assert org.depth == parent.depth + 1
        else:
            assert org.depth == 0 and org.lft == 1


def run(directory):
    out = io.StringIO()
    call_command("import_divisions", str(directory), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def county_dir(tmp_path):
    return write(tmp_path / "csx", hunan_slice())


def test_imports_a_county_as_a_tree(db, county_dir):
    output = run(county_dir)
    assert "导入完成" in output
    csx = Org.objects.get(code="430121")
    assert csx.level == Level.COUNTY and csx.kind == OrgKind.REGION
    assert [a.name for a in csx.get_ancestors()] == ["湖南省", "长沙市"]
    assert csx.get_children().count() == 18
    assert Org.objects.filter(level=Level.VILLAGE).count() == 225
    assert Org.objects.get(code="430121001001").get_ancestors().count() == 4
    assert_tree_consistent()


def test_second_run_changes_nothing_and_says_so(db, county_dir):
    run(county_dir)
    before = snapshot()
    output = run(county_dir)
    assert "没有变化" in output
    assert snapshot() == before


def test_renamed_and_new_rows_are_updated_and_added(db, tmp_path, county_dir):
    run(county_dir)
    units_before = Org.objects.create(
        parent=Org.objects.get(code="430121"), kind=OrgKind.ORGAN, level=Level.COUNTY, name="长沙县教育局"
    )
    rows = hunan_slice()
    header, villages = rows["villages"]
    villages[0]["name"] = "开元路社区居委会（更名）"
    villages.append({**villages[1], "code": "430121001999", "name": "新设社区居委会"})
    header, streets = rows["streets"]
    streets.append({**streets[0], "code": "430121999", "name": "新设街道"})
    output = run(write(tmp_path / "changed", rows))
    assert "新增 1" in output and "更名 1" in output
    assert Org.objects.get(code="430121001001").name == "开元路社区居委会（更名）"
    assert Org.objects.get(code="430121001999").parent.code == "430121001"
    assert Org.objects.get(code="430121999").parent.code == "430121"
    # Units added by hand keep their place.
    units_before.refresh_from_db()
    assert units_before.parent.code == "430121"
    assert_tree_consistent()


def test_gzipped_files_as_the_china_set_ships_them(db, tmp_path):
    output = run(write(tmp_path / "gz", hunan_slice(), gz=True))
    assert "villages.csv.gz" in output
    assert Org.objects.filter(level=Level.VILLAGE).count() == 225


def test_two_provinces_are_two_trees(db, tmp_path, county_dir):
    run(county_dir)
    rows = {stem: (header, []) for stem, (header, _rows) in hunan_slice().items()}
    rows["provinces"][1].append({"code": "44", "name": "广东省"})
    rows["cities"][1].append({"code": "4401", "name": "广州市", "provinceCode": "44"})
    rows["areas"][1].append({"code": "440103", "name": "荔湾区", "cityCode": "4401", "provinceCode": "44"})
    rows["streets"][1].append(
        {
            "code": "440103001",
            "name": "沙面街道",
            "areaCode": "440103",
            "provinceCode": "44",
            "cityCode": "4401",
        }
    )
    rows["villages"][1].append(
        {
            "code": "440103001001",
            "name": "沙面社区居委会",
            "streetCode": "440103001",
            "provinceCode": "44",
            "cityCode": "4401",
            "areaCode": "440103",
        }
    )
    run(write(tmp_path / "gd", rows))
    hunan, guangdong = Org.objects.get(code="43"), Org.objects.get(code="44")
    assert hunan.tree_id != guangdong.tree_id
    assert Org.objects.get(code="440103001001").get_ancestors().first() == guangdong
    assert_tree_consistent()


def test_the_whole_of_hunan(db):
    """The shipped data: 31,691 orgs, and a second run reports no change."""
    run(HUNAN)
    assert Org.objects.count() == 31691
    counts = dict(Org.objects.order_by().values_list("level").annotate(n=Count("pk")))
    assert counts == {
        Level.PROVINCE: 1,
        Level.CITY: 14,
        Level.COUNTY: 134,
        Level.TOWNSHIP: 2008,
        Level.VILLAGE: 29534,
    }
    assert Org.objects.get(code="43").descendant_count == 31690
    assert Org.objects.get(code="430121001001").get_ancestors().count() == 4
    before = snapshot()
    assert "没有变化" in run(HUNAN)
    assert snapshot() == before


# Bad input: each stops with the file and line and leaves the database as it was.


def _drop_column(directory):
    path = directory / "areas.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    return "areas.csv", "第 1 行", "缺少列"


def _orphan(directory):
    path = directory / "villages.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write('430121777001,"无主村委会",430121777,43,4301,430121\n')
    lines = path.read_text(encoding="utf-8").splitlines()
    return "villages.csv", f"第 {len(lines)} 行", "上级代码 430121777 不存在"


def _gb18030(directory):
    path = directory / "streets.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    return "streets.csv", "第 2 行", "不是 UTF-8 编码"


def _empty(directory):
    (directory / "cities.csv").write_bytes(b"")
    return "cities.csv", "第 1 行", "文件为空"


def _header_only(directory):
    (directory / "cities.csv").write_text("code,name,provinceCode\n", encoding="utf-8")
    return "cities.csv", "第 1 行", "没有数据行"


def _bad_code(directory):
    path = directory / "areas.csv"
    path.write_text(path.read_text(encoding="utf-8").replace('"430121"', '"43012X"', 1), encoding="utf-8")
    return "areas.csv", "第 2 行", "6 位数字"


def _duplicate(directory):
    path = directory / "streets.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(lines[3])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "streets.csv", f"第 {len(lines)} 行", "重复（第 4 行已有）"


def _missing_file(directory):
    (directory / "provinces.csv").unlink()
    return "provinces.csv", "", "找不到文件"


def _corrupt_gzip(directory):
    (directory / "villages.csv").unlink()
    (directory / "villages.csv.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    return "villages.csv.gz", "", "压缩文件已损坏"


def _short_row(directory):
    path = directory / "villages.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write('430121001099,"半行村委会",430121001\n')
    lines = path.read_text(encoding="utf-8").splitlines()
    return "villages.csv", f"第 {len(lines)} 行", "应有 6 列，实有 3 列"


@pytest.mark.parametrize(
    "spoil",
    [
        _drop_column,
        _orphan,
        _gb18030,
        _empty,
        _header_only,
        _bad_code,
        _duplicate,
        _missing_file,
        _corrupt_gzip,
        _short_row,
    ],
)
@pytest.mark.parametrize("already_imported", [False, True], ids=["empty-db", "imported-db"])
def test_bad_input_changes_nothing(db, tmp_path, spoil, already_imported):
    if already_imported:
        run(write(tmp_path / "first", hunan_slice()))
        # A real change is pending in the bad set, so a partial import would show.
    rows = hunan_slice()
    rows["villages"][1][0]["name"] = "改名但不应写入"
    directory = write(tmp_path / "bad", rows)
    filename, line, message = spoil(directory)
    before = snapshot()
    with pytest.raises(CommandError) as raised:
        run(directory)
    text = str(raised.value)
    assert "数据库未作任何改动" in text
    assert filename in text and line in text and message in text, text
    assert snapshot() == before
