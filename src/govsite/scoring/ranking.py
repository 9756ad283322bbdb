"""Grade bands and the published order of sites.

The report's rule (第六章, 注): 同档内按照行政区划序列排序 — inside a band,
sites follow their GB/T 2260 administrative division code; participants that
registered themselves for the first time this year follow the rest (the 城市
table lists 连云港市 and 滨州市 last in their bands). Sites without a code
(ministries, 开发区) keep a stable order by name after the coded ones.
新疆生产建设兵团 has no GB/T 2260 code; `divisions.sort_code` gives it the
place the reference gives it, right after 新疆维吾尔自治区.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from govsite.frameworks import Framework
from govsite.scoring.engine import SiteResult
from govsite.sites import divisions
from govsite.sites.sample import SurveyObject, load_sample_2025

UNBANDED = "未分档"


@dataclass(frozen=True)
class RankedSite:
    position: int  # 1-based place in the published order
    band: str
    rank_by_total: int  # 1 = highest total (ties share a rank)
    result: SiteResult


def published_order(framework: Framework, results: Iterable[SiteResult]) -> list[RankedSite]:
    """Order results as the report publishes them: band by band, each by division code."""
    results = list(results)
    band_order = {band.name: index for index, band in enumerate(framework.bands)}
    totals = sorted({r.total for r in results}, reverse=True)
    rank_of_total = {total: index + 1 for index, total in enumerate(totals)}

    def key(result: SiteResult) -> tuple:
        band = result.band or UNBANDED
        code = divisions.sort_code(result.site, result.division_code) or None
        if framework.bands:
            return (
                band_order.get(band, len(band_order)),
                bool(result.self_registered),
                code is None,
                code or "",
                result.site,
            )
        # No bands published (portal frameworks): order by total, then by code.
        return (-result.total, bool(result.self_registered), code is None, code or "", result.site)

    ordered = sorted(results, key=key)
    return [RankedSite(index + 1, r.band or UNBANDED, rank_of_total[r.total], r) for index, r in enumerate(ordered)]


def survey_of(framework: Framework) -> str:
    """Which part of the 2025 participant list a framework scores (its code's prefix)."""
    for survey in ("digital_gov", "portal", "devzone"):
        if framework.code.startswith(survey):
            return survey
    return ""


def identify(framework: Framework, results: Sequence[SiteResult]) -> tuple[list[SiteResult], list[str]]:
    """Fill missing division codes and self-registration flags from the bundled 2025 participant list.

    A site is matched by name among the list's objects of the framework's
    survey and levels; a name that matches several different codes is left
    alone and reported, so nobody's order silently depends on a guess.
    """
    sample = [
        obj
        for obj in load_sample_2025()
        if obj.survey == survey_of(framework) and (not framework.applies_to or obj.level in framework.applies_to)
    ]
    by_name: dict[str, list[SurveyObject]] = {}
    for obj in sample:
        by_name.setdefault(obj.name, []).append(obj)
    filled, notes = [], []
    for result in results:
        matches = by_name.get(result.site, [])
        codes = {m.division_code for m in matches}
        if len(codes) > 1:
            notes.append(f"“{result.site}”在 2025 年样本中对应多个行政区划代码，请在成绩表中给出 division_code")
            filled.append(result)
            continue
        if not matches:
            if result.division_code is None and result.site != divisions.XPCC_NAME:
                notes.append(f"“{result.site}”没有行政区划代码，排在同档末尾")
            filled.append(result)
            continue
        match = matches[0]
        filled.append(
            replace(
                result,
                division_code=result.division_code or match.division_code,
                self_registered=(match.self_registered if result.self_registered is None else result.self_registered),
            )
        )
    return filled, notes
