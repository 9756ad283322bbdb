"""One score sheet from file to published order: read, check, score every site, identify, order.

`govsite score`, the demo and each group of a survey report (`reports.survey`)
run this one pipeline; they differ only in how they show its refusal and notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from govsite.frameworks import Framework
from govsite.scoring.engine import score_site
from govsite.scoring.inputs import ScoreSheetError, SheetRow, check_sheet, read_sheet
from govsite.scoring.ranking import RankedSite, identify, published_order
from govsite.userfiles import UserFileError


class SheetRejected(ValueError):
    """A sheet that cannot be scored: `headline` names the file, `problems` its rows' problems (one line each).

    Unreadable and empty sheets have a headline only; `str()` is the headline and the indented problems.
    """

    def __init__(self, headline: str, problems: Sequence[str] = ()) -> None:
        self.headline = headline
        self.problems = tuple(problems)
        super().__init__("\n".join([headline, *(f"  {p}" for p in self.problems)]))


@dataclass(frozen=True)
class ScoredSheet:
    rows: list[SheetRow]  # as read, for the columns scoring does not use (url)
    ranked: list[RankedSite]  # in published order
    notes: list[str]  # identify's: names the 2025 sample does not settle
    not_assessed: dict[str, tuple[str, ...]]  # site -> leaf codes scored 0 under allow_missing


def score_sheet(framework: Framework, path: Path, *, allow_missing: bool = False) -> ScoredSheet:
    """Read, check, score and order one sheet; a bad sheet raises SheetRejected with every row's problem."""
    try:
        rows = read_sheet(path)
    except (UserFileError, ScoreSheetError) as exc:
        raise SheetRejected(str(exc)) from exc
    if not rows:
        raise SheetRejected(f"{path} 成绩表没有数据行")
    checked = check_sheet(framework, rows, allow_missing=allow_missing)
    if checked.problems:
        raise SheetRejected(f"{path} 有 {len(checked.problems)} 处问题：", [str(p) for p in checked.problems])
    results = [score_site(framework, site) for site in checked.sites]
    results, notes = identify(framework, results)
    return ScoredSheet(rows, published_order(framework, results), notes, dict(checked.not_assessed))


def not_assessed_notes(not_assessed: Mapping[str, Sequence[str]], *, name_codes: bool = True) -> list[str]:
    """One note per site scored with indicators not assessed; `name_codes` lists their codes."""
    return [
        f"“{site}”有 {len(missing)} 个指标未评估，按 0 分计" + (f"：{'、'.join(missing)}" if name_codes else "")
        for site, missing in not_assessed.items()
    ]
