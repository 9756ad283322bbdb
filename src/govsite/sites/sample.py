"""The 2025 participant list: every site the report's 调查对象与样本 section lists.

(Not the generated sites of ``govsite.samplesites``: those are local test sites.)

``data/survey_2025.csv`` holds one row per site per survey, in the report's
listing order: 66 数字政府 participants (32 省级, 34 城市), 914 政府网站
(63 部委, 851 地方) and 335 开发区. It was parsed from the report text and every
count checked against the printed ones; the source disagrees with itself in
two places, kept as printed (see ``tests/sites/test_sample.py``):

* 陕西省's row says "(24个)" but lists 25 sites (14 区县, the last being
  安康's 紫阳县), so 地方 has 851 sites and 486 区县 against the printed 850
  and 485.
* The 开发区 rows list 187 sites under 经开区 and 148 under 高新区, against the
  printed 188 and 147; the total, 335, and every province's count agree.

Division codes are not stored in the CSV but looked up in ``divisions`` when
the list is loaded.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from govsite.sites import divisions

__all__ = [
    "DIVISION_LEVELS",
    "LEVELS",
    "SURVEYS",
    "SurveyObject",
    "load_sample_2025",
]

SURVEYS = ("digital_gov", "portal", "devzone")
LEVELS = (
    "ministry",
    "province",
    "municipality",
    "capital",
    "prefecture",
    "county",
    "etdz",
    "hitech",
)
DIVISION_LEVELS = frozenset({"province", "municipality", "capital", "prefecture", "county"})
"""Levels whose sites belong to an administrative division (and so have a code)."""

_DATA_FILE = "survey_2025.csv"
_COLUMNS = (
    "survey",
    "group",
    "level",
    "name",
    "official_name",
    "province",
    "city",
    "category",
    "self_registered",
    "url",
)


@dataclass(frozen=True)
class SurveyObject:
    """One site in one survey of the participant list."""

    survey: str  # digital_gov | portal | devzone
    group: str  # the report's grouping: 省级/城市, 部委/省级/地市/区县, 经开区/高新区
    level: str  # one of LEVELS
    name: str  # as printed in the report
    official_name: str  # the division dataset's name when the printed one is short
    province: str  # full province-level name; empty for ministries
    city: str  # a county's prefecture; empty otherwise
    category: str  # a ministry's category; empty otherwise
    self_registered: bool
    url: str
    division_code: str | None

    @property
    def division_name(self) -> str:
        """The name to look the site up by: the official name if there is one."""
        return self.official_name or self.name

    @property
    def sort_code(self) -> str:
        """Ordering key by division code (兵团 right after 新疆, see divisions.sort_code)."""
        return divisions.sort_code(self.name, self.division_code)


def _division_code(row: dict[str, str]) -> str | None:
    if row["level"] not in DIVISION_LEVELS or row["name"] == divisions.XPCC_NAME:
        return None
    return divisions.find_code(
        row["official_name"] or row["name"],
        province=row["province"] or None,
        city=row["city"] or None,
    )


@cache
def _load() -> tuple[SurveyObject, ...]:
    text = (resources.files("govsite.sites") / "data" / _DATA_FILE).read_text("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != _COLUMNS:
        raise ValueError(f"{_DATA_FILE}: 列名应为 {','.join(_COLUMNS)}")
    objects = []
    for row in reader:
        if row["survey"] not in SURVEYS or row["level"] not in LEVELS:
            raise ValueError(f"{_DATA_FILE} 第 {reader.line_num} 行：调查或级别无效")
        if row["self_registered"] not in ("0", "1"):
            raise ValueError(f"{_DATA_FILE} 第 {reader.line_num} 行：self_registered 应为 0 或 1")
        objects.append(
            SurveyObject(
                survey=row["survey"],
                group=row["group"],
                level=row["level"],
                name=row["name"],
                official_name=row["official_name"],
                province=row["province"],
                city=row["city"],
                category=row["category"],
                self_registered=row["self_registered"] == "1",
                url=row["url"],
                division_code=_division_code(row),
            )
        )
    return tuple(objects)


def load_sample_2025() -> list[SurveyObject]:
    """All survey objects of 2025 in the report's order (a fresh list over cached data)."""
    return list(_load())
