"""The report writer: one `SurveyAnalysis` rendered into report.html / report.pdf / report.xlsx and site pages.

The last step of the report flow (survey data → analysis → renderers → writer);
`govsite report` and the web app's downloads both end here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from itertools import chain
from pathlib import Path

from govsite.reports import analysis as an
from govsite.reports.build import SurveyAnalysis
from govsite.reports.html import render_site, render_survey
from govsite.reports.pdf import write_pdfs
from govsite.reports.workbook import write_workbook

FORMATS = ("html", "pdf", "xlsx")
SITE_FORMATS = ("html", "pdf")  # the formats a site report comes in



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
