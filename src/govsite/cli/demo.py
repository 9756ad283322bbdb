"""`govsite demo`: the main jobs end to end on bundled data (`govsite.demo`)."""

from __future__ import annotations

from pathlib import Path

import click

from govsite.console import console


@click.command("demo")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="out/demo", show_default=True)
def demo(out_dir: str) -> None:
    """演示：为内置的 2025 年样本生成示例成绩（非真实数据），评分、分档、排序并导出。"""
    from govsite.demo import run_demo

    run_demo(Path(out_dir), console)
