"""The report's figures (第七章's 图): analysis results turned into SVG charts.

One function per kind of figure, shared by the HTML report and the
PDF. Titles follow the reference report ("…各指标平均得分指数").
"""

from __future__ import annotations

from markupsafe import Markup

from govsite.reports import analysis as an
from govsite.reports.build import GroupAnalysis
from govsite.reports.charts import column_chart, hbar_chart
from govsite.reports.narrative import percent_text


def band_chart(g: GroupAnalysis) -> Markup | None:
    if g.bands is None:
        return None
    labels = [b.band for b in g.bands.bands]
    return column_chart(f"{g.name}各档级数量", labels, [(g.name, [b.count for b in g.bands.bands])])


def band_change_chart(g: GroupAnalysis) -> Markup | None:
    if g.yoy is None or not g.yoy.band_counts:
        return None
    counts = g.yoy.band_counts
    return column_chart(
        f"{g.name}各档级变化情况",
        [c.band for c in counts],
        [(f"{g.yoy.previous_year} 年", [c.previous for c in counts]), (_this_year(g), [c.current for c in counts])],
    )


def first_level_chart(g: GroupAnalysis) -> Markup | None:
    rows = g.first_level
    if not rows:
        return None
    series: list = [(g.name, [a.mean_index for a in rows])]
    if g.yoy is not None:
        previous = {d.code: d.previous for d in g.yoy.indicators}
        series = [(f"{g.yoy.previous_year} 年", [previous.get(a.code) for a in rows]), (_this_year(g), series[0][1])]
    return hbar_chart(f"{g.name}一级指标平均创新发展指数", [a.name for a in rows], series)


def second_level_chart(g: GroupAnalysis, parent: an.IndicatorAverage) -> Markup | None:
    rows = g.second_level(parent.code)
    if not rows:
        return None
    return hbar_chart(
        f"{parent.name}各指标平均创新发展指数", [a.name for a in rows], [(g.name, [a.mean_index for a in rows])]
    )


def histogram_chart(g: GroupAnalysis) -> Markup | None:
    if not g.histogram:
        return None
    return column_chart(
        f"{g.name}总分分布（分）", [b.label for b in g.histogram], [(g.name, [b.count for b in g.histogram])]
    )


def finding_chart(g: GroupAnalysis) -> Markup | None:
    if g.findings is None or not g.findings.types:
        return None
    types = g.findings.types[:12]
    return hbar_chart(
        f"{g.name}存在各类问题的网站占比",
        [t.label for t in types],
        [("占比", [t.share for t in types])],
        value_text=percent_text,
    )


def comparison_charts(comparison: an.GroupComparison) -> list[Markup]:
    """The mean index per group, then the 一级 indicators side by side, then each 一级's 二级."""
    charts = [
        hbar_chart("各组平均创新发展指数", list(comparison.groups), [("平均创新发展指数", list(comparison.mean_index))])
    ]
    first = [r for r in comparison.rows if r.depth == 1]
    if first:
        charts.append(_comparison_chart("各组一级指标平均创新发展指数", comparison, first))
    for parent in first:
        children = [r for r in comparison.rows if r.depth == 2 and r.parent == parent.code]
        if children:
            charts.append(_comparison_chart(f"各组{parent.name}各指标平均创新发展指数", comparison, children))
    return charts


def _comparison_chart(title: str, comparison: an.GroupComparison, rows: list[an.IndicatorComparison]) -> Markup:
    series = [(group, [r.values[i] for r in rows]) for i, group in enumerate(comparison.groups)]
    return hbar_chart(title, [r.name for r in rows], series)


def site_chart(card: an.SiteCard) -> Markup:
    rows = [line for line in card.lines if line.depth == 1]
    return hbar_chart(
        "一级指标创新发展指数（与分组平均比较）",
        [line.name for line in rows],
        [
            (card.item.result.site, [line.index for line in rows]),
            ("分组平均", [line.group_mean_index for line in rows]),
        ],
    )


def _this_year(g: GroupAnalysis) -> str:
    return f"{g.yoy.year} 年" if g.yoy is not None and g.yoy.year else "本年"
