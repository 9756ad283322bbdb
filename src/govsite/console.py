"""Printing for a person at a terminal: the consoles, tables, scan progress and summaries, the demo's bands.

The `govsite` command and the demo print through these (rich; Chinese names
aligned); machine formats (`--format json|csv|xlsx`) do not come here.
"""

from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table as RichTable

from govsite.reports.tables import Table

console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, soft_wrap=True)  # an error's file path:line stays one piece to copy


def print_table(table: Table, title: str | None = None) -> None:
    rich_table = RichTable(title=title or table.title)
    for header in table.headers:
        rich_table.add_column(header)
    for row in table.rows:
        rich_table.add_row(*("" if v is None else str(v) for v in row))
    console.print(rich_table)


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


def print_bands(console: Console, title: str, ranked) -> None:
    table = RichTable(title=title)
    table.add_column("档级", no_wrap=True)
    table.add_column("单位名称（同档内按行政区划序列排序；* 为新增自主报名）", overflow="fold")
    bands: dict[str, list[str]] = {}
    for item in ranked:
        label = item.result.site + ("*" if item.result.self_registered else "")
        bands.setdefault(item.band, []).append(f"{label}({item.result.total:.1f})")
    for band, members in bands.items():
        table.add_row(band, "、".join(members))
    console.print(table)
