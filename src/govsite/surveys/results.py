"""A survey's results from its confirmed scores, computed by govsite.scoring exactly as the CLI does.

Sites that share a framework are ranked together (副省级、省会 and 地市 all
use the city table). Only confirmed scores count; a leaf without one scores
0 and is listed as not assessed. The 优秀创新案例 bonus follows
govsite.surveys.cases: each case earns the mean of its experts' votes, a site
the sum of its cases, both capped at the framework's bonus weight.
`published_scores_of` scores a few sites of any surveys (the operator's
pages) from the same inputs, each site on its own.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from govsite import frameworks as fw
from govsite.scoring import SiteScores, published_order, score_site
from govsite.scoring.engine import SiteResult
from govsite.surveys.cases import bonus_cap, case_bonus, site_bonus
from govsite.surveys.frameworks import FrameworkInfo, info_or_none, specs_by_level
from govsite.surveys.models import CaseVote, IndicatorScore, InnovationCase, Site, Survey, SurveyFramework


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


# The last outcomes of a few surveys in this process, with the digest of the inputs they came from.
# Scoring a thousand sites takes a few hundred milliseconds; reading the inputs a few dozen. Every call
# reads the inputs, so a cached answer is only ever reused for exactly the same sites, scores and votes.
CACHED_SURVEYS = 8
_cache: OrderedDict[int, tuple[str, dict[int, SiteOutcome]]] = OrderedDict()
_cache_lock = threading.Lock()


def survey_results(survey: Survey) -> dict[int, SiteOutcome]:
    """Every scorable site's outcome by site id (sites whose level has no usable framework are left out)."""
    specs = specs_by_level(survey)
    sites = list(Site.objects.filter(survey=survey).order_by("pk"))
    rows = list(
        IndicatorScore.objects.filter(site__survey=survey, status=IndicatorScore.Status.CONFIRMED, score__isnull=False)
        .order_by("site_id", "code")
        .values_list("site_id", "code", "score")
    )
    vote_rows = list(
        CaseVote.objects.filter(case__site__survey=survey)
        .order_by("case__site_id", "case_id", "pk")
        .values_list("case__site_id", "case_id", "score")
    )
    digest = _digest(specs, sites, rows, vote_rows)
    with _cache_lock:
        hit = _cache.get(survey.pk)
        if hit is not None:
            _cache.move_to_end(survey.pk)
    if hit is not None and hit[0] == digest:
        fresh = {site.pk: site for site in sites}
        return {pk: replace(outcome, site=fresh[pk]) for pk, outcome in hit[1].items()}
    outcomes = _score(specs, sites, rows, vote_rows)
    with _cache_lock:
        _cache[survey.pk] = (digest, outcomes)
        _cache.move_to_end(survey.pk)
        while len(_cache) > CACHED_SURVEYS:
            _cache.popitem(last=False)
    return outcomes


def _digest(specs: dict[str, str], sites: list[Site], rows: list, vote_rows: list) -> str:
    """A fingerprint of everything the outcomes depend on (the framework files are cached per process anyway)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(repr(sorted(specs.items())).encode())
    for site in sites:
        h.update(repr((site.pk, site.name, site.url, site.level, site.division_code)).encode())
    h.update(b"\x00scores")
    for row in rows:
        h.update(repr(row).encode())
    h.update(b"\x00votes")
    for row in vote_rows:
        h.update(repr(row).encode())
    return h.hexdigest()


def _score(specs: dict[str, str], sites: list[Site], rows: list, vote_rows: list) -> dict[int, SiteOutcome]:
    confirmed: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for site_id, code, score in rows:
        confirmed[site_id][code] = score
    votes: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for site_id, case_id, vote in vote_rows:
        votes[site_id][case_id].append(vote)
    groups: dict[str, list[tuple[Site, SiteResult]]] = defaultdict(list)
    for site in sites:
        info = info_or_none(specs.get(site.level))
        if info is None:
            continue
        scores = {code: value for code, value in confirmed[site.pk].items() if code in info.by_code}
        cap = bonus_cap(info.framework)
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


# ---------------------------------------------------------------- a few sites of several surveys


def _framework(spec: str | None):
    if not spec:
        return None, "调查未配置该类网站的指标体系"
    try:
        return fw.load(spec), ""
    except (ValueError, fw.FrameworkError) as exc:
        return None, f"无法计算得分：{exc}"


def published_scores_of(sites: list[Site]) -> dict[int, tuple[SiteResult | None, str]]:
    """Per site: (result, '') once its survey is published from its confirmed scores, else (None, why not).

    A fixed number of queries however many sites: frameworks, scores, cases and their votes.
    """
    out: dict[int, tuple[SiteResult | None, str]] = {}
    published = [s for s in sites if s.survey.status == Survey.Status.PUBLISHED]
    for site in sites:
        if site.survey.status != Survey.Status.PUBLISHED:
            out[site.pk] = (None, "尚未发布")
    if not published:
        return out
    ids = [s.pk for s in published]
    specs = {
        (row.survey_id, row.level): row.framework
        for row in SurveyFramework.objects.filter(survey_id__in={s.survey_id for s in published})
    }
    scores: dict[int, dict] = defaultdict(dict)
    confirmed = IndicatorScore.objects.filter(site_id__in=ids, status=IndicatorScore.Status.CONFIRMED)
    for site_id, code, score in confirmed.filter(score__isnull=False).values_list("site_id", "code", "score"):
        scores[site_id][code] = score
    votes: dict[int, list[list]] = defaultdict(list)
    for case in InnovationCase.objects.filter(site_id__in=ids).prefetch_related("votes").order_by("created_at", "pk"):
        votes[case.site_id].append([v.score for v in case.votes.all()])
    for site in published:
        framework, why = _framework(specs.get((site.survey_id, site.level)))
        if framework is None:
            out[site.pk] = (None, why)
            continue
        try:
            cap = bonus_cap(framework)
            bonus = site_bonus((case_bonus(v, cap) for v in votes[site.pk]), cap)
            sheet = SiteScores(row=0, site=site.name, scores=scores[site.pk], bonus=bonus)
            out[site.pk] = (score_site(framework, sheet), "")
        except (ValueError, fw.FrameworkError) as exc:
            out[site.pk] = (None, f"无法计算得分：{exc}")
    return out
