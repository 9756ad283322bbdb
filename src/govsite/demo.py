"""The README's first command: the main jobs end to end on bundled data, no services.

1. Scoring: example score sheets for the 2025 数字政府 participants (32 省级,
   34 城市) from a seeded generator — illustrative numbers, NOT the survey's
   real scores — read back through the same path a user's sheet takes
   (`govsite score`), graded, ordered and exported.
2. Monitoring: three generated government sites (TRS/Hanweb layouts, GBK and
   UTF-8, seeded defects) served on 127.0.0.1, scanned with `govsite scan`'s
   code, and the findings compared with the sites' truth files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.console import Console

from govsite import frameworks as fw
from govsite.console import ScanProgress, print_bands, print_scan_summary
from govsite.reports.example import DEMO_SEED, example_sheet
from govsite.reports.scores import indicator_table, ranking_table
from govsite.reports.tables import Table, write_csv, write_xlsx
from govsite.scoring import not_assessed_notes, score_sheet
from govsite.sites.sample import load_sample_2025


def run_demo(out_dir: Path, console: Console) -> None:
    run_scoring_demo(out_dir, console)
    run_monitoring_demo(out_dir, console)


def run_monitoring_demo(out_dir: Path, console: Console) -> None:
    import shutil

    from govsite.crawl.policy import CrawlPolicy
    from govsite.samplesites.generate import generate_sample
    from govsite.samplesites.measure import evaluate_scan, served
    from govsite.scan import ScanOptions, run_scan
    from govsite.surveys.demo import DemoSite

    root = out_dir / "samplesites"
    shutil.rmtree(root, ignore_errors=True)
    truths = generate_sample(root)
    console.print(
        f"\n[bold]监测演示[/]：在 127.0.0.1 上运行 {len(truths)} 个样例政府网站并扫描（约半分钟）", highlight=False
    )
    policy = CrawlPolicy(loopback_only=True, download_timeout=8, retries=0, delay=0, autothrottle=False, concurrency=8)
    options = ScanOptions(
        out_dir=out_dir / "scan", as_of=date.fromisoformat(truths[0].as_of), policy=policy, slow_ms=1000, fresh=True
    )
    with served(root, hang_seconds=12) as servers:
        urls = {slug: url + "/" for slug, url in servers.urls().items()}
        with ScanProgress(console) as progress:
            reports = run_scan(list(urls.values()), options, on_fetch=progress.update)
    print_scan_summary(reports, options)
    _, table = evaluate_scan(root, options.out_dir)
    console.print("\n检出效果（对照样例网站的 truth.json）：", highlight=False)
    console.print(table, highlight=False, markup=False)
    sites = [DemoSite(truth.site, urls[truth.slug]) for truth in truths]
    load_web_demo(sites, options.out_dir, options.as_of, console)


def load_web_demo(sites: list, scan_dir: Path, as_of: date, console: Console) -> None:
    """Leave the demo survey in the embedded database for `govsite serve`."""
    from govsite.surveys.demo import DEMO_PASSWORD, DEMO_SURVEY, load_demo_survey

    made = load_demo_survey(sites, scan_dir, as_of)
    console.print(
        f"\n[bold]网页应用[/]：已写入演示调查“{DEMO_SURVEY}”（{made['sites']} 个网站，{made['findings']} 条问题）。"
        f"运行 .venv/bin/govsite serve 后访问 http://127.0.0.1:8000/ ，"
        f"演示账号 {'、'.join(made['users'])}，密码均为 {DEMO_PASSWORD}（仅供演示）",
        highlight=False,
    )


def run_scoring_demo(out_dir: Path, console: Console) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    framework = fw.load("digital_gov_2025")
    sample = [o for o in load_sample_2025() if o.survey == "digital_gov"]
    console.print(
        f"[bold]govsite 演示[/]：{framework.name}（满分 {framework.max_total:g}），"
        "成绩为随机生成的示例数据，并非真实调查结果。",
        highlight=False,
    )
    tables: list[Table] = []
    for offset, group in enumerate(("省级", "城市")):
        names = [o.name for o in sample if o.group == group]
        sheet = example_sheet(framework, names, seed=DEMO_SEED + offset)
        sheet_path = write_csv(sheet, out_dir / f"scores_{group}.csv")
        scored = score_sheet(framework, sheet_path)
        ranked, notes = scored.ranked, scored.notes + not_assessed_notes(scored.not_assessed)
        ranking = ranking_table(framework, ranked)
        ranking.title = f"{group}排名"
        details = indicator_table(framework, ranked)
        details.title = f"{group}指标得分"
        tables += [ranking, details]
        print_bands(console, f"{group}数字政府服务能力（示例）", ranked)
        for note in notes:
            console.print(f"[yellow]提示：[/]{note}", highlight=False)
    workbook = write_xlsx(tables, out_dir / "demo_results.xlsx")
    console.print(f"成绩表：{out_dir}/scores_*.csv　结果：{workbook}", highlight=False)
