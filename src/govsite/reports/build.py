"""A whole survey report: every figure and sentence computed once, then written as HTML, PDF and XLSX.

`analyse` (pure) gathers the analysis of each group, the comparison across
groups and the generated sentences into one `SurveyAnalysis`, which every
renderer reads: HTML, XLSX, and PDF (the same HTML and SVG charts laid out
on A4 pages by WeasyPrint, `pdf.py`). `write_report` writes the files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain
from pathlib import Path

from govsite.reports import analysis as an
from govsite.reports import narrative as nv
from govsite.scoring.ranking import RankedSite

FORMATS = ("html", "pdf", "xlsx")
SITE_FORMATS = ("html", "pdf")  # the formats a site report comes in


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


# -- writing ----------------------------------------------------------------------------------


def parse_formats(text: str) -> list[str]:
    """`html,xlsx` -> ["html", "xlsx"]; ValueError naming an unknown format."""
    formats = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not formats:
        raise ValueError(f"--format 至少给出一种格式：{'、'.join(FORMATS)}")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"未知的格式“{'、'.join(unknown)}”（可用：{'、'.join(FORMATS)}）")
    return list(dict.fromkeys(formats))


def site_filename(group: str, site: str, position: int) -> str:
    """A file name safe on every system for a site page: word characters kept, the rest '_'."""
    clean = re.sub(r"[^\w]+", "_", f"{group}-{site}", flags=re.UNICODE).strip("_")[:60]
    return f"{clean or 'site'}-{position:04d}.html"


def write_report(
    analysis: SurveyAnalysis,
    out_dir: Path,
    formats: Sequence[str],
    *,
    sites: Sequence[tuple[str, str]] = (),
    generated: date | None = None,
    survey_report: bool = True,
) -> list[Path]:
    """Write report.html / report.pdf / report.xlsx as `formats` asks, and a site report per (group, site)
    in `sites` in each of the site formats asked for (sites/NAME.html, sites/NAME.pdf); return the paths.

    `survey_report=False` writes the site reports only (a web download of one site's report need not
    lay out the whole survey's PDF first).

    PDF needs WeasyPrint and a Chinese font: call `pdf.check_pdf_support()` first to fail before
    anything is written (`PdfUnavailable`).
    """
    from govsite.reports.html import render_site, render_survey
    from govsite.reports.workbook import write_workbook

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    pages: dict[tuple[str, str], str] = {}  # (group, site) -> sites/NAME.html
    for group_name, site in sites:
        group = analysis.survey.group(group_name)
        item = group.site(site) if group else None
        if item is not None:
            pages[(group_name, site)] = "sites/" + site_filename(group_name, site, item.position)
    site_formats = [f for f in SITE_FORMATS if f in formats]
    averages = {g.name: g.averages for g in analysis.groups}
    cards = {}
    if site_formats:
        cards = {key: an.site_card(analysis.survey.group(key[0]), key[1], averages[key[0]]) for key in pages}
        if pages:
            (out_dir / "sites").mkdir(parents=True, exist_ok=True)
    if "html" in formats:
        if survey_report:
            path = out_dir / "report.html"
            path.write_text(render_survey(replace(analysis, site_pages=pages), generated=generated), encoding="utf-8")
            written.append(path)
        for key, relative in pages.items():
            page = out_dir / relative
            page.write_text(render_site(analysis, cards[key], generated=generated), encoding="utf-8")
            written.append(page)
    if "pdf" in formats:
        from govsite.reports.pdf import write_pdfs

        # No links to the site pages or back: a PDF is read on its own (its TOC links stay).
        unlinked = replace(analysis, site_pages={})
        survey_pdf = [(render_survey(unlinked, generated=generated), out_dir / "report.pdf")] if survey_report else []
        site_pdfs = (
            (
                render_site(analysis, cards[key], generated=generated, report_link=None),
                out_dir / Path(relative).with_suffix(".pdf"),
            )
            for key, relative in pages.items()
        )
        written += write_pdfs(chain(survey_pdf, site_pdfs), len(survey_pdf) + len(pages))
    if "xlsx" in formats and survey_report:
        written.append(write_workbook(analysis, out_dir / "report.xlsx"))
    return written
