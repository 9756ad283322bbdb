"""Scoring results as tables and JSON: the ranking and every indicator's score and index."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from govsite.frameworks import Framework
from govsite.reports.tables import Table
from govsite.scoring.engine import rounded
from govsite.scoring.ranking import RankedSite


def ranking_table(framework: Framework, ranked: list[RankedSite]) -> Table:
    table = Table(
        title="排名",
        headers=[
            "序号",
            "档级",
            "单位名称",
            "行政区划代码",
            "总分",
            "基础得分",
            "加分",
            "创新发展指数",
            "总分名次",
            "备注",
        ],
    )
    for item in ranked:
        r = item.result
        notes = []
        if r.self_registered:
            notes.append("新增自主报名")
        if r.not_assessed:
            notes.append(f"{len(r.not_assessed)} 项未评估")
        if r.bonus_claimed > r.bonus:
            notes.append(f"加分 {_num(r.bonus_claimed)} 按上限 {_num(r.bonus)} 计")
        table.rows.append(
            [
                item.position,
                item.band,
                r.site,
                r.division_code or "",
                rounded(r.total),
                rounded(r.base),
                rounded(r.bonus),
                rounded(r.index, 4),
                item.rank_by_total,
                "；".join(notes),
            ]
        )
    return table


def indicator_table(framework: Framework, ranked: list[RankedSite]) -> Table:
    """One row per site and indicator: the long form that pivots well in Excel."""
    table = Table(
        title="指标得分",
        headers=["单位名称", "指标代码", "指标层级", "指标名称", "权重", "得分", "创新发展指数", "是否评估"],
    )
    for item in ranked:
        for ind in item.result.indicators:
            table.rows.append(
                [
                    item.result.site,
                    ind.code,
                    ind.depth,
                    ind.name,
                    rounded(ind.weight),
                    rounded(ind.score),
                    rounded(ind.index, 4),
                    "是" if ind.assessed else "否",
                ]
            )
    return table


def results_json(framework: Framework, ranked: list[RankedSite], notes: list[str]) -> dict[str, Any]:
    return {
        "framework": framework.display_code,
        "framework_name": framework.name,
        "max_total": _num(framework.max_total),
        "notes": notes,
        "sites": [
            {
                "position": item.position,
                "band": item.band,
                "rank_by_total": item.rank_by_total,
                "site": item.result.site,
                "division_code": item.result.division_code,
                "self_registered": bool(item.result.self_registered),
                "total": _num(item.result.total),
                "base": _num(item.result.base),
                "bonus": _num(item.result.bonus),
                "index": _num(rounded(item.result.index, 4)),
                "not_assessed": list(item.result.not_assessed),
                "indicators": [
                    {
                        "code": ind.code,
                        "name": ind.name,
                        "depth": ind.depth,
                        "weight": _num(ind.weight),
                        "score": _num(ind.score),
                        "index": _num(rounded(ind.index, 4)),
                        "assessed": ind.assessed,
                    }
                    for ind in item.result.indicators
                ],
            }
            for item in ranked
        ],
    }


def _num(value: Decimal) -> float | int:
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)
