"""A survey in the database -> the report's `SurveyData`, so the web app draws the same report as the CLI.

`govsite report SURVEY.yaml` reads score sheets and scan folders; here the
same `SurveyData` comes from confirmed scores (via `survey_results`, the
computation the results page shows), the sites' open findings and verdicts.
One grouping per framework, named by the levels that use it, in the order
the report publishes them (部委, 省, 直辖市, 地市, 区县, 开发区).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from django.db.models import Count

from govsite.reports import analysis as an
from govsite.reports.build import analyse, write_report
from govsite.scoring.ranking import RankedSite
from govsite.sites.sample import LEVELS
from govsite.surveys.models import LEVEL_LABELS, Finding, Job, Site, Survey
from govsite.surveys.views.results import SiteOutcome, survey_results

EXAMPLES_PER_TYPE = 5


def survey_data(survey: Survey, *, examples_for: set[int] | frozenset[int] = frozenset()) -> an.SurveyData:
    """The report's input for `survey`; `examples_for` names the site ids whose site reports need finding examples."""
    outcomes = survey_results(survey)
    by_spec: dict[str, list[SiteOutcome]] = defaultdict(list)
    for outcome in outcomes.values():
        by_spec[outcome.framework.spec].append(outcome)
    counts = _open_counts(survey)
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
    verdict = site.verdict or {}
    examples: tuple[an.FindingExample, ...] = ()
    if with_examples:
        rows = []
        for type_ in counts:
            rows += Finding.objects.filter(site=site, status=Finding.Status.OPEN, type=type_).order_by("id")[
                :EXAMPLES_PER_TYPE
            ]
        examples = tuple(an.FindingExample(f.type, f.url, f.severity, f.evidence, f.page) for f in rows)
    return an.SiteScan(
        url=site.url,
        passed=bool(verdict.get("passed", True)),
        verdict_label=str(verdict.get("label") or ("合格" if verdict.get("passed", True) else "单项否决")),
        reasons=tuple(str(r) for r in verdict.get("reasons", [])),
        findings_by_type=counts,
        pages=pages,
        examples=examples,
    )
