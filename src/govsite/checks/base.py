"""The contract of a detector, declared once.

A detector is a function `(crawl: SiteCrawl) -> Iterable[Finding]`,
registered with `@detector(...)` naming the finding types it may emit. It
reads the crawl's records (never the network) and returns findings with
evidence. Detectors of a family live in one module of `govsite.checks`;
a deployment adds its own (a province's rule) as a module that uses the same
decorator and is listed under the `govsite.detectors` entry-point group.

What a detector may declare besides its types (as Scrapy's components do
with `from_crawler` and `NotConfigured`):

- `options=`: a frozen dataclass whose fields all have defaults. The judge
  builds one instance per scan from the scan's `DetectorSettings` (a mapping
  of field values, or an instance, under the detector's name) and the
  function receives it as its second argument: `(crawl, options)`. No module
  global carries a detector's settings.
- `prepare=`: `(config, options) -> context manager`, entered by the judge
  for each site before the crawl's records are read and left after every
  detector ran (the wording detector starts its typo helper process there).
- raising `NotConfigured` (from the options class, `prepare` or the run): the
  detector cannot run here (a component or a file it needs is missing); the
  judge reports it skipped, with the finding types that went unchecked, and
  runs the others. Its subclass `NotChecked` says the detector's input could
  not be measured for this site (the IPv6 probe had no IPv6 route): skipped
  the same way, but not counted among the summary's errors.
  runs the others.
- `needs_baseline=True`: the detector compares this crawl with an earlier one
  of the same site (`SiteCrawl.baseline`, read from the records of the scan
  given as `govsite scan --baseline`, in the app the site's previous finished
  job). Without a baseline the judge does not run it and reports its types
  unchecked, never passed.
- `replaces=True`: a plug-in that takes the name of a built-in detector.
  Without it that plug-in is refused at registration (a plug-in must not
  silently replace a built-in, nor a built-in a plug-in).

The built-in families register when the package `govsite.checks` is
imported, which Python always does before this module; this module imports
nothing of the package (no import cycle).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from importlib.metadata import entry_points
from typing import Any

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
    ipv6_report: dict | None = None  # the ipv6 probe's report (probes/ipv6.py), judged by checks/ipv6.py
    aliases: dict[str, str] = field(default_factory=dict)  # an alias URL (and its url_key) -> its page's canonical URL
    found_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    baseline: SiteCrawl | None = None  # the same site's earlier crawl (needs_baseline detectors), read the same way
    baseline_version: int = 0  # the scan output format version of the baseline's records (scan/output.py)

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


DetectorFn = Callable[..., Iterable[Finding]]  # (crawl) or, with declared options, (crawl, options)
PrepareFn = Callable[[CheckConfig, Any], AbstractContextManager[Any]]


class NotConfigured(Exception):
    """A detector cannot run here; the message (Chinese) says what is missing. The judge reports it skipped."""


class NotChecked(NotConfigured):
    """What the detector judges could not be measured for this site (a probe could not run from this
    machine, or left no report): skipped like NotConfigured, its types unchecked, but not an error."""


class DetectorContractError(ValueError):
    """A detector, a plug-in or a detector setting that breaks the contract; the message says which and why."""


@dataclass(frozen=True)
class Detector:
    name: str
    finding_types: tuple[str, ...]
    run: DetectorFn
    doc: str = ""
    options: type | None = None  # a frozen dataclass with defaults; the run receives an instance
    prepare: PrepareFn | None = None  # (config, options) -> the context the judge holds for a site
    label: str = ""  # Chinese; default: the Chinese names of its finding types
    replaces: bool = False  # a plug-in that explicitly replaces the detector of the same name
    origin: str = ""  # "module.function", in messages
    needs_baseline: bool = False  # compares with SiteCrawl.baseline; not run without one

    @property
    def builtin(self) -> bool:
        return self.origin.startswith("govsite.checks.")

    @property
    def description(self) -> str:
        """What the detector checks, in Chinese (`govsite scan --list-detectors`)."""
        return self.label or "、".join(FINDING_TYPES[t] for t in self.finding_types)

    def make_options(self, values: Any = None) -> Any:
        """The detector's options from a mapping of field values (or an instance); None when it declares none."""
        if self.options is None:
            if values:
                raise DetectorContractError(f"检测规则 {self.name} 没有可设置的选项（收到 {sorted(values)}）")
            return None
        if isinstance(values, self.options):
            return values
        values = dict(values or {})
        known = [f.name for f in fields(self.options)]
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise DetectorContractError(f"检测规则 {self.name} 没有选项 {unknown}（可设置：{'、'.join(known)}）")
        try:
            return self.options(**values)
        except (TypeError, ValueError) as exc:
            raise DetectorContractError(f"检测规则 {self.name} 的选项无效：{exc}") from exc

    def context(self, config: CheckConfig, options: Any) -> AbstractContextManager[Any]:
        """What the judge holds while the detector runs on a site (its `prepare`, else nothing)."""
        return self.prepare(config, options) if self.prepare is not None else nullcontext()

    def __call__(self, crawl: SiteCrawl, options: Any = None) -> list[Finding]:
        if self.options is None:
            findings = list(self.run(crawl))
        else:
            findings = list(self.run(crawl, options if options is not None else self.options()))
        for finding in findings:
            if finding.type not in self.finding_types:
                raise ValueError(f"detector {self.name} emitted undeclared type {finding.type}")
        return findings


@dataclass(frozen=True)
class DetectorSettings:
    """What a scan asks of the detectors: options per detector name, and the detectors switched off."""

    options: Mapping[str, Any] = field(default_factory=dict)  # name -> {field: value} or an options instance
    skip: frozenset[str] = frozenset()

    def check(self, detectors: Iterable[Detector]) -> None:
        """DetectorContractError (Chinese) for a name no detector has, or an option a detector lacks."""
        by_name = {d.name: d for d in detectors}
        unknown = sorted((set(self.skip) | set(self.options)) - set(by_name))
        if unknown:
            known = "、".join(sorted(by_name))
            raise DetectorContractError(f"没有名为 {'、'.join(unknown)} 的检测规则（可用：{known}）")
        for name, values in self.options.items():
            try:
                by_name[name].make_options(values)
            except NotConfigured:  # the judge reports it skipped, site by site
                continue


_REGISTRY: dict[str, Detector] = {}


def detector(
    name: str,
    *finding_types: str,
    options: type | None = None,
    prepare: PrepareFn | None = None,
    label: str = "",
    replaces: bool = False,
    needs_baseline: bool = False,
) -> Callable[[DetectorFn], DetectorFn]:
    """Register a detector function under `name`, emitting only `finding_types` (see the module's docstring)."""
    unknown = [t for t in finding_types if t not in FINDING_TYPES]
    if unknown:
        raise ValueError(f"unknown finding types {unknown} for detector {name}")
    _check_options_class(name, options)

    def register(fn: DetectorFn) -> DetectorFn:
        origin = f"{fn.__module__ or '?'}.{fn.__qualname__}"
        doc = (fn.__doc__ or "").strip()
        _register(
            Detector(name, tuple(finding_types), fn, doc, options, prepare, label, replaces, origin, needs_baseline)
        )
        return fn

    return register


def _check_options_class(name: str, options: type | None) -> None:
    if options is None:
        return
    params = getattr(options, "__dataclass_params__", None)
    if not is_dataclass(options) or params is None or not params.frozen:
        raise DetectorContractError(f"detector {name}: options must be a frozen dataclass, not {options!r}")
    if any(f.default is MISSING and f.default_factory is MISSING for f in fields(options)):
        raise DetectorContractError(f"detector {name}: every field of {options.__name__} needs a default")


def _register(new: Detector) -> None:
    """Add `new`; a name already taken by another function is refused unless one side replaces explicitly."""
    old = _REGISTRY.get(new.name)
    if old is None or old.origin == new.origin or new.replaces:
        _REGISTRY[new.name] = new  # new, or the same function registered again (a module reloaded)
    elif old.replaces and new.builtin:
        return  # the plug-in replacing this built-in was loaded first: it stays
    else:
        kind = "a built-in detector" if old.builtin else "already a detector"
        raise DetectorContractError(
            f"detector name {new.name!r} of {new.origin} is {kind} ({old.origin}); "
            "choose another name, or pass replaces=True to replace it"
        )


def registered_detectors() -> list[Detector]:
    """The detectors registered so far, in registration order."""
    return list(_REGISTRY.values())


def all_detectors() -> list[Detector]:
    """The built-in detectors plus any installed under the `govsite.detectors` entry points.

    The built-ins registered when `govsite.checks` was imported (before this module, always).
    """
    for entry in entry_points(group="govsite.detectors"):
        entry.load()
    return registered_detectors()
