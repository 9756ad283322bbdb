"""The report as an XLSX workbook: one sheet per table, Chinese headers, numbers as numbers.

Written with `tables.write_xlsx` (bold, frozen header; CJK column widths).
Besides the analysis tables, each group's ranking and long-form indicator
scores are included, so that every figure of the report can be recomputed
in Excel from the same workbook.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from govsite.reports.analysis import DOWN, SAME, UP
from govsite.reports.build import SurveyAnalysis
from govsite.reports.scores import indicator_table, ranking_table
from govsite.reports.tables import Table, write_xlsx
from govsite.scoring.engine import rounded

DIRECTION = {UP: "上升", SAME: "持平", DOWN: "下降", None: ""}


def survey_tables(analysis: SurveyAnalysis) -> list[Table]:
    tables = [
        _overview(analysis),
        _bands(analysis),
        _leading(analysis),
        _averages(analysis),
    ]
    if analysis.comparison is not None:
        tables.append(_comparison(analysis))
    tables.append(_histogram(analysis))
    if any(g.findings for g in analysis.groups):
        tables += [_finding_types(analysis), _verdicts(analysis)]
    if any(g.yoy for g in analysis.groups):
        tables += _year_over_year(analysis)
    tables.append(
        Table(
            "分析结论",
            ["序号", "部分", "结论"],
            [[i, part, s] for i, (part, s) in enumerate(analysis.all_sentences, 1)],
        )
    )
    for g in analysis.groups:
        ranking = ranking_table(g.group.framework, list(g.group.ranked))
        ranking.title = f"{g.name}排名"
        if g.group.urls:
            ranking.headers.append("网址")
            for row in ranking.rows:
                row.append(g.group.urls.get(row[2], ""))
        details = indicator_table(g.group.framework, list(g.group.ranked))
        details.title = f"{g.name}指标得分"
        tables += [ranking, details]
    return tables


def write_workbook(analysis: SurveyAnalysis, path: Path) -> Path:
    return write_xlsx(survey_tables(analysis), path)


def _overview(analysis: SurveyAnalysis) -> Table:
    table = Table(
        "概览",
        [
            "分组",
            "指标体系",
            "指标体系代码",
            "单位数",
            "全部指标已评估",
            "有未评估指标",
            "获得加分",
            "平均总分",
            "中位总分",
            "最高分",
            "最低分",
            "满分",
            "平均创新发展指数",
        ],
    )
    for g in analysis.groups:
        ov = g.overview
        table.rows.append(
            [
                g.name,
                ov.framework_name,
                ov.framework,
                ov.sites,
                ov.complete,
                ov.incomplete,
                ov.with_bonus,
                _r(ov.mean_total),
                _r(ov.median_total),
                _r(ov.highest_total),
                _r(ov.lowest_total),
                _r(ov.max_total),
                _r(ov.mean_index, 4),
            ]
        )
    return table


def _bands(analysis: SurveyAnalysis) -> Table:
    table = Table("档级分布", ["分组", "档级", "单位数", "占比（%）", "单位名称（同档内按行政区划序列排序）"])
    for g in analysis.groups:
        if g.bands is None:
            continue
        for b in g.bands.bands:
            table.rows.append([g.name, b.band, b.count, _pct(b.share), "、".join(b.members)])
    return table


def _leading(analysis: SurveyAnalysis) -> Table:
    table = Table("得分居前", ["分组", "总分名次", "单位名称", "总分", "档级", "创新发展指数"])
    for g in analysis.groups:
        for item in g.leading:
            r = item.result
            table.rows.append([g.name, item.rank_by_total, r.site, _r(r.total), item.band, _r(r.index, 4)])
    return table


def _averages(analysis: SurveyAnalysis) -> Table:
    table = Table(
        "指标平均指数",
        [
            "分组",
            "指标代码",
            "指标层级",
            "指标名称",
            "上级指标代码",
            "权重",
            "平均得分",
            "平均创新发展指数",
            "计入单位数",
        ],
    )
    for g in analysis.groups:
        for a in g.averages:
            table.rows.append(
                [
                    g.name,
                    a.code,
                    a.depth,
                    a.name,
                    a.parent,
                    _r(a.weight),
                    _r(a.mean_score, 4),
                    _r(a.mean_index, 4),
                    a.sites,
                ]
            )
    return table


def _comparison(analysis: SurveyAnalysis) -> Table:
    comparison = analysis.comparison
    table = Table("分组比较", ["指标代码", "指标层级", "指标名称", *comparison.groups])
    table.rows.append(["", 0, "总体（平均创新发展指数）", *[_r(v, 4) for v in comparison.mean_index]])
    for row in comparison.rows:
        table.rows.append([row.code, row.depth, row.name, *[_r(v, 4) for v in row.values]])
    return table


def _histogram(analysis: SurveyAnalysis) -> Table:
    table = Table("得分分布", ["分组", "区间", "下限（含）", "上限", "含上限", "单位数"])
    for g in analysis.groups:
        for b in g.histogram:
            table.rows.append([g.name, b.label, _r(b.low), _r(b.high), "是" if b.closed else "否", b.count])
    return table


def _finding_types(analysis: SurveyAnalysis) -> Table:
    table = Table(
        "问题类型",
        ["分组", "已检测网站数", "问题类型代码", "问题类型", "存在问题的网站数", "占已检测网站（%）", "问题条数"],
    )
    for g in analysis.groups:
        f = g.findings
        if f is None:
            continue
        for t in f.types:
            table.rows.append([g.name, f.scanned, t.type, t.label, t.sites, _pct(t.share), t.findings])
    return table


def _verdicts(analysis: SurveyAnalysis) -> Table:
    table = Table("单项否决", ["分组", "单位名称", "网址", "结论", "原因", "问题条数"])
    for g in analysis.groups:
        if g.group.scans is None:
            continue
        for item in g.group.ranked:
            name = item.result.site
            scan = g.group.scans.get(name)
            if scan is None:
                table.rows.append([g.name, name, g.group.urls.get(name, ""), "未检测", "", None])
            else:
                reasons = "；".join((*scan.reasons, *scan.unjudged))
                table.rows.append([g.name, name, scan.url, scan.verdict_label, reasons, scan.findings])
    return table


def _year_over_year(analysis: SurveyAnalysis) -> list[Table]:
    bands = Table("年度对比·档级", ["分组", "上年", "档级", "上年单位数", "本年单位数", "变化"])
    sites = Table(
        "年度对比·单位",
        ["分组", "单位名称", "上年档级", "本年档级", "档级变化", "上年总分", "本年总分", "总分变化"],
    )
    indicators = Table(
        "年度对比·指标",
        ["分组", "指标代码", "指标层级", "指标名称", "上年平均指数", "本年平均指数", "变化"],
    )
    for g in analysis.groups:
        y = g.yoy
        if y is None:
            continue
        for c in y.band_counts:
            bands.rows.append([g.name, y.previous_year, c.band, c.previous, c.current, c.change])
        for m in y.matched:
            sites.rows.append(
                [
                    g.name,
                    m.site,
                    m.previous_band,
                    m.band,
                    DIRECTION[m.direction],
                    _r(m.previous_total),
                    _r(m.total),
                    _r(m.total_change),
                ]
            )
        for d in y.indicators:
            indicators.rows.append(
                [g.name, d.code, d.depth, d.name, _r(d.previous, 4), _r(d.current, 4), _r(d.delta, 4)]
            )
    return [bands, sites, indicators]


def _r(value: Decimal | None, places: int = 2) -> Decimal | None:
    return None if value is None else rounded(value, places)


def _pct(fraction: Decimal) -> Decimal:
    return (fraction * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
