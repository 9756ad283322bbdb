"""An example survey on disk: definition, score sheets, site list, last year's survey and a scan summary.

Everything is generated from a seed with `example_sheet` —
illustrative numbers for the names of the 2025 participant list, NOT the survey's results,
and a synthetic scan (URLs under the reserved `.example` domain) clearly
labelled as such. Used by the tests, the benchmark and demos::

    from govsite.reports.example import write_example_survey
    path = write_example_survey(Path("out/example"))      # then: govsite report out/example/survey.yaml
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from govsite import frameworks as fw
from govsite.checks.verdict import inspection_verdict
from govsite.findings import Finding
from govsite.frameworks import Framework
from govsite.reports.tables import Table, write_csv
from govsite.scan import output
from govsite.sites.sample import load_sample_2025

DEMO_SEED = 2025
STEP = Decimal("0.1")


def example_sheet(framework: Framework, sites: list[str], seed: int = DEMO_SEED) -> Table:
    """A score sheet with plausible, made-up scores (one quality level per site, some noise)."""
    rng = random.Random(seed)
    leaves = list(framework.leaves())
    headers = ["site", *[leaf.code for leaf in leaves], "bonus"]
    table = Table("成绩表（示例）", headers)
    for site in sites:
        quality = rng.uniform(0.55, 0.97)
        row: list[object] = [site]
        for leaf in leaves:
            share = min(1.0, max(0.0, rng.gauss(quality, 0.12)))
            row.append(_step(leaf.weight * Decimal(str(share))))
        bonus_cap = framework.bonus.weight if framework.bonus else Decimal(0)
        row.append(_step(bonus_cap * Decimal(str(rng.uniform(0, 1) ** 2))))
        table.rows.append(row)
    return table


def _step(value: Decimal) -> Decimal:
    return value.quantize(STEP)



@dataclass(frozen=True)
class ExampleGroup:
    name: str
    label: str
    framework: str
    survey: str  # part of the 2025 participant list the names come from
    sample_group: str
    levels: tuple[str, ...]


SURVEYS: Mapping[str, tuple[str, tuple[ExampleGroup, ...]]] = {
    "digital_gov": (
        "数字政府服务能力调查（示例数据）",
        (
            ExampleGroup("省级", "省级单位", "digital_gov_2025", "digital_gov", "省级", ("province", "municipality")),
            ExampleGroup("城市", "城市", "digital_gov_2025", "digital_gov", "城市", ("capital", "prefecture")),
        ),
    ),
    "portal": (
        "政府网站创新发展调查（示例数据）",
        (
            ExampleGroup("部委", "部委网站", "portal_ministry_2025", "portal", "部委", ("ministry",)),
            ExampleGroup("省和自治区", "省级政府网站", "portal_province_2025", "portal", "省级", ("province",)),
            ExampleGroup("地市", "地市政府网站", "portal_city_2025", "portal", "地市", ("capital", "prefecture")),
            ExampleGroup("区县", "区县政府网站", "portal_county_2025", "portal", "区县", ("county",)),
        ),
    ),
}

# (type, probability that a site has it, most findings per site, severity, evidence)
EXAMPLE_FINDINGS = (
    ("broken_link", 0.55, 12, "medium", "HTTP 404"),
    ("broken_external_link", 0.35, 6, "low", "HTTP 502"),
    ("slow_page", 0.25, 5, "low", "响应 4200 毫秒"),
    ("empty_column", 0.15, 6, "medium", "栏目“工作动态”没有信息"),
    ("stale_homepage", 0.04, 1, "high", "首页最新信息日期 2025-09-01"),
    ("missing_privacy_policy", 0.3, 1, "low", "未找到隐私声明"),
    ("missing_security_header", 0.5, 3, "low", "响应头缺少 Content-Security-Policy"),
    ("no_ipv6", 0.4, 1, "low", "域名没有 AAAA 记录"),
    ("privacy_phone", 0.08, 2, "high", "联系人手机 138****5678"),
)


def write_example_survey(
    root: Path,
    *,
    survey: str = "digital_gov",
    sizes: Mapping[str, int] | None = None,
    previous: bool = True,
    scan: bool = True,
    year: int = 2025,
    seed: int = DEMO_SEED,
) -> Path:
    """Write ROOT/survey.yaml (and last year's in ROOT/previous/); return the definition's path.

    `sizes` sets how many sites a group has (by group name): the participant
    list's names first, then numbered example names (“省级示例0001”).
    """
    title, groups = SURVEYS[survey]
    root.mkdir(parents=True, exist_ok=True)
    names = {g.name: _names(g, (sizes or {}).get(g.name)) for g in groups}
    if previous:
        # Last year: the same groups minus each group's last two (this year's newcomers), other scores.
        before = {g: n[:-2] if len(n) > 2 else n for g, n in names.items()}
        _write_year(root / "previous", title, year - 1, groups, before, seed + 1000, previous=None, scan=False)
    return _write_year(
        root, title, year, groups, names, seed, previous="previous/survey.yaml" if previous else None, scan=scan
    )


def _names(group: ExampleGroup, size: int | None) -> list[tuple[str, str, str, str]]:
    """(name, level, code, province) of the group's sites; a name printed twice gets its city or province."""
    objects = [
        o
        for o in load_sample_2025()
        if o.survey == group.survey and o.group == group.sample_group and o.level in group.levels
    ]
    counts = Counter(o.name for o in objects)
    sample = [
        ((o.city or o.province) + o.name if counts[o.name] > 1 else o.name, o.level, o.division_code or "", o.province)
        for o in objects
    ]
    if size is None:
        return sample
    extra = [(f"{group.name}示例{n:04d}", group.levels[0], "", "") for n in range(1, max(0, size - len(sample)) + 1)]
    return (sample + extra)[:size]


def _write_year(
    folder: Path,
    title: str,
    year: int,
    groups: tuple[ExampleGroup, ...],
    names: Mapping[str, list[tuple[str, str, str, str]]],
    seed: int,
    *,
    previous: str | None,
    scan: bool,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    site_rows = []
    lines = [
        "# 示例调查：成绩为随机生成的示例数据，并非真实调查结果；扫描结果亦为合成数据。",
        "schema: govsite-survey/1",
        f"name: {year} 年{title}",
        f"year: {year}",
        f"as_of: {year}-11-30",
        "headline_band: 良好",
    ]
    if previous:
        lines.append(f"previous: {previous}")
    lines.append("groups:")
    counter = 0
    for offset, group in enumerate(groups):
        framework = fw.load(group.framework).for_variant(None)
        members = names[group.name]
        sheet = example_sheet(framework, [m[0] for m in members], seed=seed + offset)
        sheet.headers.insert(1, "division_code")
        for row, member in zip(sheet.rows, members, strict=True):
            row.insert(1, member[2])
        sheet_file = f"scores_{group.name}.csv"
        write_csv(sheet, folder / sheet_file)
        for name, level, code, province in members:
            counter += 1
            site_rows.append([name, f"https://site{counter:04d}.example/", level, code, province])
        lines += [
            f"  - name: {group.name}",
            f"    label: {group.label}",
            f"    framework: {group.framework}",
            f"    scores: {sheet_file}",
            "    sites: sites.csv",
        ]
        if scan:
            lines.append("    scan: scan")
    write_csv(Table("网站清单", ["name", "url", "level", "code", "province"], site_rows), folder / "sites.csv")
    if scan:
        write_example_scan(folder / "scan", [row[1] for row in site_rows], seed=seed, as_of=f"{year}-11-30")
    path = folder / "survey.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_example_scan(folder: Path, urls: list[str], *, seed: int = DEMO_SEED, as_of: str = "2025-11-30") -> Path:
    """A synthetic `govsite scan` output (its summary and findings, scan/output.py) for the given homepages."""
    rng = random.Random(seed)
    summaries = []
    every: list[Finding] = []
    for url in urls:
        findings = []
        for type_, chance, most, severity, evidence in EXAMPLE_FINDINGS:
            if rng.random() >= chance:
                continue
            for n in range(rng.randint(1, most)):
                page = f"{url}list/{n}.html"
                findings.append(
                    Finding(type_, f"{url}item/{type_}/{n}.html", url, severity, evidence, page=page, found_at=as_of)
                )
        every += findings
        summaries.append(
            {
                "site": url,
                "as_of": as_of,
                "pages": rng.randint(200, 3000),
                "findings_by_type": dict(sorted(Counter(f.type for f in findings).items())),
                "verdict": inspection_verdict(findings).as_dict(),
                "example": True,
            }
        )
    output.write_findings(folder, every)
    return output.write_summary(folder, output.run_summary(as_of, summaries, example=True))
