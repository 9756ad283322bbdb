"""The contract of a detector, declared once.

A detector is a function `(crawl: SiteCrawl) -> Iterable[Finding]`,
registered with `@detector(...)` naming the finding types it may emit. It
reads the crawl's records (never the network) and returns findings with
evidence. Detectors of a family live in one module of `govsite.checks`;
a deployment adds its own (a province's rule) as a module that uses the same
decorator and is listed under the `govsite.detectors` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from importlib.metadata import entry_points

from govsite.crawl.records import DocumentRecord, FetchRecord, PageRecord
from govsite.findings import FINDING_TYPES, Finding


@dataclass(frozen=True)
class CheckConfig:
    """Limits that rules judge against; `as_of` fixes "today" so a run is reproducible."""

    as_of: date
    slow_ms: int = 3000
    homepage_max_age_days: int = 14
    old_news_years: int = 5
    update_classes_file: str = ""  # empty: the bundled defaults


@dataclass
class SiteCrawl:
    """Everything one crawl of one site produced, as the detectors see it."""

    site: str  # the homepage URL as given
    config: CheckConfig
    fetches: dict[str, FetchRecord] = field(default_factory=dict)
    pages: dict[str, PageRecord] = field(default_factory=dict)
    documents: dict[str, DocumentRecord] = field(default_factory=dict)  # attachment texts
    tls_report: dict | None = None  # security.inspect_certificate(...).to_dict() for https sites
    aliases: dict[str, str] = field(default_factory=dict)  # an alias URL (and its url_key) -> its page's canonical URL
    found_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def homepage(self) -> PageRecord | None:
        fetch = self.fetches.get(self.site)
        url = fetch.final_url if fetch and fetch.final_url else self.site
        return self.pages.get(url) or self.pages.get(self.site)

    @cached_property
    def referrers(self) -> dict[str, list[tuple[str, str]]]:
        """target URL -> [(page URL, link text)], in crawl order."""
        index: dict[str, list[tuple[str, str]]] = {}
        for page in self.pages.values():
            for link in page.links:
                index.setdefault(link.url, []).append((page.url, link.text))
        return index

    def linking_page(self, url: str) -> str | None:
        """The first page that links to `url` (an attachment's page, a broken link's page)."""
        pages = self.referrers.get(url)
        if pages:
            return pages[0][0]
        fetch = self.fetches.get(url)
        return (fetch.referrer or None) if fetch else None

    def finding(self, type_: str, url: str, severity: str, evidence: str, **kwargs) -> Finding:
        return Finding(type_, url, self.site, severity, evidence, found_at=self.found_at, **kwargs)


DetectorFn = Callable[[SiteCrawl], Iterable[Finding]]


@dataclass(frozen=True)
class Detector:
    name: str
    finding_types: tuple[str, ...]
    run: DetectorFn
    doc: str = ""

    def __call__(self, crawl: SiteCrawl) -> list[Finding]:
        findings = list(self.run(crawl))
        for finding in findings:
            if finding.type not in self.finding_types:
                raise ValueError(f"detector {self.name} emitted undeclared type {finding.type}")
        return findings


_REGISTRY: dict[str, Detector] = {}


def detector(name: str, *finding_types: str) -> Callable[[DetectorFn], DetectorFn]:
    """Register a detector function under `name`, emitting only `finding_types`."""
    unknown = [t for t in finding_types if t not in FINDING_TYPES]
    if unknown:
        raise ValueError(f"unknown finding types {unknown} for detector {name}")

    def register(fn: DetectorFn) -> DetectorFn:
        _REGISTRY[name] = Detector(name, tuple(finding_types), fn, (fn.__doc__ or "").strip())
        return fn

    return register


def all_detectors() -> list[Detector]:
    """The built-in detectors plus any installed under the `govsite.detectors` entry points."""
    import govsite.checks  # noqa: F401 - importing the package registers the built-ins

    for entry in entry_points(group="govsite.detectors"):
        entry.load()
    return list(_REGISTRY.values())
