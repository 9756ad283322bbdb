"""A survey in the database -> the report's `SurveyData`, so the web app draws the same report as the CLI.

`govsite report SURVEY.yaml` reads score sheets and scan folders; here the
same `SurveyData` comes from confirmed scores (via `survey_results`, the
computation the results page shows), the sites' open findings and verdicts.
One grouping per framework, named by the levels that use it, in the order
the report publishes them (部委, 省, 直辖市, 地市, 区县, 开发区).

A site report also shows what only the database has (`analysis.SiteExtras`):
every indicator's assessment with its checklist and evidence, and the site's
work orders. They are read for the sites in `examples_for` only, in three
queries whatever the number of sites or indicators.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from govsite.reports import analysis as an
from govsite.reports.build import analyse
from govsite.reports.writer import write_report
from govsite.scoring.ranking import RankedSite
from govsite.sites.sample import LEVELS
from govsite.surveys.frameworks import LeafInfo
from govsite.surveys.models import LEVEL_LABELS, Evidence, Finding, IndicatorScore, Job, Site, Survey
from govsite.surveys.results import SiteOutcome, survey_results
from govsite.workorders.models import WorkOrder

EXAMPLES_PER_TYPE = 5
EVIDENCE_CHARS = 300  # as the report from a scan folder (reports/survey.py)


def survey_data(survey: Survey, *, examples_for: set[int] | frozenset[int] = frozenset()) -> an.SurveyData:
    """The report's input for `survey`; `examples_for` names the site ids whose site reports
    need finding examples and the database extras (assessments, evidence, work orders)."""
    outcomes = survey_results(survey)
    by_spec: dict[str, list[SiteOutcome]] = defaultdict(list)
    for outcome in outcomes.values():
        by_spec[outcome.framework.spec].append(outcome)
    counts = _open_counts(survey)
    extras = site_extras([o for o in outcomes.values() if o.site.pk in examples_for])
    pages = dict(
        Job.objects.filter(site__survey=survey, status=Job.Status.DONE)
        .order_by("site_id", "finished_at")
        .values_list("site_id", "pages_fetched")
    )  # the latest finished job wins
    groups = []
    for members in sorted(by_spec.values(), key=_level_order):
        members.sort(key=lambda o: o.position)
        levels = list(dict.fromkeys(LEVEL_LABELS[o.site.level] for o in members))
        scans = {
            o.site.name: _scan(o.site, counts.get(o.site.pk, {}), pages.get(o.site.pk, 0), o.site.pk in examples_for)
            for o in members
            if o.site.verdict
        }
        groups.append(
            an.GroupData(
                name="、".join(levels),
                framework=members[0].framework.framework,
                ranked=tuple(RankedSite(o.position, o.band, o.rank, o.result) for o in members),
                scans=scans or None,
                urls={o.site.name: o.site.url for o in members},
                extras={o.site.name: extras[o.site.pk] for o in members if o.site.pk in extras} or None,
            )
        )
    return an.SurveyData(name=survey.name, year=survey.year, groups=tuple(groups), as_of=survey.as_of)


def write_survey_report(survey: Survey, out_dir: Path, formats: list[str], *, site: Site | None = None) -> list[Path]:
    """Write the survey report (or, with `site`, that site's report) into `out_dir`; returns the files."""
    data = survey_data(survey, examples_for={site.pk} if site else set())
    analysis = analyse(data)
    if site is None:
        return write_report(analysis, out_dir, formats)
    group = next((g for g in data.groups if g.site(site.name) is not None), None)
    if group is None:
        raise LookupError(f"“{site.name}”尚无可用的评分结果")
    return write_report(analysis, out_dir, formats, sites=[(group.name, site.name)], survey_report=False)


def _level_order(members: list[SiteOutcome]) -> int:
    return min(LEVELS.index(o.site.level) for o in members)


def _open_counts(survey: Survey) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Finding.objects.filter(site__survey=survey, status=Finding.Status.OPEN)
        .values("site_id", "type")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["site_id"]][row["type"]] = row["n"]
    return counts


def _scan(site: Site, counts: dict[str, int], pages: int, with_examples: bool) -> an.SiteScan:
    examples: tuple[an.FindingExample, ...] = ()
    if with_examples:  # the first few open findings of every type, in one query
        rows = (
            Finding.objects.filter(site=site, status=Finding.Status.OPEN)
            .annotate(nth=Window(RowNumber(), partition_by=[F("type")], order_by=F("id").asc()))
            .filter(nth__lte=EXAMPLES_PER_TYPE)
            .order_by("type", "id")
            .only("type", "url", "severity", "evidence", "page")
        )
        examples = tuple(an.FindingExample(f.type, f.url, f.severity, _clip(f.evidence), f.page) for f in rows)
    return an.SiteScan(
        url=site.url,
        **an.verdict_fields(site.verdict),
        findings_by_type=counts,
        pages=pages,
        examples=examples,
    )


# -- what only the database knows: assessments with evidence, work orders -----------------------


def site_extras(outcomes: Collection[SiteOutcome], *, today: date | None = None) -> dict[int, an.SiteExtras]:
    """Manual assessments (with checklist answers and evidence) and work orders of the given sites, by site id.

    Three queries for any number of sites and indicators: scores with their assessors, evidence,
    work orders. `today` decides what is overdue (default: the local date).
    """
    if not outcomes:
        return {}
    today = today or timezone.localdate()
    info_of = {o.site.pk: o.framework for o in outcomes}
    ids = list(info_of)
    scores = list(IndicatorScore.objects.filter(site_id__in=ids).select_related("assessor"))
    evidence: dict[int, list[an.EvidenceItem]] = defaultdict(list)
    rows = (
        Evidence.objects.filter(score__site_id__in=ids)
        .order_by("created_at", "id")
        .values_list("score_id", "url", "file", "note", "observed_at")
    )
    for score_id, url, file, note, observed in rows:
        evidence[score_id].append(
            an.EvidenceItem(
                url=url, file_name=PurePosixPath(file).name if file else "", note=note, observed_at=_local(observed)
            )
        )
    assessments: dict[int, list[tuple[int, an.ManualAssessment]]] = defaultdict(list)
    for row in scores:
        info = info_of[row.site_id]
        leaf = info.by_code.get(row.code)
        if leaf is None:  # a code the framework no longer has
            continue
        assessment = _assessment(row, leaf, evidence.get(row.pk, []))
        if assessment is not None:
            assessments[row.site_id].append((leaf.position, assessment))
    orders: dict[int, list[WorkOrder]] = defaultdict(list)
    for order in WorkOrder.objects.filter(site_id__in=ids).only(
        "site_id", "title", "finding_type", "status", "deadline", "closed_at", "created_at"
    ):
        orders[order.site_id].append(order)
    return {
        pk: an.SiteExtras(
            assessments={a.code: a for _, a in sorted(assessments.get(pk, []), key=lambda pair: pair[0])},
            workorders=_workorders(orders.get(pk, []), today),
        )
        for pk in ids
    }


def _assessment(row: IndicatorScore, leaf: LeafInfo, evidence: list[an.EvidenceItem]) -> an.ManualAssessment | None:
    """One score row as the report shows it; None for an automated score nobody has touched."""
    answers = row.checklist if isinstance(row.checklist, dict) else {}
    checklist = tuple(
        an.ChecklistAnswer(item, answers.get(str(index))) for index, item in enumerate(leaf.indicator.checklist)
    )
    touched = row.assessor_id is not None or row.note or evidence or any(c.answer is not None for c in checklist)
    if not touched and (leaf.collection == "auto" or row.score is None):
        return None
    assessor = ""
    if row.assessor is not None:
        assessor = row.assessor.get_full_name() or row.assessor.get_username()
    return an.ManualAssessment(
        code=leaf.code,
        name=leaf.name,
        weight=leaf.weight,
        collection=leaf.collection,
        score=row.score,
        status=IndicatorScore.Status(row.status).label if row.status in IndicatorScore.Status.values else row.status,
        confirmed=row.status == IndicatorScore.Status.CONFIRMED,
        assessor=assessor,
        observed_at=_local(row.observed_at),
        note=row.note,
        checklist=checklist,
        evidence=tuple(evidence),
        auto_score=row.auto_score,
        adjust_reason=row.adjust_reason,
    )


def _workorders(orders: list[WorkOrder], today: date) -> an.WorkOrderSummary:
    statuses = list(WorkOrder.Status)
    closed = WorkOrder.Status.CLOSED
    counts = {status: 0 for status in statuses}
    for order in orders:
        counts[order.status] = counts.get(order.status, 0) + 1

    def place(order: WorkOrder):
        rank = statuses.index(order.status) if order.status in statuses else len(statuses)
        return (rank, order.deadline or date.max, -order.created_at.timestamp())

    lines = tuple(
        an.WorkOrderLine(
            title=order.title,
            finding_type=order.finding_type,
            status=WorkOrder.Status(order.status).label if order.status in WorkOrder.Status.values else order.status,
            deadline=order.deadline,
            closed=_local(order.closed_at).date() if order.closed_at else None,
            overdue=order.deadline is not None and order.deadline < today and order.status != closed,
        )
        for order in sorted(orders, key=place)
    )
    return an.WorkOrderSummary(
        counts=tuple((status.label, counts[status]) for status in statuses),
        overdue=sum(1 for line in lines if line.overdue),
        orders=lines,
    )


def _clip(evidence: str) -> str:
    return evidence[:EVIDENCE_CHARS] + "…" if len(evidence) > EVIDENCE_CHARS else evidence


def _local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return timezone.localtime(value) if timezone.is_aware(value) else value
