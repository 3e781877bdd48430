"""Reading the notice's two tables as offices fill them in.

The header row is found by its words, wherever it is (a title and the 单位 line usually
sit above it); the values of the 单位/姓名/职务 and date lines above it are read too.
Below it: category cells merged down their rows or simply left blank under the first,
problem cells merged down several measure rows, blank rows, category heading rows
("一、遵守政治纪律方面存在的问题"), and notes under the table (注：…, 填表说明), where
reading stops. Deadlines are date cells or the words offices write ("2014年10月底前",
"长期坚持"). A 轻重缓急 column after the table's own, as the export writes it, is read
too (急, 重, 一般; a blank cell or a file without the column: 一般), and so are the export's
责任单位, 回应的意见 and 认领的班子问题 (matched to the register and the team's plan on import).

A blank problem cell on a row with a measure and no 序号 of its own is the problem above
(within the same category), as a blank category cell is the category above; a measure
that answers no problem says so in its problem cell (NO_PROBLEM, or 无, /, —). 附件1 and
附件2 are read by their headers as the export writes them, their task as a row's problem.

What is wrong with one row (a measure with no problem, an unreadable deadline, an
unknown category) goes into `Reading.errors` with its spreadsheet row number; what is
wrong with the file raises SheetError.
"""

import datetime as dt
import io
import re
from dataclasses import dataclass, field

import openpyxl
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from openpyxl.utils.cell import range_boundaries

from rectify.dates import Deadline, chinese_date, parse_deadline

from ..words import INDIVIDUAL_TITLE, TEAM_TITLE, Category, Focus, Origin, Priority
from .layout import (
    ATTACHMENT_COLUMNS,
    INDIVIDUAL,
    INDIVIDUAL_COLUMNS,
    INSTITUTION,
    MAX_ROWS,
    MEASURE_ONLY,
    NO_PROBLEM,
    SPECIAL,
    TEAM,
    TEAM_COLUMNS,
    SheetError,
    attachment_fields,
    header_field,
    header_text,
    is_note,
    match_category,
    match_priority,
    no_problem,
    normalise,
)
from .safety import check_archive, corrupt, entities

HEADER_SCAN = 30  # rows searched for the header
PROGRESS_EVERY = 250  # rows read between two reports of progress
FIELDS = (
    "addresses",
    "category",
    "problem",
    "measures",
    "owner",
    "deadline",
    "note",
    "priority",
    "unit",
    "answers",
    "claims",
)
CONTENT = ("problem", "measures", "owner", "deadline", "note", "unit")  # what makes a row an item
TEXT_LIMITS = {"owner": 100, "deadline_text": 100, "unit": 200}
KINDS = (TEAM, INDIVIDUAL, SPECIAL, INSTITUTION)

YEAR = r"[0-9〇○零一二三四五六七八九]{4}"
PART = r"[0-9一二三四五六七八九十]{1,3}"
DATE = re.compile(rf"({YEAR})\s*年\s*({PART})\s*月\s*({PART})\s*[日号]")
LABELS = {
    "unit": re.compile(r"单\s*位\s*(?:[（(][^）)]{0,6}[）)])?\s*[:：]"),  # 单位（盖章）：
    "name": re.compile(r"姓\s*名\s*[:：]"),
    "position": re.compile(r"职\s*务\s*[:：]"),
}
# A label's value ends at a wide gap, at the next label or at the date.
VALUE_END = re.compile(
    rf"\s{{2,}}|\u3000|(?:单\s*位|姓\s*名|职\s*务|日\s*期)\s*[:：]|[0-9〇○零一二三四五六七八九]{{0,4}}\s*年\s*{PART}?\s*月"
)


@dataclass
class ReadRow:
    row: int | None  # the spreadsheet's row number
    category: str | None
    problem: str
    measures: str
    owner: str | None
    deadline: dt.date | None
    deadline_text: str
    note: str | None
    priority: str | None = None  # a Priority code; None: not given (一般)
    unit: str | None = None  # 责任单位
    answers: str = ""  # the four responses the problem answers, one a line
    claims: str = ""  # the team's problems an individual's problem claims, one a line
    addresses: str = ""  # every problem a measure answers, when several, one a line
    # An attachment's row: problem is 附件1's 专项整治项目 or 附件2's 制度建设任务.
    origin: str | None = None  # 附件2's 来源, an Origin code
    focus: str | None = None  # 附件2's 重点领域, a Focus code

    def as_json(self, rows=False):
        data = {
            "category": self.category,
            "problem": self.problem,
            "measures": self.measures,
            "owner": self.owner,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_text": self.deadline_text,
            "note": self.note,
            "priority": self.priority,
            "unit": self.unit,
            "answers": self.answers,
            "claims": self.claims,
            "addresses": self.addresses,
            "origin": self.origin,
            "focus": self.focus,
        }
        return {"row": self.row, **data} if rows else data


@dataclass
class Reading:
    kind: str  # "team" (领导班子整改问题清单), "individual" (领导干部个人整改清单), "special" or "institution" (附件1、2)
    unit: str | None = None
    name: str | None = None
    position: str | None = None
    date: dt.date | None = None
    items: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # [{"row": int, "message": str}]

    def as_json(self, rows=False):
        """What `import_list --json` prints. ROWS: keep each item's row number too (for a
        preview kept in the session, so that errors found at import can name rows)."""
        return {
            "kind": self.kind,
            "unit": self.unit,
            "name": self.name,
            "position": self.position,
            "date": self.date.isoformat() if self.date else None,
            "items": [item.as_json(rows) for item in self.items],
            "errors": [dict(error) for error in self.errors],
        }

    @classmethod
    def from_json(cls, data):
        """Rebuild a Reading from `as_json()`, with or without row numbers."""
        try:
            if data["kind"] not in KINDS:
                raise ValueError(data["kind"])
            items = []
            for entry in data["items"]:
                category = entry.get("category") or None
                if category is not None and category not in Category.values:
                    raise ValueError(category)
                priority = entry.get("priority") or None
                origin = entry.get("origin") or None
                focus = entry.get("focus") or None
                for value, choices in ((priority, Priority), (origin, Origin), (focus, Focus)):
                    if value is not None and value not in choices.values:
                        raise ValueError(value)
                items.append(
                    ReadRow(
                        row=entry.get("row"),
                        category=category,
                        problem=str(entry.get("problem") or ""),
                        measures=str(entry.get("measures") or ""),
                        owner=entry.get("owner") or None,
                        deadline=_iso(entry.get("deadline")),
                        deadline_text=str(entry.get("deadline_text") or ""),
                        note=entry.get("note") or None,
                        priority=priority,
                        unit=entry.get("unit") or None,
                        answers=str(entry.get("answers") or ""),
                        claims=str(entry.get("claims") or ""),
                        addresses=str(entry.get("addresses") or ""),
                        origin=origin,
                        focus=focus,
                    )
                )
            return cls(
                kind=data["kind"],
                unit=data.get("unit"),
                name=data.get("name"),
                position=data.get("position"),
                date=_iso(data.get("date")),
                items=items,
                errors=[{"row": e.get("row"), "message": str(e["message"])} for e in data.get("errors", [])],
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise SheetError(_("预览数据已失效，请重新上传表格。")) from None

    def error(self, row, message):
        self.errors.append({"row": row, "message": str(message)})


def _iso(value):
    return dt.date.fromisoformat(value) if value else None


def read_workbook(data, on_progress=None):
    """Read the list in DATA (the bytes of an .xlsx) into a Reading.

    ON_PROGRESS(rows read, rows in the sheet or None) is called every PROGRESS_EVERY
    rows of the sheet being read. The number of rows comes from the sheet's stored
    dimension, which a file need not have nor keep right: it is only the progress bar's
    end, never a reason to refuse; the list's size is refused at its MAX_ROWS+1st row."""
    merges = check_archive(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # anything openpyxl cannot make sense of: not a sound workbook
        raise _refusal(error) from None
    try:
        for sheet in workbook.worksheets:
            # Read-only sheets do not report merged cells; check_archive collected them by part.
            path = getattr(sheet, "_worksheet_path", "")
            reading = _SheetReader(sheet, merges.get(path, []), on_progress).read()
            if reading is not None:
                return reading
    except SheetError:
        raise
    except Exception as error:
        raise _refusal(error) from None
    finally:
        workbook.close()
    raise SheetError(
        _(
            "没有找到表头。请使用通知所附表格的格式："
            "%(team_title)s（%(team)s）或%(individual_title)s（%(individual)s）；"
            "附件1、附件2请使用从本系统下载的表格（%(special)s；%(institution)s）。"
        )
        % {
            "team_title": TEAM_TITLE,
            "team": _headers(TEAM_COLUMNS),
            "individual_title": INDIVIDUAL_TITLE,
            "individual": _headers(INDIVIDUAL_COLUMNS),
            "special": _headers(ATTACHMENT_COLUMNS[SPECIAL]),
            "institution": _headers(ATTACHMENT_COLUMNS[INSTITUTION]),
        }
    )


def _refusal(error):
    """The SheetError for what openpyxl raised: defusedxml's refusal (which openpyxl wraps
    in a ValueError) or any other sign of a broken file."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return entities()
        error = error.__cause__ or error.__context__
    return corrupt()


def _headers(columns):
    return "、".join(header_text(header) for _field, header, _width in columns)


def _text(value):
    """A cell's value as text: numbers without a trailing .0, dates in Chinese."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return chinese_date(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


class _SheetReader:
    def __init__(self, sheet, merged, on_progress=None):
        self.sheet = sheet
        self.merged = [range_boundaries(ref) for ref in merged if ":" in ref]  # (c1, r1, c2, r2)
        self.on_progress = on_progress

    def read(self):
        """The Reading of this sheet, or None if it has no header the notice's tables have."""
        above = []
        rows = self._rows()
        for number, values in rows:
            if number > HEADER_SCAN:
                return None
            columns = self._header(values)
            if columns:
                kind = TEAM if "category" in columns or "owner" in columns else INDIVIDUAL
                break
            if found := attachment_fields(values):
                kind, fields = found  # its task read as a row's problem
                columns = {"problem" if name == "task" else name: index for name, index in fields.items()}
                break
            above.append(values)
        else:
            return None
        reading = Reading(kind=kind)
        self._read_lines(reading, above)
        self._read_items(reading, rows, number, columns)
        return reading

    def _rows(self):
        """(row number, [values]) for every row; a formula anywhere refuses the file."""
        stored = self.sheet.max_row  # the stored dimension: the progress bar's end, if any
        self.sheet.reset_dimensions()  # the stored dimension may be wrong; read what is there
        for number, cells in enumerate(self.sheet.iter_rows(), start=1):
            if self.on_progress and number % PROGRESS_EVERY == 0:
                self.on_progress(number, stored if stored and stored >= number else None)
            values = []
            for cell in cells:
                if cell.data_type == "f":
                    raise SheetError(
                        _(
                            "单元格 %(cell)s 是公式。为安全起见不接受含公式的表格，请改为直接填写内容后再上传。"
                        )
                        % {"cell": f"{self.sheet.title}!{cell.coordinate}"}
                    )
                values.append(cell.value)
            yield number, values

    @staticmethod
    def _header(values):
        columns = {}
        for index, value in enumerate(values):
            if isinstance(value, str):
                name = header_field(value)
                if name and name not in columns:
                    columns[name] = index
        if "problem" not in columns or "measures" not in columns:
            return None
        if "unit" in columns and "owner" not in columns:  # an office's 责任单位 column alone: the owner
            columns["owner"] = columns.pop("unit")
        return columns

    @staticmethod
    def _read_lines(reading, rows):
        """单位 / 姓名 / 职务 and the date, from the lines above the header."""
        for values in rows:
            line = "  ".join(_text(value) for value in values if value is not None and not _is_date(value))
            for name, label in LABELS.items():
                if getattr(reading, name) is None and (match := label.search(line)):
                    rest = line[match.end() :].lstrip()
                    end = VALUE_END.search(rest)
                    setattr(reading, name, (rest[: end.start()] if end else rest).strip() or None)
            if reading.date is None:
                dates = [value for value in values if _is_date(value)]
                if dates:
                    reading.date = dates[0] if type(dates[0]) is dt.date else dates[0].date()
                elif match := DATE.search(line):
                    reading.date = parse_deadline(re.sub(r"\s+", "", match.group(0))).date

    def _read_items(self, reading, rows, header_row, columns):
        # Merged cells: every cell below the top one repeats its value (in its own column).
        fill = {}
        used = set(columns.values())
        header_end = header_row
        budget = 4 * MAX_ROWS * len(used)
        for c1, r1, _c2, r2 in self.merged:
            if r1 == header_row and r2 > header_row and c1 - 1 in used:
                header_end = max(header_end, r2)
            if c1 - 1 not in used or r2 == r1:
                continue
            for row in range(r1 + 1, min(r2, header_row + 2 * MAX_ROWS) + 1):
                fill[row, c1 - 1] = r1
                budget -= 1
            if budget < 0:
                raise SheetError(_("表格中的合并单元格过多，请取消多余的合并后再上传。"))
        top = {}  # (row, column) of a merged range's top cell -> its value
        tops = {(r1, c1 - 1) for c1, r1, _c2, _r2 in self.merged}
        default_year = reading.date.year if reading.date else None
        lists = reading.kind in (TEAM, INDIVIDUAL)  # not an attachment's table
        category = None
        above = None  # (category, problem) of the row above, which a blank problem cell repeats
        count = 0
        for number, values in rows:
            raw = {name: values[index] if index < len(values) else None for name, index in columns.items()}
            for name, index in columns.items():
                if (number, index) in tops:
                    top[number, index] = raw[name]
            if number <= header_end:
                continue
            filled = {
                name: raw[name] if (number, index) not in fill else top.get((fill[number, index], index))
                for name, index in columns.items()
            }
            present = [value for value in values if _text(value)]
            if not present:
                continue
            if is_note(_text(present[0])) and len(present) <= 3:
                break  # notes under the table: 注：…, 填表说明, 填表人 …
            own = {name: _text(raw.get(name)) for name in (*CONTENT, "origin", "focus")}
            if lists and not any(own[name] for name in CONTENT if name != "problem"):
                # No measure, owner, deadline or note: a category heading (across the table or
                # in the problem column), a category cell on its own, or an empty template row.
                candidate = own["problem"] or (_text(present[0]) if len(present) == 1 else "")
                if candidate and (heading := match_category(candidate, strict=True)):
                    category = heading
                    continue
                if not own["problem"]:
                    if text := _text(raw.get("category")):
                        category = self._category(reading, number, text)
                    continue
            if not lists and not any(own.values()):
                continue  # a numbered row of an attachment's template, not filled in
            count += 1
            if count > MAX_ROWS:
                raise SheetError(
                    _("表格超过 %(limit)s 行，请分成几个文件上传。") % {"limit": f"{MAX_ROWS:,}"}
                )
            texts = {name: _text(filled.get(name)) for name in (*FIELDS, "origin", "focus")}
            if not lists:
                reading.items.append(self._task(reading, number, texts, filled.get("deadline"), default_year))
                continue
            if text := _text(raw.get("category")):
                category = self._category(reading, number, text)
            loose = no_problem(texts["problem"])
            if loose:
                texts["problem"] = ""
            elif not texts["problem"] and texts["measures"] and not own_number(raw) and above:
                # A problem's further measures, its cell left blank as a category's is.
                if above[0] == category:
                    texts["problem"] = above[1]
            above = (category, texts["problem"]) if texts["problem"] else None
            item = self._item(reading, number, category, texts, filled.get("deadline"), default_year, loose)
            reading.items.append(item)

    @staticmethod
    def _category(reading, number, text):
        code = match_category(text)
        if code is None:
            reading.error(number, _("无法识别问题类别“%(text)s”。") % {"text": text})
        return code

    @staticmethod
    def _checked(reading, number, texts, deadline_value, default_year):
        """The row's Deadline, its errors (deadline, lengths) noted."""
        deadline, readable = _deadline(deadline_value, default_year)
        if not readable:
            reading.error(
                number,
                _("整改时限“%(text)s”无法识别，请写成“2014年10月底前”“2014年12月31日”或“长期坚持”。")
                % {"text": deadline.text},
            )
        texts["deadline_text"] = deadline.text
        for name, label in (
            ("owner", _("责任人")),
            ("unit", _("责任单位")),
            ("deadline_text", _("整改时限")),
        ):
            if len(texts[name]) > TEXT_LIMITS[name]:
                reading.error(
                    number,
                    _("%(field)s过长（不超过 %(limit)s 字）。")
                    % {"field": label, "limit": TEXT_LIMITS[name]},
                )
        return deadline

    @classmethod
    def _item(cls, reading, number, category, texts, deadline_value, default_year, loose=False):
        problem, measures = texts["problem"], texts["measures"]
        if not problem and not measures:
            reading.error(number, _("只填了责任人、时限或备注，没有问题和整改措施。"))
        elif not problem and not loose and category not in MEASURE_ONLY:
            reading.error(
                number,
                _("有整改措施，但没有填写针对的问题；如果这条措施不针对具体问题，请在问题栏填写“%(none)s”。")
                % {"none": NO_PROBLEM},
            )
        deadline = cls._checked(reading, number, texts, deadline_value, default_year)
        priority = match_priority(texts["priority"]) if texts["priority"] else None
        if texts["priority"] and priority is None:
            reading.error(
                number,
                _("轻重缓急“%(text)s”无法识别，只能填“%(choices)s”之一，或留空（即“一般”）。")
                % {"text": texts["priority"], "choices": "”“".join(str(label) for label in Priority.labels)},
            )
        return ReadRow(
            row=number,
            category=category,
            problem=problem,
            measures=measures,
            owner=texts["owner"] or None,
            deadline=deadline.date,
            deadline_text=deadline.text,
            note=texts["note"] or None,
            priority=priority,
            unit=texts["unit"] or None,
            answers=texts["answers"],
            claims=texts["claims"],
            addresses=texts["addresses"],
        )

    @classmethod
    def _task(cls, reading, number, texts, deadline_value, default_year):
        """A row of 附件1 (专项整治项目 in `problem`) or 附件2 (制度建设任务 in `problem`)."""
        if not texts["problem"]:
            header = ATTACHMENT_COLUMNS[reading.kind][1][1]
            reading.error(number, _("没有填写“%(header)s”。") % {"header": header_text(header)})
        deadline = cls._checked(reading, number, texts, deadline_value, default_year)
        choices = {}
        for name, codes in (("origin", Origin), ("focus", Focus)):
            choices[name] = _choice(codes, texts[name])
            if texts[name] and choices[name] is None:
                reading.error(
                    number,
                    _("“%(text)s”无法识别，只能填：%(choices)s。")
                    % {"text": texts[name], "choices": "；".join(str(label) for label in codes.labels)},
                )
        return ReadRow(
            row=number,
            category=None,
            problem=texts["problem"],
            measures=texts["measures"],
            owner=None,
            deadline=deadline.date,
            deadline_text=deadline.text,
            note=None,
            unit=texts["unit"] or None,
            **choices,
        )


def own_number(raw):
    """Whether a row has a 序号 of its own (a new problem), not one merged down or left blank."""
    return bool(_text(raw.get("number")))


def _choice(codes, text):
    """The code of CODES whose label (or code) TEXT is, or None."""
    key = normalise(text)
    for code, label in codes.choices:
        if key in (normalise(label), code):
            return code
    return None


def _is_date(value):
    return isinstance(value, dt.date)


def _deadline(value, default_year):
    """(Deadline, readable) of a deadline cell. Several lines (one per measure, as the
    export writes them) give the latest of their dates; every line must be readable."""
    if isinstance(value, dt.date):
        return parse_deadline(value), True
    text = _text(value)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    readings = [parse_deadline(line, default_year) for line in lines]
    readable = all(reading.date or reading.open_ended for reading in readings)
    dates = [reading.date for reading in readings if reading.date]
    return Deadline(max(dates) if dates and readable else None, text), readable
