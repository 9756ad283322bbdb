"""The figures of a survey report (第六章 results, 第七章 analysis), as pure functions.

Input is what scoring produced — per published group (省级 / 城市, or 部委 /
省级 / 地市 / 区县) its framework and its sites in the published order — plus,
optionally, each site's scan summary and the previous year's groups. Output
is plain frozen dataclasses of exact numbers (`Decimal`); rounding happens only
when a renderer prints them. No files, no database: every figure here can be
recomputed by hand from the ranking and indicator tables the XLSX export
carries.

Conventions, kept deliberately simple so that anyone can check them:

* 创新发展指数 (index) of an indicator = its score / its weight (engine.py);
  an *average index* is the arithmetic mean of the sites' indices, over the
  sites where that indicator was assessed.
* A band's members are listed in the published order (同档内按照行政区划序列排序).
* "X 及以上" counts the sites in band X and every band above it.
* Leading sites: the `n` highest totals, ties with the n-th included, listed by
  total (then published order).
* Histogram: bins of `width` points, each [low, high) except the last, which
  also holds the framework's maximum; bins below the lowest total are left out.
* Finding shares: sites with at least one finding of a type / sites scanned.
* Year over year: sites are matched by group name + site name; a band change
  is up or down by the band's place in the current framework's band order.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from govsite.checks.verdict import FAIL, PASS, UNKNOWN, Verdict, from_dict
from govsite.findings import FINDING_TYPES
from govsite.frameworks import Framework
from govsite.scoring.prescore import feeding_types, prescore
from govsite.scoring.ranking import UNBANDED, RankedSite

ZERO = Decimal(0)
DEFAULT_LEADING = 10
DEFAULT_HISTOGRAM_WIDTH = Decimal(10)


# -- input ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingExample:
    """One finding shown as evidence in a site report (privacy evidence arrives masked)."""

    type: str
    url: str
    severity: str
    evidence: str
    page: str = ""


@dataclass(frozen=True)
class SiteScan:
    """What a scan says about one survey site (its entry in the scan's summary)."""

    url: str
    state: str  # the single-veto verdict: pass, fail or unknown (checks/verdict.py)
    verdict_label: str
    reasons: tuple[str, ...] = ()  # why it failed
    unjudged: tuple[str, ...] = ()  # what could not be judged, and why
    findings_by_type: Mapping[str, int] = field(default_factory=dict)
    pages: int = 0
    as_of: str = ""
    examples: tuple[FindingExample, ...] = ()  # filled only when site reports are asked for

    @property
    def findings(self) -> int:
        return sum(self.findings_by_type.values())

    @property
    def passed(self) -> bool:
        return self.state == PASS

    @property
    def vetoed(self) -> bool:
        return self.state == FAIL


def verdict_fields(stored: object) -> dict:
    """SiteScan's verdict fields from a stored verdict (Site.verdict, a summary's verdict); none stored: pass."""
    verdict = from_dict(stored) or Verdict()
    return {
        "state": verdict.state,
        "verdict_label": verdict.label,
        "reasons": tuple(rule.reason.text for rule in verdict.failed if rule.reason),
        "unjudged": tuple(f"{rule.name}：{rule.reason.text}" for rule in verdict.unjudged if rule.reason),
    }


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence behind a manual score: a URL and/or an uploaded file (its name only)."""

    url: str = ""
    file_name: str = ""  # the file's own name, never a path on the server
    note: str = ""
    observed_at: datetime | None = None


@dataclass(frozen=True)
class ChecklistAnswer:
    item: str  # the framework's checklist text
    answer: bool | None  # yes / no / not checked


@dataclass(frozen=True)
class ManualAssessment:
    """An assessor's score of one leaf indicator, with what backs it (the web app's IndicatorScore)."""

    code: str
    name: str
    weight: Decimal
    collection: str  # manual / hybrid / auto
    score: Decimal | None
    status: str  # label: 草稿, 待审核, 已确认, 已退回
    confirmed: bool  # only confirmed scores count in the score card
    assessor: str = ""
    observed_at: datetime | None = None
    note: str = ""
    checklist: tuple[ChecklistAnswer, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    auto_score: Decimal | None = None  # the monitoring's suggestion (hybrid / auto)
    adjust_reason: str = ""  # why the score differs from the suggestion

    @property
    def checked(self) -> bool:
        """Whether any checklist item was answered (an unanswered checklist is not shown)."""
        return any(c.answer is not None for c in self.checklist)


@dataclass(frozen=True)
class WorkOrderLine:
    title: str
    finding_type: str
    status: str  # label
    deadline: date | None = None
    closed: date | None = None
    overdue: bool = False

    @property
    def type_label(self) -> str:
        return FINDING_TYPES.get(self.finding_type, self.finding_type)


@dataclass(frozen=True)
class WorkOrderSummary:
    """A site's work orders: counts per status (every status, in workflow order), overdue, and the list."""

    counts: tuple[tuple[str, int], ...]  # (status label, count)
    overdue: int
    orders: tuple[WorkOrderLine, ...]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


@dataclass(frozen=True)
class SiteExtras:
    """What only the survey database knows about a site: manual assessments and work orders.

    Absent (None) for a survey read from score sheets (`govsite report SURVEY.yaml`).
    """

    assessments: Mapping[str, ManualAssessment] = field(default_factory=dict)  # code -> assessment, table order
    workorders: WorkOrderSummary | None = None

    @property
    def evidence_count(self) -> int:
        return sum(len(a.evidence) for a in self.assessments.values())


@dataclass(frozen=True)
class GroupData:
    """One published grouping of a survey: its framework and its scored sites in published order."""

    name: str
    framework: Framework
    ranked: tuple[RankedSite, ...]
    label: str = ""  # how sentences name the members (省级单位); defaults to the name
    leading: int = DEFAULT_LEADING
    scans: Mapping[str, SiteScan] | None = None  # site name -> scan; None: no scan given for the group
    urls: Mapping[str, str] = field(default_factory=dict)  # site name -> URL (site list or url column)
    notes: tuple[str, ...] = ()
    extras: Mapping[str, SiteExtras] | None = None  # site name -> database extras (web app only)

    @property
    def noun(self) -> str:
        return self.label or self.name

    def site(self, name: str) -> RankedSite | None:
        return next((item for item in self.ranked if item.result.site == name), None)


@dataclass(frozen=True)
class SurveyData:
    name: str
    year: int
    groups: tuple[GroupData, ...]
    as_of: date | None = None
    previous: SurveyData | None = None
    headline_band: str | None = None
    histogram_width: Decimal = DEFAULT_HISTOGRAM_WIDTH
    unmatched_scans: tuple[str, ...] = ()  # scanned homepages that match no site of any group

    def group(self, name: str) -> GroupData | None:
        return next((g for g in self.groups if g.name == name), None)


# -- overview ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupOverview:
    group: str
    framework: str  # display code
    framework_name: str
    max_total: Decimal  # full marks incl. bonus
    sites: int
    complete: int  # every indicator assessed
    incomplete: int
    with_bonus: int
    mean_total: Decimal | None
    median_total: Decimal | None
    highest_total: Decimal | None
    lowest_total: Decimal | None
    mean_index: Decimal | None  # mean of the sites' overall index (base / base total)


def overview(group: GroupData) -> GroupOverview:
    results = [item.result for item in group.ranked]
    totals = [r.total for r in results]
    complete = sum(1 for r in results if not r.not_assessed)
    return GroupOverview(
        group=group.name,
        framework=group.framework.display_code,
        framework_name=group.framework.name,
        max_total=group.framework.max_total,
        sites=len(results),
        complete=complete,
        incomplete=len(results) - complete,
        with_bonus=sum(1 for r in results if r.bonus > 0),
        mean_total=_mean(totals),
        median_total=statistics.median(totals) if totals else None,
        highest_total=max(totals) if totals else None,
        lowest_total=min(totals) if totals else None,
        mean_index=_mean([r.index for r in results]),
    )


# -- bands ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BandCount:
    band: str
    count: int
    share: Decimal  # count / sites in the group (0 when the group is empty)
    members: tuple[str, ...]  # published order


@dataclass(frozen=True)
class BandDistribution:
    group: str
    sites: int
    bands: tuple[BandCount, ...]  # the framework's band order, best first; 未分档 last if any

    def count(self, band: str) -> int:
        return next((b.count for b in self.bands if b.band == band), 0)

    def at_or_above(self, band: str) -> int:
        """Sites in `band` or any band above it (良好及以上)."""
        names = [b.band for b in self.bands]
        if band not in names:
            raise ValueError(f"没有档级“{band}”")
        return sum(b.count for b in self.bands[: names.index(band) + 1])


def band_distribution(group: GroupData) -> BandDistribution | None:
    """Counts and members per band; None when the framework publishes no bands (政府网站 tables)."""
    bands = [b.name for b in group.framework.bands]
    if not bands:
        return None
    members: dict[str, list[str]] = {band: [] for band in bands}
    for item in group.ranked:
        members.setdefault(item.band, []).append(item.result.site)
    if not members.get(UNBANDED):
        members.pop(UNBANDED, None)
    sites = len(group.ranked)
    return BandDistribution(
        group=group.name,
        sites=sites,
        bands=tuple(
            BandCount(band, len(names), _share(len(names), sites), tuple(names)) for band, names in members.items()
        ),
    )


def headline_band(group: GroupData, preferred: str | None = None) -> str | None:
    """The band whose "X 及以上" the sentences count: `preferred` if the framework has it, else the middle band."""
    bands = [b.name for b in group.framework.bands]
    if not bands:
        return None
    if preferred in bands:
        return preferred
    return bands[len(bands) // 2] if len(bands) >= 3 else bands[0]


# -- leading sites ----------------------------------------------------------------------------


def leading_sites(group: GroupData, n: int | None = None) -> list[RankedSite]:
    """The `n` highest totals (ties with the n-th included), by total then published order."""
    n = group.leading if n is None else n
    ordered = sorted(group.ranked, key=lambda item: (-item.result.total, item.position))
    if n <= 0 or not ordered:
        return []
    if len(ordered) <= n:
        return ordered
    cutoff = ordered[n - 1].result.total
    return [item for item in ordered if item.result.total >= cutoff]


# -- indicator averages -----------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorAverage:
    code: str
    name: str
    depth: int  # 1 = 一级, 2 = 二级
    parent: str  # code of the 一级 indicator above a 二级 one; "" for 一级
    weight: Decimal  # what the indicator can earn in this framework
    mean_score: Decimal | None
    mean_index: Decimal | None
    sites: int  # sites where the indicator was assessed (the mean's denominator)


def indicator_averages(group: GroupData, max_depth: int = 2) -> list[IndicatorAverage]:
    """Average score and 创新发展指数 of every indicator down to `max_depth`, in table order."""
    if not group.ranked:
        return []
    first = group.ranked[0].result
    parents: dict[str, str] = {}
    current_top = ""
    for ind in first.indicators:
        if ind.depth == 1:
            current_top = ind.code
        parents[ind.code] = current_top if ind.depth > 1 else ""
    out = []
    for position, ind in enumerate(first.indicators):
        if ind.depth > max_depth:
            continue
        assessed = [item.result.indicators[position] for item in group.ranked]
        assessed = [r for r in assessed if r.assessed]
        out.append(
            IndicatorAverage(
                code=ind.code,
                name=ind.name,
                depth=ind.depth,
                parent=parents[ind.code],
                weight=ind.weight,
                mean_score=_mean([r.score for r in assessed]),
                mean_index=_mean([r.index for r in assessed]),
                sites=len(assessed),
            )
        )
    return out


@dataclass(frozen=True)
class IndicatorComparison:
    code: str
    name: str
    depth: int
    parent: str
    values: tuple[Decimal | None, ...]  # mean index per group, None where the group lacks the code


@dataclass(frozen=True)
class GroupComparison:
    groups: tuple[str, ...]
    mean_index: tuple[Decimal | None, ...]  # each group's mean overall index
    rows: tuple[IndicatorComparison, ...]


def compare_groups(groups: Sequence[GroupData], max_depth: int = 2) -> GroupComparison:
    """Average index per indicator side by side across groups (第七章's 省/地市/区县 figures).

    With several groups, only codes that at least two groups share are kept;
    names come from the first group that has the code. Order: the first
    group's table order, then codes first seen in later groups.
    """
    per_group = [{a.code: a for a in indicator_averages(g, max_depth)} for g in groups]
    order: list[str] = []
    for averages in per_group:
        order += [code for code in averages if code not in order]
    rows = []
    for code in order:
        present = [averages[code] for averages in per_group if code in averages]
        if len(groups) > 1 and len(present) < 2:
            continue
        first = present[0]
        values = tuple(averages[code].mean_index if code in averages else None for averages in per_group)
        rows.append(IndicatorComparison(code, first.name, first.depth, first.parent, values))
    return GroupComparison(
        groups=tuple(g.name for g in groups),
        mean_index=tuple(overview(g).mean_index for g in groups),
        rows=tuple(rows),
    )


# -- distribution of totals -------------------------------------------------------------------


@dataclass(frozen=True)
class HistogramBin:
    low: Decimal
    high: Decimal
    count: int
    closed: bool = False  # True for the last bin: [low, high]

    @property
    def label(self) -> str:
        return f"{_plain(self.low)}–{_plain(self.high)}"


def total_histogram(group: GroupData, width: Decimal = DEFAULT_HISTOGRAM_WIDTH) -> list[HistogramBin]:
    """Counts of totals in bins of `width` points, from the lowest total's bin to full marks."""
    width = Decimal(width)
    if width <= 0:
        raise ValueError("直方图区间宽度必须为正数")
    totals = [item.result.total for item in group.ranked]
    top = group.framework.max_total
    if not totals:
        return []
    start = (min(totals) // width) * width
    edges = []
    low = start
    while low < top:
        edges.append((low, min(low + width, top)))
        low += width
    if not edges:  # every total at full marks
        edges = [(top - width, top)]
    bins = []
    for index, (low, high) in enumerate(edges):
        last = index == len(edges) - 1
        count = sum(1 for t in totals if low <= t < high or (last and t == high))
        bins.append(HistogramBin(low, high, count, closed=last))
    return bins


# -- findings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingShare:
    type: str
    label: str
    sites: int  # scanned sites with at least one finding of the type
    share: Decimal  # sites / scanned
    findings: int  # findings of the type over all scanned sites


@dataclass(frozen=True)
class VetoedSite:
    site: str
    url: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class FindingSummary:
    group: str
    sites: int  # sites in the group
    scanned: int  # sites matched with a scan summary
    not_scanned: tuple[str, ...]  # site names without a matched scan (published order)
    passed: int
    vetoed: tuple[VetoedSite, ...]  # published order
    types: tuple[FindingShare, ...]  # most widespread first, then the catalogue's order
    unjudged: int = 0  # scanned, but the verdict could not be judged (无法判定)

    @property
    def passed_share(self) -> Decimal:
        return _share(self.passed, self.scanned)


def finding_summary(group: GroupData) -> FindingSummary | None:
    """Share of scanned sites with each finding type and the single-veto counts; None without a scan."""
    if group.scans is None:
        return None
    scanned = [(item, group.scans[item.result.site]) for item in group.ranked if item.result.site in group.scans]
    not_scanned = tuple(item.result.site for item in group.ranked if item.result.site not in group.scans)
    counts: dict[str, list[int]] = {}
    for _, scan in scanned:
        for type_, count in scan.findings_by_type.items():
            if count > 0:
                entry = counts.setdefault(type_, [0, 0])
                entry[0] += 1
                entry[1] += count
    catalogue = list(FINDING_TYPES)
    order = sorted(counts, key=lambda t: (-counts[t][0], catalogue.index(t) if t in catalogue else len(catalogue), t))
    types = tuple(
        FindingShare(t, FINDING_TYPES.get(t, t), counts[t][0], _share(counts[t][0], len(scanned)), counts[t][1])
        for t in order
    )
    vetoed = tuple(VetoedSite(item.result.site, scan.url, scan.reasons) for item, scan in scanned if scan.vetoed)
    return FindingSummary(
        group=group.name,
        sites=len(group.ranked),
        scanned=len(scanned),
        not_scanned=not_scanned,
        passed=sum(1 for _, scan in scanned if scan.passed),
        unjudged=sum(1 for _, scan in scanned if scan.state == UNKNOWN),
        vetoed=vetoed,
        types=types,
    )


# -- year over year ---------------------------------------------------------------------------

UP, SAME, DOWN = 1, 0, -1


@dataclass(frozen=True)
class BandChange:
    site: str
    previous_band: str
    band: str
    previous_total: Decimal
    total: Decimal
    direction: int | None  # UP / SAME / DOWN; None when a band is not in the current band order

    @property
    def total_change(self) -> Decimal:
        return self.total - self.previous_total


@dataclass(frozen=True)
class BandCountChange:
    band: str
    previous: int
    current: int

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass(frozen=True)
class IndicatorDelta:
    code: str
    name: str
    depth: int
    previous: Decimal | None
    current: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class YearOverYear:
    group: str
    previous_year: int
    previous_sites: int
    sites: int
    matched: tuple[BandChange, ...]  # sites in both years, current published order
    new_sites: tuple[str, ...]
    dropped_sites: tuple[str, ...]
    band_counts: tuple[BandCountChange, ...]  # empty when the framework has no bands
    headline_band: str | None
    headline_previous: int | None  # sites at or above the headline band last year
    headline_current: int | None
    mean_index_previous: Decimal | None
    mean_index_current: Decimal | None
    indicators: tuple[IndicatorDelta, ...]  # codes in both years, current table order
    year: int | None = None  # the current year, for labels

    def moved(self, direction: int) -> tuple[BandChange, ...]:
        return tuple(c for c in self.matched if c.direction == direction)


def year_over_year(
    current: GroupData,
    previous: GroupData,
    previous_year: int,
    preferred_band: str | None = None,
    year: int | None = None,
) -> YearOverYear:
    """Band changes of the sites in both years, band counts, and indicator index deltas."""
    before = {item.result.site: item for item in previous.ranked}
    now_names = {item.result.site for item in current.ranked}
    order = {b.name: index for index, b in enumerate(current.framework.bands)}
    changes = []
    for item in current.ranked:
        old = before.get(item.result.site)
        if old is None:
            continue
        direction = None
        if current.framework.bands and item.band in order and old.band in order:
            direction = (order[old.band] > order[item.band]) - (order[old.band] < order[item.band])
        changes.append(
            BandChange(item.result.site, old.band, item.band, old.result.total, item.result.total, direction)
        )
    now_dist, old_dist = band_distribution(current), band_distribution(previous)
    band_counts: list[BandCountChange] = []
    headline = headline_band(current, preferred_band)
    headline_previous = headline_current = None
    if now_dist is not None:
        old_counts = {b.band: b.count for b in old_dist.bands} if old_dist else {}
        names = [b.band for b in now_dist.bands] + [b for b in old_counts if b not in order and b != UNBANDED]
        band_counts = [BandCountChange(b, old_counts.get(b, 0), now_dist.count(b)) for b in names]
        if headline is not None:
            headline_current = now_dist.at_or_above(headline)
            top = [b.name for b in current.framework.bands][: order[headline] + 1]
            headline_previous = sum(old_counts.get(b, 0) for b in top)
    old_avg = {a.code: a for a in indicator_averages(previous)}
    deltas = tuple(
        IndicatorDelta(a.code, a.name, a.depth, old_avg[a.code].mean_index, a.mean_index)
        for a in indicator_averages(current)
        if a.code in old_avg
    )
    return YearOverYear(
        group=current.name,
        previous_year=previous_year,
        previous_sites=len(previous.ranked),
        sites=len(current.ranked),
        matched=tuple(changes),
        new_sites=tuple(item.result.site for item in current.ranked if item.result.site not in before),
        dropped_sites=tuple(item.result.site for item in previous.ranked if item.result.site not in now_names),
        band_counts=tuple(band_counts),
        headline_band=headline,
        headline_previous=headline_previous,
        headline_current=headline_current,
        mean_index_previous=overview(previous).mean_index,
        mean_index_current=overview(current).mean_index,
        indicators=deltas,
        year=year,
    )


# -- one site ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreCardLine:
    code: str
    name: str
    depth: int
    weight: Decimal
    score: Decimal
    index: Decimal
    assessed: bool
    group_mean_index: Decimal | None  # the group's average index (一级/二级 only)


@dataclass(frozen=True)
class FindingDeduction:
    """An automated or hybrid indicator that lost points, and the finding types that explain it.

    `prescore` (govsite.scoring.prescore) applies the rule: a type present costs weight / N.
    """

    code: str
    name: str
    collection: str  # auto / hybrid
    weight: Decimal
    score: Decimal  # what the score card shows
    suggested: Decimal  # the monitoring's suggested score
    feeding: tuple[str, ...]  # every finding type the framework lets move this indicator
    present: tuple[tuple[str, int], ...]  # (type, open findings) among them
    explanation: str


@dataclass(frozen=True)
class SiteCard:
    group: str
    framework: str
    framework_name: str
    item: RankedSite
    sites_in_group: int
    lines: tuple[ScoreCardLine, ...]
    scan: SiteScan | None
    scanned: bool  # the group had a scan at all
    deductions: tuple[FindingDeduction, ...] = ()  # table order
    extras: SiteExtras | None = None  # None: the survey has no such data (score sheets)

    def deductions_for(self, finding_type: str) -> tuple[FindingDeduction, ...]:
        return tuple(d for d in self.deductions if any(t == finding_type for t, _ in d.present))


def site_card(group: GroupData, name: str, averages: Sequence[IndicatorAverage] | None = None) -> SiteCard | None:
    """Everything a site report shows: every indicator's weight, score and index, band, rank, scan.

    `averages` (the group's `indicator_averages`) may be passed in when writing many cards.
    """
    item = group.site(name)
    if item is None:
        return None
    means = {a.code: a.mean_index for a in (indicator_averages(group) if averages is None else averages)}
    lines = tuple(
        ScoreCardLine(r.code, r.name, r.depth, r.weight, r.score, r.index, r.assessed, means.get(r.code))
        for r in item.result.indicators
    )
    scan = (group.scans or {}).get(name)
    return SiteCard(
        group=group.name,
        framework=group.framework.display_code,
        framework_name=group.framework.name,
        item=item,
        sites_in_group=len(group.ranked),
        lines=lines,
        scan=scan,
        scanned=group.scans is not None,
        deductions=finding_deductions(group.framework, item, scan) if scan is not None else (),
        extras=(group.extras or {}).get(name),
    )


def finding_deductions(framework: Framework, item: RankedSite, scan: SiteScan) -> tuple[FindingDeduction, ...]:
    """Every assessed auto/hybrid leaf below full marks with finding types present that feed it.

    An indicator the assessor left at full marks despite findings, or one that lost points
    for reasons no detector sees, is not listed: the finding types do not explain its score.
    """
    results = item.result.by_code()
    out = []
    for leaf in framework.leaves():
        result = results.get(leaf.code)
        if leaf.collection not in ("auto", "hybrid") or result is None or not result.assessed:
            continue
        if result.score >= result.weight:
            continue
        suggestion = prescore(leaf, scan.findings_by_type)
        if suggestion is None or not suggestion.present:
            continue
        out.append(
            FindingDeduction(
                code=leaf.code,
                name=leaf.name,
                collection=leaf.collection,
                weight=result.weight,
                score=result.score,
                suggested=suggestion.score,
                feeding=feeding_types(leaf),
                present=tuple(suggestion.present.items()),
                explanation=suggestion.explanation,
            )
        )
    return tuple(out)


# -- helpers ----------------------------------------------------------------------------------


def _mean(values: Sequence[Decimal]) -> Decimal | None:
    return sum(values, ZERO) / len(values) if values else None


def _share(part: int, whole: int) -> Decimal:
    return Decimal(part) / Decimal(whole) if whole else ZERO


def _plain(value: Decimal) -> str:
    normal = value.normalize()
    return format(normal, "f") if normal != normal.to_integral_value() else str(int(normal))
