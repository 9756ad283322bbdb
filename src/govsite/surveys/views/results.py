"""A survey's results from its confirmed scores, computed by govsite.scoring exactly as the CLI does.

Sites that share a framework are ranked together (副省级、省会 and 地市 all
use the city table). Only confirmed scores count; a leaf without one scores
0 and is listed as not assessed. The 优秀创新案例 bonus follows
govsite.surveys.cases: each case earns the mean of its experts' votes, a site
the sum of its cases, both capped at the framework's bonus weight.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from govsite.scoring import SiteScores, published_order, score_site
from govsite.scoring.engine import SiteResult
from govsite.surveys.cases import case_bonus, site_bonus
from govsite.surveys.models import CaseVote, IndicatorScore, Site, Survey
from govsite.surveys.views.common import FrameworkInfo, info_or_none, specs_by_level


@dataclass(frozen=True)
class SiteOutcome:
    site: Site
    framework: FrameworkInfo
    result: SiteResult
    position: int  # place in the published order of its framework
    rank: int  # rank by total (ties share one)
    group_size: int

    @property
    def band(self) -> str:
        return self.result.band or "未分档"


def survey_results(survey: Survey) -> dict[int, SiteOutcome]:
    """Every scorable site's outcome by site id (sites whose level has no usable framework are left out)."""
    specs = specs_by_level(survey)
    sites = list(Site.objects.filter(survey=survey).order_by("pk"))
    confirmed: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = IndicatorScore.objects.filter(
        site__survey=survey, status=IndicatorScore.Status.CONFIRMED, score__isnull=False
    ).values_list("site_id", "code", "score")
    for site_id, code, score in rows:
        confirmed[site_id][code] = score
    votes: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for site_id, case_id, vote in CaseVote.objects.filter(case__site__survey=survey).values_list(
        "case__site_id", "case_id", "score"
    ):
        votes[site_id][case_id].append(vote)
    groups: dict[str, list[tuple[Site, SiteResult]]] = defaultdict(list)
    for site in sites:
        info = info_or_none(specs.get(site.level))
        if info is None:
            continue
        scores = {code: value for code, value in confirmed[site.pk].items() if code in info.by_code}
        cap = info.framework.bonus.weight if info.framework.bonus else Decimal(0)
        bonus = site_bonus((case_bonus(v, cap) for v in votes[site.pk].values()), cap)
        sheet = SiteScores(
            row=0,
            site=site.name,
            scores=scores,
            bonus=bonus,
            division_code=site.division_code or None,
            not_assessed=tuple(leaf.code for leaf in info.leaves if leaf.code not in scores),
        )
        groups[info.spec].append((site, score_site(info.framework, sheet)))
    outcomes: dict[int, SiteOutcome] = {}
    for spec, members in groups.items():
        info = info_or_none(spec)
        site_of = {id(result): site for site, result in members}
        for ranked in published_order(info.framework, [result for _, result in members]):
            site = site_of[id(ranked.result)]
            outcomes[site.pk] = SiteOutcome(
                site, info, ranked.result, ranked.position, ranked.rank_by_total, len(members)
            )
    return outcomes


def results_snapshot(outcomes: dict[int, SiteOutcome]) -> dict:
    """What the audit log keeps of a publication: each site's total, band and place."""
    return {
        str(site_id): {
            "total": str(o.result.total),
            "bonus": str(o.result.bonus),
            "band": o.band,
            "position": o.position,
            "rank": o.rank,
            "framework": o.framework.spec,
        }
        for site_id, o in sorted(outcomes.items())
    }
