"""`govsite score`: score one sheet against a framework, for a person or a machine."""

from __future__ import annotations

import json
from pathlib import Path

import click

from govsite.cli.errors import BadInput
from govsite.cli.frameworks import _load_framework
from govsite.console import err_console, print_table
from govsite.frameworks.model import Framework
from govsite.reports.tables import write_csv, write_xlsx
from govsite.scoring import SheetRejected, not_assessed_notes, score_sheet


@click.command("score")
@click.option("--framework", "framework_name", required=True, help="指标体系：名称、名称:变体 或 YAML 路径")
@click.option("--scores", "scores_path", required=True, type=click.Path(dir_okay=False), help="成绩表（CSV 或 JSON）")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx"]), default="table")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="输出文件（csv、xlsx 必填）")
@click.option("--allow-missing", is_flag=True, help="允许缺项：按未评估计 0 分并注明")
def score(framework_name: str, scores_path: str, fmt: str, out_path: str | None, allow_missing: bool) -> None:
    """计算各站点得分、创新发展指数、档级，并按发布规则排序。"""
    from govsite.reports.scores import indicator_table, ranking_table, results_json

    framework = _load_framework(framework_name, single=True)
    ranked, notes = run_scoring(framework, Path(scores_path), allow_missing=allow_missing)
    if fmt in ("csv", "xlsx") and not out_path:
        raise BadInput(f"--format {fmt} 需要用 --out 指定输出文件")
    if fmt == "json":
        text = json.dumps(results_json(framework, ranked, notes), ensure_ascii=False, indent=2)
        if out_path:
            Path(out_path).write_text(text + "\n", encoding="utf-8")
        else:
            click.echo(text)
    elif fmt == "csv":
        write_csv(ranking_table(framework, ranked), out_path)
        err_console.print(f"已写入 {out_path}")
    elif fmt == "xlsx":
        write_xlsx([ranking_table(framework, ranked), indicator_table(framework, ranked)], out_path)
        err_console.print(f"已写入 {out_path}")
    else:
        print_table(ranking_table(framework, ranked), title=f"{framework.name} · 排名")
    for note in notes:
        err_console.print(f"[yellow]提示：[/]{note}", highlight=False)


def run_scoring(framework: Framework, scores_path: Path, *, allow_missing: bool = False):
    """Read, check, score and order one sheet; bad input raises BadInput with every row's problem."""
    try:
        sheet = score_sheet(framework, scores_path, allow_missing=allow_missing)
    except SheetRejected as exc:
        raise BadInput(str(exc)) from exc
    return sheet.ranked, sheet.notes + not_assessed_notes(sheet.not_assessed)
