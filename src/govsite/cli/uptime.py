"""`govsite uptime`: visit homepages at intervals and judge the week rule of 站点无法访问.

Each round visits every site once (probes/availability.py); the round's
attempts are appended to `OUT/attempts.jsonl` in one write (a round cut
short leaves no lines, a torn last line is ignored), then
`OUT/availability.json` is replaced atomically with every site's judgement
(checks/availability.py). Run again with the same `--out`, it reads
attempts.jsonl and does only the rounds still missing, the next one an
`--interval` after the last.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from govsite.cli.errors import BadInput
from govsite.console import VERDICT_STYLES, console

ATTEMPTS = "attempts.jsonl"
AVAILABILITY = "availability.json"
STATE_LABELS = {"pass": "合格", "fail": "单项否决", "unknown": "无法判定"}


@click.command("uptime")
@click.argument("urls", nargs=-1)
@click.option("--sites", "sites_file", type=click.Path(dir_okay=False, exists=True), help="网址清单文件（每行一个）")
@click.option("--interval", default=1800.0, show_default=True, help="两轮访问的间隔（秒）；默认每天 48 次")
@click.option("--count", default=336, show_default=True, help="访问轮数；默认 336 轮，即 30 分钟一轮满一周")
@click.option("--timeout", default=15.0, show_default=True, help="首页超过该秒数仍未打开即记为打不开")
@click.option("--concurrency", default=100, show_default=True, help="同时访问的网站数")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="out/uptime", show_default=True)
@click.option("--fresh", is_flag=True, help="忽略已有监测记录，重新开始")
@click.option("--loopback-only", is_flag=True, envvar="GOVSITE_LOOPBACK_ONLY", help="只访问本机地址（测试与演示）")
def uptime(
    urls: tuple[str, ...],
    sites_file: str | None,
    interval: float,
    count: int,
    timeout: float,
    concurrency: int,
    out_dir: str,
    fresh: bool,
    loopback_only: bool,
) -> None:
    """按间隔访问网站首页，按“站点无法访问”规则（监测一周、每天 20 次以上、打不开达 5%）判定，写出监测结果。"""
    from govsite.probes.availability import UptimeOptions

    sites = _sites(urls, sites_file)
    if count < 1 or timeout <= 0 or interval < 0 or not 1 <= concurrency <= 10_000:
        raise BadInput("--count 与 --timeout 必须为正数，--interval 不能为负数，--concurrency 应在 1 到 10000 之间")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if fresh:
        (out / ATTEMPTS).unlink(missing_ok=True)
    _drop_torn_tail(out / ATTEMPTS)
    done = read_attempts(out / ATTEMPTS)
    _check_same_sites(done, sites, out)
    rounds_done = len({row["round"] for row in done})
    remaining = count - rounds_done
    options = UptimeOptions(timeout=timeout, concurrency=concurrency, loopback_only=loopback_only)
    if remaining <= 0:
        console.print(f"已完成 {rounds_done} 轮访问（--count {count}），不再访问", highlight=False)
    else:
        if rounds_done:
            console.print(f"继续监测：已完成 {rounds_done} 轮，还有 {remaining} 轮", highlight=False)
        _run_rounds(sites, done, rounds_done, remaining, interval, options, out)
    entries = write_availability(out, sites, read_attempts(out / ATTEMPTS))
    _print_summary(entries, out)


def _sites(urls: tuple[str, ...], sites_file: str | None) -> list[str]:
    sites = list(urls)
    if sites_file:
        for number, line in enumerate(Path(sites_file).read_text(encoding="utf-8-sig").splitlines(), 1):
            line = line.strip()
            if line and not line.startswith("#"):
                if not line.startswith(("http://", "https://")):
                    raise BadInput(f"{sites_file} 第 {number} 行不是 http(s) 网址：“{line}”")
                sites.append(line)
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise BadInput(f"“{url}”不是 http(s) 网址")
    if not sites:
        raise BadInput("请给出要监测的网址，或用 --sites 指定网址清单文件")
    return list(dict.fromkeys(sites))


def _drop_torn_tail(path: Path) -> None:
    """Cut a last line without its newline (a kill mid-write), so the next round starts on a line of its own."""
    if not path.is_file():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as handle:
            handle.truncate(data.rfind(b"\n") + 1)


def read_attempts(path: Path) -> list[dict[str, Any]]:
    """The attempts of complete rounds, as written; a torn last line (a kill mid-write) is dropped."""
    if not path.is_file():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(row, dict) and "round" in row and "site" in row:
            rows.append(row)
    sizes: dict[int, int] = {}
    for row in rows:
        sizes[row["round"]] = sizes.get(row["round"], 0) + 1
    full = max(sizes.values(), default=0)
    return [row for row in rows if sizes[row["round"]] == full]


def _check_same_sites(done: list[dict[str, Any]], sites: list[str], out: Path) -> None:
    before = {row["site"] for row in done}
    if before and before != set(sites):
        raise BadInput(f"{out / ATTEMPTS} 中是另一组网站的监测记录；请用同一组网址继续，或加 --fresh 重新开始")


def _run_rounds(sites, done, rounds_done, remaining, interval, options, out: Path) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from govsite.checks.availability import prober_offline
    from govsite.probes.availability import probe_round

    last = max((datetime.fromisoformat(row["at"]) for row in done), default=None)
    next_start = last.timestamp() + interval if last else time.time()
    failures = sum(not row["ok"] for row in counted_rows(done))
    live = console.is_terminal
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not live,
    ) as progress:
        task = progress.add_task("监测", total=rounds_done + remaining, completed=rounds_done)
        for number in range(rounds_done, rounds_done + remaining):
            time.sleep(max(0.0, next_start - time.time()))
            next_start = max(next_start, time.time()) + interval
            attempts = probe_round(sites, options)
            _append_round(out / ATTEMPTS, number, attempts)  # kept as measured, counted or not
            write_availability(out, sites, read_attempts(out / ATTEMPTS))
            offline = prober_offline(attempts)
            if offline:
                console.print(f"[yellow]第 {number + 1} 轮：{offline}[/]", highlight=False)
            else:
                failures += sum(not a.ok for a in attempts)
            text = f"第 {number + 1} 轮完成  网站 {len(sites)}  累计打不开 {failures} 次"
            progress.update(task, advance=1, description=text)
            if not live:
                console.print(text, highlight=False)


def _append_round(path: Path, number: int, attempts) -> None:
    lines = "".join(json.dumps({"round": number, **a.as_dict()}, ensure_ascii=False) + "\n" for a in attempts)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(lines)
        handle.flush()


def counted_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The attempts of the rounds that say something about the sites (checks.availability.prober_offline)."""
    from govsite.checks.availability import prober_offline
    from govsite.probes.availability import Attempt

    rounds: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        rounds.setdefault(row.get("round", -1), []).append(row)
    return [
        row
        for members in rounds.values()
        if not prober_offline([Attempt.from_dict(row) for row in members])
        for row in members
    ]


def write_availability(out: Path, sites: list[str], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Judge every site from the counted rounds' attempts and replace OUT/availability.json with the result."""
    from govsite.checks.availability import judge
    from govsite.probes.availability import Attempt

    now = datetime.now(UTC)
    by_site: dict[str, list[Attempt]] = {site: [] for site in sites}
    for row in counted_rows(rows):
        by_site.setdefault(row["site"], []).append(Attempt.from_dict(row))
    entries = [judge(attempts, now, site=site) for site, attempts in by_site.items()]
    path = out / AVAILABILITY
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"sites": entries}, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return entries


def _print_summary(entries: list[dict[str, Any]], out: Path) -> None:
    from govsite.checks.availability import reason_label

    for entry in entries:
        verdict = entry["verdict"]
        ratio = "—" if entry["failure_ratio"] is None else f"{entry['failure_ratio']:.2%}"
        console.print(
            f"[bold]{entry['site']}[/]  访问 {entry['attempts']}  打不开 {entry['failures']}（{ratio}）  "
            f"最长中断 {entry['longest_outage_seconds']:.0f} 秒  "
            f"站点无法访问：[{VERDICT_STYLES[verdict['state']]}]{STATE_LABELS[verdict['state']]}[/]",
            highlight=False,
        )
        console.print(f"    {verdict['reason']}", highlight=False)
        for code, n in entry["failures_by_reason"].items():
            console.print(f"    {reason_label(code)}：{n} 次", highlight=False)
    console.print(f"结果：{out / AVAILABILITY}、{out / ATTEMPTS}", highlight=False)
