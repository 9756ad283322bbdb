"""The `govsite` command (the contract in docs/cli.md: exit 0 done, 2 bad input).

Each subcommand is a thin shell over the core packages: it parses options,
calls one function, and prints for a person (rich tables, Chinese names
aligned) or for a machine (`--format json|csv|xlsx`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable

from govsite import frameworks as fw
from govsite.frameworks.model import Framework, Indicator
from govsite.reports.tables import Table, write_csv, write_xlsx
from govsite.userfiles import UserFileError

BAD_INPUT = 2
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True)


class BadInput(click.ClickException):
    """A user error: printed in Chinese, exit code 2."""

    exit_code = BAD_INPUT

    def show(self, file=None) -> None:
        err_console.print(f"[bold red]错误：[/]{self.message}", markup=True, highlight=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govsite")
def main() -> None:
    """govsite：政府网站评估与监测（指标体系、评分、排名、报告）。"""


# -- frameworks -----------------------------------------------------------------


@main.group("frameworks")
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


# -- sites --------------------------------------------------------------------------


@main.group("sites")
def sites_group() -> None:
    """调查对象：2025 年样本与自有网站清单。"""


@sites_group.command("list")
@click.option("--survey", type=click.Choice(["digital_gov", "portal", "devzone"]), help="调查类别")
@click.option("--level", multiple=True, help="层级，如 province、county（可多次给出）")
@click.option("--province", help="所在省份，如 浙江省")
@click.option("--group", "group_name", help="发布分组，如 省级、城市、区县")
@click.option("--urls", "urls_path", type=click.Path(dir_okay=False), help="自有网站清单 CSV，用于补全网址")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
def sites_list(
    survey: str | None,
    level: tuple[str, ...],
    province: str | None,
    group_name: str | None,
    urls_path: str | None,
    fmt: str,
) -> None:
    """列出 2025 年调查对象（名称、层级、省份、行政区划代码、网址）。"""
    from govsite.frameworks.loader import SITE_LEVELS
    from govsite.sites.sample import load_sample_2025

    for lv in level:
        if lv not in SITE_LEVELS:
            raise BadInput(f"未知层级“{lv}”，可用：{'、'.join(SITE_LEVELS)}")
    sample = load_sample_2025()
    if urls_path:
        sample = _merge_site_list(sample, urls_path)
    objects = [
        o
        for o in sample
        if (survey is None or o.survey == survey)
        and (not level or o.level in level)
        and (province is None or o.province == province)
        and (group_name is None or o.group == group_name)
    ]
    headers = ["调查", "分组", "层级", "名称", "省份", "所属城市", "行政区划代码", "网址"]
    rows = [[o.survey, o.group, o.level, o.name, o.province, o.city, o.division_code or "", o.url] for o in objects]
    if fmt == "json":
        click.echo(json.dumps([dict(zip(headers, r, strict=True)) for r in rows], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(headers)
        writer.writerows(rows)
    else:
        _print_table(Table(f"2025 年调查对象（{len(rows)} 个）", headers, rows))


@sites_group.command("check")
@click.argument("path", type=click.Path(dir_okay=False))
def sites_check(path: str) -> None:
    """检查自有网站清单 CSV（name,url,level,code）：逐行报告问题，有错误时退出码为 2。"""
    from govsite.sites.sitelist import read_site_list

    sites, errors = _read_site_list(path, read_site_list)
    for error in errors:
        err_console.print(f"[red]{error}[/]", highlight=False)
    console.print(f"{path}：{len(sites)} 行可用，{len(errors)} 行有问题", highlight=False)
    if errors:
        raise BadInput(f"{len(errors)} 行有问题（可用的行已保留，修正后重新导入即可）")


def _read_site_list(path: str, reader):
    try:
        return reader(path)
    except UserFileError as exc:
        raise BadInput(str(exc)) from exc


def _merge_site_list(sample, path: str):
    from govsite.sites.sitelist import merge_urls, read_site_list

    sites, errors = _read_site_list(path, read_site_list)
    for error in errors:
        err_console.print(f"[yellow]跳过：[/]{error}", highlight=False)
    return merge_urls(sample, sites)


# -- score --------------------------------------------------------------------------


@main.command("score")
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
        _print_table(ranking_table(framework, ranked), title=f"{framework.name} · 排名")
    for note in notes:
        err_console.print(f"[yellow]提示：[/]{note}", highlight=False)


def run_scoring(framework: Framework, scores_path: Path, *, allow_missing: bool = False):
    """Read, check, score and order one sheet; bad input raises BadInput with every row's problem."""
    from govsite.scoring import check_sheet, identify, published_order, read_sheet, score_site
    from govsite.scoring.inputs import ScoreSheetError

    try:
        rows = read_sheet(scores_path)
    except (UserFileError, ScoreSheetError) as exc:
        raise BadInput(str(exc)) from exc
    if not rows:
        raise BadInput(f"{scores_path}: 成绩表没有数据行")
    checked = check_sheet(framework, rows, allow_missing=allow_missing)
    if checked.problems:
        raise BadInput(
            f"{scores_path} 有 {len(checked.problems)} 处问题：\n" + "\n".join(f"  {p}" for p in checked.problems)
        )
    results = [score_site(framework, site) for site in checked.sites]
    results, notes = identify(framework, results)
    for site, missing in checked.not_assessed.items():
        notes.append(f"“{site}”有 {len(missing)} 个指标未评估，按 0 分计：{'、'.join(missing)}")
    return published_order(framework, results), notes


# -- demo -----------------------------------------------------------------------------


@main.command("demo")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="out/demo", show_default=True)
def demo(out_dir: str) -> None:
    """演示：为内置的 2025 年样本生成示例成绩（非真实数据），评分、分档、排序并导出。"""
    from govsite.demo import run_demo

    run_demo(Path(out_dir), console)


# -- scan -----------------------------------------------------------------------------


@main.command("scan")
@click.argument("urls", nargs=-1)
@click.option("--as-of", "as_of", help="评判基准日 YYYY-MM-DD（默认今天）；用于所有日期规则，便于复现")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="out/scan", show_default=True)
@click.option(
    "--from-warc",
    "from_warc",
    type=click.Path(file_okay=False, exists=True),
    help="用已有扫描目录的 WARC 存档重新检测（不联网）",
)
@click.option("--fresh", is_flag=True, help="忽略已有进度，重新抓取")
@click.option("--ignore-robots", is_flag=True, help="不遵守 robots.txt（仅限受委托检查的网站）")
@click.option("--concurrency", default=4, show_default=True, help="每个网站的并发请求数")
@click.option("--delay", default=0.25, show_default=True, help="同一网站两次请求的间隔（秒，自动限速会调整）")
@click.option("--no-autothrottle", is_flag=True, help="关闭自动限速")
@click.option("--timeout", default=20.0, show_default=True, help="单个请求超时（秒）")
@click.option("--retries", default=2, show_default=True)
@click.option("--max-pages", default=50_000, show_default=True, help="每个网站最多抓取的网页数")
@click.option("--max-depth", default=10, show_default=True, help="最大链接深度（列表翻页不计）")
@click.option("--slow-ms", default=3000, show_default=True, help="响应过慢的阈值（毫秒）")
@click.option("--no-external", is_flag=True, help="不检查外部链接")
@click.option("--loopback-only", is_flag=True, envvar="GOVSITE_LOOPBACK_ONLY", help="只访问本机地址（测试与演示）")
@click.option("--update-classes", type=click.Path(dir_okay=False, exists=True), help="栏目更新类别配置 YAML")
@click.option("--user-agent", help="请求头 User-Agent（建议写明单位与联系方式，只能用 ASCII 字符）")
@click.option(
    "--typos/--no-typos",
    default=True,
    show_default=True,
    help="统计错别字检测（只查正文；--no-typos 关闭，词库类严重错误始终检测）",
)
@click.option(
    "--analysis-workers",
    default=1,
    show_default=True,
    help="抓取时分析网页、读取附件的进程数（0：在抓取进程内分析；多核机器可加大）",
)
@click.option("--verbose", is_flag=True, help="输出 Scrapy 日志")
def scan(urls: tuple[str, ...], as_of: str | None, out_dir: str, from_warc: str | None, fresh: bool, **opts) -> None:
    """抓取网站并检测问题，在 OUT 中写出问题清单、汇总（格式见 docs/scan-output.md）和 WARC 存档。"""
    from govsite.checks import wording
    from govsite.scan import ScanInputError, ScanOptions, run_from_warc, run_scan

    wording.configure(general_typos=opts["typos"])
    options = ScanOptions(
        out_dir=Path(out_dir),
        as_of=_parse_as_of(as_of),
        policy=_crawl_policy(opts),
        slow_ms=opts["slow_ms"],
        fresh=fresh,
        log_level="INFO" if opts["verbose"] else "ERROR",
        update_classes_file=opts["update_classes"] or "",
    )
    if not urls and not from_warc:
        raise BadInput("请给出要检测的网址，或用 --from-warc 指定已有扫描目录")
    try:
        if from_warc:
            reports = run_from_warc(Path(from_warc), options)
        else:
            with ScanProgress(console) as progress:
                reports = run_scan(urls, options, on_fetch=progress.update)
    except ScanInputError as exc:
        raise BadInput(str(exc)) from exc
    print_scan_summary(reports, options)


def _parse_as_of(value: str | None):
    from datetime import date

    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BadInput(f"--as-of 应为 YYYY-MM-DD，实为“{value}”") from exc


def _crawl_policy(opts: dict):
    from govsite.crawl.policy import USER_AGENT, CrawlPolicy

    for name in ("concurrency", "max_pages", "max_depth", "slow_ms"):
        if opts[name] < 1:
            raise BadInput(f"--{name.replace('_', '-')} 必须为正数")
    if not 0 <= opts["analysis_workers"] <= 32:
        raise BadInput("--analysis-workers 应在 0 到 32 之间")
    if opts["timeout"] <= 0 or opts["delay"] < 0 or opts["retries"] < 0:
        raise BadInput("--timeout 必须为正数，--delay 与 --retries 不能为负数")
    user_agent = opts.get("user_agent") or USER_AGENT
    if not user_agent.isascii():
        raise BadInput("--user-agent 只能使用 ASCII 字符（HTTP 请求头的限制）")
    return CrawlPolicy(
        user_agent=user_agent,
        max_pages=opts["max_pages"],
        max_depth=opts["max_depth"],
        download_timeout=opts["timeout"],
        concurrency=opts["concurrency"],
        delay=opts["delay"],
        autothrottle=not opts["no_autothrottle"],
        obey_robots=not opts["ignore_robots"],
        retries=opts["retries"],
        check_external=not opts["no_external"],
        loopback_only=opts["loopback_only"],
        analysis_workers=opts["analysis_workers"],
    )


class ScanProgress:
    """Live per-site counts on a terminal; a line every few hundred fetches elsewhere."""

    def __init__(self, out: Console) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.out = out
        self.live = out.is_terminal
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=out,
            disable=not self.live,
        )
        self.tasks: dict[str, int] = {}
        self.counts: dict[str, dict[str, int]] = {}

    def __enter__(self) -> ScanProgress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.__exit__(*exc)

    def update(self, site: str, fetch) -> None:
        counts = self.counts.setdefault(site, {"page": 0, "attachment": 0, "external": 0, "failed": 0})
        counts[fetch.kind] = counts.get(fetch.kind, 0) + 1
        if fetch.error or (fetch.status or 0) >= 400:
            counts["failed"] += 1
        text = (
            f"{site}  网页 {counts['page']}  附件 {counts['attachment']}  "
            f"外链 {counts['external']}  失败 {counts['failed']}"
        )
        if self.live:
            if site not in self.tasks:
                self.tasks[site] = self.progress.add_task(text, total=None)
            self.progress.update(self.tasks[site], description=text)
        elif sum(counts.values()) % 500 == 0:
            self.out.print(text, highlight=False)


VERDICT_STYLES = {"pass": "green", "fail": "bold red", "unknown": "yellow"}


def print_scan_summary(reports, options) -> None:
    from govsite.checks.verdict import from_dict
    from govsite.findings import FINDING_TYPES
    from govsite.scan import output

    for report in reports:
        summary = report.summary
        verdict = from_dict(summary["verdict"])
        console.print(
            f"[bold]{report.site}[/]  网页 {summary['pages']}  附件 {summary['attachments']}  "
            f"外链 {summary['external_links_checked']}  问题 {len(report.findings)}  "
            f"国办检查：[{VERDICT_STYLES[verdict.state]}]{verdict.label}[/]",
            highlight=False,
        )
        for rule in (*verdict.failed, *verdict.unjudged):
            head = "否决原因" if rule.state == "fail" else f"无法判定（{rule.name}）"
            console.print(f"    {head}：{rule.reason.text if rule.reason else rule.name}", highlight=False)
        for type_, count in summary["findings_by_type"].items():
            console.print(f"    {FINDING_TYPES.get(type_, type_)}（{type_}）：{count}", highlight=False)
        for error in summary.get("errors", []):
            err_console.print(f"[red]{error}[/]", highlight=False)
    paths = output.findings_path(options.out_dir), output.summary_path(options.out_dir)
    console.print(f"结果：{paths[0]}、{paths[1]}", highlight=False)


# -- sample sites (fixtures with ground truth) ---------------------------------------


@main.group("samplesites")
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


# -- report (survey report: analysis, charts, HTML / XLSX) ----------------------------------


@main.command("report")
@click.argument("survey_file", metavar="SURVEY.yaml", type=click.Path(dir_okay=False))
@click.option("--format", "formats", default="html,xlsx", show_default=True, help="输出格式，逗号分隔：html、pdf、xlsx")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False), default="out/report", show_default=True, help="输出目录"
)
@click.option("--site", "site_names", multiple=True, help="另为该单位生成单站报告（可重复）")
@click.option("--sites", "all_sites", is_flag=True, help="为每个单位生成单站报告")
def report(survey_file: str, formats: str, out_dir: str, site_names: tuple[str, ...], all_sites: bool) -> None:
    """按调查定义文件生成调查报告：OUT/report.html（离线可用）、OUT/report.pdf（A4）与 OUT/report.xlsx。"""
    from govsite.reports.build import analyse
    from govsite.reports.survey import SurveyError, load_survey, read_definition
    from govsite.reports.writer import SITE_FORMATS, parse_formats, write_report

    try:
        chosen = parse_formats(formats)
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    if (site_names or all_sites) and not set(SITE_FORMATS) & set(chosen):
        raise BadInput("单站报告为 HTML 或 PDF 格式：使用 --site/--sites 时 --format 需包含 html 或 pdf")
    if "pdf" in chosen:
        from govsite.reports.pdf import PdfUnavailable, check_pdf_support

        try:
            check_pdf_support()
        except PdfUnavailable as exc:
            raise BadInput(f"无法生成 PDF：{exc}") from exc
    try:
        definition = read_definition(Path(survey_file))
        survey = load_survey(definition, examples_for=True if all_sites else set(site_names))
    except SurveyError as exc:
        raise BadInput("调查定义或数据有错误：\n" + "\n".join(exc.problems)) from exc
    pages = [
        (group.name, item.result.site)
        for group in survey.groups
        for item in group.ranked
        if all_sites or item.result.site in site_names
    ]
    missing = [name for name in site_names if not any(site == name for _, site in pages)]
    if missing:
        raise BadInput(f"调查中没有这些单位：{'、'.join(missing)}（名称须与成绩表 site 列一致）")
    analysis = analyse(survey)
    written = write_report(analysis, Path(out_dir), chosen, sites=pages)
    from rich.markup import escape

    for group in survey.groups:
        for note in group.notes:  # one line each; site names are text, not markup
            err_console.print(f"[yellow]提示：[/]{escape(group.name)}：{escape(note)}", highlight=False, soft_wrap=True)
    shown = [p for p in written if p.parent == Path(out_dir)]
    console.print("已写入 " + "、".join(str(p) for p in shown), highlight=False)
    if len(written) > len(shown):
        console.print(f"单站报告 {len(written) - len(shown)} 个：{Path(out_dir) / 'sites'}", highlight=False)


# -- text checks ----------------------------------------------------------------------


@main.group("text")
def text_group() -> None:
    """文本检查：错别字、严重表述错误、个人隐私信息。"""


@text_group.command("check")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--lexicon", type=click.Path(dir_okay=False, exists=True), help="自定义词库 YAML（替换内置词库）")
@click.option(
    "--extra-lexicon",
    "extra_lexicons",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="追加词库 YAML（合并到词库之上，可多次给出；可含 whitelist、site_whitelists）",
)
@click.option("--whitelist", multiple=True, help="不报告的词（可多次给出）")
@click.option(
    "--whitelist-file",
    "whitelist_files",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="白名单文件：每行一个词，# 开头为注释（可多次给出）",
)
@click.option("--site", "site_host", help="按该网站（域名）的白名单检查（词库 site_whitelists 一节）")
@click.option("--typos/--no-typos", default=True, show_default=True, help="统计错别字检测（词库类严重错误始终检测）")
@click.option("--whole-page", is_flag=True, help="网页文件检查全部可见文字（默认只查正文，不查导航、页脚等）")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option(
    "--csc-model",
    type=click.Path(file_okay=False, exists=True),
    help="神经网络纠错模型目录（model.onnx + vocab.txt；需 pip install govsite[csc]；也可设 GOVSITE_CSC_MODEL）",
)
def text_check(
    path: str,
    lexicon: str | None,
    extra_lexicons: tuple[str, ...],
    whitelist: tuple[str, ...],
    whitelist_files: tuple[str, ...],
    site_host: str | None,
    typos: bool,
    whole_page: bool,
    fmt: str,
    csc_model: str | None,
) -> None:
    """检查一个文件（网页、文本、PDF、Word、Excel、CSV……）或标准输入（-）的文字。个人信息只显示打码后的值。

    网页只查正文的错别字和表述错误（导航、页脚、标识不查）；个人信息检查全部文字。"""
    from govsite.crawl.policy import extension
    from govsite.text.extract import extract_document
    from govsite.text.maincontent import html_text, visible_text
    from govsite.text.personal_data import find_personal_numbers, masked_context
    from govsite.text.typo_evidence import drop_corpus_words
    from govsite.text.wording import check_text, default_lexicons, load_lexicons, main_content

    if path == "-":
        text = sys.stdin.read()
        wording_text = text
    else:
        data = Path(path).read_bytes()
        if extension(path) in ("html", "htm", "shtml", "xhtml"):
            html, _ = _decode_or_fail(data, path)
            text = visible_text(html)
            wording_text = main_content(html_text(html, main_only=not whole_page))
        elif extension(path) in ("txt", ""):
            text, _ = _decode_or_fail(data, path)
            wording_text = text
        else:
            document = extract_document(path, "", data)
            if document.problem:
                raise BadInput(f"{path}：无法读取文字（{document.problem}：{document.detail}）")
            text = wording_text = document.text
    lexicons = load_lexicons(lexicon, extra_lexicons) if (lexicon or extra_lexicons) else default_lexicons()
    words = set(whitelist)
    for name in whitelist_files:
        raw, _ = _decode_or_fail(Path(name).read_bytes(), name)
        words |= {line.strip() for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#")}
    if site_host:
        from govsite.checks.wording import site_whitelist

        words |= site_whitelist(lexicons, site_host if "//" in site_host else f"http://{site_host}/")
    typo_hits = _csc_typo_hits(csc_model, wording_text, lexicons.with_whitelist(words).whitelist) if typos else None
    hits = check_text(wording_text, lexicons, whitelist=words, general_typos=typos, typo_hits=typo_hits)
    hits = drop_corpus_words(wording_text, hits)  # a form the document writes in many contexts is its word
    numbers = find_personal_numbers(text)
    rows = [[h.type, h.wrong, h.correct, "是" if h.serious else "", h.sentence] for h in hits]
    rows += [[f"privacy_{n.kind}", n.masked, "", "是", masked_context(text, n, numbers)] for n in numbers]
    if fmt == "json":
        keys = ["type", "text", "expected", "serious", "context"]
        click.echo(json.dumps([dict(zip(keys, r, strict=True)) for r in rows], ensure_ascii=False, indent=2))
    else:
        _print_table(Table(f"文本检查：{len(rows)} 处问题", ["类型", "原文", "应为", "严重", "上下文"], rows))


def _csc_typo_hits(directory: str | None, text: str, whitelist: set[str]) -> list | None:
    """With a neural checker (--csc-model or GOVSITE_CSC_MODEL): the typo layer's hits with the model's."""
    from govsite.text import csc

    try:
        if directory:
            csc.use_model(directory)
        return csc.typo_hits_with_model(text, whitelist)
    except csc.CscModelError as exc:
        raise BadInput(str(exc)) from exc


def _decode_or_fail(data: bytes, path: str) -> tuple[str, str]:
    from govsite.userfiles import decode_user_bytes

    try:
        return decode_user_bytes(data)
    except UserFileError as exc:
        raise BadInput(f"{path}：{exc}") from exc


# -- the web application ----------------------------------------------------------------


@main.command("manage", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """运行 Django 管理命令（如 migrate、createsuperuser）。"""
    _django_command(["govsite manage", *args])


@main.command("serve")
@click.option("--port", default=8000, show_default=True)
def serve(port: int) -> None:
    """在本机 127.0.0.1 启动网页应用（先执行数据库迁移）。"""
    _django_command(["govsite manage", "migrate", "--noinput"])
    _django_command(["govsite manage", "runserver", f"127.0.0.1:{port}"])


def _django_command(argv: list[str]) -> None:
    import os

    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.web.settings")
    from django.conf import settings

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    execute_from_command_line(argv)


# -- helpers ------------------------------------------------------------------------------


def _load_framework(name: str, *, single: bool = False) -> Framework:
    """Load for display, or (`single`) resolved to one weight column for scoring."""
    try:
        framework = fw.load(name)
        return framework.for_variant(None) if single else framework
    except fw.FrameworkError as exc:
        raise BadInput("指标体系有错误：\n" + "\n".join(str(p) for p in exc.problems)) from exc
    except ValueError as exc:
        raise BadInput(str(exc)) from exc


def _print_table(table: Table, title: str | None = None) -> None:
    rich_table = RichTable(title=title or table.title)
    for header in table.headers:
        rich_table.add_column(header)
    for row in table.rows:
        rich_table.add_row(*("" if v is None else str(v) for v in row))
    console.print(rich_table)


# -- distributed surveys: workers, scheduler, survey launch and status (govsite.worker) ---------------


def _django_ready() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.web.settings")
    django.setup()
    from django.conf import settings

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)


@main.command("worker")
@click.option("--concurrency", type=int, help="同时检测的网站数（默认 GOVSITE_WORKER_CONCURRENCY，未设则为 CPU 数）")
@click.option("--queues", default="govsite.jobs,govsite.control", show_default=True, help="消费的队列，逗号分隔")
@click.option("--max-tasks-per-child", type=int, help="子进程任务数上限（默认 GOVSITE_WORKER_MAX_TASKS_PER_CHILD）")
@click.option("--name", help="工作进程名称（默认 govsite-PID@主机名，须在集群内唯一）")
@click.option("--loglevel", default="INFO", show_default=True)
def worker(concurrency: int | None, queues: str, max_tasks_per_child: int | None, name: str | None, loglevel: str):
    """启动 Celery 工作进程，执行网站检测任务（连接 GOVSITE_BROKER_URL 与 DATABASE_URL）。"""
    import os

    _django_ready()
    from django.conf import settings

    from govsite.worker.celery import app

    concurrency = concurrency or settings.GOVSITE_WORKER_CONCURRENCY or os.cpu_count() or 1
    app.worker_main(
        [
            "worker",
            f"--loglevel={loglevel}",
            f"--concurrency={concurrency}",
            "--prefetch-multiplier=1",
            f"--max-tasks-per-child={max_tasks_per_child or settings.GOVSITE_WORKER_MAX_TASKS_PER_CHILD}",
            f"--queues={queues}",
            f"--hostname={name or f'govsite-{os.getpid()}@%h'}",
            "--without-gossip",
            "--without-mingle",
        ]
    )


@main.command("scheduler")
@click.option("--schedule-file", type=click.Path(dir_okay=False), help="beat 状态文件（默认在数据目录中）")
@click.option("--loglevel", default="INFO", show_default=True)
def scheduler(schedule_file: str | None, loglevel: str) -> None:
    """启动定时调度（Celery beat）：按监测计划生成检测任务，每天清理过期存档。部署一个即可。"""
    _django_ready()
    from django.conf import settings

    from govsite.worker.celery import app

    schedule_file = schedule_file or str(Path(settings.DATA_DIR) / "celerybeat-schedule")
    app.start(["beat", f"--loglevel={loglevel}", f"--schedule={schedule_file}"])


@main.group("survey")
def survey_group() -> None:
    """调查的检测任务：启动、进度与定期监测计划。"""


def _survey_or_fail(survey_id: int):
    from govsite.surveys.models import Survey

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        raise BadInput(f"没有编号为 {survey_id} 的调查")
    return survey


JOB_KINDS = ["full", "incremental", "selfcheck"]


@survey_group.command("launch")
@click.argument("survey_id", type=int)
@click.option("--kind", type=click.Choice(JOB_KINDS), default="full", show_default=True, help="检测类型")
def survey_launch(survey_id: int, kind: str) -> None:
    """为调查的每个网站创建一个检测任务并排队（已在排队或检测中的网站不重复创建）。

    GOVSITE_TASKS=celery 时交给工作进程；否则在本进程中逐个网站检测。
    """
    _django_ready()
    from govsite.surveys import dispatch
    from govsite.surveys.jobs import run_job
    from govsite.worker.tasks import fan_out, launch_survey

    survey = _survey_or_fail(survey_id)
    if dispatch.mode() == "celery":
        try:
            counts = launch_survey(survey.pk, kind)
        except Exception as exc:
            raise click.ClickException(f"无法投递到消息队列：{exc}（已建的任务仍在排队，可再次执行本命令）") from exc
        console.print(
            f"{survey.name}：新建并排队 {counts['created']} 个任务，重新投递 {counts['republished']} 个，"
            f"{counts['already_running']} 个网站已有进行中的任务",
            highlight=False,
        )
        return
    created = []
    counts = fan_out(survey, kind, enqueue=created.append)
    console.print(f"{survey.name}：在本进程中检测 {len(created)} 个网站（GOVSITE_TASKS 不是 celery）", highlight=False)
    for job in created:
        job = run_job(job.pk)
        console.print(f"  {job.site.name}\t{job.get_status_display()}\t网页 {job.pages_fetched}", highlight=False)


@survey_group.command("status")
@click.argument("survey_id", type=int)
@click.option("--kind", type=click.Choice([*JOB_KINDS, "recheck"]), help="只统计此类任务")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def survey_status(survey_id: int, kind: str | None, fmt: str) -> None:
    """调查的检测进度：各状态任务数、已抓取网页数、消息队列积压。"""
    _django_ready()
    from govsite.surveys.models import Job
    from govsite.worker.progress import survey_progress

    data = survey_progress(_survey_or_fail(survey_id), kind)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    labels = dict(Job.Status.choices)
    jobs = data["jobs"]
    console.print(
        f"[bold]{data['name']}[/]  网站 {data['sites']}  已完成 {data['sites_done']}  "
        f"已抓取网页 {data['pages_fetched']}",
        highlight=False,
    )
    console.print(
        "任务：" + "  ".join(f"{labels[s]} {jobs[s]}" for s in Job.Status.values) + f"  合计 {jobs['total']}",
        highlight=False,
    )
    queue = data["queue"]
    if queue is None:
        console.print("队列：未使用（GOVSITE_TASKS 不是 celery，任务在本机运行）", highlight=False)
    elif "error" in queue:
        console.print(f"[red]消息队列不可用：{queue['error']}[/]", highlight=False)
    else:
        console.print("队列积压：" + "  ".join(f"{name} {depth}" for name, depth in queue.items()), highlight=False)
    for row in data["running"]:
        console.print(f"  检测中  {row['site']}  {row['worker']}  网页 {row['pages_fetched']}", highlight=False)
    for row in data["failed"]:
        console.print(f"  [red]失败[/]  {row['site']}  {row['error']}", highlight=False)


@survey_group.command("schedule")
@click.argument("survey_id", type=int)
@click.option("--disable", is_flag=True, help="停用该调查所有网站的监测计划")
def survey_schedule(survey_id: int, disable: bool) -> None:
    """为调查的每个网站建立定期监测计划：每天增量检测、每周全量检测（需运行 govsite scheduler）。"""
    _django_ready()
    from govsite.surveys.models import Site
    from govsite.worker.schedules import ensure_schedules

    survey = _survey_or_fail(survey_id)
    count = ensure_schedules(Site.objects.filter(survey=survey), enabled=not disable)
    console.print(f"{survey.name}：{'停用' if disable else '启用'} {count} 个监测计划", highlight=False)


if __name__ == "__main__":
    main()
