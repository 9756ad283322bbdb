"""Scoring: indicator scores -> totals, 创新发展指数, grade bands and the published order.

`inputs` reads and checks score sheets, `engine` computes one site's
result, `ranking` orders sites as the report does, and `sheet` runs the three
on one sheet file (`score_sheet`). Plain Python, no Django.
"""

from govsite.scoring.engine import IndicatorResult, SiteResult, score_site
from govsite.scoring.inputs import CheckedSheet, ScoreSheetError, SiteScores, check_sheet, read_sheet
from govsite.scoring.ranking import RankedSite, identify, published_order
from govsite.scoring.sheet import ScoredSheet, SheetRejected, not_assessed_notes, score_sheet

__all__ = [
    "CheckedSheet",
    "IndicatorResult",
    "RankedSite",
    "ScoreSheetError",
    "ScoredSheet",
    "SheetRejected",
    "SiteResult",
    "SiteScores",
    "check_sheet",
    "identify",
    "not_assessed_notes",
    "published_order",
    "read_sheet",
    "score_sheet",
    "score_site",
]
