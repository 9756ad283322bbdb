"""Judge one crawled site: run every detector over its records, then the inspection verdict.

A detector that fails is reported in the summary and the others still run:
one bad rule must not cost a survey its findings.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from govsite.checks import wording
from govsite.checks.base import CheckConfig, SiteCrawl, all_detectors
from govsite.checks.freshness import truncated_columns
from govsite.checks.verdict import Coverage, inspection_verdict
from govsite.crawl.aliases import PageIndex, merged_count, page_aliases
from govsite.crawl.policy import url_key
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
    """The crawl's records as the detectors see them: one page record per page (aliases merged)."""
    fetches = store.load_fetches()
    pages = store.load_pages()
    aliases = page_aliases(fetches.values(), pages, site)
    return SiteCrawl(
        site=site,
        config=config,
        fetches=fetches,
        pages=PageIndex(pages, aliases),
        documents=store.load_documents(),
        tls_report=_read_json(store.folder / "tls.json"),
        aliases=aliases,
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
    findings = _dedupe(findings, crawl.aliases)
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


def _dedupe(findings: list[Finding], aliases: dict[str, str]) -> list[Finding]:
    """One finding per problem, on the canonical URL of its page (an alias's finding is its page's)."""
    unique: dict[tuple, Finding] = {}
    for finding in findings:
        finding = on_canonical_urls(finding, aliases)
        unique.setdefault(finding.key, finding)
    return list(unique.values())


def on_canonical_urls(finding: Finding, aliases: dict[str, str]) -> Finding:
    """The finding with its `url` and `page` replaced by their page's canonical URL (crawl/aliases.py)."""
    if not aliases:
        return finding
    url = _canonical(finding.url, aliases)
    page = _canonical(finding.page, aliases) if finding.page else finding.page
    if url == finding.url and page == finding.page:
        return finding
    return replace(finding, url=url, page=page)


def _canonical(url: str, aliases: dict[str, str]) -> str:
    return aliases.get(url) or aliases.get(url_key(url)) or url


MAX_ALIASES_LISTED = 10_000  # bounded summary; a site with more aliases has a URL scheme problem of its own


def _alias_map(aliases: dict[str, str]) -> dict[str, str]:
    """URL -> its page's canonical URL, for the URLs findings were once reported under (history re-keys by it)."""
    listed = {url: canonical for url, canonical in aliases.items() if url != canonical}
    return dict(sorted(listed.items())[:MAX_ALIASES_LISTED])


def _summary(crawl: SiteCrawl, findings: list[Finding], verdict, errors: list[str], bounds: dict) -> dict[str, Any]:
    kinds = Counter(f.kind for f in crawl.fetches.values() if f.error != "blocked")
    failures = Counter(f.error for f in crawl.fetches.values() if f.error)
    return {
        "site": crawl.site,
        "as_of": crawl.config.as_of.isoformat(),
        "pages": _pages_fetched(crawl),
        "html_pages": len(crawl.pages),
        "page_aliases": merged_count(crawl.aliases),  # URLs merged into another's page
        "aliases": _alias_map(crawl.aliases),
        "attachments": kinds.get("attachment", 0),
        "external_links_checked": kinds.get("external", 0),
        "fetch_failures": dict(sorted(failures.items())),
        "findings_by_type": dict(sorted(Counter(f.type for f in findings).items())),
        "verdict": verdict.as_dict(),
        "bounds": bounds,
        "truncated_columns": truncated_columns(crawl, bounds),
        "errors": errors,
    }
