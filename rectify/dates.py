"""Dates as Chinese offices write them, and back.

    parse_deadline("2014年10月底前")  -> Deadline(date(2014, 10, 31), "2014年10月底前")
    parse_deadline("长期坚持")        -> Deadline(None, "长期坚持")
    parse_deadline("年底前", 2014)    -> Deadline(date(2014, 12, 31), "年底前")
    parse_deadline("本月底", 2014, date(2014, 9, 2)) -> Deadline(date(2014, 9, 30), "本月底")
    chinese_date(date(2014, 8, 7))    -> "2014年8月7日"

Words without a year (年底前, 9月30日前, 第三季度, 上半年, 年内, 10月底) are read in the
year the caller gives (a plan's own year); words relative to a day (本月底, 立即整改)
need the day as well.

Nothing here knows about Django.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

# Deadlines that are real answers without a calendar date.
OPEN_ENDED = ("长期坚持", "长期", "持续推进", "持续开展", "立行立改", "即知即改", "常态化", "长效", "经常性")
# Deadlines that mean "now": dated the day they were written, when that day is known.
IMMEDIATE = re.compile(r"^(?:立即|立行立改|即知即改|马上|即时)(?:整改|改正|纠正|落实|执行|办理)?$")


@dataclass(frozen=True)
class Deadline:
    date: dt.date | None
    text: str

    @property
    def given(self):
        """Whether a deadline was stated at all (a date, or words such as 长期坚持)."""
        return bool(self.date or self.text)

    @property
    def open_ended(self):
        return self.date is None and any(word in self.text for word in OPEN_ENDED)

    @property
    def readable(self):
        """A date was found, or words that are an answer without one (长期坚持, 立即整改)."""
        return bool(self.date) or self.open_ended or bool(IMMEDIATE.match(_normalise(self.text)))

    @property
    def needs_day(self):
        """Words such as 本月底 that were not read because no day was given to count from."""
        return self.date is None and bool(THIS_MONTH.match(_normalise(self.text)))


def _chinese_number(text):
    """'二〇一四' -> 2014, '十二' -> 12, '三十一' -> 31, '12' -> 12."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (DIGITS.get(tens, 1) if tens else 1) * 10 + (DIGITS.get(ones, 0) if ones else 0)
    digits = [DIGITS.get(char) for char in text]
    if not digits or None in digits:
        raise ValueError(text)
    return int("".join(str(d) for d in digits))


def _normalise(text):
    text = text.strip()
    # Full-width digits and punctuation, spaces inside.
    text = text.translate(str.maketrans("０１２３４５６７８９．／－", "0123456789./-"))
    return re.sub(r"\s+", "", text)


NUM = r"(\d{1,4}|[〇零○Ｏ一二两三四五六七八九十]{1,4})"
# The year of a phrase: "2014年", "今年", "明年", or none (the caller's year).
YEAR = rf"(?:{NUM}年|(今年|本年|当年|明年|次年))?"
BEFORE = r"(?:前|以前|之前|止|完成)*"
END_OF_MONTH = re.compile(rf"^{YEAR}{NUM}月(?:底|末|份)?(?:前|以前|之前|止|完成|内)*$")
FULL_DATE = re.compile(rf"^{YEAR}{NUM}月{NUM}[日号]{BEFORE}$")
NUMERIC_DATE = re.compile(r"^(\d{4})[./-](\d{1,2})(?:[./-](\d{1,2}))?(?:前|以前|之前)?$")
YEAR_END = re.compile(rf"^{YEAR}(?:年)?(?:底|末|内)(?:前|以前|之前)?$")
HALF = re.compile(rf"^{YEAR}(上|下)半年(?:内|前|底前|末|底)?$")
QUARTER = re.compile(rf"^{YEAR}(?:第)?([一二三四1234])季度(?:内|末|底)?{BEFORE}$")
THIS_MONTH = re.compile(rf"^(?:本月|当月)(?:底|末|内)?{BEFORE}$")
RANGE = re.compile(r"^(.+?)(?:—|–|-|~|～|至|到)(.+)$")


RELATIVE_YEARS = {"今年": 0, "本年": 0, "当年": 0, "明年": 1, "次年": 1}


def _year(value, default_year, relative=None):
    """The year a phrase names: its digits, 今年/明年 from DEFAULT_YEAR, or DEFAULT_YEAR.
    Raises ValueError when the phrase names none and no DEFAULT_YEAR is given."""
    if value:
        year = _chinese_number(value)
        return year + 2000 if year < 100 else year
    if default_year is None:
        raise ValueError("no year")
    return default_year + RELATIVE_YEARS.get(relative, 0)


def _last_day(year, month):
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _parse_one(text, default_year, today):
    if match := FULL_DATE.match(text):
        year, relative, month, day = match.groups()
        return dt.date(_year(year, default_year, relative), _chinese_number(month), _chinese_number(day))
    if match := END_OF_MONTH.match(text):
        year, relative, month = match.groups()
        return _last_day(_year(year, default_year, relative), _chinese_number(month))
    if match := NUMERIC_DATE.match(text):
        year, month, day = match.groups()
        if day:
            return dt.date(int(year), int(month), int(day))
        return _last_day(int(year), int(month))
    if "年" in text and (match := YEAR_END.match(text)):
        return dt.date(_year(match.group(1), default_year, match.group(2)), 12, 31)
    if match := HALF.match(text):
        year = _year(match.group(1), default_year, match.group(2))
        return dt.date(year, 6, 30) if match.group(3) == "上" else dt.date(year, 12, 31)
    if match := QUARTER.match(text):
        quarter = {"一": 1, "二": 2, "三": 3, "四": 4}.get(match.group(3)) or int(match.group(3))
        return _last_day(_year(match.group(1), default_year, match.group(2)), quarter * 3)
    if today is not None and THIS_MONTH.match(text):
        return _last_day(today.year, today.month)
    if today is not None and IMMEDIATE.match(text):
        return today
    return None


def parse_deadline(value, default_year=None, today=None):
    """Read a deadline cell or field: a date, a datetime, or the words an office wrote.

    Text that names no calendar date (长期坚持, 立行立改 …) is kept as text with no date.
    Words without a year (10月底前, 年底前, 第三季度) take DEFAULT_YEAR when one is given;
    本月底 and 立即整改 are read from TODAY (the day the plan is dated) when it is given.
    """
    if value is None:
        return Deadline(None, "")
    if isinstance(value, dt.datetime):
        return Deadline(value.date(), "")
    if isinstance(value, dt.date):
        return Deadline(value, "")
    original = str(value).strip()
    if not original:
        return Deadline(None, "")
    text = _normalise(original)
    try:
        date = _parse_one(text, default_year, today)
        if date is None and (match := RANGE.match(text)):
            # "2014年9月—2015年6月": the deadline is the end of the range.
            date = _parse_one(match.group(2), default_year, today)
    except ValueError:
        date = None
    return Deadline(date, original)


def chinese_date(value):
    """2014-08-07 -> '2014年8月7日'."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def deadline_label(date, text):
    """What a deadline shows as: the office's own words if they wrote any, else the date."""
    if text:
        return text
    return chinese_date(date)
