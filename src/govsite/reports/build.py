"""A whole survey report's analysis: every figure and sentence computed once.

`analyse` (pure) gathers the analysis of each group, the comparison across
groups and the generated sentences into one `SurveyAnalysis`, which every
renderer reads (html.py, workbook.py; pdf.py lays the HTML out on A4).
`writer.write_report` writes the files. The flow is one way:
survey data → analysis (analysis.py, narrative.py, here) → renderers → writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govsite.reports import analysis as an
from govsite.reports import narrative as nv
from govsite.scoring.ranking import RankedSite


@dataclass(frozen=True)
class GroupAnalysis:
    group: an.GroupData
    overview: an.GroupOverview
    bands: an.BandDistribution | None
    headline: str | None
    leading: list[RankedSite]
    averages: list[an.IndicatorAverage]
    histogram: list[an.HistogramBin]
    findings: an.FindingSummary | None
    yoy: an.YearOverYear | None
    sentences: list[str]  # the group's summary paragraph
    band_sentences: list[str]
    indicator_sentences: list[str]  # 一级
    second_level_sentences: dict[str, list[str]]  # 一级 code -> its 二级 sentences
    finding_sentences: list[str]
    yoy_sentences: list[str]
    leading_sentence: str

    @property
    def name(self) -> str:
        return self.group.name

    @property
    def first_level(self) -> list[an.IndicatorAverage]:
        return [a for a in self.averages if a.depth == 1]

    def second_level(self, parent: str) -> list[an.IndicatorAverage]:
        return [a for a in self.averages if a.depth == 2 and a.parent == parent]


@dataclass(frozen=True)
class SurveyAnalysis:
    survey: an.SurveyData
    groups: list[GroupAnalysis]
    comparison: an.GroupComparison | None  # None with a single group or nothing shared
    sentences: list[str]  # the survey's overall paragraph
    site_pages: dict[tuple[str, str], str] = field(default_factory=dict)  # (group, site) -> relative path

    @property
    def all_sentences(self) -> list[tuple[str, str]]:
        """Every generated sentence with the section it belongs to (the XLSX 分析结论 sheet)."""
        out = [("总体", s) for s in self.sentences]
        for g in self.groups:
            out += [(g.name, s) for s in g.sentences]
            out += [(g.name, s) for s in g.band_sentences]
            if g.leading_sentence:
                out.append((g.name, g.leading_sentence))
            out += [(g.name, s) for s in g.indicator_sentences]
            for sentences in g.second_level_sentences.values():
                out += [(g.name, s) for s in sentences]
            out += [(g.name, s) for s in g.finding_sentences]
            out += [(g.name, s) for s in g.yoy_sentences]
        return out


def analyse(survey: an.SurveyData) -> SurveyAnalysis:
    groups = [_group_analysis(survey, group) for group in survey.groups]
    comparison = None
    sentences = []
    if len(survey.groups) > 1:
        compared = an.compare_groups(survey.groups)
        comparison = compared if compared.rows else None
        names = "、".join(g.name for g in survey.groups)
        total = sum(len(g.ranked) for g in survey.groups)
        sentences.append(f"本次调查共 {total} 个调查对象，分为{names} {len(survey.groups)} 组。")
        text = nv.comparison_sentence(compared)
        if text:
            sentences.append(text)
    for g in groups:
        if g.bands is not None and g.headline is not None:
            sentences.append(nv.band_sentences(g.bands, g.group.noun, g.headline)[0])
        if g.yoy is not None:
            summary = nv.year_over_year_summary(g.yoy, g.group.noun)
            if summary:
                sentences.append(summary)
    return SurveyAnalysis(survey=survey, groups=groups, comparison=comparison, sentences=sentences)


def _group_analysis(survey: an.SurveyData, group: an.GroupData) -> GroupAnalysis:
    noun = group.noun
    ov = an.overview(group)
    bands = an.band_distribution(group)
    headline = an.headline_band(group, survey.headline_band)
    leading = an.leading_sites(group)
    averages = an.indicator_averages(group)
    findings = an.finding_summary(group)
    yoy = None
    if survey.previous is not None:
        previous = survey.previous.group(group.name)
        if previous is not None:
            yoy = an.year_over_year(group, previous, survey.previous.year, survey.headline_band, survey.year)
    second = {
        a.code: nv.indicator_sentences(averages, depth=2, parent=a.code)
        for a in averages
        if a.depth == 1 and any(b.parent == a.code for b in averages if b.depth == 2)
    }
    return GroupAnalysis(
        group=group,
        overview=ov,
        bands=bands,
        headline=headline,
        leading=leading,
        averages=averages,
        histogram=an.total_histogram(group, survey.histogram_width),
        findings=findings,
        yoy=yoy,
        sentences=[nv.overview_sentence(ov, noun)],
        band_sentences=nv.band_sentences(bands, noun, headline) if bands else [],
        indicator_sentences=nv.indicator_sentences(averages, depth=1),
        second_level_sentences=second,
        finding_sentences=nv.finding_sentences(findings, noun) if findings else [],
        yoy_sentences=nv.year_over_year_sentences(yoy, noun) if yoy else [],
        leading_sentence=nv.leading_sentence([item.result.site for item in leading], noun),
    )
