"""`govsite scan`: crawl sites (or re-check a WARC archive) and write the findings."""

from __future__ import annotations

from pathlib import Path

import click

from govsite.cli.errors import BadInput
from govsite.console import ScanProgress, console, print_scan_summary


@click.command("scan")
@click.argument("urls", nargs=-1)
@click.option("--as-of", "as_of", help="评判基准日 YYYY-MM-DD（默认今天）；用于所有日期规则，便于复现")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="out/scan", show_default=True)
@click.option(
    "--from-warc",
    "from_warc",
    type=click.Path(file_okay=False, exists=True),
    help="用已有扫描目录的 WARC 存档重新检测（不联网）",
)
@click.option(
    "--baseline",
    "baseline",
    type=click.Path(file_okay=False, exists=True),
    help="上次检测的输出目录：与之比对，检测网页篡改、外链变异（不给出则这两项记为未检测）",
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
@click.option(
    "--dns-server",
    default="",
    envvar="GOVSITE_DNS_SERVER",
    help="IPv6 探测查询 AAAA/A 记录所用的 DNS 服务器（IP[:端口]；默认用本机配置的 DNS 服务器）",
)
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
@click.option("--skip-detector", "skip_detectors", multiple=True, help="关闭该检测规则（按名称，可多次给出）")
@click.option("--list-detectors", is_flag=True, help="列出全部检测规则的名称与说明")
@click.option("--verbose", is_flag=True, help="输出 Scrapy 日志")
def scan(
    urls: tuple[str, ...],
    as_of: str | None,
    out_dir: str,
    from_warc: str | None,
    baseline: str | None,
    fresh: bool,
    **opts,
) -> None:
    """抓取网站并检测问题，在 OUT 中写出问题清单、汇总（格式见 docs/scan-output.md）和 WARC 存档。"""
    from govsite.scan import (
        ScanInputError,
        ScanOptions,
        check_dns_server,
        detector_list,
        detector_settings,
        run_from_warc,
        run_scan,
    )

    try:
        if opts["list_detectors"]:
            click.echo("\n".join(f"{name}\t{description}" for name, description in detector_list()))
            return
        detectors = detector_settings(opts["skip_detectors"], typos=opts["typos"])
        dns_server = check_dns_server(opts["dns_server"])
    except ScanInputError as exc:
        raise BadInput(str(exc)) from exc
    options = ScanOptions(
        out_dir=Path(out_dir),
        as_of=_parse_as_of(as_of),
        policy=_crawl_policy(opts),
        slow_ms=opts["slow_ms"],
        fresh=fresh,
        log_level="INFO" if opts["verbose"] else "ERROR",
        update_classes_file=opts["update_classes"] or "",
        detectors=detectors,
        dns_server=dns_server,
        baseline=Path(baseline) if baseline else None,
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
