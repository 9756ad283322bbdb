"""Findings -> a suggested score for `auto` and `hybrid` indicators.

The framework says which finding types feed an indicator; this module turns
the findings a scan produced into the starting score an assessor sees and may
adjust with a reason. The rule is deliberately simple and explainable, since
an assessor must be able to say why a site lost points:

- a ``score`` indicator fed by N finding types loses ``weight / N`` for each
  type present (a thousand broken links cost the same as one: the survey's
  日常运维 items judge whether a kind of problem exists, and counting pages
  would punish big sites);
- a ``deduction`` indicator loses ``weight / C`` for each of its C listed
  conditions whose finding types are present; conditions no machine can see
  are left to the assessor.

Pure functions: no database, no files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from govsite.findings import FINDING_TYPES
from govsite.frameworks import Indicator

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PreScore:
    code: str
    weight: Decimal
    score: Decimal
    present: Mapping[str, int]  # finding type -> count, only the types that feed this indicator
    explanation: str  # for the assessor, in Chinese


def feeding_types(indicator: Indicator) -> tuple[str, ...]:
    """Every finding type that can move this indicator's score."""
    types = list(indicator.finding_types)
    for deduction in indicator.deductions:
        types.extend(t for t in deduction.finding_types if t not in types)
    return tuple(types)


def prescore(indicator: Indicator, counts: Mapping[str, int]) -> PreScore | None:
    """The suggested score from finding counts by type, or None when no finding type feeds the indicator."""
    weight = indicator.weight or ZERO
    types = feeding_types(indicator)
    if not types:
        return None
    present = {t: counts[t] for t in types if counts.get(t, 0) > 0}
    if indicator.scoring == "deduction":
        hit = [d for d in indicator.deductions if any(t in present for t in d.finding_types)]
        lost = weight * len(hit) / len(indicator.deductions)
        reasons = [d.text.rstrip("；;。") for d in hit]
    else:
        lost = weight * len(present) / len(types)
        reasons = [f"{FINDING_TYPES[t]} {present[t]} 处" for t in present]
    score = max(ZERO, weight - lost).quantize(CENT, rounding=ROUND_HALF_UP)
    if reasons:
        explanation = f"监测发现：{'；'.join(reasons)}。建议得分 {score}（满分 {weight}）。"
    else:
        explanation = f"监测未发现相关问题，建议满分 {weight}。"
    return PreScore(indicator.code, weight, score, present, explanation)
