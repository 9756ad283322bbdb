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
from govsite.checks.verdict import inspection_verdict
from govsite.crawl.aliases import PageIndex, merged_count, page_aliases
from govsite.crawl.policy import url_key
from govsite.crawl.store import CrawlStore
from govsite.findings import Finding
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


def judge_site(site: str, store: CrawlStore, config: CheckConfig, *, bounds: dict | None = None) -> SiteReport:
    # The typo layer's helper process starts first: it loads jieba while the records are read.
    with typo_helper.running(enabled=wording.OPTIONS.general_typos):
        crawl = load_crawl(site, store, config)
        findings, errors = _run_detectors(crawl)
    findings = _dedupe(findings, crawl.aliases)
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.type, f.url))
    verdict = inspection_verdict(findings)
    summary = _summary(crawl, findings, verdict, errors, bounds or {})
    with (store.folder / "findings.jsonl").open("w", encoding="utf-8") as handle:
        for finding in findings:
            handle.write(json.dumps(finding.to_dict(), ensure_ascii=False) + "\n")
    (store.folder / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return SiteReport(site, findings, summary)


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


def _summary(crawl: SiteCrawl, findings: list[Finding], verdict, errors: list[str], bounds: dict) -> dict[str, Any]:
    kinds = Counter(f.kind for f in crawl.fetches.values() if f.error != "blocked")
    failures = Counter(f.error for f in crawl.fetches.values() if f.error)
    return {
        "site": crawl.site,
        "as_of": crawl.config.as_of.isoformat(),
        "pages": sum(1 for f in crawl.fetches.values() if f.kind == "page" and f.status),
        "html_pages": len(crawl.pages),
        "page_aliases": merged_count(crawl.aliases),  # URLs merged into another's page
        "attachments": kinds.get("attachment", 0),
        "external_links_checked": kinds.get("external", 0),
        "fetch_failures": dict(sorted(failures.items())),
        "findings_by_type": dict(sorted(Counter(f.type for f in findings).items())),
        "verdict": verdict.as_dict(),
        "bounds": bounds,
        "truncated_columns": truncated_columns(crawl, bounds),
        "errors": errors,
    }
