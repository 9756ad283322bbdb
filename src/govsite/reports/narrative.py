"""Chinese sentences written from the analysis figures, never typed in.

Each function takes the dataclasses of `analysis` and returns sentences in
the report's idiom ("32 个省级单位中 28 个达到良好及以上"). Numbers are
printed as the report prints them: indices with two decimals, shares as
percentages with one decimal (a trailing .0 dropped), both rounded half up.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from govsite.reports.analysis import (
    DOWN,
    SAME,
    UP,
    BandDistribution,
    FindingSummary,
    GroupComparison,
    GroupOverview,
    IndicatorAverage,
    YearOverYear,
)

TOP_FINDING_TYPES = 3


def index_text(value: Decimal | None) -> str:
    return "—" if value is None else str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def score_text(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return "—"
    text = str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent_text(fraction: Decimal) -> str:
    value = (fraction * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = str(value)
    return (text[:-2] if text.endswith(".0") else text) + "%"


def join_names(names: Sequence[str]) -> str:
    return "、".join(names)


def series_text(values: Sequence[str]) -> str:
    """A、B 和 C — the report's way of listing a series."""
    if len(values) <= 1:
        return "".join(values)
    return "、".join(values[:-1]) + " 和 " + values[-1]


def overview_sentence(ov: GroupOverview, noun: str) -> str:
    text = f"{ov.sites} 个{noun}参加调查"
    if ov.incomplete:
        text += f"，其中 {ov.complete} 个全部指标已评估，{ov.incomplete} 个有未评估指标（按 0 分计）"
    if ov.mean_total is not None:
        text += (
            f"；平均得分 {score_text(ov.mean_total)} 分（满分 {score_text(ov.max_total)} 分），"
            f"平均创新发展指数 {index_text(ov.mean_index)}"
        )
    return text + "。"


def band_sentences(dist: BandDistribution, noun: str, headline: str | None) -> list[str]:
    sentences = []
    if headline is not None:
        above = dist.at_or_above(headline)
        sentences.append(
            f"{dist.sites} 个{noun}中 {above} 个达到{headline}及以上，占 {percent_text(_fraction(above, dist.sites))}。"
        )
    parts = [f"{b.band} {b.count} 个" for b in dist.bands]
    sentence = f"各档级{noun}数量：{'、'.join(parts)}"
    empty = [b.band for b in dist.bands if b.count == 0]
    if empty:
        sentence += f"；{'、'.join(empty)}档级没有{noun}"
    sentences.append(sentence + "。")
    return sentences


def leading_sentence(names: Sequence[str], noun: str) -> str:
    if not names:
        return ""
    return f"{join_names(names)}等 {len(names)} 个{noun}得分居前。"


def indicator_sentences(averages: Sequence[IndicatorAverage], depth: int = 1, parent: str = "") -> list[str]:
    """The averages of one level (all 一级, or the 二级 under `parent`), then the highest and lowest."""
    rows = [a for a in averages if a.depth == depth and (not parent or a.parent == parent) and a.mean_index is not None]
    if not rows:
        return []
    level = "一级指标" if depth == 1 else "二级指标"
    names = [a.name for a in rows]
    values = [index_text(a.mean_index) for a in rows]
    lead = f"{parent_name(averages, parent)}各{level}" if parent else f"各{level}"
    sentences = [f"{lead}平均创新发展指数：{join_names(names)}分别为 {series_text(values)}。"]
    if len(rows) > 1:
        high = max(rows, key=lambda a: a.mean_index)
        low = min(rows, key=lambda a: a.mean_index)
        if index_text(high.mean_index) == index_text(low.mean_index):
            sentences.append(f"各项指数基本持平，均约为 {index_text(high.mean_index)}。")
        else:
            sentences.append(
                f"其中{high.name}最高，为 {index_text(high.mean_index)}；"
                f"{low.name}最低，为 {index_text(low.mean_index)}。"
            )
    return sentences


def parent_name(averages: Sequence[IndicatorAverage], code: str) -> str:
    return next((a.name for a in averages if a.code == code), code)


def comparison_sentence(comparison: GroupComparison) -> str:
    pairs = [(g, v) for g, v in zip(comparison.groups, comparison.mean_index, strict=True) if v is not None]
    if len(pairs) < 2:
        return ""
    groups = "、".join(g for g, _ in pairs)
    values = series_text([index_text(v) for _, v in pairs])
    return f"{groups}平均创新发展指数分别为 {values}。"


def finding_sentences(summary: FindingSummary, noun: str) -> list[str]:
    if summary.scanned == 0:
        return [f"扫描结果与{summary.group}的 {summary.sites} 个{noun}均未对应（请检查网址）。"]
    vetoed = len(summary.vetoed)
    unjudged = f"{summary.unjudged} 个无法判定（检测未能完成），" if summary.unjudged else ""
    sentences = [
        f"已检测的 {summary.scanned} 个{_site_noun(noun)}中，{summary.passed} 个未触发单项否决，"
        f"{vetoed} 个被单项否决，{unjudged}合格率 {percent_text(summary.passed_share)}。"
    ]
    if summary.types:
        top = summary.types[:TOP_FINDING_TYPES]
        parts = [f"“{t.label}”{t.sites} 个（占 {percent_text(t.share)}）" for t in top]
        sentences.append(f"存在问题的网站数最多的类型：{'、'.join(parts)}。")
    else:
        sentences.append("扫描未发现问题。")
    if summary.not_scanned:
        sentences.append(f"另有 {len(summary.not_scanned)} 个{noun}没有对应的扫描结果。")
    return sentences


def year_over_year_sentences(yoy: YearOverYear, noun: str) -> list[str]:
    year = yoy.previous_year
    sentences = []
    if yoy.headline_band is not None and yoy.headline_current is not None and yoy.headline_previous is not None:
        change = _change(yoy.headline_previous, yoy.headline_current)
        sentences.append(f"与 {year} 年相比，达到{yoy.headline_band}及以上的{noun}{change}。")
    if yoy.band_counts:
        parts = [f"{c.band}档级{_change(c.previous, c.current)}" for c in yoy.band_counts]
        sentences.append("；".join(parts) + "。")
    if yoy.matched and yoy.band_counts:
        up, same, down = (len(yoy.moved(d)) for d in (UP, SAME, DOWN))
        sentences.append(
            f"两年均参加调查的 {len(yoy.matched)} 个{noun}中，{up} 个档级上升，{same} 个持平，{down} 个下降。"
        )
    mean = mean_index_change_sentence(yoy, noun)
    if mean:
        sentences.append(mean)
    if yoy.new_sites:
        sentences.append(f"本年新增 {len(yoy.new_sites)} 个{noun}：{join_names(yoy.new_sites)}。")
    return sentences


def mean_index_change_sentence(yoy: YearOverYear, noun: str) -> str:
    if yoy.mean_index_previous is None or yoy.mean_index_current is None:
        return ""
    before, after = index_text(yoy.mean_index_previous), index_text(yoy.mean_index_current)
    if before == after:
        return f"{noun}平均创新发展指数与 {yoy.previous_year} 年持平，为 {after}。"
    return f"{noun}平均创新发展指数由 {yoy.previous_year} 年的 {before} 变为 {after}。"


def year_over_year_summary(yoy: YearOverYear, noun: str) -> str:
    """One sentence for the survey's overview: the headline band's change, else the mean index's."""
    sentences = year_over_year_sentences(yoy, noun)
    if yoy.headline_band is not None and yoy.headline_current is not None and sentences:
        return sentences[0]
    return mean_index_change_sentence(yoy, noun)


def _site_noun(noun: str) -> str:
    """省级单位 -> 省级单位网站; 区县政府网站 stays as it is."""
    return noun if noun.endswith("网站") else noun + "网站"


def _change(before: int, after: int) -> str:
    if before == after:
        return f"数量稳定为 {after} 个"
    verb = "增至" if after > before else "减至"
    return f"由 {before} 个{verb} {after} 个"


def _fraction(part: int, whole: int) -> Decimal:
    return Decimal(part) / Decimal(whole) if whole else Decimal(0)
