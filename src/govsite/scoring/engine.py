"""Indicator scores -> a site's totals, 创新发展指数 and grade band.

Pure functions over a resolved framework and checked scores: no files, no
database. The 创新发展指数 of any indicator or group is its score divided
by its weight (the report's 第七章 averages these indices). A group's
weight for the index is the sum of its leaves, which is what can be earned
(the printed total differs in one source table; see the validator).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from govsite.frameworks import Framework, Indicator
from govsite.scoring.inputs import SiteScores

ZERO = Decimal(0)


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    name: str
    depth: int  # 1 = 一级
    weight: Decimal
    score: Decimal
    assessed: bool

    @property
    def index(self) -> Decimal:
        return self.score / self.weight if self.weight else ZERO


@dataclass(frozen=True)
class SiteResult:
    site: str
    framework: str
    indicators: tuple[IndicatorResult, ...]  # every indicator, in table order, groups first
    base: Decimal  # sum of indicator scores
    bonus: Decimal  # capped
    bonus_claimed: Decimal  # as given
    total: Decimal  # base + bonus
    band: str | None
    division_code: str | None = None
    self_registered: bool | None = None
    not_assessed: tuple[str, ...] = ()

    @property
    def index(self) -> Decimal:
        """The site's overall 创新发展指数 (base score / base total)."""
        base_total = sum((r.weight for r in self.indicators if r.depth == 1), ZERO)
        return self.base / base_total if base_total else ZERO

    def by_code(self) -> dict[str, IndicatorResult]:
        return {r.code: r for r in self.indicators}


def score_site(framework: Framework, sheet: SiteScores) -> SiteResult:
    results: list[IndicatorResult] = []
    for indicator in framework.indicators:
        _collect(indicator, sheet.scores, 1, results)
    base = sum((r.score for r in results if r.depth == 1), ZERO)
    cap = framework.bonus.weight if framework.bonus else ZERO
    bonus = min(sheet.bonus, cap)
    total = base + bonus
    return SiteResult(
        site=sheet.site,
        framework=framework.display_code,
        indicators=tuple(results),
        base=base,
        bonus=bonus,
        bonus_claimed=sheet.bonus,
        total=total,
        band=framework.band_for(total),
        division_code=sheet.division_code,
        self_registered=sheet.self_registered,
        not_assessed=sheet.not_assessed,
    )


def _collect(
    indicator: Indicator, scores: dict[str, Decimal], depth: int, out: list[IndicatorResult]
) -> IndicatorResult:
    if indicator.is_leaf:
        weight = indicator.weight or ZERO
        result = IndicatorResult(
            indicator.code,
            indicator.name,
            depth,
            weight,
            scores.get(indicator.code, ZERO),
            indicator.code in scores,
        )
        out.append(result)
        return result
    position = len(out)
    children = [_collect(child, scores, depth + 1, out) for child in indicator.children]
    result = IndicatorResult(
        indicator.code,
        indicator.name,
        depth,
        sum((c.weight for c in children), ZERO),
        sum((c.score for c in children), ZERO),
        all(c.assessed for c in children),
    )
    out.insert(position, result)
    return result


def rounded(value: Decimal, places: int = 2) -> Decimal:
    """Half-up rounding as reports print it (Python's round() is banker's rounding)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
