"""The notice's two tables, as both the export and the reader know them.

领导班子整改问题清单: 序号 / 问题类别 / 问题清单 / 整改任务和措施 / 责任人 / 整改时限.
领导干部个人整改清单: 序号 / "四风"方面突出问题 / 具体整改措施 / 整改时限 / 备注.

The export adds columns after them, so that the notice's layout stays as the notice
attaches it and a list exported can be imported back field for field: 轻重缓急
(PRIORITY_COLUMN), 责任单位 (UNIT_COLUMN, a plan's measures), the four responses a
problem answers (ANSWERS_COLUMN) and the team's problems an individual claims
(CLAIMS_COLUMN). The reader reads them back by their headers; a file without them is
read as before.
Section 五's lighter individual measures use the individual table as it is, without the
category heading rows the full format puts between its rows.

Their words (titles, headers, category names) are plans/words.py's; here is their
layout. Offices retype these headers and category names with extra spaces, full-width
spaces, quotes and line breaks, so everything read is compared after `normalise`.
"""

import math
import re
import unicodedata
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..words import (
    CATEGORY_SHORT,
    COMPLETION,
    FIELD_SHORT,
    INDIVIDUAL_TABLE,
    ITEM_FIELDS,
    NUMBER,
    SPECIAL_MEASURES,
    TABLE_CATEGORY,
    TEAM_TABLE,
    Category,
    Priority,
    text_label,
)

C = Category

MEGABYTE = 1024 * 1024  # what "MB" means wherever a size is stated
MAX_MEGABYTES = 5  # an uploaded workbook, in the unit every message states it in
MAX_BYTES = MAX_MEGABYTES * MEGABYTE
MAX_ROWS = 10_000  # rows of a list

# Aspects of a team plan's measures with no problem of their own.
MEASURE_ONLY = (Category.SPECIAL_AND_INSTITUTIONS,)

TEAM = "team"
INDIVIDUAL = "individual"
SPECIAL = "special"  # 附件1 专项整治工作方案
INSTITUTION = "institution"  # 附件2 制度建设计划


def _columns(table, widths):
    """(field, header, width) of TABLE's columns; WIDTHS in Excel characters, a Chinese
    character taking two."""
    return tuple((field, header, width) for (field, header), width in zip(table, widths, strict=True))


TEAM_COLUMNS = _columns(TEAM_TABLE, (6, 16, 42, 50, 12, 16))
INDIVIDUAL_COLUMNS = _columns(INDIVIDUAL_TABLE, (6, 44, 52, 16, 18))
# 分轻重缓急 (section 一): a problem's priority, exported after the notice's own columns so
# that its layout is kept, and read back by its header (a file without it: 一般).
PRIORITY_COLUMN = ("priority", ITEM_FIELDS["priority"], 10)
UNIT_COLUMN = ("unit", ITEM_FIELDS["unit"], 16)
ANSWERS_COLUMN = ("answers", ITEM_FIELDS["answers"], 36)
CLAIMS_COLUMN = ("claims", ITEM_FIELDS["claims"], 36)
# On the row of a measure that answers several problems (written once, under one of them):
# every problem it answers, one a line.
ADDRESSES_COLUMN = ("addresses", ITEM_FIELDS["addresses"], 36)
# The problem cell of a measure that answers no problem: a blank cell is the problem above.
NO_PROBLEM = _("（不针对具体问题）")
NO_PROBLEM_WORDS = ("无", "/", "—", "-", "——")
SPECIAL_COLUMNS = (
    ("number", NUMBER, 6),
    ("task", ITEM_FIELDS["special_task"], 30),
    ("measures", SPECIAL_MEASURES, 56),
    ("unit", ITEM_FIELDS["unit"], 18),
    ("deadline", FIELD_SHORT["deadline"], 16),
)
INSTITUTION_COLUMNS = (
    ("number", NUMBER, 6),
    ("task", text_label("tasks"), 50),
    ("origin", ITEM_FIELDS["origin"], 22),
    ("unit", ITEM_FIELDS["unit"], 18),
    ("deadline", COMPLETION, 16),
)
# 附件2's 重点领域, after its own columns.
FOCUS_COLUMN = ("focus", ITEM_FIELDS["focus"], 30)
ATTACHMENT_COLUMNS = {SPECIAL: SPECIAL_COLUMNS, INSTITUTION: (*INSTITUTION_COLUMNS, FOCUS_COLUMN)}
# The headers that make a row the header of an attachment's table.
ATTACHMENT_NEEDS = {SPECIAL: {"task", "measures"}, INSTITUTION: {"task", "origin"}}


def header_text(header):
    """A column's header as a cell holds it: on one line (the cell wraps by its width)."""
    return str(header).replace("\n", "")


def megabytes(size):
    """SIZE bytes in MB to one decimal, rounded up: a file over the limit never reads as at it."""
    return math.ceil(size * 10 / MEGABYTE) / 10


# What else offices write for the same categories (compared after `normalise`).
CATEGORY_ALIASES = {
    C.POLITICAL_DISCIPLINE: ("遵守政治纪律问题", "遵守政治纪律方面的问题", "政治纪律方面", "政治纪律"),
    C.EIGHT_RULES: (
        "贯彻中央八项规定和省委九项规定精神方面",
        "中央八项规定和省委九项规定",
        "贯彻中央八项规定和省委九项规定问题",
        "八项规定",
    ),
    C.FOUR_WINDS: ("四风方面突出问题", "四风方面的突出问题", "四风问题", "四风"),
    C.MASS_INTERESTS: ("关系群众切身利益问题", "群众切身利益方面", "群众切身利益"),
    C.LAST_MILE: (
        "联系服务群众最后一公里方面",
        "服务群众最后一公里问题",
        "联系服务群众最后一公里问题",
        "最后一公里",
    ),
    C.SPECIAL_AND_INSTITUTIONS: ("专项整治和建章立制", "专项整治和制度建设"),
    C.THEORY_AND_DISCIPLINE: ("理论武装和政治纪律",),
    C.STYLE_AND_FOUR_WINDS: ("转变作风整治四风", "整治四风"),
}

# In the 问题类别 column a name that is none of the above is read by its key words,
# most specific first.
CATEGORY_WORDS = (
    ("理论武装", C.THEORY_AND_DISCIPLINE),
    ("转变作风", C.STYLE_AND_FOUR_WINDS),
    ("整治四风", C.STYLE_AND_FOUR_WINDS),
    ("专项整治", C.SPECIAL_AND_INSTITUTIONS),
    ("建章立制", C.SPECIAL_AND_INSTITUTIONS),
    ("政治纪律", C.POLITICAL_DISCIPLINE),
    ("八项", C.EIGHT_RULES),
    ("九项", C.EIGHT_RULES),
    ("最后一公里", C.LAST_MILE),
    ("切身利益", C.MASS_INTERESTS),
    ("四风", C.FOUR_WINDS),
)

QUOTES = dict.fromkeys(map(ord, "“”‘’\"'「」『』〝〞〃"))
# 一、 (一) 1. ① (NFKC has made ① a 1): numbering before a heading.
NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.,]|\(?[一二三四五六七八九十\d]+\)[、.]?|\d{1,2}[、.]?)"
)


class SheetError(Exception):
    """A workbook that cannot be read or imported; MESSAGE says why, in Chinese."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


def normalise(text):
    """'序  号' -> '序号', '“四风”方面\\n突出问题' -> '四风方面突出问题'; full-width
    letters, digits and punctuation become half-width."""
    text = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", text).translate(QUOTES)


@lru_cache(maxsize=8)
def _category_names(language):
    names = {}
    for code in Category:
        for name in (code.label, CATEGORY_SHORT.get(code), TABLE_CATEGORY.get(code), code.value):
            if name:
                names[normalise(name)] = code.value
        for name in CATEGORY_ALIASES.get(code, ()):
            names[normalise(name)] = code.value
    return names


def match_category(text, strict=False):
    """The Category code a cell names, or None. STRICT: the whole text must be a name
    of the category (for a heading row); otherwise key words are enough."""
    key = NUMBERING.sub("", normalise(text)).rstrip(":;。.")
    if not key:
        return None
    code = _category_names(get_language()).get(key)
    if code or strict:
        return code
    for word, code in CATEGORY_WORDS:
        if word in key:
            return code.value
    return None


def header_field(text):
    """Which column a header cell names ('number', 'category', 'problem', 'measures',
    'owner', 'deadline', 'note', 'priority', 'unit', 'answers', 'claims', 'addresses'), or None."""
    key = normalise(text)
    if not key or len(key) > 20:
        return None
    for name, header, _width in (
        PRIORITY_COLUMN,
        UNIT_COLUMN,
        ANSWERS_COLUMN,
        CLAIMS_COLUMN,
        ADDRESSES_COLUMN,
    ):
        if key == normalise(header):
            return name
    if key.startswith("序号") or key in ("序", "编号"):
        return "number"
    if "类别" in key or key in ("类型", "问题类型", "分类"):
        return "category"
    if "措施" in key or "任务" in key:
        return "measures"
    if "时限" in key or "期限" in key or "时间" in key:
        return "deadline"
    if "备注" in key:
        return "note"
    if "责任" in key or "牵头" in key:
        return "owner"
    if "问题" in key or "清单" in key or "表现" in key:
        return "problem"
    return None


# After `normalise`, so "注：" is "注:".
NOTE_PREFIXES = (
    "注:",
    "注1",
    "注一",
    "附注",
    "说明:",
    "填表说明",
    "填报说明",
    "填表人",
    "填报人",
    "审核人",
    "联系人",
    "联系电话",
    "制表人",
    "制表:",
)


def is_note(text):
    """Whether a row that starts with TEXT is a note under the table (注：…, 填表说明 …)."""
    key = normalise(text)
    return key == "注" or key.startswith(NOTE_PREFIXES)


def attachment_fields(values):
    """(kind, {field: column index}) of a header row of 附件1 or 附件2 as the export heads
    them, or None."""
    keys = [normalise(value) if isinstance(value, str) else "" for value in values]
    for kind, columns in ATTACHMENT_COLUMNS.items():
        found = {
            field: keys.index(normalise(header))
            for field, header, _width in columns
            if normalise(header) in keys
        }
        if ATTACHMENT_NEEDS[kind] <= found.keys():
            return kind, found
    return None


def no_problem(text):
    """Whether a problem cell says the row's measure answers no problem."""
    key = normalise(text)
    return key == normalise(NO_PROBLEM) or key in NO_PROBLEM_WORDS


@lru_cache(maxsize=8)
def _priority_names(language):
    return {normalise(label): code for code, label in Priority.choices}


def match_priority(text):
    """The Priority code a 轻重缓急 cell names (急, 重, 一般), or None."""
    return _priority_names(get_language()).get(normalise(text))
