"""Judge one crawled site: run every detector over its records, then the inspection verdict.

A detector that fails is reported in the summary and the others still run:
one bad rule must not cost a survey its findings.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govsite.checks import wording
from govsite.checks.base import CheckConfig, SiteCrawl, all_detectors
from govsite.checks.verdict import Coverage, inspection_verdict
from govsite.crawl.store import CrawlStore
from govsite.findings import Finding
from govsite.scan.output import write_findings, write_summary
from govsite.text import typo_helper

log = logging.getLogger(__name__)
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass
class SiteReport:
    site: str
    findings: list[Finding]
    summary: dict[str, Any] = field(default_factory=dict)


def load_crawl(site: str, store: CrawlStore, config: CheckConfig) -> SiteCrawl:
    return SiteCrawl(
        site=site,
        config=config,
        fetches=store.load_fetches(),
        pages=store.load_pages(),
        documents=store.load_documents(),
        tls_report=_read_json(store.folder / "tls.json"),
    )


def _read_json(path: Path) -> dict | None:
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None


def judge_site(
    site: str,
    store: CrawlStore,
    config: CheckConfig,
    *,
    bounds: dict | None = None,
    complete: bool = True,
    close_reason: str = "",
) -> SiteReport:
    """Every detector, then the verdict over what the crawl could see; writes the site's findings and summary.

    `complete` says whether the crawl ran to its end (`close_reason` is why not).
    """
    # The typo layer's helper process starts first: it loads jieba while the records are read.
    with typo_helper.running(enabled=wording.OPTIONS.general_typos):
        crawl = load_crawl(site, store, config)
        findings, errors = _run_detectors(crawl)
    findings = _dedupe(findings)
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.type, f.url))
    coverage = Coverage(
        pages=_pages_fetched(crawl),
        homepage=crawl.homepage is not None,
        complete=complete,
        why_incomplete="" if complete else _why_incomplete(close_reason),
    )
    verdict = inspection_verdict(findings, coverage)
    summary = {**_summary(crawl, findings, verdict, errors, bounds or {}), "crawl_complete": complete}
    write_findings(store.folder, findings)
    write_summary(store.folder, summary)
    return SiteReport(site, findings, summary)


CLOSE_REASONS = {  # Scrapy's close reasons other than "finished"
    "shutdown": "检测被中断",
    "cancelled": "检测被取消",
    "closespider_timeout": "超过抓取时限",
    "closespider_pagecount": "达到页面数上限",
}


def _why_incomplete(close_reason: str) -> str:
    return CLOSE_REASONS.get(close_reason, f"抓取结束原因：{close_reason}" if close_reason else "抓取未正常结束")


def _pages_fetched(crawl: SiteCrawl) -> int:
    return sum(1 for f in crawl.fetches.values() if f.kind == "page" and f.status)


def _run_detectors(crawl: SiteCrawl) -> tuple[list[Finding], list[str]]:
    findings: list[Finding] = []
    errors: list[str] = []
    for detector in all_detectors():
        try:
            findings.extend(detector(crawl))
        except Exception as exc:  # one broken rule must not lose the others' findings
            log.exception("detector %s failed on %s", detector.name, crawl.site)
            errors.append(f"检测规则 {detector.name} 运行出错：{type(exc).__name__}: {exc}")
    return findings, errors


def _dedupe(findings: list[Finding]) -> list[Finding]:
    unique: dict[tuple, Finding] = {}
    for finding in findings:
        unique.setdefault(finding.key, finding)
    return list(unique.values())


def _summary(crawl: SiteCrawl, findings: list[Finding], verdict, errors: list[str], bounds: dict) -> dict[str, Any]:
    kinds = Counter(f.kind for f in crawl.fetches.values() if f.error != "blocked")
    failures = Counter(f.error for f in crawl.fetches.values() if f.error)
    return {
        "site": crawl.site,
        "as_of": crawl.config.as_of.isoformat(),
        "pages": _pages_fetched(crawl),
        "html_pages": len(crawl.pages),
        "attachments": kinds.get("attachment", 0),
        "external_links_checked": kinds.get("external", 0),
        "fetch_failures": dict(sorted(failures.items())),
        "findings_by_type": dict(sorted(Counter(f.type for f in findings).items())),
        "verdict": verdict.as_dict(),
        "bounds": bounds,
        "errors": errors,
    }
