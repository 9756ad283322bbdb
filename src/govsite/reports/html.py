"""The report as one self-contained, offline HTML file (and one per site), from Jinja2 templates.

The same HTML is what the PDF is made of (`pdf.py`): the templates carry a
print stylesheet (templates/print_css.html: A4 pages, page numbers, a table of
contents with page numbers, fixed-width tables), so printing report.html and
the PDF look alike.

Everything is in the file: CSS in a <style> element, charts as inline SVG
(`figures`), no script, no font, image or stylesheet fetched from anywhere.
Autoescaping is on for every template, so a site name or a finding's
evidence — crawled, hostile text — is always shown as text; URLs are shown,
never linked. Links exist only between the report and its site pages, as
relative paths.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from govsite.findings import FINDING_TYPES
from govsite.reports import figures
from govsite.reports.analysis import DOWN, SAME, UP, SiteCard
from govsite.reports.build import SurveyAnalysis
from govsite.reports.narrative import index_text, percent_text, score_text
from govsite.scan.output import FINDINGS_FILE
from govsite.text.personal_data import mask_text

CN_NUMBERS = "一二三四五六七八九十"
SEVERITY = {"high": "高", "medium": "中", "low": "低"}
DIRECTION = {UP: "上升", SAME: "持平", DOWN: "下降", None: "—"}
ANSWER = {True: "是", False: "否", None: "未核查"}
COLLECTION = {"auto": "自动监测", "hybrid": "监测 + 人工", "manual": "人工评估"}


def cn_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 20 -> 二十 (section numbers)."""
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def _signed(value: Decimal | int | None, places: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:+d}" if value else "0"
    text = index_text(value) if places == 2 else score_text(value, places)
    if not text.strip("-+0."):
        return text.lstrip("-")  # 0.00, never -0.00 or +0.00
    return text if text.startswith("-") else "+" + text


def when_text(value: datetime | date | None) -> str:
    """2025-11-30 14:05 for a moment, 2025-11-30 for a day, "—" for nothing."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def code_text(code: str) -> Markup:
    """An indicator code ("platform.infrastructure.cybersecurity") that may wrap after its dots, not mid-word."""
    return Markup(str(escape(code)).replace(".", ".<wbr>"))


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("govsite.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        idx=index_text,
        code=code_text,
        score=score_text,
        pct=percent_text,
        cn=cn_number,
        signed=_signed,
        severity=lambda s: SEVERITY.get(s, s),
        direction=lambda d: DIRECTION.get(d, "—"),
        finding_label=lambda t: FINDING_TYPES.get(t, t),
        when=when_text,
        answer=lambda a: ANSWER.get(a, "未核查"),
        collection=lambda c: COLLECTION.get(c, c),
    )
    return env


def render_survey(analysis: SurveyAnalysis, *, generated: date | None = None) -> str:
    charts = {
        g.name: {
            "bands": figures.band_chart(g),
            "band_change": figures.band_change_chart(g),
            "first_level": figures.first_level_chart(g),
            "second_level": {a.code: figures.second_level_chart(g, a) for a in g.first_level},
            "histogram": figures.histogram_chart(g),
            "findings": figures.finding_chart(g),
        }
        for g in analysis.groups
    }
    comparison_charts = figures.comparison_charts(analysis.comparison) if analysis.comparison else []
    return (
        environment()
        .get_template("survey_report.html")
        .render(
            a=analysis,
            survey=analysis.survey,
            charts=charts,
            comparison_charts=comparison_charts,
            generated=(generated or date.today()).isoformat(),
        )
    )


def render_site(
    analysis: SurveyAnalysis,
    card: SiteCard,
    *,
    generated: date | None = None,
    report_link: str | None = "../report.html",
) -> str:
    """One site's page; `report_link` (relative) leads back to the survey report, None for no link (PDF)."""
    by_type: dict[str, list] = {}
    if card.scan is not None:
        rank = {"high": 0, "medium": 1, "low": 2}
        for example in sorted(card.scan.examples, key=lambda e: (rank.get(e.severity, 3), e.type)):
            if example.type.startswith("privacy_"):  # the detector masks; never trust one copy of that
                example = replace(example, evidence=mask_text(example.evidence))
            by_type.setdefault(example.type, []).append(example)
    return (
        environment()
        .get_template("site_report.html")
        .render(
            survey=analysis.survey,
            card=card,
            result=card.item.result,
            chart=figures.site_chart(card),
            examples=by_type,
            sources=_sources(card),
            report_link=report_link,
            findings_file=FINDINGS_FILE,
            generated=(generated or date.today()).isoformat(),
        )
    )


def _sources(card: SiteCard) -> list[str]:
    """What a site report is drawn from, for its footer."""
    sources = ["评估记录" if card.extras is not None else "成绩表"]
    if card.scan is not None:
        sources.append("网站扫描结果")
    if card.extras is not None and card.extras.workorders is not None:
        sources.append("整改工单")
    return sources
