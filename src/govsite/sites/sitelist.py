"""A user's own list of sites and URLs, read from CSV, and merged into the 2025 participant list.

The file has a header row with the columns ``name``, ``url``, ``level`` and
``code``, and optionally ``province`` (Chinese headers 名称, 网址, 级别, 代码,
省份 work too). ``level`` is one of ``sample.LEVELS``; ``code`` is a six-digit
GB/T 2260 code or empty (ministries, 开发区, or simply unknown). The file may
be UTF-8, UTF-8 with a BOM (Excel's "CSV UTF-8") or GBK/GB18030 (Excel's plain
"CSV" on a Chinese Windows): decoding follows ``govsite.userfiles`` (strict
decodes in that order, then charset-normalizer), and a file that cannot be
read at all raises its ``UserFileError``.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first
site row 2. Every bad row is reported as one ``SiteListError`` per problem and
left out; the good rows are kept.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from govsite.sites.sample import LEVELS, SurveyObject
from govsite.userfiles import decode_user_bytes, read_user_text

__all__ = [
    "Site",
    "SiteListError",
    "merge_urls",
    "parse_site_list",
    "read_site_list",
]

_HEADER_ALIASES = {
    "name": "name",
    "名称": "name",
    "url": "url",
    "网址": "url",
    "level": "level",
    "级别": "level",
    "code": "code",
    "代码": "code",
    "province": "province",
    "省份": "province",
}
_REQUIRED = ("name", "url", "level", "code")
_CODE = re.compile(r"[0-9]{6}")


@dataclass(frozen=True)
class Site:
    """A good row of a user's site list."""

    row: int
    name: str
    url: str
    level: str
    code: str | None
    province: str | None


@dataclass(frozen=True)
class SiteListError:
    """One problem with one row (row 1 is the header)."""

    row: int
    reason: str

    @property
    def message(self) -> str:
        return f"第 {self.row} 行：{self.reason}"

    def __str__(self) -> str:
        return self.message


def _cell(record: list[str], index: dict[str, int], column: str) -> str:
    i = index.get(column)
    return record[i].strip() if i is not None and i < len(record) else ""


def _is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def parse_site_list(data: bytes) -> tuple[list[Site], list[SiteListError]]:
    """Parse the bytes of a site-list CSV; return the good sites and the errors."""
    text, _encoding = decode_user_bytes(data)
    return _parse_text(text)


def read_site_list(path: str | Path) -> tuple[list[Site], list[SiteListError]]:
    """Read a site-list CSV file; return the good sites and the errors."""
    text, _encoding = read_user_text(path)
    return _parse_text(text)


def _parse_text(text: str) -> tuple[list[Site], list[SiteListError]]:
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if header is None:
        return [], [SiteListError(1, "文件为空，缺少表头")]
    columns = [_HEADER_ALIASES.get(h.strip().lower(), h.strip()) for h in header]
    missing = [c for c in _REQUIRED if c not in columns]
    if missing:
        return [], [SiteListError(1, f"表头缺少列：{'、'.join(missing)}")]
    index = {c: i for i, c in reversed(list(enumerate(columns)))}

    sites: list[Site] = []
    errors: list[SiteListError] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row_no, record in enumerate(rows, start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank line
        name, url, level, code, province = (
            _cell(record, index, c) for c in ("name", "url", "level", "code", "province")
        )
        level = level.lower()
        problems: list[str] = []
        if not name:
            problems.append("缺少名称")
        if not url:
            problems.append("缺少网址")
        elif not _is_http_url(url):
            problems.append(f"网址“{url}”不是 http:// 或 https:// 开头的网站地址")
        if level not in LEVELS:
            shown = f"“{level}”" if level else "为空"
            problems.append(f"级别{shown}无效，可选：{'、'.join(LEVELS)}")
        if code and not _CODE.fullmatch(code):
            problems.append(f"代码“{code}”不是 6 位数字")
        key = (name, level, province)
        if name and level in LEVELS and not problems:
            if key in seen:
                where = f"、省份“{province}”" if province else ""
                problems.append(f"与第 {seen[key]} 行重复（名称“{name}”、级别“{level}”{where}相同）")
            else:
                seen[key] = row_no
        if problems:
            errors.extend(SiteListError(row_no, p) for p in problems)
            continue
        sites.append(Site(row_no, name, url, level, code or None, province or None))
    return sites, errors


def merge_urls(sample: Iterable[SurveyObject], sites: Iterable[Site]) -> list[SurveyObject]:
    """The participant list (`sample`) with ``url`` filled from the user's sites.

    A site matches a survey object by division code (when both have one) or
    by level plus name (the printed or the official name), narrowed by the
    site's province when it gives one. A site that fits listed objects in
    more than one place (朝阳区 county, with neither code nor province: 北京
    or 长春?) fills none of them. The same site in several surveys (杭州市 in
    数字政府 and 政府网站) gets its URL in each. Objects without a match keep
    their URL.
    """
    objects = list(sample)
    site_list = list(sites)
    by_code = {s.code: s for s in site_list if s.code}
    by_name: dict[tuple[str, str], list[Site]] = {}
    for s in site_list:
        by_name.setdefault((s.level, s.name), []).append(s)

    def places(site: Site) -> set[tuple[str, str | None]]:
        """The distinct sites of the participant list a name-matched site could be."""
        return {
            (o.province, o.division_code)
            for o in objects
            if o.level == site.level
            and site.name in (o.name, o.official_name)
            and (site.province is None or site.province == o.province)
        }

    merged = []
    for obj in objects:
        site = by_code.get(obj.division_code) if obj.division_code else None
        if site is None:
            names = {obj.name, obj.official_name} - {""}
            fits = [
                s
                for n in names
                for s in by_name.get((obj.level, n), [])
                if (s.province is None or s.province == obj.province)
                and not (s.code and obj.division_code and s.code != obj.division_code)
                and len(places(s)) == 1
            ]
            site = fits[0] if len(fits) == 1 else None
        merged.append(replace(obj, url=site.url) if site else obj)
    return merged
