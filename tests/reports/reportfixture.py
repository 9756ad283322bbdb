"""A small fixture survey on disk, and the report's figures computed again without the report code.

The survey: 数字政府 2025 with two groups (省级: 6 sites, 城市: 5 sites, one
of them named like a script tag), last year's survey (one site fewer, one
more), a scan summary with findings for some sites (URLs from a site list for
省级, from a `url` column for 城市), and one scanned URL that is no survey
site. Leaf scores vary per leaf (seeded), so an average that picks the wrong
leaves shows.

The `expected_*` functions recompute figures from the raw numbers written
into the sheets, walking the framework tree themselves — they share no code
with `govsite.reports` or `govsite.scoring.engine`.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from govsite import frameworks as fw

FRAMEWORK = "digital_gov_2025"
HOSTILE = "<script>alert(1)</script>"
# 第六章 第一节: 卓越 95 分以上（含 95 分）、优秀 85、良好 75、发展 60、准备 60 分以下; bonus capped at 10.
BANDS = (
    ("卓越", Decimal(95)),
    ("优秀", Decimal(85)),
    ("良好", Decimal(75)),
    ("发展", Decimal(60)),
    ("准备", Decimal(0)),
)
BONUS_CAP = Decimal(10)

# site: (quality, bonus)
THIS_YEAR = {
    "省级": {
        "北京市": ("0.97", "5"),
        "天津市": ("0.88", "3"),
        "河北省": ("0.78", "0"),
        "上海市": ("0.72", "12"),  # bonus over the cap
        "浙江省": ("0.52", "0"),
        "新疆生产建设兵团": ("0.80", "1"),  # new this year
    },
    "城市": {
        "杭州市": ("0.93", "6"),
        "宁波市": ("0.81", "2"),
        HOSTILE: ("0.66", "0"),
        "广州市": ("0.90", "4"),
        "深圳市": ("0.58", "0"),
    },
}
LAST_YEAR = {
    "省级": {
        "北京市": ("0.90", "2"),
        "天津市": ("0.90", "4"),
        "河北省": ("0.70", "0"),
        "上海市": ("0.72", "3"),
        "浙江省": ("0.62", "0"),
        "山西省": ("0.75", "0"),  # dropped this year
    },
    "城市": {
        "杭州市": ("0.93", "6"),
        "宁波市": ("0.70", "0"),
        HOSTILE: ("0.50", "0"),
        "广州市": ("0.95", "4"),
        "深圳市": ("0.60", "0"),
    },
}
URLS = {
    "北京市": "https://www.beijing.gov.cn/",
    "天津市": "https://www.tj.gov.cn",  # the scan writes it with a trailing slash
    "河北省": "https://WWW.HEBEI.gov.cn:443/",  # upper case and the default port
    "浙江省": "https://www.zj.gov.cn/",
    "新疆生产建设兵团": "https://www.xjbt.gov.cn/",  # not in the scan
    "杭州市": "https://www.hangzhou.gov.cn/",  # via the 城市 sheet's url column
    HOSTILE: "https://evil.example/",
}
# scanned homepage: (findings_by_type, passed, reasons)
SCAN = {
    "https://www.beijing.gov.cn/": ({"broken_link": 3, "no_ipv6": 1}, True, []),
    "https://www.tj.gov.cn/": ({"broken_link": 1, "empty_column": 6}, False, ["空白栏目 6 个（达到 5 个）"]),
    "https://www.hebei.gov.cn/": ({}, True, []),
    "https://www.zj.gov.cn/": ({"stale_homepage": 1, "broken_link": 2}, False, ["首页栏目信息超过 2 周未更新"]),
    "https://www.hangzhou.gov.cn/": ({"privacy_phone": 1}, True, []),
    "https://evil.example/": ({"broken_link": 1, "no_ipv6": 1}, True, []),
    "https://unknown.example/": ({"broken_link": 9}, True, []),  # no survey site has this URL
}
HOSTILE_EVIDENCE = '<img src=x onerror="alert(2)">'


@dataclass
class FixtureSurvey:
    path: Path
    framework: fw.Framework
    scores: dict[str, dict[str, dict[str, Decimal]]] = field(default_factory=dict)  # group -> site -> leaf -> score
    bonus: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    previous_scores: dict[str, dict[str, dict[str, Decimal]]] = field(default_factory=dict)
    previous_bonus: dict[str, dict[str, Decimal]] = field(default_factory=dict)


def build_fixture_survey(root: Path) -> FixtureSurvey:
    framework = fw.load(FRAMEWORK).for_variant(None)
    survey = FixtureSurvey(root / "2025" / "survey.yaml", framework)
    survey.previous_scores, survey.previous_bonus = _write_year(root / "2024", framework, LAST_YEAR, seed=24)
    survey.scores, survey.bonus = _write_year(root / "2025", framework, THIS_YEAR, seed=25, with_scan=True)
    (root / "2024" / "survey.yaml").write_text(
        _definition(2024, previous=None, scan=False),
        encoding="utf-8",
    )
    survey.path.write_text(_definition(2025, previous="../2024/survey.yaml", scan=True), encoding="utf-8")
    return survey


def _definition(year: int, *, previous: str | None, scan: bool) -> str:
    lines = [
        f"name: {year} 年数字政府服务能力调查（测试）",
        f"year: {year}",
        f"as_of: {year}-11-30",
        "histogram_width: 10",
    ]
    if previous:
        lines.append(f"previous: {previous}")
    lines += [
        "groups:",
        "  - name: 省级",
        "    label: 省级单位",
        f"    framework: {FRAMEWORK}",
        "    scores: scores_province.csv",
        "    sites: sites.csv",
        "    leading: 3",
    ]
    if scan:
        lines.append("    scan: scan")
    lines += ["  - name: 城市", f"    framework: {FRAMEWORK}", "    scores: scores_city.csv", "    leading: 2"]
    if scan:
        lines.append("    scan: scan")
    return "\n".join(lines) + "\n"


def _write_year(folder: Path, framework, sites_by_group, *, seed: int, with_scan: bool = False):
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    leaves = list(framework.leaves())
    scores: dict[str, dict[str, dict[str, Decimal]]] = {}
    bonus: dict[str, dict[str, Decimal]] = {}
    for group, file_name in (("省级", "scores_province.csv"), ("城市", "scores_city.csv")):
        scores[group], bonus[group] = {}, {}
        with (folder / file_name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            url_column = group == "城市"
            writer.writerow(["site", *(["url"] if url_column else []), *[leaf.code for leaf in leaves], "bonus"])
            for site, (quality, extra) in sites_by_group[group].items():
                row = {}
                for leaf in leaves:
                    share = min(Decimal(1), max(Decimal(0), Decimal(quality) + Decimal(rng.randint(-8, 8)) / 100))
                    row[leaf.code] = (leaf.weight * share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                scores[group][site] = row
                bonus[group][site] = Decimal(extra)
                url = [URLS.get(site, "")] if url_column else []
                writer.writerow([site, *url, *[str(row[leaf.code]) for leaf in leaves], extra])
    with (folder / "sites.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "url", "level", "code"])
        for site in ("北京市", "天津市", "河北省", "浙江省", "新疆生产建设兵团"):
            writer.writerow([site, URLS[site], "municipality" if site.endswith("市") else "province", ""])
    if with_scan:
        _write_scan(folder / "scan")
    return scores, bonus


def _write_scan(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    sites = []
    with (folder / "findings.jsonl").open("w", encoding="utf-8") as handle:
        for url, (by_type, passed, reasons) in SCAN.items():
            sites.append(
                {
                    "site": url,
                    "as_of": "2025-11-30",
                    "pages": 120,
                    "findings_by_type": by_type,
                    "verdict": {"passed": passed, "label": "合格" if passed else "单项否决", "reasons": reasons},
                }
            )
            for type_, count in by_type.items():
                for n in range(count):
                    evidence = "HTTP 404"
                    if type_ == "privacy_phone":
                        evidence = "联系电话 138****5678"
                    if url == "https://www.beijing.gov.cn/" and n == 0:
                        evidence = HOSTILE_EVIDENCE
                    finding = {
                        "type": type_,
                        "url": f"{url}page/{type_}/{n}.html",
                        "site": url,
                        "severity": "medium",
                        "evidence": evidence,
                        "page": f"{url}index.html",
                        "detail": {},
                        "found_at": "2025-11-30",
                    }
                    handle.write(json.dumps(finding, ensure_ascii=False) + "\n")
    (folder / "summary.json").write_text(
        json.dumps({"as_of": "2025-11-30", "sites": sites}, ensure_ascii=False, indent=2), encoding="utf-8"
    )


# -- the figures, computed independently ------------------------------------------------------


def expected_total(framework, leaf_scores: dict[str, Decimal], bonus: Decimal) -> Decimal:
    return sum(leaf_scores.values(), Decimal(0)) + min(bonus, BONUS_CAP)


def expected_band(total: Decimal) -> str:
    return next(name for name, low in BANDS if total >= low)


def expected_index(framework, code: str, leaf_scores: dict[str, Decimal]) -> Decimal:
    """score / weight of the indicator `code`, both summed over its leaves (the tree walked here)."""

    def find(nodes):
        for node in nodes:
            if node.code == code:
                return node
            hit = find(node.children)
            if hit is not None:
                return hit
        return None

    def leaves(node):
        return [node] if not node.children else [leaf for child in node.children for leaf in leaves(child)]

    node = find(framework.indicators)
    chosen = leaves(node)
    return sum((leaf_scores[leaf.code] for leaf in chosen), Decimal(0)) / sum(
        (leaf.weight for leaf in chosen), Decimal(0)
    )


def expected_mean_index(framework, code: str, sites: dict[str, dict[str, Decimal]]) -> Decimal:
    values = [expected_index(framework, code, scores) for scores in sites.values()]
    return sum(values, Decimal(0)) / len(values)


def expected_bands(framework, scores, bonus) -> dict[str, str]:
    return {site: expected_band(expected_total(framework, s, bonus[site])) for site, s in scores.items()}


def two_places(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def same(a: Decimal | None, b: Decimal | None) -> bool:
    """Equal up to Decimal's 28-digit precision (division order differs between the two computations)."""
    if a is None or b is None:
        return a is b
    return abs(a - b) < Decimal("1e-20")
