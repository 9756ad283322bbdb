"""The scan output folder, a public format (docs/scan-output.md): its paths, writing and reading.

    OUT/summary.json            the run: format_version, as_of, sites[] (each site's summary), totals
    OUT/findings.jsonl          every site's findings, one JSON object a line (govsite.findings.Finding)
    OUT/sites/<host>_<hash>/    one site: the crawl's own files (the fetch and page logs of
                                crawl/store.py, archive/, state.json, tls.json) and the site's
                                findings.jsonl and summary.json (format_version, the site summary)

This module is the only one that spells these names and shapes out. Writers
stamp FORMAT_VERSION into every summary; readers refuse a summary of an
unknown version with a message that says what to do. A summary without a
version (written before versions were recorded) reads as version 0, whose
shape is this one's but for the verdict (checks.verdict.from_dict reads both).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from govsite.crawl.records import FetchRecord
from govsite.crawl.store import CrawlStore
from govsite.findings import Finding

FORMAT_VERSION = 2  # 2: page records carry headings, images and friendly_links; external fetches title and text
READABLE_VERSIONS = (0, 1, 2)
FINDINGS_FILE = "findings.jsonl"
SUMMARY_FILE = "summary.json"
SITES_DIR = "sites"


class ScanOutputError(ValueError):
    """A scan folder this version cannot read; the message (Chinese) says which file and why."""


def findings_path(folder: Path) -> Path:
    return folder / FINDINGS_FILE


def summary_path(folder: Path) -> Path:
    return folder / SUMMARY_FILE


def has_summary(folder: Path) -> bool:
    return summary_path(folder).is_file()


def site_folders(out_dir: Path) -> list[Path]:
    return sorted(p for p in (out_dir / SITES_DIR).glob("*") if p.is_dir())


# -- writing ------------------------------------------------------------------------------------


def write_findings(folder: Path, findings: Iterable[Finding]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = findings_path(folder)
    with path.open("w", encoding="utf-8") as handle:
        for finding in findings:
            handle.write(json.dumps(finding.to_dict(), ensure_ascii=False) + "\n")
    return path


def write_summary(folder: Path, summary: dict[str, Any]) -> Path:
    """A site's or a run's summary.json, stamped with FORMAT_VERSION."""
    folder.mkdir(parents=True, exist_ok=True)
    path = summary_path(folder)
    data = {"format_version": FORMAT_VERSION, **{k: v for k, v in summary.items() if k != "format_version"}}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def run_summary(as_of: str, site_summaries: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A run's summary: its sites' summaries and their findings counted by type."""
    totals: dict[str, int] = {}
    for site in site_summaries:
        for key, value in site.get("findings_by_type", {}).items():
            totals[key] = totals.get(key, 0) + value
    return {"as_of": as_of, **extra, "sites": site_summaries, "findings_by_type": dict(sorted(totals.items()))}


# -- reading ------------------------------------------------------------------------------------


def read_summary(folder: Path, *, max_bytes: int | None = None) -> dict[str, Any]:
    """A summary.json (a run's or a site's), checked for a version this program reads."""
    path = summary_path(folder)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise ScanOutputError(f"{path}: 文件不存在（应为 govsite scan 的输出目录）") from exc
    if max_bytes is not None and size > max_bytes:
        raise ScanOutputError(f"{path}: 文件过大（{size} 字节）")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScanOutputError(f"{path}: 不是有效的 JSON：{exc}") from exc
    if not isinstance(data, dict):
        raise ScanOutputError(f"{path}: 不是 govsite scan 写出的 summary.json（应为 JSON 对象）")
    check_version(data, path)
    return data


def check_version(data: dict[str, Any], path: Path) -> int:
    version = data.get("format_version", 0)
    if version not in READABLE_VERSIONS:
        raise ScanOutputError(
            f"{path}: 输出格式版本为 {version!r}，本程序只能读取版本 "
            f"{'、'.join(map(str, READABLE_VERSIONS))}；请升级 govsite，或用本版本重新检测"
            "（govsite scan --from-warc 可从存档重新判定，无需重新抓取）"
        )
    return version


def read_site_summaries(out_dir: Path, *, max_bytes: int | None = None) -> list[dict[str, Any]]:
    """The per-site entries of a run's summary.json."""
    data = read_summary(out_dir, max_bytes=max_bytes)
    sites = data.get("sites")
    if not isinstance(sites, list):
        raise ScanOutputError(f"{summary_path(out_dir)}: 缺少 sites 列表（应为 govsite scan 写出的 summary.json）")
    return sites


def iter_finding_dicts(folder: Path) -> Iterator[dict[str, Any]]:
    """The findings of a findings.jsonl as dicts, skipping lines that are not JSON objects (a torn write)."""
    path = findings_path(folder)
    if not path.is_file():
        return
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(item, dict):
                yield item


def read_findings(folder: Path) -> list[Finding]:
    path = findings_path(folder)
    if not path.is_file():
        raise ScanOutputError(f"{path}: 文件不存在（应为 govsite scan 的输出目录）")
    return [Finding.from_dict(item) for item in iter_finding_dicts(folder)]


def baseline_site(out_dir: Path, site: str) -> tuple[Path, int] | None:
    """The folder of `site` in an earlier scan `out_dir` (its records are read as a crawl's), and the
    run's format version; None when that scan did not judge the site. ScanOutputError for a folder
    that is not a scan's output this version reads."""
    version = check_version(read_summary(out_dir), summary_path(out_dir))
    for folder in site_folders(out_dir):
        if not has_summary(folder):
            continue
        try:
            data = read_summary(folder)
        except ScanOutputError:
            continue
        if data.get("site") == site and CrawlStore(folder).pages_path.is_file():
            return folder, version
    return None


def read_fetches(out_dir: Path) -> list[FetchRecord]:
    """Every fetch of every site of a run (what was asked for and how it answered)."""
    return [fetch for site in site_folders(out_dir) for fetch in CrawlStore(site).load_fetches().values()]


def fetch_log_paths(out_dir: Path) -> list[Path]:
    """Each site's fetch log of a run (appended while the crawl goes: progress counts its lines)."""
    return [CrawlStore(site).fetches_path for site in site_folders(out_dir)]


def fetched_urls(out_dir: Path) -> set[str]:
    """The URLs of a run that answered usably (HTTP status below 400), by requested and by final URL."""
    urls: set[str] = set()
    for fetch in read_fetches(out_dir):
        if fetch.ok:
            urls.add(fetch.url)
            if fetch.final_url:
                urls.add(fetch.final_url)
    return urls
