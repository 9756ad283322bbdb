"""Publish dates as Chinese government CMSs print them, in text and in URLs.

For: reading the date of a list item or an article ("2025-06-05",
"2025/6/5", "2025.06.05", "2025年6月5日", "二〇二五年六月五日", with an
optional time, in brackets or after a label such as "发布时间："), month-day
only dates ("[06-05]", "06-05", "6月5日") whose year comes from context, and
the dates CMSs put in URLs (TRS ``t20250605_123.html`` and ``/202506/``,
Hanweb ``/art/2025/6/5/art_1229_123.html``, ``/2025-06/05/``,
``/20250605/``).
Not for: relative dates ("3天前"), times on their own, year-month only
("2025-06" in text), or deciding *which* date of a page is its publish date
(the list-page reader and the page analyser decide that; this module only
reads the dates they point at).

Rules every function follows:

* Years outside 1990..2100 and impossible days (2025-02-30) are rejected.
* A date must stand on its own: digits, letters, ``.``, ``-``, ``/`` or
  ``_`` right before it, or a further digit group right after it, make it
  part of something else, so 索引号 (``11330100002489954F/2025-00123``,
  ``…/2025-06-05-00123``), 文号 (``杭政办发〔2025〕12号``), phone numbers
  (``0571-87051234``), version strings (``v2025.06.05``, ``1.2025.06.05``)
  and IP-like dotted numbers are not dates.
* Compact ``20250605`` is read only from URLs: in text an 8-digit number is
  as likely a phone or serial number.
* Month-day dates are resolved with ``default_year`` when given (the caller
  knows the year, e.g. from the item's URL or a year heading); otherwise with
  ``as_of``: the latest year in which that month-day is not after ``as_of``
  (``as_of`` 2025-06-10: "06-05" is 2025-06-05, "12-20" is 2024-12-20,
  "02-29" is 2024-02-29). With neither, a month-day date yields nothing.

Why regexes and not a library (measured on this machine, one core, the same
10,000 strings: 8 date formats plus phone numbers, 索引号, 文号 and 2025-02-30):

* dateparser 1.5 (languages=["zh"]): ~1.6 ms a string, 16 s for 10,000 —
  a list page holds 20-50 dates, so ~10,000 pages would take minutes;
  and it returns nothing for "发布时间：2025-06-05 10:23:45" (92% right).
* python-dateutil (fuzzy): 57 µs a string but reads "2006年1月3日" as
  the current year and "杭政办发〔2017〕12号" as a date (75% right).
* htmldate 1.11: whole-page oriented (~0.7 ms a string wrapped as a page),
  falls back to year-only dates ("2021年3月4日" -> 2021-01-01) and takes
  文号 and 索引号 years as dates (67% right).
* this module (parse_date): ~10 µs a string, 0.1 s for the 10,000, 100% on
  that set (tests/text/test_date_parsing.py holds the edge cases).
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple
from urllib.parse import urlsplit

MIN_YEAR = 1990
MAX_YEAR = 2100
MAX_SCAN = 100_000  # characters of text find_dates looks at
MAX_DATES = 1_000  # dates find_dates returns at most

# Full-width digits and punctuation that CMSs (and copy-pasting editors) use.
_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９－／．：　［］（）",
    "0123456789-/.: []()",
)

_YEAR = r"((?:19|20|21)\d\d)"
_TIME = r"(?:\s*(?:T|\s)\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_BEFORE = r"(?<![0-9A-Za-z_.\-/\\])"
# After a date: no further digit, letter or digit group ("2025-06-05-00123", "2025.06.05.1").
_AFTER = r"(?![0-9A-Za-z]|[-/.:]\d)"

_FULL = re.compile(
    _BEFORE
    + r"(?:"
    + _YEAR
    + r"\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})"  # 2025-06-05, 2025/6/5, 2025.06.05
    + r"|"
    + _YEAR
    + r"\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"  # 2025年6月5日
    + r")"
    + _TIME
    + _AFTER
)
# Month-day only. Digits-with-separator forms need two digits each in free text
# ("06-05"); parse_date, which is given a date string, also takes "6-5" and "06.05".
_MD_STRICT = re.compile(
    r"(?<![0-9A-Za-z_.\-/\\:年])(?:(\d{2})([-/])(\d{2})|(\d{1,2})\s*月\s*(\d{1,2})\s*[日号])"
    + _TIME
    + r"(?![0-9A-Za-z]|[-/.:]\d)"
)
_MD_LOOSE = re.compile(
    r"(?<![0-9A-Za-z_.\-/\\:年])(?:(\d{1,2})([-/.])(\d{1,2})|(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)"
    + _TIME
    + r"(?![0-9A-Za-z]|[-/.:]\d)"
)
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_CN_FULL = re.compile(
    r"([〇零○一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,4})\s*日"
)


def _make(year: int, month: int, day: int) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _cn_number(text: str) -> int:
    """一..三十一 in the forms dates use: 五, 十, 十二, 二十, 二十五, 三十一."""
    if "十" not in text:
        return _CN_DIGITS.get(text, 0) if len(text) == 1 else 0
    tens, _, ones = text.partition("十")
    value = (_CN_DIGITS.get(tens, 0) if tens else 1) * 10
    return value + (_CN_DIGITS.get(ones, 0) if ones else 0)


def _cn_date(match: re.Match[str]) -> date | None:
    year = int("".join(str(_CN_DIGITS[c]) for c in match.group(1)))
    return _make(year, _cn_number(match.group(2)), _cn_number(match.group(3)))


def _full_date(match: re.Match[str]) -> date | None:
    if match.group(1):
        return _make(int(match.group(1)), int(match.group(3)), int(match.group(4)))
    return _make(int(match.group(5)), int(match.group(6)), int(match.group(7)))


def resolve_month_day(
    month: int, day: int, *, default_year: int | None = None, as_of: date | None = None
) -> date | None:
    """The date of a month-day with no year: `default_year` if given, else the latest not after `as_of`."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if default_year is not None:
        return _make(default_year, month, day)
    if as_of is None:
        return None
    for year in range(as_of.year, max(MIN_YEAR, as_of.year - 8) - 1, -1):
        found = _make(year, month, day)
        if found is not None and found <= as_of:
            return found
    return None


def _md_date(match: re.Match[str], default_year: int | None, as_of: date | None) -> date | None:
    if match.group(1):
        month, day = int(match.group(1)), int(match.group(3))
    else:
        month, day = int(match.group(4)), int(match.group(5))
    return resolve_month_day(month, day, default_year=default_year, as_of=as_of)


def normalize(text: str) -> str:
    """Full-width digits and punctuation to ASCII (same length, so offsets stay valid)."""
    return text.translate(_FULLWIDTH)


def parse_date(text: str, *, default_year: int | None = None, as_of: date | None = None) -> date | None:
    """The date a short date string states ("[2025-06-05]", "发布时间：2025年6月5日 10:00").

    The first full date (with a year) in the first 200 characters wins; when
    there is none, a month-day ("06-05", "[6-5]", "06.05", "6月5日") is resolved
    with `default_year` or `as_of` (see the module docstring). Returns None
    for anything that is not a real date.
    """
    spans = date_spans(text[:200], default_year=default_year, as_of=as_of, loose=True)
    for span in spans:
        if span.has_year:
            return span.value
    return spans[0].value if spans else None


class DateSpan(NamedTuple):
    """A date found in text: where it stands (offsets in the given text) and whether it had a year."""

    start: int
    end: int
    value: date
    has_year: bool


def date_spans(
    text: str,
    *,
    default_year: int | None = None,
    as_of: date | None = None,
    loose: bool = False,
) -> list[DateSpan]:
    """Every date in `text` with its position, in order of appearance.

    Full dates always; month-day dates only when `default_year` or `as_of`
    is given, in their unambiguous forms ("06-05", "06/05", "6月5日") unless
    `loose` (also "6-5", "06.05", "6月5"), which suits a string already known
    to hold a date. Looks at the first MAX_SCAN characters, returns at most
    MAX_DATES. Offsets refer to `text` (normalisation keeps lengths).
    """
    if not text:
        return []
    text = normalize(text[:MAX_SCAN])
    found: list[DateSpan] = []
    taken: list[tuple[int, int]] = []
    for match in _FULL.finditer(text):
        taken.append(match.span())
        value = _full_date(match)
        if value is not None:
            found.append(DateSpan(match.start(), match.end(), value, True))
    if "年" in text:
        for match in _CN_FULL.finditer(text):
            taken.append(match.span())
            value = _cn_date(match)
            if value is not None:
                found.append(DateSpan(match.start(), match.end(), value, True))
    if default_year is not None or as_of is not None:
        for match in (_MD_LOOSE if loose else _MD_STRICT).finditer(text):
            start, end = match.span()
            if any(a < end and start < b for a, b in taken):
                continue
            value = _md_date(match, default_year, as_of)
            if value is not None:
                found.append(DateSpan(start, end, value, False))
    found.sort(key=lambda span: span.start)
    return found[:MAX_DATES]


def find_dates(text: str, *, default_year: int | None = None, as_of: date | None = None) -> list[date]:
    """Every date in free text, in order of appearance (duplicates kept).

    Full dates always; month-day dates only in their unambiguous forms
    ("06-05", "06/05", "6月5日") and only when `default_year` or `as_of`
    is given. Looks at the first MAX_SCAN characters, returns at most MAX_DATES.
    """
    return [span.value for span in date_spans(text, default_year=default_year, as_of=as_of)]


# --- URLs -------------------------------------------------------------------

_URL_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # TRS: t20250605_123.html, P020250605384920123456.pdf (TRS attachment names)
    (re.compile(r"/t((?:19|20|21)\d{6})_\d+\.\w+$"), "compact"),
    (re.compile(r"/P0((?:19|20|21)\d{6})\d{6,}\.\w+$"), "compact"),
    # Hanweb: /art/2025/6/5/art_1229_123.html; generic /2025/06/05/
    (re.compile(r"/((?:19|20|21)\d\d)/(\d{1,2})/(\d{1,2})/"), "ymd"),
    # /2025-06/05/ (Xinhua style), /2025-06-05/
    (re.compile(r"/((?:19|20|21)\d\d)-(\d{1,2})/(\d{1,2})/"), "ymd"),
    (re.compile(r"/((?:19|20|21)\d\d)-(\d{1,2})-(\d{1,2})(?:/|\.\w+$|_)"), "ymd"),
    # /2025/0605/ (People's Daily style)
    (re.compile(r"/((?:19|20|21)\d\d)/(\d\d)(\d\d)/"), "ymd"),
    # a whole path segment or file name of 8 digits: /20250605/, /20250605.html, /20250605_12.html
    (re.compile(r"/((?:19|20|21)\d{6})(?:/|\.\w+$|_\d+\.\w+$)"), "compact"),
    # month precision: /202506/ (TRS), /2025-06/ and /2025/06/ at the end of the directory part
    (re.compile(r"/((?:19|20|21)\d\d)(\d\d)/"), "ym"),
    (re.compile(r"/((?:19|20|21)\d\d)[-/](\d\d)/[^/]*$"), "ym"),
)


def date_from_url(url: str) -> date | None:
    """The publish date a CMS wrote into a URL's path, or None.

    Day-precise patterns are tried first (TRS ``t20250605_…``, Hanweb
    ``/art/2025/6/5/``, ``/2025-06/05/``, ``/2025/0605/``, ``/20250605/``);
    a month-only directory (``/202506/``) gives the first of that month, a
    lower bound good enough for freshness but not for exact-day rules.
    The query string and host are ignored.
    """
    if not url:
        return None
    try:
        path = urlsplit(url[:2000]).path
    except ValueError:
        return None
    for pattern, kind in _URL_PATTERNS:
        for match in pattern.finditer(path):
            if kind == "compact":
                digits = match.group(1)
                found = _make(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
            elif kind == "ymd":
                found = _make(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            else:
                found = _make(int(match.group(1)), int(match.group(2)), 1)
            if found is not None:
                return found
    return None
