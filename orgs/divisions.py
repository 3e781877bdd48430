"""Import of the national statistical division codes (统计用区划代码) into the org tree.

A directory holds five files, one per level (provinces, cities, areas, streets,
villages), plain CSV or gzipped. Rows are read as a stream and written in chunks, so
memory stays flat whatever the size of the country; the nested-set numbers of every
tree that gained or lost a row are recomputed once at the end (see tree.py).

The import runs in one transaction: a malformed file stops it with the file and line,
and the database is left exactly as it was.
"""

import csv
import gzip
import zlib
from contextlib import closing
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.db import connection, reset_queries, transaction
from django.utils.translation import gettext as _

from .models import CODE_LENGTHS, Level, Org, OrgKind, level_above
from .tree import next_tree_id, renumber

CHUNK = 2000


@dataclass(frozen=True)
class LevelFile:
    stem: str
    level: Level
    columns: tuple
    parent_column: str | None


FILES = (
    LevelFile("provinces", Level.PROVINCE, ("code", "name"), None),
    LevelFile("cities", Level.CITY, ("code", "name", "provinceCode"), "provinceCode"),
    LevelFile("areas", Level.COUNTY, ("code", "name", "cityCode", "provinceCode"), "cityCode"),
    LevelFile(
        "streets", Level.TOWNSHIP, ("code", "name", "areaCode", "provinceCode", "cityCode"), "areaCode"
    ),
    LevelFile(
        "villages",
        Level.VILLAGE,
        ("code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"),
        "streetCode",
    ),
)


class DivisionError(Exception):
    def __init__(self, path, line, message):
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self):
        if self.line:
            return _("%(file)s 第 %(line)d 行：%(message)s") % {
                "file": self.path,
                "line": self.line,
                "message": self.message,
            }
        return f"{self.path}：{self.message}"


@dataclass(frozen=True)
class Row:
    line: int
    code: str
    name: str
    parent_code: str | None


@dataclass
class LevelReport:
    level: Level
    path: Path
    rows: int = 0
    created: int = 0
    renamed: int = 0
    moved: int = 0
    unchanged: int = 0


@dataclass
class Report:
    levels: list = field(default_factory=list)
    renumbered: int = 0

    @property
    def changed(self):
        return any(r.created or r.renamed or r.moved for r in self.levels)

    @property
    def rows(self):
        return sum(r.rows for r in self.levels)


def locate(directory):
    """The five files in DIRECTORY, plain or gzipped, in level order."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DivisionError(directory, 0, _("不是目录"))
    paths = []
    for spec in FILES:
        for candidate in (directory / f"{spec.stem}.csv", directory / f"{spec.stem}.csv.gz"):
            if candidate.is_file():
                paths.append(candidate)
                break
        else:
            raise DivisionError(directory / f"{spec.stem}.csv", 0, _("找不到文件（也没有 .csv.gz）"))
    return paths


def _lines(handle, path):
    """Decoded lines of a binary handle, one per physical line, so line numbers are exact."""
    number = 0
    try:
        for raw in handle:
            number += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise DivisionError(path, number, _("不是 UTF-8 编码")) from None
            if number == 1:
                text = text.removeprefix("\ufeff")
            yield text
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise DivisionError(path, number + 1, _("压缩文件已损坏：%(error)s") % {"error": error}) from None


def _check_code(path, line, column, value, level):
    length = CODE_LENGTHS[level]
    if not (value.isdigit() and len(value) == length):
        raise DivisionError(
            path,
            line,
            _("%(column)s 应为 %(length)d 位数字代码，实为“%(value)s”")
            % {"column": column, "length": length, "value": value},
        )


def read_rows(path, spec):
    """Yield the rows of one level file, checking its header and every row."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        reader = csv.reader(_lines(handle, path))
        try:
            header = next(reader, None)
        except csv.Error as error:
            raise DivisionError(path, 1, str(error)) from None
        if header is None:
            raise DivisionError(path, 1, _("文件为空"))
        header = [column.strip() for column in header]
        missing = [column for column in spec.columns if column not in header]
        if missing:
            raise DivisionError(path, 1, _("缺少列：%(columns)s") % {"columns": "、".join(missing)})
        code_at = header.index("code")
        name_at = header.index("name")
        parent_at = header.index(spec.parent_column) if spec.parent_column else None
        parent_level = level_above(spec.level)
        seen_rows = False
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise DivisionError(path, reader.line_num, str(error)) from None
            line = reader.line_num
            if not any(value.strip() for value in fields):
                continue
            if len(fields) != len(header):
                raise DivisionError(
                    path,
                    line,
                    _("应有 %(expected)d 列，实有 %(actual)d 列")
                    % {"expected": len(header), "actual": len(fields)},
                )
            code = fields[code_at].strip()
            name = fields[name_at].strip()
            _check_code(path, line, "code", code, spec.level)
            if not name:
                raise DivisionError(path, line, _("名称为空"))
            parent_code = None
            if parent_at is not None:
                parent_code = fields[parent_at].strip()
                _check_code(path, line, spec.parent_column, parent_code, parent_level)
            seen_rows = True
            yield Row(line, code, name, parent_code)
        if not seen_rows:
            raise DivisionError(path, max(reader.line_num, 1), _("文件没有数据行"))


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class DivisionImport:
    """Import a directory of division files. `progress(report)` is called after each chunk."""

    def __init__(self, directory, progress=None, chunk_size=CHUNK):
        self.paths = locate(directory)
        self.progress = progress or (lambda report: None)
        self.chunk_size = chunk_size

    def run(self):
        # Headers first, so a file with a wrong layout fails before any work is done.
        for spec, path in zip(FILES, self.paths, strict=True):
            with closing(read_rows(path, spec)) as rows:
                next(rows, None)
        report = Report()
        with transaction.atomic():
            self.dirty_trees = set()
            self.tree_ids = iter(range(next_tree_id(), 2**31))
            for spec, path in zip(FILES, self.paths, strict=True):
                level_report = LevelReport(spec.level, path)
                report.levels.append(level_report)
                self._import_level(spec, path, level_report)
            for tree_id in sorted(self.dirty_trees):
                report.renumbered += renumber(tree_id)
        if report.changed:
            # Fresh statistics, so the planner picks the tree's indexes after a bulk load.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(Org._meta.db_table)}")
        return report

    def _parents(self, level):
        above = level_above(level)
        if above is None:
            return None
        rows = Org.objects.filter(kind=OrgKind.REGION, level=above).values_list("code", "id", "tree_id")
        return {code: (pk, tree_id) for code, pk, tree_id in rows.iterator(chunk_size=10000)}

    def _import_level(self, spec, path, level_report):
        parents = self._parents(spec.level)
        depth = list(Level).index(spec.level)
        seen = set()  # integer codes: a fraction of the memory of strings
        for chunk in _chunks(read_rows(path, spec), self.chunk_size):
            existing = {
                row["code"]: row
                for row in Org.objects.filter(code__in=[r.code for r in chunk]).values(
                    "id", "code", "name", "parent_id", "level", "kind", "tree_id"
                )
            }
            new, renamed, moved = [], [], []
            for row in chunk:
                if int(row.code) in seen:
                    first = next(r.line for r in read_rows(path, spec) if r.code == row.code)
                    raise DivisionError(
                        path,
                        row.line,
                        _("代码 %(code)s 重复（第 %(first)d 行已有）") % {"code": row.code, "first": first},
                    )
                seen.add(int(row.code))
                if parents is None:
                    parent_id, tree_id = None, None
                else:
                    try:
                        parent_id, tree_id = parents[row.parent_code]
                    except KeyError:
                        raise DivisionError(
                            path, row.line, _("上级代码 %(code)s 不存在") % {"code": row.parent_code}
                        ) from None
                old = existing.get(row.code)
                if old is None:
                    if tree_id is None:
                        tree_id = next(self.tree_ids)
                    new.append(
                        Org(
                            code=row.code,
                            name=row.name,
                            level=spec.level,
                            kind=OrgKind.REGION,
                            parent_id=parent_id,
                            tree_id=tree_id,
                            lft=0,
                            rght=0,
                            depth=depth,
                        )
                    )
                    self.dirty_trees.add(tree_id)
                    continue
                if old["kind"] != OrgKind.REGION or old["level"] != spec.level:
                    raise DivisionError(
                        path,
                        row.line,
                        _("代码 %(code)s 已被“%(name)s”使用") % {"code": row.code, "name": old["name"]},
                    )
                if old["name"] == row.name and old["parent_id"] == parent_id:
                    level_report.unchanged += 1
                    continue
                if old["name"] != row.name:
                    renamed.append(Org(id=old["id"], name=row.name))
                if old["parent_id"] != parent_id:
                    if old["tree_id"] != tree_id:
                        raise DivisionError(
                            path,
                            row.line,
                            _("代码 %(code)s 的上级跨省变化，不能导入") % {"code": row.code},
                        )
                    moved.append(Org(id=old["id"], parent_id=parent_id))
                    self.dirty_trees.add(tree_id)
            Org.objects.bulk_create(new, batch_size=self.chunk_size)
            Org.objects.bulk_update(renamed, ["name"], batch_size=self.chunk_size)
            Org.objects.bulk_update(moved, ["parent"], batch_size=self.chunk_size)
            level_report.rows += len(chunk)
            level_report.created += len(new)
            level_report.renamed += len(renamed)
            level_report.moved += len(moved)
            reset_queries()  # with DEBUG on, Django would keep every chunk's SQL
            self.progress(level_report)
