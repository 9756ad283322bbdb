"""Publish dates as Chinese government CMSs print them, and the numbers that only look like dates."""

from __future__ import annotations

import random
import time
from datetime import date

import pytest

from govsite.text.dates import date_from_url, date_spans, find_dates, parse_date

D = date(2025, 6, 5)


@pytest.mark.parametrize(
    "text",
    [
        "2025-06-05",
        "2025-6-5",
        "2025/06/05",
        "2025/6/5",
        "2025.06.05",
        "2025.6.5",
        "2025年6月5日",
        "2025年06月05日",
        "2025 年 6 月 5 日",
        "2025年6月5号",
        "2025-06-05 10:23",
        "2025-06-05 10:23:45",
        "2025-06-05T10:23:45",
        "2025年6月5日 09:30",
        "[2025-06-05]",
        "(2025-06-05)",
        "（2025-06-05）",
        "【2025.06.05】",
        "发布时间：2025-06-05",
        "发布日期:2025年6月5日 10:00:00",
        "日期：2025/06/05 来源：市政府办公厅",
        "２０２５－０６－０５",
        "二〇二五年六月五日",
        "  2025-06-05\n",
    ],
)
def test_formats_cms_use_are_read(text):
    assert parse_date(text) == D


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("二〇二四年十二月三十一日", date(2024, 12, 31)),
        ("二〇二五年十月二十日", date(2025, 10, 20)),
        ("二〇一九年一月十日", date(2019, 1, 10)),
        ("2024-02-29", date(2024, 2, 29)),
        ("1990-01-01", date(1990, 1, 1)),
        ("2100-12-31", date(2100, 12, 31)),
    ],
)
def test_edge_dates_that_exist_are_read(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2025-02-30",  # no such day
        "2025-02-29",  # not a leap year
        "2025-13-01",
        "2025-00-10",
        "2025-06-00",
        "2025年6月31日",
        "1989-12-31",  # before 1990
        "2101-01-01",  # after 2100
        "0571-87051234",  # phone
        "0571-8705-1234",
        "13905710000",
        "20250605",  # 8 digits in text: could be a phone or a serial number
        "11330100002489954F/2025-00123",  # 索引号
        "000014349/2025-06-05-00123",  # 索引号 holding a date-like part
        "杭政办发〔2025〕12号",  # 文号
        "浙政发〔2025〕6号",
        "v2025.06.05",  # version strings
        "1.2025.06.05",
        "2025.06.05.1",
        "jquery-1.12.4.min.js",
        "192.168.1.1",
        "2025-06",  # month only
        "2025年6月",
        "第2025-06号",
        "",
        "暂无信息",
    ],
)
def test_things_that_are_not_dates_are_rejected(text):
    assert parse_date(text) is None
    assert find_dates(text) == []


def test_month_day_takes_the_latest_year_not_after_as_of():
    as_of = date(2025, 6, 10)
    assert parse_date("06-05", as_of=as_of) == date(2025, 6, 5)
    assert parse_date("[06-05]", as_of=as_of) == date(2025, 6, 5)
    assert parse_date("06-10", as_of=as_of) == date(2025, 6, 10)  # as_of itself is not after as_of
    assert parse_date("06-11", as_of=as_of) == date(2024, 6, 11)
    assert parse_date("12-20", as_of=as_of) == date(2024, 12, 20)
    assert parse_date("6月5日", as_of=as_of) == date(2025, 6, 5)
    assert parse_date("(6-5)", as_of=as_of) == date(2025, 6, 5)
    assert parse_date("06.05", as_of=as_of) == date(2025, 6, 5)
    assert parse_date("06/05 10:30", as_of=as_of) == date(2025, 6, 5)


def test_february_29_goes_back_to_the_last_leap_year():
    assert parse_date("02-29", as_of=date(2025, 6, 1)) == date(2024, 2, 29)
    assert parse_date("02-29", as_of=date(2024, 2, 28)) == date(2020, 2, 29)


def test_default_year_wins_over_as_of():
    assert parse_date("12-20", default_year=2023, as_of=date(2025, 6, 10)) == date(2023, 12, 20)
    assert parse_date("02-29", default_year=2025) is None  # no such day that year


def test_month_day_without_context_is_unknown():
    assert parse_date("06-05") is None
    assert find_dates("[06-05] 关于开展安全生产检查的通知") == []


def test_impossible_month_day_is_rejected_even_with_context():
    assert parse_date("02-30", as_of=D) is None
    assert parse_date("13-01", as_of=D) is None


def test_full_date_is_preferred_over_a_month_day_in_the_same_string():
    assert parse_date("06-01 更新 2024-12-31", as_of=D) == date(2024, 12, 31)


def test_find_dates_returns_every_date_in_order():
    text = "发布时间：2025-06-05 10:00 信息来源：市政府办公厅 成文日期：2025年5月30日 有效期至2027/05/29"
    assert find_dates(text) == [D, date(2025, 5, 30), date(2027, 5, 29)]


def test_find_dates_reads_month_day_only_in_unambiguous_forms():
    text = "会议于6月5日召开，3-5人一组，比分1.5，[06-01]发布"
    assert find_dates(text, as_of=date(2025, 6, 10)) == [date(2025, 6, 5), date(2025, 6, 1)]


def test_find_dates_does_not_read_parts_of_a_full_date_again():
    assert find_dates("2025-06-05", as_of=date(2025, 6, 10)) == [D]


def test_find_dates_ignores_document_numbers_and_index_numbers_in_running_text():
    text = "索引号：11330100002489954F/2025-00123 文号：杭政办发〔2025〕12号 电话：0571-87051234 发布日期：2025-06-05"
    assert find_dates(text) == [D]


def test_date_spans_give_positions_in_the_original_text():
    text = "［２０２５－０６－０５］标题"
    (span,) = date_spans(text)
    assert text[span.start : span.end] == "２０２５－０６－０５"
    assert span.has_year


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.gov.cn/zhengce/content/202506/t20250605_123456.htm", D),
        ("https://www.hangzhou.gov.cn/col/xxgk/tzgg/202506/t20250605_4123456.shtml", D),
        ("https://www.zj.gov.cn/art/2025/6/5/art_1229019365_60212345.html", D),
        ("https://www.zj.gov.cn/art/2025/06/05/art_1229_1.html", D),
        ("http://www.news.cn/politics/2025-06/05/c_1130123456.htm", D),
        ("http://example.gov.cn/xwzx/2025-06-05/123.html", D),
        ("http://paper.people.com.cn/2025/0605/c1001-123.html", D),
        ("http://example.gov.cn/news/20250605/123.html", D),
        ("http://example.gov.cn/news/20250605_12.html", D),
        ("http://example.gov.cn/uploads/P020250605384920123456.pdf", D),
        ("http://example.gov.cn/xwzx/202506/abcdef.html", date(2025, 6, 1)),  # month only: the 1st
        ("http://example.gov.cn/col/col1229/index.html?uid=123&pageNum=2", None),
        ("http://example.gov.cn/art_1229_20250230.html", None),
        ("http://example.gov.cn/202513/t20251305_1.html", None),  # no month 13
        ("http://example.gov.cn/tzgg/12345678.html", None),
        ("http://20250605.example.gov.cn/index.html", None),  # the host is not looked at
        ("http://example.gov.cn/list.jsp?date=2025-06-05", None),  # nor the query
        ("", None),
        ("http://[::1", None),
    ],
)
def test_dates_in_urls(url, expected):
    assert date_from_url(url) == expected


def test_day_precise_url_pattern_beats_the_month_directory():
    assert date_from_url("http://x.gov.cn/202506/t20250618_1.html") == date(2025, 6, 18)


def test_parsing_10000_date_strings_takes_well_under_a_second():
    rng = random.Random(7)
    strings = []
    for k in range(10_000):
        d = date(rng.randint(2000, 2025), rng.randint(1, 12), rng.randint(1, 28))
        strings.append(
            [
                d.isoformat(),
                f"{d.year}年{d.month}月{d.day}日",
                f"[{d:%Y/%m/%d}]",
                f"发布时间：{d} 10:23:45",
                "0571-87051234",
                f"杭政办发〔{d.year}〕12号",
            ][k % 6]
        )
    start = time.perf_counter()
    found = [parse_date(s) for s in strings]
    elapsed = time.perf_counter() - start
    assert sum(1 for f in found if f is not None) == sum(1 for k in range(10_000) if k % 6 < 4)
    assert elapsed < 1.0  # measured ~0.1 s on one core
