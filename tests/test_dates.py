"""Deadlines as offices write them: the words kept, the date derived in the plan's year."""

import datetime as dt

import pytest

from plans.documents import CAMPAIGN_YEAR, read_deadline
from plans.models import Document
from rectify.dates import chinese_date, deadline_label, parse_deadline

DATED = dt.date(2014, 9, 2)  # the day the plan is dated: 本月 is September


@pytest.mark.parametrize(
    ("words", "date"),
    [
        ("立即整改", DATED),
        ("立行立改", DATED),
        ("年底前", dt.date(2014, 12, 31)),
        ("年内", dt.date(2014, 12, 31)),
        ("今年年底", dt.date(2014, 12, 31)),
        ("9月30日前", dt.date(2014, 9, 30)),
        ("第三季度", dt.date(2014, 9, 30)),
        ("三季度末", dt.date(2014, 9, 30)),
        ("2014年12月底前", dt.date(2014, 12, 31)),
        ("本月底", dt.date(2014, 9, 30)),
        ("上半年", dt.date(2014, 6, 30)),
        ("明年上半年", dt.date(2015, 6, 30)),
        ("10月底", dt.date(2014, 10, 31)),
        ("10月底前", dt.date(2014, 10, 31)),
        ("２０１５年３月底前", dt.date(2015, 3, 31)),
        ("二〇一四年十一月底", dt.date(2014, 11, 30)),
        ("2014年9月—2015年6月", dt.date(2015, 6, 30)),
    ],
)
def test_each_phrase_is_read_as_a_date_in_the_plan_s_year(words, date):
    deadline = parse_deadline(words, default_year=2014, today=DATED)
    assert deadline.date == date
    assert deadline.text == words  # the office's own words are kept
    assert deadline.readable
    assert deadline_label(deadline.date, deadline.text) == words


def test_the_year_is_the_plan_s_own():
    assert parse_deadline("年底前", default_year=2015).date == dt.date(2015, 12, 31)
    assert parse_deadline("第一季度", default_year=2015).date == dt.date(2015, 3, 31)


def test_words_with_no_date_are_kept_as_an_answer():
    deadline = parse_deadline("长期坚持", default_year=2014, today=DATED)
    assert deadline.date is None and deadline.text == "长期坚持"
    assert deadline.readable and deadline.open_ended


def test_without_a_year_or_a_day_nothing_is_guessed():
    assert parse_deadline("年底前").date is None
    assert parse_deadline("10月底").date is None
    assert not parse_deadline("年底前").readable
    this_month = parse_deadline("本月底", default_year=2014)
    assert this_month.date is None and this_month.needs_day
    # 立即整改 stays an answer in words when the plan has no date to count from.
    now = parse_deadline("立即整改", default_year=2014)
    assert now.date is None and now.readable


@pytest.mark.parametrize("words", ["尽快", "底前", "2014年2月30日", "十三月底", "下次再说"])
def test_what_cannot_be_read_is_not_read(words):
    deadline = parse_deadline(words, default_year=2014, today=DATED)
    assert deadline.date is None and not deadline.readable
    assert deadline.text == words


def test_a_plan_reads_its_deadlines_in_its_own_year_else_the_campaign_s():
    assert CAMPAIGN_YEAR == 2014
    undated = Document(dated=None)
    assert read_deadline(undated, "年底前").date == dt.date(2014, 12, 31)
    assert read_deadline(undated, "本月底").needs_day
    dated = Document(dated=dt.date(2015, 1, 20))
    assert read_deadline(dated, "年底前").date == dt.date(2015, 12, 31)
    assert read_deadline(dated, "本月底").date == dt.date(2015, 1, 31)
    assert read_deadline(dated, "立即整改").date == dt.date(2015, 1, 20)


def test_chinese_date():
    assert chinese_date(dt.date(2014, 8, 7)) == "2014年8月7日"
    assert chinese_date(None) == ""
