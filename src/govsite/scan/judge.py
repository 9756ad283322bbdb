"""Judge one crawled site: run every detector over its records, then the inspection verdict.

A detector that fails is reported in the summary and the others still run:
one bad rule must not cost a survey its findings. The judge builds each
detector's options from the scan's `DetectorSettings` (checks/base.py), holds
each detector's context for the site (its `prepare`, entered before the
records are read: the typo helper starts loading jieba meanwhile), and
reports the detectors that did not run — switched off by name, NotConfigured
or failed — with their finding types (`skipped_detectors`, `unchecked_types`):
no finding of such a type means "not checked", never "checked, nothing
found", and the verdict does not judge a rule whose types went unchecked.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from govsite.checks.base import (
    CheckConfig,
    Detector,
    DetectorSettings,
    NotChecked,
    NotConfigured,
    SiteCrawl,
    all_detectors,
)
from govsite.checks.freshness import truncated_columns
from govsite.checks.ipv6 import summary_degree
from govsite.checks.verdict import Coverage, inspection_verdict
from govsite.crawl.aliases import PageIndex, merged_count, page_aliases
from govsite.crawl.policy import url_key
from govsite.crawl.store import CrawlStore
from govsite.findings import Finding
from govsite.scan.output import FORMAT_VERSION, write_findings, write_summary

log = logging.getLogger(__name__)
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass
class SiteReport:
    site: str
    findings: list[Finding]
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Skipped:
    """A detector that did not run on the site, and why (Chinese)."""

    detector: Detector
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.detector.name, "finding_types": list(self.detector.finding_types), "reason": self.reason}


SWITCHED_OFF = "已按设置关闭（--skip-detector）"
NO_BASELINE = "未运行：没有可比对的上次检测结果（--baseline）"


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
        ipv6_report=_read_json(store.folder / "ipv6.json"),
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
    detectors: DetectorSettings | None = None,
    baseline: CrawlStore | None = None,
    baseline_version: int = FORMAT_VERSION,
) -> SiteReport:
    """Every detector, then the verdict over what the crawl could see; writes the site's findings and summary.

    `complete` says whether the crawl ran to its end (`close_reason` is why not); `detectors` the
    detectors' options and those switched off (default: every detector with its default options);
    `baseline` the same site's folder in an earlier scan (output.baseline_site), read as this crawl is,
    for the detectors that compare (`needs_baseline`): without it they are reported unchecked.
    """
    settings = detectors or DetectorSettings()
    errors: list[str] = []
    with ExitStack() as contexts:
        # The detectors' contexts first (the typo helper loads jieba while the records are read).
        ready, skipped = _prepare(all_detectors(), settings, config, contexts, errors)
        crawl = load_crawl(site, store, config)
        if baseline is not None:
            crawl.baseline = load_crawl(site, baseline, config)
            crawl.baseline_version = baseline_version
        findings, failed = _run_detectors(crawl, ready, errors)
    skipped += failed
    findings = _dedupe(findings, crawl.aliases)
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.type, f.url))
    coverage = Coverage(
        pages=_pages_fetched(crawl),
        homepage=crawl.homepage is not None,
        complete=complete,
        why_incomplete="" if complete else _why_incomplete(close_reason),
        unchecked=frozenset(_unchecked_types(skipped)),
    )
    verdict = inspection_verdict(findings, coverage)
    summary = {
        **_summary(crawl, findings, verdict, errors, bounds or {}),
        "skipped_detectors": [item.as_dict() for item in skipped],
        "unchecked_types": _unchecked_types(skipped),
        "crawl_complete": complete,
    }
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


def _prepare(
    detectors: Iterable[Detector],
    settings: DetectorSettings,
    config: CheckConfig,
    contexts: ExitStack,
    errors: list[str],
) -> tuple[list[tuple[Detector, Any]], list[Skipped]]:
    """(detector, its options) for those that can run, their contexts entered; the others, and why not."""
    ready: list[tuple[Detector, Any]] = []
    skipped: list[Skipped] = []
    for detector in detectors:
        if detector.name in settings.skip:
            skipped.append(Skipped(detector, SWITCHED_OFF))
            continue
        try:
            options = detector.make_options(settings.options.get(detector.name))
            contexts.enter_context(detector.context(config, options))
        except NotConfigured as exc:
            skipped.append(_not_run(detector, exc, errors))
            continue
        except Exception as exc:  # a detector that cannot start costs only its own findings
            log.exception("detector %s could not start", detector.name)
            skipped.append(_not_run(detector, exc, errors))
            continue
        ready.append((detector, options))
    return ready, skipped


def _run_detectors(
    crawl: SiteCrawl, ready: Iterable[tuple[Detector, Any]], errors: list[str]
) -> tuple[list[Finding], list[Skipped]]:
    findings: list[Finding] = []
    failed: list[Skipped] = []
    for detector, options in ready:
        if detector.needs_baseline and crawl.baseline is None:
            failed.append(Skipped(detector, NO_BASELINE))
            continue
        try:
            findings.extend(detector(crawl, options))
        except NotConfigured as exc:
            failed.append(_not_run(detector, exc, errors))
        except Exception as exc:  # one broken rule must not lose the others' findings
            log.exception("detector %s failed on %s", detector.name, crawl.site)
            failed.append(_not_run(detector, exc, errors))
    return findings, failed


def _not_run(detector: Detector, exc: Exception, errors: list[str]) -> Skipped:
    """The detector as skipped, its reason added to `errors` (Chinese) unless it is NotChecked."""
    if isinstance(exc, NotChecked):
        return Skipped(detector, f"未检测：{exc}")
    if isinstance(exc, NotConfigured):
        reason = f"未运行（无法配置）：{exc}"
    else:
        reason = f"运行出错：{type(exc).__name__}: {exc}"
    errors.append(f"检测规则 {detector.name} {reason}")
    return Skipped(detector, reason)


def _unchecked_types(skipped: Iterable[Skipped]) -> list[str]:
    """The finding types of the detectors that did not run: their absence proves nothing."""
    return sorted({t for item in skipped for t in item.detector.finding_types})


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
        "ipv6": summary_degree(crawl.ipv6_report),
        "errors": errors,
    }
