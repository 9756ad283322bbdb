"""`govsite samplesites`: local sample government sites with ground truth (generate, serve, evaluate)."""

from __future__ import annotations

from pathlib import Path

import click

from govsite.console import console


@click.group("samplesites")
def samplesites_group() -> None:
    """本地样例政府网站（带标准答案），用于演示、测试和基准。"""


@samplesites_group.command("generate")
@click.argument("root", type=click.Path(file_okay=False))
@click.option("--benchmark-urls", type=int, help="改为生成一个约 N 个网址的大站（基准用）")
def samplesites_generate(root: str, benchmark_urls: int | None) -> None:
    """生成样例网站及 truth.json 到 ROOT。"""
    from govsite.samplesites.generate import benchmark_spec, generate_sample

    specs = [benchmark_spec(urls=benchmark_urls)] if benchmark_urls else None
    for truth in generate_sample(Path(root), specs):
        console.print(
            f"{truth.slug}\t{truth.site}\t{truth.layout}/{truth.encoding}\t预置问题 {len(truth.findings)} 个",
            highlight=False,
        )


@samplesites_group.command("serve")
@click.argument("root", type=click.Path(file_okay=False, exists=True))
def samplesites_serve(root: str) -> None:
    """在 127.0.0.1 上运行 ROOT 中的样例网站（网址记入 served.json），直到按 Ctrl-C。"""
    import contextlib
    import threading

    from govsite.samplesites.measure import served

    with served(Path(root)) as servers:
        for slug, server in servers.sites.items():
            console.print(f"{slug}\t{server.url}/", highlight=False)
        console.print(f"外部网站\t{servers.external.url}/\n按 Ctrl-C 停止", highlight=False)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


@samplesites_group.command("evaluate")
@click.option(
    "--truth", "truth_root", required=True, type=click.Path(file_okay=False, exists=True), help="样例网站目录"
)
@click.option(
    "--scan",
    "scan_dir",
    required=True,
    type=click.Path(file_okay=False, exists=True),
    help="govsite scan 的输出目录",
)
def samplesites_evaluate(truth_root: str, scan_dir: str) -> None:
    """按问题类型计算检出的精确率与召回率（对照 truth.json）。"""
    from govsite.samplesites.measure import evaluate_scan

    _, table = evaluate_scan(Path(truth_root), Path(scan_dir))
    console.print(table, highlight=False, markup=False)
