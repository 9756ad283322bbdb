"""`govsite scan`: crawl sites, run every detector, write findings and a summary.

The flow for each site (one folder under OUT/sites/):
    crawl (resumable)  ->  the crawl store's logs (crawl/store.py), archive/*.warc.gz
    judge              ->  the site's findings and summary
and for the whole run OUT's findings and summary: the folder's format is
scan/output.py's (docs/scan-output.md).

A site whose crawl finished is not crawled again unless asked (`fresh`);
an interrupted one continues where it stopped. `from_warc` rebuilds the
page index from an earlier scan's archives and judges it again, e.g. with
another `as_of`, without touching the network.

The detectors' options and the detectors switched off by name reach the
judge as one `DetectorSettings` (`ScanOptions.detectors`), built and checked
against the installed detectors by `detector_settings`.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from govsite.checks.base import CheckConfig, DetectorContractError, DetectorSettings, all_detectors
from govsite.crawl.policy import CrawlPolicy
from govsite.crawl.records import FetchRecord
from govsite.crawl.spider import SiteJob
from govsite.crawl.store import CrawlStore
from govsite.scan import output
from govsite.scan.judge import SiteReport, judge_site
from govsite.scan.rebuild import rebuild_from_archive

STATE_FILE = "state.json"
TLS_FILE = "tls.json"


class ScanInputError(ValueError):
    """A URL or option the scan cannot use; the message says which and why (exit code 2)."""


@dataclass
class ScanOptions:
    out_dir: Path
    as_of: date
    policy: CrawlPolicy = field(default_factory=CrawlPolicy)
    slow_ms: int = 3000
    fresh: bool = False
    log_level: str = "ERROR"
    update_classes_file: str = ""
    dns_server: str = ""  # the probes' DNS server, "address[:port]" (--dns-server); "" = the system's
    detectors: DetectorSettings = field(default_factory=DetectorSettings)  # see detector_settings
    baseline: Path | None = None  # an earlier scan's output folder: the detectors that compare read it

    @property
    def check_config(self) -> CheckConfig:
        return CheckConfig(as_of=self.as_of, slow_ms=self.slow_ms, update_classes_file=self.update_classes_file)


def detector_settings(
    skip: Iterable[str] = (), *, typos: bool = True, options: Mapping[str, object] | None = None
) -> DetectorSettings:
    """The detectors' settings for a scan: `skip` switched off by name, `typos=False` the statistical
    typo layer off, `options` per detector name; ScanInputError for a name or option that does not exist,
    or a plug-in that breaks the contract."""
    chosen = dict(options or {})
    if not typos:
        chosen["wording"] = _with_value(chosen.get("wording"), "general_typos", False)
    settings = DetectorSettings(chosen, frozenset(skip))
    try:
        settings.check(all_detectors())
    except DetectorContractError as exc:
        raise ScanInputError(f"检测规则设置有误：{exc}") from exc
    return settings


def _with_value(values: object, name: str, value: object) -> object:
    """A detector's option values (a mapping or an options instance) with `name` set to `value`."""
    if values is None or isinstance(values, Mapping):
        return {**(values or {}), name: value}
    return replace(values, **{name: value})


def detector_list() -> list[tuple[str, str]]:
    """(name, Chinese description) of every installed detector, for `govsite scan --list-detectors`."""
    try:
        return [(item.name, item.description) for item in all_detectors()]
    except DetectorContractError as exc:
        raise ScanInputError(f"检测规则插件有误：{exc}") from exc


def check_dns_server(text: str) -> str:
    """The `--dns-server` value as given when it is an IP address[:port] (or empty), else ScanInputError."""
    from govsite.probes.base import parse_nameserver

    if text.strip():
        try:
            parse_nameserver(text)
        except ValueError as exc:
            raise ScanInputError(str(exc)) from exc
    return text.strip()


def normalize_site_url(raw: str) -> str:
    """A homepage URL as the crawl uses it, or ScanInputError saying what is wrong."""
    text = raw.strip()
    parts = urlsplit(text)
    if not parts.scheme and "." in text.split("/")[0]:
        raise ScanInputError(f"“{raw}”缺少协议，请写成 http://{text} 或 https://{text}")
    if parts.scheme not in ("http", "https"):
        raise ScanInputError(f"“{raw}”不是 http/https 网址（只能检测网站）")
    if not parts.hostname:
        raise ScanInputError(f"“{raw}”不是有效网址：缺少主机名")
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise ScanInputError(f"“{raw}”的端口无效") from exc
    path = parts.path or "/"
    return f"{parts.scheme}://{parts.netloc}{path}" + (f"?{parts.query}" if parts.query else "")


def site_folder(out_dir: Path, site: str) -> Path:
    parts = urlsplit(site)
    host = (parts.hostname or "site").replace(":", "_")
    port = f"_{parts.port}" if parts.port else ""
    digest = hashlib.sha1(site.encode("utf-8")).hexdigest()[:8]
    return out_dir / "sites" / f"{host}{port}_{digest}"


def run_scan(
    urls: Sequence[str],
    options: ScanOptions,
    *,
    on_fetch: Callable[[str, FetchRecord], None] | None = None,
) -> list[SiteReport]:
    """Crawl (or resume) and judge each site; write the run's findings and summary (scan/output.py)."""
    from govsite.scan.crawler import run_crawls

    sites = list(dict.fromkeys(normalize_site_url(u) for u in urls))
    if sites:
        _baseline(options, sites[0])  # an unusable baseline is refused before the crawl, not after
    started = time.monotonic()
    jobs, stores = [], {}
    for site in sites:
        store = CrawlStore(site_folder(options.out_dir, site))
        stores[site] = store
        state = _read_state(store.folder)
        if options.fresh:
            _clear(store)
            state = {}
        if not state.get("crawl_complete"):
            _write_state(store.folder, {"site": site, "crawl_complete": False, "started": _now()})
            _probe(site, store.folder, options)
            jobs.append(SiteJob(site, options.policy, options.as_of, store, on_fetch=on_fetch))
    run_crawls(jobs, options.policy, log_level=options.log_level)
    for job in jobs:
        _probe(job.site, job.store.folder, options, after_crawl=job.store)
        complete = job.close_reason == "finished"
        state = {
            "site": job.site,
            "crawl_complete": complete,
            "close_reason": job.close_reason,
            "finished": _now(),
        }
        _write_state(job.store.folder, {**state, "bounds": job.rules.bounds.as_dict()})
    reports = []
    for site in sites:
        state = _read_state(stores[site].folder)
        reports.append(_judge(site, stores[site], options, state))
    write_outputs(options.out_dir, reports, options, duration=time.monotonic() - started)
    return reports


def run_from_warc(source: Path, options: ScanOptions) -> list[SiteReport]:
    """Judge the archives of an earlier scan again (no network)."""
    started = time.monotonic()
    site_dirs = sorted(p for p in (source / "sites").glob("*") if (p / "archive").is_dir())
    if not site_dirs:
        raise ScanInputError(f"{source} 下没有找到 WARC 存档（应为 govsite scan 的输出目录）")
    reports = []
    for old in site_dirs:
        state = _read_state(old)
        site = state.get("site")
        if not site:
            raise ScanInputError(f"{old} 缺少 {STATE_FILE}，无法确定站点首页")
        store = CrawlStore(options.out_dir / "sites" / old.name)
        rebuild_from_archive(old / "archive", store, site, options.as_of, options.policy)
        for name in _probe_reports():  # what the probes saw at crawl time (the certificate)
            if (old / name).exists():
                (store.folder / name).write_text((old / name).read_text(encoding="utf-8"), encoding="utf-8")
        _write_state(store.folder, {**state, "archive_source": str(old / "archive")})
        reports.append(_judge(site, store, options, state))
    write_outputs(options.out_dir, reports, options, duration=time.monotonic() - started, from_warc=str(source))
    return reports


def _judge(site: str, store: CrawlStore, options: ScanOptions, state: dict) -> SiteReport:
    found = _baseline(options, site)
    return judge_site(
        site,
        store,
        options.check_config,
        bounds=state.get("bounds", {}),
        complete=bool(state.get("crawl_complete")),
        close_reason=str(state.get("close_reason") or ""),
        detectors=options.detectors,
        baseline=CrawlStore(found[0]) if found else None,
        baseline_version=found[1] if found else output.FORMAT_VERSION,
    )


def _baseline(options: ScanOptions, site: str) -> tuple[Path, int] | None:
    """The site's folder in the baseline scan and its format version (None: no baseline for it)."""
    if options.baseline is None:
        return None
    if options.baseline.resolve() == options.out_dir.resolve():
        raise ScanInputError("--baseline 不能与 --out 是同一目录（上次的结果会被本次覆盖）")
    try:
        return output.baseline_site(options.baseline, site)
    except output.ScanOutputError as exc:
        raise ScanInputError(f"基线目录无法读取：{exc}") from exc


def write_outputs(
    out_dir: Path, reports: list[SiteReport], options: ScanOptions, *, duration: float, from_warc: str = ""
) -> None:
    output.write_findings(out_dir, (finding for report in reports for finding in report.findings))
    summary = output.run_summary(
        options.as_of.isoformat(),
        [report.summary for report in reports],
        finished_at=_now(),
        duration_seconds=round(duration, 1),
        from_warc=from_warc or None,
    )
    output.write_summary(out_dir, summary)


def _probe(site: str, folder: Path, scan: ScanOptions, *, after_crawl: CrawlStore | None = None) -> None:
    """Run the probes (govsite.probes) once: before crawling (the certificate of an https site), or
    `after_crawl` with that crawl's fetched in-site pages (the IPv6 probe's link sample)."""
    from govsite.probes import CrawledPage, ProbeOptions, probe_site

    policy = scan.policy
    options = ProbeOptions(
        timeout=min(10.0, policy.download_timeout),
        loopback_only=policy.loopback_only,
        delay=policy.delay,
        user_agent=policy.user_agent,
        dns_server=scan.dns_server,
    )
    if after_crawl is None:
        probe_site(site, folder, options)
        return
    pages = [
        CrawledPage(record.url, record.depth, record.status)
        for record in after_crawl.load_fetches().values()
        if record.kind == "page" and record.error is None
    ]
    probe_site(site, folder, options, after_crawl=True, pages=pages)


def _probe_reports() -> list[str]:
    """The report files the probes leave in a site's folder (TLS_FILE among them)."""
    from govsite.probes import report_files

    return list(dict.fromkeys([TLS_FILE, *report_files()]))


def _clear(store: CrawlStore) -> None:
    store.reset()
    for segment in store.archive_dir.glob("crawl-*.warc.gz"):
        segment.unlink()
    (store.folder / STATE_FILE).unlink(missing_ok=True)
    for name in _probe_reports():
        (store.folder / name).unlink(missing_ok=True)


def _read_state(folder: Path) -> dict:
    path = folder / STATE_FILE
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}


def _write_state(folder: Path, state: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(folder / STATE_FILE)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
