"""`govsite frameworks`: list, show and validate indicator frameworks."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table as RichTable

from govsite import frameworks as fw
from govsite.cli.errors import BadInput
from govsite.console import console
from govsite.frameworks.model import Framework, Indicator


@click.group("frameworks")
def frameworks_group() -> None:
    """指标体系：列出、查看、校验。"""


@frameworks_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def frameworks_list(fmt: str) -> None:
    """列出内置的指标体系。"""
    rows = []
    for name in fw.bundled_names():
        framework = _load_framework(name)
        variants = list(framework.variants) or [None]
        for variant in variants:
            resolved = framework.for_variant(variant)
            rows.append(
                {
                    "code": resolved.display_code,
                    "name": resolved.name + (f"（{resolved.variant_name}）" if variant else ""),
                    "applies_to": list(resolved.applies_to),
                    "leaves": sum(1 for _ in resolved.leaves()),
                    "total": float(resolved.total),
                    "bonus": float(resolved.bonus.weight) if resolved.bonus else 0,
                    "bands": [b.name for b in resolved.bands],
                }
            )
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = RichTable(title="内置指标体系", show_lines=False)
    for header in ("代码", "名称", "适用层级", "叶子指标", "满分", "加分", "档级"):
        table.add_column(header)
    for row in rows:
        table.add_row(
            row["code"],
            row["name"],
            ",".join(row["applies_to"]),
            str(row["leaves"]),
            f"{row['total']:g}",
            f"{row['bonus']:g}",
            "/".join(row["bands"]) or "—",
        )
    console.print(table)


@frameworks_group.command("show")
@click.argument("name")
@click.option("--detail", is_flag=True, help="同时列出评估内容和检查要点。")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def frameworks_show(name: str, detail: bool, fmt: str) -> None:
    """查看一个指标体系（NAME 或 NAME:变体，或 YAML 文件路径）。"""
    framework = _load_framework(name)
    columns = list(framework.variants) if framework.variants and not framework.variant else [""]
    if fmt == "json":
        click.echo(json.dumps(_framework_json(framework, columns), ensure_ascii=False, indent=2))
        return
    title = framework.name + (f"（{framework.variant_name}）" if framework.variant else "")
    console.print(f"[bold]{title}[/]  {framework.display_code}  {framework.source}", highlight=False)
    table = RichTable(show_lines=detail)
    table.add_column("代码", no_wrap=True)
    table.add_column("指标")
    for column in columns:
        table.add_column(f"权重{'·' + framework.variants[column] if column else ''}", justify="right")
    table.add_column("采集")
    if detail:
        table.add_column("评估内容与检查要点")
    for indicator in framework.indicators:
        _add_indicator_rows(table, indicator, 0, columns, detail)
    if framework.bonus:
        bonus = framework.bonus
        cats = "、".join(c.name for c in bonus.categories)
        weights = [_weight_text(bonus.weights.get(c)) for c in columns]
        table.add_row(bonus.code, f"{bonus.name}（加分项）", *weights, "manual", *([cats] if detail else []))
    console.print(table)
    totals = "，".join(
        f"{framework.variants[c] + ' ' if c else ''}满分 {framework.total:g}"
        + (f" + 加分 {framework.bonus.weights[c]:g}" if framework.bonus else "")
        for c in columns
    )
    console.print(totals)
    if framework.bands:
        console.print("档级：" + "，".join(f"{b.name} ≥ {b.min:g}" for b in framework.bands))


def _add_indicator_rows(table: RichTable, indicator: Indicator, depth: int, columns: list[str], detail: bool) -> None:
    label = "  " * depth + indicator.name
    if indicator.scoring == "deduction":
        label += "（减分项）"
    weights = [
        _weight_text(indicator.weights.get(c)) or f"[dim]({_weight_text(indicator.leaf_sum(c or ''))})[/]"
        for c in columns
    ]
    extra = []
    if detail:
        parts = [indicator.assessment] if indicator.assessment else []
        parts += [f"{i}. {item}" for i, item in enumerate(indicator.checklist, start=1)]
        parts += [f"减分：{d.text}" for d in indicator.deductions]
        extra = ["\n".join(parts)]
    style = "bold" if depth == 0 else None
    table.add_row(indicator.code, label, *weights, indicator.collection or "", *extra, style=style)
    for child in indicator.children:
        _add_indicator_rows(table, child, depth + 1, columns, detail)


def _weight_text(weight) -> str:
    return "" if weight is None else f"{weight:g}"


def _framework_json(framework: Framework, columns: list[str]) -> dict:
    def weights(mapping) -> dict | float | None:
        if columns == [""]:
            value = mapping.get("")
            return None if value is None else float(value)
        return {c: float(mapping[c]) for c in columns if c in mapping}

    def node(ind: Indicator) -> dict:
        data = {"code": ind.code, "name": ind.name, "weight": weights(ind.weights)}
        if ind.is_leaf:
            data.update(
                collection=ind.collection,
                scoring=ind.scoring,
                assessment=ind.assessment,
                checklist=list(ind.checklist),
                finding_types=list(ind.finding_types),
                deductions=[
                    {"code": d.code, "text": d.text, "finding_types": list(d.finding_types)} for d in ind.deductions
                ],
            )
        else:
            data["children"] = [node(c) for c in ind.children]
        return data

    return {
        "code": framework.display_code,
        "name": framework.name,
        "year": framework.year,
        "source": framework.source,
        "applies_to": list(framework.applies_to),
        "total": float(framework.total),
        "variants": dict(framework.variants),
        "bands": [{"name": b.name, "min": float(b.min)} for b in framework.bands],
        "indicators": [node(i) for i in framework.indicators],
        "bonus": None
        if framework.bonus is None
        else {
            "code": framework.bonus.code,
            "name": framework.bonus.name,
            "weight": weights(framework.bonus.weights),
            "categories": [
                {"code": c.code, "name": c.name, "description": c.description} for c in framework.bonus.categories
            ],
        },
    }


@frameworks_group.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def frameworks_validate(files: tuple[str, ...]) -> None:
    """校验指标体系文件（不给文件则校验全部内置指标体系）。有错误时退出码为 2。"""
    paths = [Path(f) for f in files] or [fw.bundled_path(n) for n in fw.bundled_names()]
    errors = 0
    for path in paths:
        framework, problems = fw.load_file(path)
        for problem in problems:
            style = "red" if problem.level == "error" else "yellow"
            console.print(f"[{style}]{problem}[/]", highlight=False)
        errors += sum(1 for p in problems if p.level == "error")
        if framework is not None:
            leaves = sum(1 for _ in framework.leaves())
            warnings = sum(1 for p in problems if p.level == "warning")
            console.print(
                f"[green]通过[/] {path}：{framework.name}，{leaves} 个叶子指标"
                + (f"，{warnings} 个警告" if warnings else ""),
                highlight=False,
            )
    if errors:
        raise BadInput(f"{errors} 个错误")


def _load_framework(name: str, *, single: bool = False) -> Framework:
    """Load for display, or (`single`) resolved to one weight column for scoring."""
    try:
        framework = fw.load(name)
        return framework.for_variant(None) if single else framework
    except fw.FrameworkError as exc:
        raise BadInput("指标体系有错误：\n" + "\n".join(str(p) for p in exc.problems)) from exc
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
