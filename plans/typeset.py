"""Words kept whole in the tables' narrow columns, and rows that may break across pages.

A column of two or three characters breaks Chinese text between any two characters, so a
header printed "序/号" or "整改时/限" and a category "遵守政/治纪律". GB/T 9704 breaks lines
between words. `words(text)` cuts TEXT into the words of the tables' headers, categories and
deadlines (and a number with its unit), and the templates print each word
of more than one character unbroken (`keep_words`, official.css `.word`).
"""

import re

# The words of the notice's tables, the category names the tables print and the deadlines.
VOCABULARY = (
    "序号", "问题", "类别", "清单", "整改", "任务", "措施", "责任人", "责任", "单位", "时限",
    "轻重", "缓急", "具体", "备注", "方面", "突出", "整治", "项目", "完成", "制度", "建设",
    "重点", "遵守", "政治", "纪律", "存在", "贯彻", "中央", "八项", "省委", "九项", "规定",
    "关系", "群众", "切身", "利益", "服务", "最后", "一公里", "推进", "专项", "建章立制",
    "加强", "理论", "武装", "严守", "转变", "作风", "底前", "年底", "月底", "以前", "长期",
    "坚持", "立行立改", "精神", "联系", "四风", "”", "“",
)  # fmt: skip

_PATTERN = re.compile(
    r"\d+(?:\.\d+)?[年月日号条项个]?|"
    + "|".join(re.escape(word) for word in sorted(VOCABULARY, key=len, reverse=True))
    + r"|.",
    re.S,
)


# Before an opening quotation mark and after a closing one the line may break (a zero-width
# space says so): Pango breaks on neither side of a quotation mark, and "“四风”方面" or
# "群众“最后" is wider than the column.
OPENING_QUOTE = "“"
CLOSING_QUOTE = "”"
BREAK = "\u200b"


def words(text):
    """TEXT as its words: "整改时限" -> ["整改", "时限"], "2014年12月底前" -> ["2014年",
    "12月", "底前"]; characters outside the vocabulary stand alone."""
    return _PATTERN.findall(text or "")


# A row with a cell longer than this (in characters) may not fit on one page in the
# tables' narrowest text column: it may break across pages (official.css tr.tall), where
# the header repeats, instead of being pushed whole to a page it overflows without one.
TALL_ROW = 250


def longest(value):
    """The longest text a printed table's row (a dict of what its cells print) holds."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return max((longest(v) for v in value.values()), default=0)
    if hasattr(value, "text"):  # an item the row prints from
        return max(len(value.text or ""), len(getattr(value, "measures", "") or ""))
    return 0


def tall(row):
    return longest(row) > TALL_ROW
